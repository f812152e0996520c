// Per-session accounting (mpd5 auth.c AuthAccountStart / AuthAccountTimeout
// / AuthAccount): one SessionAccounting per established session drives
// every enabled accounting back end ("sink": radius-acct, pam-acct,
// system-acct, ext-acct) through
// Start, periodic Interim-Update and Stop (RFC 2866 §5.1; RFC 2869 §5.16
// Acct-Interim-Interval), and asks the daemon to close the session when
// accounting says so (mpd-drop-user, or a failed Start with acct-mandatory).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/accounting.h"
#include "aaa/ext_backend.h"
#include "aaa/pam_acct.h"
#include "aaa/radius/accounting.h"
#include "aaa/system_acct.h"
#include "core/log.h"
#include "event/loop.h"

namespace mlppp::daemon {

// One accounting back end as a session sees it.
class AcctSink {
 public:
  virtual ~AcctSink() = default;
  // Sends one event. `done` runs at most once, on the loop thread (possibly
  // before Send returns); ok: the back end took the record; drop_user: it
  // asks for the session to be closed.
  virtual void Send(const aaa::AcctEvent& ev,
                    std::function<void(bool ok, bool drop_user)> done) = 0;
  // Whether `set auth update-limit-in/out` may suppress this sink's
  // Interim-Updates. mpd5 applies the limits to RADIUS only (radius.c
  // RadiusAccount); ext-acct scripts get every update.
  virtual bool UpdateLimited() const { return true; }
  virtual std::string_view Name() const = 0;
};

// radius-acct. The RadiusAccounting is shared by every session and must
// outlive this sink; `classes` are the session's Access-Accept Class
// attributes (RFC 2865 §5.25), echoed in every request.
class RadiusAcctSink : public AcctSink {
 public:
  RadiusAcctSink(aaa::radius::RadiusAccounting& acct, std::vector<std::vector<uint8_t>> classes,
                 bool radius_authenticated);
  void Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) override;
  std::string_view Name() const override { return "radius-acct"; }

 private:
  aaa::radius::RadiusAccounting& acct_;
  std::vector<std::vector<uint8_t>> classes_;
  bool radius_authenticated_;
};

// ext-acct. The ExtAcct must outlive this sink.
class ExtAcctSink : public AcctSink {
 public:
  explicit ExtAcctSink(aaa::ExtAcct& acct) : acct_(acct) {}
  void Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) override;
  bool UpdateLimited() const override { return false; }
  std::string_view Name() const override { return "ext-acct"; }

 private:
  aaa::ExtAcct& acct_;
};

// pam-acct: a PAM session from Start to Stop. Interim-Updates mean nothing
// to PAM: answered ok at once, as mpd5 AuthPAMAcct does. The PamAcct must
// outlive this sink.
class PamAcctSink : public AcctSink {
 public:
  explicit PamAcctSink(aaa::PamAcct& acct) : acct_(acct) {}
  void Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) override;
  bool UpdateLimited() const override { return false; }
  std::string_view Name() const override { return "pam-acct"; }

 private:
  aaa::PamAcct& acct_;
};

// system-acct: utmp/wtmp login and logout records; Interim-Updates are
// answered ok at once (mpd5 AuthSystemAcct writes nothing for them). The
// SystemAcct must outlive this sink.
class SystemAcctSink : public AcctSink {
 public:
  explicit SystemAcctSink(aaa::SystemAcct& acct) : acct_(acct) {}
  void Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) override;
  bool UpdateLimited() const override { return false; }
  std::string_view Name() const override { return "system-acct"; }

 private:
  aaa::SystemAcct& acct_;
};

// The interim period: a nonzero Acct-Interim-Interval from the
// Access-Accept (RFC 2869 §5.16) overrides `set auth acct-update` (mpd5
// auth.c AuthAccountStart). 0 means no interim updates.
uint32_t EffectiveInterim(std::optional<uint32_t> radius_interim, uint32_t acct_update);

// Link traffic counters, as reported in Update and Stop.
struct AcctCounters {
  uint64_t in_octets = 0;
  uint64_t in_packets = 0;
  uint64_t out_octets = 0;
  uint64_t out_packets = 0;
};

class SessionAccounting {
 public:
  struct Settings {
    uint32_t interim_seconds = 0;  // see EffectiveInterim; 0: no updates
    uint64_t update_limit_in = 0;  // `set auth update-limit-in`, octets
    uint64_t update_limit_out = 0;
    bool acct_mandatory = true;  // mpd5 default: enabled
  };
  struct Stats {
    uint64_t starts = 0;
    uint64_t updates = 0;             // interim ticks that sent to at least one sink
    uint64_t updates_suppressed = 0;  // interim ticks held back by the update limits
    uint64_t stops = 0;
    uint64_t failures = 0;  // sink replies with ok == false
  };

  // `sinks` must outlive this object. `base` carries the session facts
  // (user, session ids, framed IP, iface, link count); its status, times,
  // counters and cause are filled in per event. `counters` is read at
  // Start (the baseline for the update limits), at each interim tick and
  // at Stop. `drop` asks the daemon to close the session; it runs through
  // the loop at most once, never after Stop, and may destroy this object.
  SessionAccounting(event::Loop& loop, std::vector<AcctSink*> sinks, aaa::AcctEvent base,
                    Settings settings, std::function<AcctCounters()> counters,
                    std::function<void(std::string reason)> drop);
  // Cancels the interim timer; replies still pending are ignored.
  ~SessionAccounting();
  SessionAccounting(const SessionAccounting&) = delete;
  SessionAccounting& operator=(const SessionAccounting&) = delete;

  // Sends Start to every sink and arms the interim timer. The session time
  // counts from here. Once only; a no-op after Stop.
  void Start();
  // Sends Stop (with the RFC 2866 §5.10 cause name, see
  // aaa::AcctEvent::terminate_cause) to every sink and stops the timer.
  // Idempotent; sends nothing if Start was never called. The object may be
  // destroyed right after: the sinks keep the Stop requests going.
  // `answered` (optional) runs on the loop once every sink has answered
  // the Stop, even after this object is gone (at once, through the loop,
  // when nothing was sent), so shutdown can wait for the Stop records.
  void Stop(std::string terminate_cause, std::function<void()> answered = {});

  bool started() const { return started_; }
  bool stopped() const { return stopped_; }
  const Stats& stats() const { return stats_; }

 private:
  aaa::AcctEvent Event(aaa::AcctEvent::Status status, const AcctCounters& c) const;
  void SendAll(const aaa::AcctEvent& ev, bool skip_limited, std::function<void()> answered = {});
  void OnInterim();
  void OnReply(aaa::AcctEvent::Status status, std::string_view sink, bool ok, bool drop_user);
  void RequestDrop(std::string reason);

  event::Loop& loop_;
  std::vector<AcctSink*> sinks_;
  aaa::AcctEvent base_;
  Settings settings_;
  std::function<AcctCounters()> counters_;
  std::function<void(std::string)> drop_;
  std::unique_ptr<event::Timer> timer_;
  event::TimePoint started_at_{};
  AcctCounters last_update_{};  // baseline for the update limits
  bool started_ = false;
  bool stopped_ = false;
  bool drop_requested_ = false;
  Stats stats_;
  log::RateLimit limiter_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // callbacks hold a weak_ptr
};

}  // namespace mlppp::daemon
