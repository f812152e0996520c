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
#include "ppp/auth/auth_base.h"

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
class PapAuthenticator : public AuthenticatorBase {
 public:
  PapAuthenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                   AuthTiming timing, std::function<void(AuthOutcome)> done);

  void Start() override;
  void Input(std::span<const uint8_t> info) override;

 private:
  void OnVerdict(aaa::AuthResult result);
  void SendVerdict(uint8_t id);

  uint8_t reply_id_ = 0;  // Identifier of the newest request (RFC 1334 §2.2.2)
  bool verdict_ok_ = false;
  std::string verdict_message_;
};

// Peer side (RFC 1334 §2.1): sends Authenticate-Request every timing.retry
// until Ack/Nak or timing.max_tries requests went unanswered.
class PapPeer : public AuthPeerBase {
 public:
  PapPeer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
          AuthTiming timing, std::function<void(bool ok, std::string message)> done);

  void Start() override;
  void Input(std::span<const uint8_t> info) override;

 private:
  void SendRequest();
  void OnTimeout();
  void Finish(bool ok, std::string message);

  std::string authname_;
  std::string password_;
  bool running_ = false;
  uint8_t id_ = 0;
  int tries_ = 0;
};

}  // namespace mlppp::ppp
