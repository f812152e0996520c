// PAP, the Password Authentication Protocol (RFC 1334 §2). The peer sends
// its name and password in the clear; the authenticator answers Ack or Nak.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/log.h"
#include "core/packet.h"
#include "ppp/auth/auth.h"

namespace mlppp::ppp {

// RFC 1334 §2.2 packet codes.
enum class PapCode : uint8_t { kAuthReq = 1, kAuthAck = 2, kAuthNak = 3 };
std::string_view PapCodeName(uint8_t code);

// One PAP packet (the PPP information field for protocol 0xc023).
struct PapPacket {
  uint8_t code = 0;
  uint8_t id = 0;
  std::string peer_id;   // Authenticate-Request only (RFC 1334 §2.2.1)
  std::string password;  // Authenticate-Request only; a secret, never logged
  std::string message;   // Authenticate-Ack/Nak only (RFC 1334 §2.2.2)
};

// Parses a PAP packet. Octets beyond Length are padding and ignored; a
// Length below 4 or past the buffer, or a field running past Length, is an
// error (nullopt). An Ack/Nak of Length 4 (no Msg-Length, sent by some
// peers) parses with an empty message.
std::optional<PapPacket> ParsePapPacket(std::span<const uint8_t> info);
// Fields longer than 255 octets are truncated to fit their length octet.
Packet SerializePapPacket(const PapPacket& p);

// Authenticator side (RFC 1334 §2.1): waits for Authenticate-Request, asks
// the back end, answers with the request's Identifier. A request repeated
// after the verdict (our Ack/Nak was lost) is answered with the same verdict
// without asking the back end again.
class PapAuthenticator : public Authenticator {
 public:
  PapAuthenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                   AuthTiming timing, std::function<void(AuthOutcome)> done);
  ~PapAuthenticator() override;

  void Start() override;
  void Input(std::span<const uint8_t> info) override;

  uint64_t dropped() const { return dropped_; }
  uint64_t backend_queries() const { return backend_queries_; }

 private:
  enum class State : uint8_t { kIdle, kWaiting, kChecking, kDone };
  void OnVerdict(aaa::AuthResult result);
  void SendVerdict(uint8_t id);
  void Finish(AuthOutcome outcome);

  ControlSender send_;
  aaa::AuthBackend& backend_;
  AuthTiming timing_;
  std::function<void(AuthOutcome)> done_;
  std::unique_ptr<event::Timer> timer_;
  State state_ = State::kIdle;
  uint8_t reply_id_ = 0;  // Identifier of the newest request (RFC 1334 §2.2.2)
  std::string user_;
  bool verdict_ok_ = false;
  std::string verdict_message_;
  uint64_t dropped_ = 0;
  uint64_t backend_queries_ = 0;
  log::RateLimit limit_;
  // Lets a late back-end answer see that we are gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Peer side (RFC 1334 §2.1): sends Authenticate-Request every timing.retry
// until Ack/Nak or timing.max_tries requests went unanswered.
class PapPeer : public AuthPeer {
 public:
  PapPeer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
          AuthTiming timing, std::function<void(bool ok, std::string message)> done);
  ~PapPeer() override;

  void Start() override;
  void Input(std::span<const uint8_t> info) override;

  uint64_t dropped() const { return dropped_; }

 private:
  void SendRequest();
  void OnTimeout();
  void Finish(bool ok, std::string message);

  ControlSender send_;
  std::string authname_;
  std::string password_;
  AuthTiming timing_;
  std::function<void(bool, std::string)> done_;
  std::unique_ptr<event::Timer> timer_;
  bool running_ = false;
  uint8_t id_ = 0;
  int tries_ = 0;
  uint64_t dropped_ = 0;
  log::RateLimit limit_;
};

}  // namespace mlppp::ppp
