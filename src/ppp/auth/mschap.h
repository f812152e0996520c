// MS-CHAP: CHAP algorithm 0x80, MS-CHAPv1 (RFC 2433), and 0x81, MS-CHAPv2
// (RFC 2759), in both roles. Same packets as CHAP (RFC 1994 §4, codec in
// chap_md5.h) with an 8- or 16-octet Challenge, a 49-octet Response value
// and structured Success/Failure messages ("S=...", "E=... R=... C=...").
// The cryptography is in aaa/mschap.h. Change-Password (RFC 2433 §5-6,
// RFC 2759 §7) is not supported in either role.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/mschap.h"
#include "core/log.h"
#include "ppp/auth/auth.h"
#include "ppp/auth/auth_base.h"
#include "ppp/auth/chap_base.h"
#include "ppp/auth/chap_md5.h"

namespace mlppp::ppp {

enum class MsChapVersion : uint8_t { kV1, kV2 };
std::string_view MsChapVersionName(MsChapVersion v);  // "MS-CHAPv1", "MS-CHAPv2"

// RFC 1994 §4 codes plus the MS-CHAP Change-Password codes: 5 and 6 are
// MS-CHAPv1's (RFC 2433 §5, §6), 7 is MS-CHAPv2's (RFC 2759 §7).
enum class MsChapCode : uint8_t {
  kChallenge = 1,
  kResponse = 2,
  kSuccess = 3,
  kFailure = 4,
  kChangePasswordV1 = 5,
  kChangePasswordV2 = 6,
  kChangePassword = 7,
};
std::string_view MsChapCodeName(uint8_t code);

// Authenticator side (RFC 2759 §3-§6, RFC 2433 §2-§3), the exchange as in
// ChapAuthenticatorBase: a Challenge of 8 octets (v1) or 16 (v2); the
// Response (value exactly 49 octets, else a Failure without asking the back
// end) goes to the back end as AuthRequest{kChapMsV1/kChapMsV2, Name,
// Identifier, Challenge, value}.
// Success carries result.mschap_success + " M=<message>" (v2; a back end
// that gives no "S=" fails the login, since the peer could not verify us)
// or the message (v1). Failure carries result.mschap_error, else "E=691
// R=0 ...": we never offer a retry. The outcome's result.mppe holds the
// back end's MPPE keys (authenticator side). Change-Password packets are
// counted, logged and dropped.
class MsChapAuthenticator : public ChapAuthenticatorBase {
 public:
  MsChapAuthenticator(MsChapVersion version, event::Loop& loop, ControlSender send,
                      aaa::AuthBackend& backend, RandomFill random, AuthTiming timing,
                      std::function<void(AuthOutcome)> done, std::string name = "mlpppd");

  void Input(std::span<const uint8_t> info) override;

 private:
  void OnVerdict(aaa::AuthResult result) override;

  MsChapVersion version_;
};

// Peer side. Answers each Challenge with Name = authname and the NT
// response (v1: LM response zero, Flags 1; v2: a fresh random
// Peer-Challenge); a repeated Challenge (same Identifier and value) gets
// the same Response again, so a late verdict still matches it. On Success
// v2 checks the "S=" authenticator response (RFC 2759 §8.8; a mismatch is
// a failure: the authenticator did not know our password) and both
// versions derive MPPE keys from our side (mppe_keys()). On Failure with
// R=1 it answers again, up to timing.max_tries times, with Identifier + 1
// and the new challenge from C= (v2: required; v1: if absent the old one
// with 23 added to its first octet, RFC 2433 §3). E=648 (password
// expired) fails cleanly: we cannot change passwords. No Challenge within
// timing.overall fails too.
class MsChapPeer : public AuthPeerBase {
 public:
  MsChapPeer(MsChapVersion version, event::Loop& loop, ControlSender send, std::string authname,
             std::string_view password, RandomFill random, AuthTiming timing,
             std::function<void(bool ok, std::string message)> done);
  ~MsChapPeer() override;

  void Input(std::span<const uint8_t> info) override;
  std::optional<aaa::MppeKeys> mppe_keys() const override { return keys_; }

  uint64_t responses_sent() const { return responses_sent_; }

 private:
  void Answer(uint8_t id, std::span<const uint8_t> challenge);
  void SendResponse();
  void OnSuccess(const std::string& message);
  void OnFailure(const std::string& message);

  MsChapVersion version_;
  std::string authname_;
  aaa::NtHash password_hash_;  // all we keep of the password
  RandomFill random_;
  bool answered_ = false;
  uint8_t id_ = 0;
  std::vector<uint8_t> auth_challenge_;
  std::array<uint8_t, 16> peer_challenge_{};
  aaa::NtResponse nt_response_{};
  std::vector<uint8_t> response_value_;
  int retries_ = 0;
  std::optional<aaa::MppeKeys> keys_;
  uint64_t responses_sent_ = 0;
};

}  // namespace mlppp::ppp
