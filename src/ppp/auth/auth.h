// ppp/auth/: the authentication phase (RFC 1661 §3.5). An Authenticator
// checks the peer (we sent Auth-Protocol in our LCP request); an AuthPeer
// proves us to the peer. Both are passive: frames in, frames out, results
// through a callback; credentials are checked by an aaa::AuthBackend.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aaa/auth_backend.h"
#include "event/loop.h"
#include "ppp/fsm.h"

namespace mlppp::ppp {

// LCP Authentication-Protocol values we negotiate (RFC 1661 §6.2): PAP
// (c023), CHAP (c223) with algorithm 5 = MD5 (RFC 1994), 0x80 = MS-CHAPv1
// (RFC 2433), 0x81 = MS-CHAPv2 (RFC 2759); EAP (c227, RFC 3748).
enum class AuthType : uint8_t { kNone, kPap, kChapMd5, kChapMsV1, kChapMsV2, kEap };
std::string_view AuthTypeName(AuthType t);

struct AuthOutcome {
  bool ok = false;
  std::string message;     // for the log; never contains a secret
  std::string peer_name;   // the name the peer authenticated as
  aaa::AuthResult result;  // back-end attributes (framed IP, ...)
};

struct AuthTiming {
  event::Duration retry = std::chrono::seconds(3);     // restart timer
  int max_tries = 5;                                   // requests/challenges before giving up
  event::Duration overall = std::chrono::seconds(40);  // mpd5 `set auth timeout`
};

// We authenticate the peer.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual void Start() = 0;
  // An information field of this auth protocol arrived.
  virtual void Input(std::span<const uint8_t> info) = 0;
};

// The peer authenticates us.
class AuthPeer {
 public:
  virtual ~AuthPeer() = default;
  virtual void Start() = 0;
  virtual void Input(std::span<const uint8_t> info) = 0;
  // After success: MPPE keys the method derived (MS-CHAP, RFC 3079), from
  // our side (send = what we encrypt with).
  virtual std::optional<aaa::MppeKeys> mppe_keys() const { return std::nullopt; }
};

using RandomFill = std::function<void(std::span<uint8_t>)>;

// mpd5 `set eap enable md5` / `set eap enable radius-proxy`: how our EAP
// authenticator (eap.h) works. The EAP peer side has no options.
struct EapOptions {
  bool md5 = true;
  bool radius_proxy = false;
};

// REQUIRES: type != kNone. `eap` is read only for kEap. `done` runs once;
// it may destroy the object only through Loop::DeferDelete.
std::unique_ptr<Authenticator> MakeAuthenticator(AuthType type, event::Loop& loop,
                                                 ControlSender send, aaa::AuthBackend& backend,
                                                 RandomFill random, AuthTiming timing,
                                                 const EapOptions& eap,
                                                 std::function<void(AuthOutcome)> done);
// REQUIRES: type != kNone. `random` feeds MS-CHAPv2's Peer-Challenge
// (RFC 2759 §4).
std::unique_ptr<AuthPeer> MakeAuthPeer(AuthType type, event::Loop& loop, ControlSender send,
                                       std::string authname, std::string password,
                                       RandomFill random, AuthTiming timing,
                                       std::function<void(bool ok, std::string message)> done);

}  // namespace mlppp::ppp
