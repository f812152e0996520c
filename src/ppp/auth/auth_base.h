// The scaffolding every authentication protocol (PAP, CHAP-MD5, MS-CHAP,
// EAP) shares, so each protocol class holds only its packet exchange: the
// overall timeout (mpd5 `set auth timeout`), the restart timer (RFC 1661
// §4.6 style: timing.retry, timing.max_tries), the `done` callback that runs
// once, the counted and rate-limited drop of peer errors (ARCHITECTURE.md
// rule 9), and the liveness guard for back-end answers that arrive after
// the link went down. `tag` ("PAP", "CHAP", "MS-CHAPv2", "EAP") begins every
// log line and timeout message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/log.h"
#include "ppp/auth/auth.h"

namespace mlppp::ppp {

// What both roles share: the tag, the sender, the timing, and the counted,
// rate-limited drop of packets a peer should not have sent.
class AuthScaffold {
 public:
  uint64_t dropped() const { return dropped_; }

 protected:
  AuthScaffold(std::string_view tag, ControlSender send, AuthTiming timing)
      : tag_(tag), send_(std::move(send)), timing_(timing) {}
  ~AuthScaffold() = default;

  // Counted without a log line.
  void CountDrop() { ++dropped_; }
  template <class... Args>
  void Drop(fmt::format_string<Args...> f, Args&&... args) {
    CountDrop();
    MLOG_PEER_ERROR(limit_, kAuth, f, std::forward<Args>(args)...);
  }
  // Parses with `parse`; a packet that does not parse is dropped with
  // "<tag>: malformed packet (<n> octets) dropped".
  template <class P>
  std::optional<P> ParseOrDrop(std::span<const uint8_t> info,
                               std::optional<P> (*parse)(std::span<const uint8_t>)) {
    auto p = parse(info);
    if (!p) Drop("{}: malformed packet ({} octets) dropped", tag_, info.size());
    return p;
  }

  std::string_view tag_;
  ControlSender send_;
  AuthTiming timing_;

 private:
  uint64_t dropped_ = 0;
  log::RateLimit limit_;
};

// We authenticate the peer: wait for it (after a Request/Challenge, which
// the restart timer repeats), ask the back end, answer, finish once.
class AuthenticatorBase : public Authenticator, public AuthScaffold {
 public:
  ~AuthenticatorBase() override;

  uint64_t backend_queries() const { return backend_queries_; }

 protected:
  enum class Phase : uint8_t {
    kIdle,      // before Start()
    kWaiting,   // for the peer's Request/Response
    kChecking,  // the back end is being asked
    kDone,      // Finish() ran
  };

  AuthenticatorBase(std::string_view tag, event::Loop& loop, ControlSender send,
                    aaa::AuthBackend& backend, AuthTiming timing,
                    std::function<void(AuthOutcome)> done);

  // Arms timing.overall: on expiry before Finish(), fails with
  // "<tag>: <what>".
  void StartOverallTimer(std::string_view what = "authentication timeout");
  // After a transmission (counted in tries_): arms the restart timer. On
  // expiry while still kWaiting, `resend` runs again, or after
  // timing.max_tries the login fails with "<tag>: no response to <tries>
  // <what>".
  void ArmRetry(std::function<void()> resend, std::string_view what);
  void StopRetry();
  // Asks the back end; `on_result` runs only while this object lives (a
  // back end may answer after the link went down and we were destroyed).
  void QueryBackend(const aaa::AuthRequest& req, std::function<void(aaa::AuthResult)> on_result);
  // Finishes as a failure, with peer_name_ as the name.
  void FinishFailed(std::string message);
  // Stops the timers, logs the verdict and runs `done` (once).
  void Finish(AuthOutcome outcome);
  // The peer name as the verdict log line shows it.
  virtual std::string LogName(const std::string& name) const { return name; }

  aaa::AuthBackend& backend_;
  Phase phase_ = Phase::kIdle;
  int tries_ = 0;
  std::string peer_name_;  // the name the peer gave, once known
  uint64_t backend_queries_ = 0;

 private:
  event::Loop& loop_;
  std::function<void(AuthOutcome)> done_;
  std::unique_ptr<event::Timer> overall_timer_;
  std::unique_ptr<event::Timer> retry_timer_;  // created on first use
  // Lets a late back-end answer see that we are gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The peer authenticates us. The default Start() arms timing.overall (no
// Challenge/Request in time fails with "<tag>: authentication timeout").
class AuthPeerBase : public AuthPeer, public AuthScaffold {
 public:
  void Start() override;

 protected:
  AuthPeerBase(std::string_view tag, event::Loop& loop, ControlSender send, AuthTiming timing,
               std::function<void(bool ok, std::string message)> done);

  // `done` has run (or was never given).
  bool finished() const { return !done_; }
  // Parses a packet that came after Start(); a malformed or early one is
  // dropped with "<tag>: malformed or early packet (<n> octets) dropped".
  template <class P>
  std::optional<P> ParseStarted(std::span<const uint8_t> info,
                                std::optional<P> (*parse)(std::span<const uint8_t>)) {
    auto p = started_ ? parse(info) : std::nullopt;
    if (!p) Drop("{}: malformed or early packet ({} octets) dropped", tag_, info.size());
    return p;
  }
  // Stops the timer, logs the result and runs `done` (once).
  void Finish(bool ok, std::string message);

  std::unique_ptr<event::Timer> timer_;
  bool started_ = false;

 private:
  std::function<void(bool, std::string)> done_;
};

}  // namespace mlppp::ppp
