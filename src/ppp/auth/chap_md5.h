// CHAP with MD5 (RFC 1994 §4, algorithm 5). The authenticator sends a random
// challenge; the peer answers MD5(Identifier || secret || Challenge).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/packet.h"
#include "ppp/auth/auth.h"
#include "ppp/auth/auth_base.h"
#include "ppp/auth/chap_base.h"

namespace mlppp::ppp {

// RFC 1994 §4 packet codes.
enum class ChapCode : uint8_t { kChallenge = 1, kResponse = 2, kSuccess = 3, kFailure = 4 };
std::string_view ChapCodeName(uint8_t code);

// One CHAP packet (the PPP information field for protocol 0xc223).
struct ChapPacket {
  uint8_t code = 0;
  uint8_t id = 0;
  std::vector<uint8_t> value;  // Challenge/Response (RFC 1994 §4.1)
  std::string name;            // Challenge/Response: the rest of the packet
  std::string message;         // Success/Failure (RFC 1994 §4.2)
};

// Octets beyond Length are padding and ignored; a Length below 4 or past the
// buffer, a Value-Size running past Length, or an unknown code is an error.
std::optional<ChapPacket> ParseChapPacket(std::span<const uint8_t> info);
// Value is truncated to 255 octets; the whole packet to 65535.
Packet SerializeChapPacket(const ChapPacket& p);

inline constexpr size_t kChapChallengeSize = 16;
// RFC 1994 §4.1, algorithm 5: the Response value is an MD5 digest.
inline constexpr size_t kChapMd5ResponseSize = 16;

// Authenticator side (RFC 1994 §2.1, §4.1), the exchange as in
// ChapAuthenticatorBase: a 16-octet Challenge, a 16-octet MD5 Response
// checked by the back end as AuthRequest{kChapMd5, ...}, and
// Success/Failure carrying the back end's message.
class ChapMd5Authenticator : public ChapAuthenticatorBase {
 public:
  ChapMd5Authenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                       RandomFill random, AuthTiming timing, std::function<void(AuthOutcome)> done,
                       std::string name = "mlpppd");

 private:
  void OnVerdict(aaa::AuthResult result) override;
};

// Peer side (RFC 1994 §4.1): answers every Challenge (including repeats)
// with Name = authname; finishes on Success/Failure for the Identifier it
// answered last, or when no Challenge came within timing.overall.
class ChapMd5Peer : public AuthPeerBase {
 public:
  ChapMd5Peer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
              AuthTiming timing, std::function<void(bool ok, std::string message)> done);

  void Input(std::span<const uint8_t> info) override;

  uint64_t responses_sent() const { return responses_sent_; }

 private:
  std::string authname_;
  std::string password_;
  bool answered_ = false;
  uint8_t id_ = 0;
  uint64_t responses_sent_ = 0;
};

}  // namespace mlppp::ppp
