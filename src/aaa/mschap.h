// MS-CHAP cryptography: MS-CHAPv1 (RFC 2433 Appendix A), MS-CHAPv2 (RFC
// 2759 §8) and the MPPE start keys both derive (RFC 3079 §2.4, §3.4). Pure
// functions over std::span; the one piece of process state is a private
// OpenSSL library context with the "legacy" provider (MD4, DES) and the
// "default" provider (SHA-1), created once, thread-safely, on first use.
// The LM hash and LM response are not implemented: we always send the NT
// response with Flags = 1 (RFC 2433 §3), as pppd does.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/auth_backend.h"

namespace mlppp::aaa {

using NtHash = std::array<uint8_t, 16>;          // an MD4 digest
using NtResponse = std::array<uint8_t, 24>;      // ChallengeResponse output
using MsChapV2Digest = std::array<uint8_t, 20>;  // AuthenticatorResponse, binary

inline constexpr size_t kMsChapV1ChallengeSize = 8;    // RFC 2433 §2
inline constexpr size_t kMsChapV2ChallengeSize = 16;   // RFC 2759 §3
inline constexpr size_t kMsChapResponseSize = 49;      // RFC 2433 §3, RFC 2759 §4
inline constexpr size_t kMsChapAuthResponseSize = 42;  // "S=" + 40 hex (RFC 2759 §5)

// False when OpenSSL cannot give us MD4, DES-ECB or SHA-1 (the legacy
// provider is missing). The functions below then return zeros, so callers
// that verify a peer must check this first and fail the login.
bool MsChapCryptoAvailable();

// RFC 2759 §8.3: MD4 over the password in UTF-16LE. The password is UTF-8;
// an octet that is not part of a valid UTF-8 sequence counts as the Latin-1
// character of the same value (pppd's ascii2unicode for such secrets).
NtHash NtPasswordHash(std::string_view password);
// RFC 2759 §8.4: MD4(PasswordHash).
NtHash HashNtPasswordHash(const NtHash& password_hash);
// RFC 2759 §8.2: the first 8 octets of SHA-1(PeerChallenge ||
// AuthenticatorChallenge || UserName). Only the user name counts: a domain
// prefix ("DOMAIN\user") is removed here, as the RFC requires.
std::array<uint8_t, 8> ChallengeHash(std::span<const uint8_t, 16> peer_challenge,
                                     std::span<const uint8_t, 16> authenticator_challenge,
                                     std::string_view user_name);
// RFC 2759 §8.5 (= RFC 2433 §A.5): the hash padded to 21 octets is three
// 7-octet DES keys (§8.6 expands each to 8); each encrypts the challenge.
NtResponse ChallengeResponse(std::span<const uint8_t, 8> challenge, const NtHash& password_hash);
// RFC 2759 §8.1.
NtResponse GenerateNTResponse(std::span<const uint8_t, 16> authenticator_challenge,
                              std::span<const uint8_t, 16> peer_challenge,
                              std::string_view user_name, const NtHash& password_hash);
NtResponse GenerateNTResponse(std::span<const uint8_t, 16> authenticator_challenge,
                              std::span<const uint8_t, 16> peer_challenge,
                              std::string_view user_name, std::string_view password);
// RFC 2759 §8.7: "S=" followed by 40 uppercase hex digits.
std::string GenerateAuthenticatorResponse(const NtHash& password_hash,
                                          std::span<const uint8_t, 24> nt_response,
                                          std::span<const uint8_t, 16> peer_challenge,
                                          std::span<const uint8_t, 16> authenticator_challenge,
                                          std::string_view user_name);
// RFC 2759 §8.8: true when `received` starts with the expected "S=<40 hex>"
// (hex digits in either case; anything after the 42 octets, such as
// " M=...", is ignored). Constant time in the digest.
bool CheckAuthenticatorResponse(const NtHash& password_hash,
                                std::span<const uint8_t, 24> nt_response,
                                std::span<const uint8_t, 16> peer_challenge,
                                std::span<const uint8_t, 16> authenticator_challenge,
                                std::string_view user_name, std::string_view received);
// RFC 2433 §A.5 NtChallengeResponse: ChallengeResponse(Challenge,
// NtPasswordHash(Password)).
NtResponse NtChallengeResponse(std::span<const uint8_t, 8> challenge, std::string_view password);

// RFC 3079 §3.4 GetMasterKey: SHA-1(PasswordHashHash || NTResponse ||
// Magic1), first 16 octets.
std::array<uint8_t, 16> GetMasterKey(const NtHash& password_hash_hash,
                                     std::span<const uint8_t, 24> nt_response);
// RFC 3079 §3.4 GetAsymmetricStartKey for a 128-bit session key. The
// server is the authenticator; a server's send key is the client's
// receive key.
std::array<uint8_t, 16> GetAsymmetricStartKey(const std::array<uint8_t, 16>& master_key,
                                              bool is_send, bool is_server);
// RFC 3079 §2.4 GetStartKey for MS-CHAPv1 128-bit keys: SHA-1(
// PasswordHashHash || PasswordHashHash || Challenge), first 16 octets.
// The same key is used in both directions.
std::array<uint8_t, 16> GetStartKey(std::span<const uint8_t, 8> challenge,
                                    const NtHash& password_hash_hash);

// MppeKeys from one side of the link: `authenticator` true gives the
// server's send/recv (RFC 3079 §3.3), false the peer's (swapped).
MppeKeys MsChapV2MppeKeys(const NtHash& password_hash, std::span<const uint8_t, 24> nt_response,
                          bool authenticator);
MppeKeys MsChapV1MppeKeys(const NtHash& password_hash, std::span<const uint8_t, 8> challenge);

// The 49-octet Response values.
struct MsChapV1Response {  // RFC 2433 §3
  std::array<uint8_t, 24> lm_response{};
  NtResponse nt_response{};
  uint8_t flags = 1;  // 1: use the NT response
};
struct MsChapV2Response {  // RFC 2759 §4
  std::array<uint8_t, 16> peer_challenge{};
  std::array<uint8_t, 8> reserved{};  // zero
  NtResponse nt_response{};
  uint8_t flags = 0;  // zero
};
std::optional<MsChapV1Response> ParseMsChapV1Response(std::span<const uint8_t> value);
std::optional<MsChapV2Response> ParseMsChapV2Response(std::span<const uint8_t> value);
std::vector<uint8_t> SerializeMsChapV1Response(const MsChapV1Response& r);
std::vector<uint8_t> SerializeMsChapV2Response(const MsChapV2Response& r);

// RFC 2759 §6 error codes carried in "E=".
enum class MsChapError : uint16_t {
  kRestrictedLogonHours = 646,
  kAcctDisabled = 647,
  kPasswdExpired = 648,
  kNoDialinPermission = 649,
  kAuthenticationFailure = 691,
  kChangingPassword = 709,
};
std::string_view MsChapErrorName(uint16_t code);

// The Failure message text. MS-CHAPv2 (RFC 2759 §6): "E=691 R=0 C=<32 hex of
// `challenge`> V=3 M=<message>". MS-CHAPv1 (RFC 2433 §3): "E=691 R=0".
std::string MsChapFailureText(AuthProto proto, std::span<const uint8_t> challenge,
                              std::string_view message,
                              MsChapError error = MsChapError::kAuthenticationFailure,
                              bool retry = false);

// A Failure message parsed (fields are optional in MS-CHAPv1).
struct MsChapFailure {
  uint16_t error = 0;              // 0 when E= is missing or malformed
  bool retry = false;              // R=1
  std::vector<uint8_t> challenge;  // C=, decoded; empty when absent or malformed
  int version = 0;                 // V=
  std::string message;             // M= (the rest of the text)
};
MsChapFailure ParseMsChapFailure(std::string_view text);

// For back ends that know the password (or its NT hash): checks an
// MS-CHAPv1/v2 request (req.chap_challenge, req.chap_response, req.user)
// and fills ok, mschap_success (v2), mppe (authenticator side) or
// mschap_error ("E=691 R=0 ..."). `message` is left to the caller. A
// request of another proto, or with wrong sizes, fails.
AuthResult VerifyMsChap(const AuthRequest& req, const NtHash& password_hash);
AuthResult VerifyMsChapPassword(const AuthRequest& req, std::string_view password);

// Unpredictable octets from OpenSSL's RAND_bytes, for wiring where no
// injected random source reaches (MakeAuthPeer). Protocol code takes a
// RandomFill instead of calling this.
void SystemRandomFill(std::span<uint8_t> out);

// Uppercase hex of `bytes`, and its inverse (nullopt on an odd length or a
// non-hex digit; either case accepted).
std::string HexUpper(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> FromHex(std::string_view hex);

}  // namespace mlppp::aaa
