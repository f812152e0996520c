#include "aaa/mschap.h"

#include <gtest/gtest.h>

#include "aaa/internal_backend.h"
#include "core/hex_bytes.h"

namespace mlppp::aaa {
namespace {

using Bytes = std::vector<uint8_t>;

using mlppp::testing::Hex;

template <size_t N>
std::array<uint8_t, N> Arr(std::string_view s) {
  auto b = Hex(s);
  std::array<uint8_t, N> a{};
  EXPECT_EQ(b.size(), N) << s;
  std::copy_n(b.begin(), std::min(N, b.size()), a.begin());
  return a;
}

template <class C>
std::string H(const C& c) {
  return HexUpper(std::span<const uint8_t>(c.data(), c.size()));
}

// RFC 2759 §9.2 "Hash Example".
const auto kAuthChallenge = Arr<16>("5B5D7C7D7B3F2F3E3C2C602132262628");
const auto kPeerChallenge = Arr<16>("21402324255E262A28295F2B3A337C7E");
const auto kNtResponse = Arr<24>("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");

TEST(MsChapCrypto, Available) { EXPECT_TRUE(MsChapCryptoAvailable()); }

TEST(MsChapCrypto, Rfc2759HashExample) {
  EXPECT_EQ(H(ChallengeHash(kPeerChallenge, kAuthChallenge, "User")), "D02E4386BCE91226");
  auto ph = NtPasswordHash("clientPass");
  EXPECT_EQ(H(ph), "44EBBA8D5312B8D611474411F56989AE");
  EXPECT_EQ(H(HashNtPasswordHash(ph)), "41C00C584BD2D91C4017A2A12FA59F3F");
  EXPECT_EQ(H(GenerateNTResponse(kAuthChallenge, kPeerChallenge, "User", "clientPass")),
            H(kNtResponse));
  EXPECT_EQ(GenerateAuthenticatorResponse(ph, kNtResponse, kPeerChallenge, kAuthChallenge, "User"),
            "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

TEST(MsChapCrypto, ChallengeHashDropsDomain) {
  // RFC 2759 §8.2: only the user name, without a prepended domain.
  EXPECT_EQ(H(ChallengeHash(kPeerChallenge, kAuthChallenge, "CORP\\User")), "D02E4386BCE91226");
  EXPECT_NE(H(ChallengeHash(kPeerChallenge, kAuthChallenge, "user")), "D02E4386BCE91226");
}

TEST(MsChapCrypto, CheckAuthenticatorResponse) {
  auto ph = NtPasswordHash("clientPass");
  auto check = [&](std::string_view s) {
    return CheckAuthenticatorResponse(ph, kNtResponse, kPeerChallenge, kAuthChallenge, "User", s);
  };
  EXPECT_TRUE(check("S=407A5589115FD0D6209F510FE9C04566932CDA56"));
  EXPECT_TRUE(check("S=407a5589115fd0d6209f510fe9c04566932cda56 M=Welcome"));
  EXPECT_FALSE(check("S=407A5589115FD0D6209F510FE9C04566932CDA57"));
  EXPECT_FALSE(check("S=407A5589115FD0D6209F510FE9C04566932CDA5"));
  EXPECT_FALSE(check("X=407A5589115FD0D6209F510FE9C04566932CDA56"));
  EXPECT_FALSE(check("S=407A5589115FD0D6209F510FE9C04566932CDAZZ"));
  EXPECT_FALSE(check(""));
}

TEST(MsChapCrypto, Rfc3079MsChapV2Keys) {
  // RFC 3079 §3.5.3 "Sample Data for 128-bit Key".
  auto hh = HashNtPasswordHash(NtPasswordHash("clientPass"));
  auto master = GetMasterKey(hh, kNtResponse);
  EXPECT_EQ(H(master), "FDECE3717A8C838CB388E527AE3CDD31");
  // The RFC's SendStartKey128 is the server's (authenticator's) send key,
  // which is the client's receive key.
  EXPECT_EQ(H(GetAsymmetricStartKey(master, true, true)), "8B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_EQ(H(GetAsymmetricStartKey(master, false, false)), "8B7CDC149B993A1BA118CB153F56DCCB");
  // The other direction (Magic2), checked by hand: SHA-1(MasterKey || 40x00
  // || Magic2 || 40xF2) computed with Python's hashlib.
  EXPECT_EQ(H(GetAsymmetricStartKey(master, false, true)), "D5F0E9521E3EA9589645E86051C82226");
  EXPECT_EQ(H(GetAsymmetricStartKey(master, true, false)), "D5F0E9521E3EA9589645E86051C82226");

  auto server = MsChapV2MppeKeys(NtPasswordHash("clientPass"), kNtResponse, true);
  auto client = MsChapV2MppeKeys(NtPasswordHash("clientPass"), kNtResponse, false);
  EXPECT_EQ(H(server.send), "8B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_EQ(H(server.recv), "D5F0E9521E3EA9589645E86051C82226");
  EXPECT_EQ(client.send, server.recv);
  EXPECT_EQ(client.recv, server.send);
}

TEST(MsChapCrypto, Rfc2433MsChapV1) {
  // RFC 2433 Appendix B: password "MyPw", challenge 102DB5DF085D3041.
  EXPECT_EQ(H(NtPasswordHash("MyPw")), "FC156AF7EDCD6C0EDDE3337D427F4EAC");
  auto challenge = Arr<8>("102DB5DF085D3041");
  EXPECT_EQ(H(NtChallengeResponse(challenge, "MyPw")),
            "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61");
  EXPECT_EQ(H(ChallengeResponse(challenge, NtPasswordHash("MyPw"))),
            "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61");
}

TEST(MsChapCrypto, Rfc3079MsChapV1StartKey) {
  // RFC 3079 §2.4 GetStartKey: SHA-1(hh || hh || challenge)[0..16], with
  // hh = PasswordHashHash of "clientPass" (RFC 2759 §9.2); expected value
  // computed by hand with Python's hashlib.
  auto challenge = Arr<8>("102DB5DF085D3041");
  auto hh = Arr<16>("41C00C584BD2D91C4017A2A12FA59F3F");
  EXPECT_EQ(H(GetStartKey(challenge, hh)), "A8947850CFC0ACC1D1789FB62DDCDDB0");
  auto keys = MsChapV1MppeKeys(NtPasswordHash("clientPass"), challenge);
  EXPECT_EQ(H(keys.send), "A8947850CFC0ACC1D1789FB62DDCDDB0");
  EXPECT_EQ(keys.recv, keys.send);
}

TEST(MsChapCrypto, Utf8Passwords) {
  // U+00E9 as UTF-8 and as a lone Latin-1 octet give the same UTF-16LE.
  EXPECT_EQ(NtPasswordHash("\xc3\xa9"), NtPasswordHash("\xe9"));
  // U+1F600 becomes the surrogate pair D83D DE00; MD4 of 3D D8 00 DE was
  // computed with `openssl dgst -md4`.
  EXPECT_EQ(H(NtPasswordHash("\xf0\x9f\x98\x80")), "4B58A10CC20A4E7D808D218E1F80AABC");
  // Truncated and over-long sequences do not crash and differ from "".
  EXPECT_NE(NtPasswordHash("\xf0\x9f"), NtPasswordHash(""));
  EXPECT_NE(NtPasswordHash("\xc0\x80"), NtPasswordHash(""));
}

TEST(MsChapCodec, ResponseValues) {
  MsChapV2Response r;
  r.peer_challenge = kPeerChallenge;
  r.nt_response = kNtResponse;
  auto b = SerializeMsChapV2Response(r);
  ASSERT_EQ(b.size(), 49u);
  EXPECT_EQ(HexUpper(b), "21402324255E262A28295F2B3A337C7E" + std::string(16, '0') +
                             "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF00");
  auto p = ParseMsChapV2Response(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->peer_challenge, kPeerChallenge);
  EXPECT_EQ(p->nt_response, kNtResponse);
  EXPECT_FALSE(ParseMsChapV2Response(std::span(b).first(48)));
  b.push_back(0);
  EXPECT_FALSE(ParseMsChapV2Response(b));

  MsChapV1Response v1;
  v1.nt_response = kNtResponse;
  auto b1 = SerializeMsChapV1Response(v1);
  ASSERT_EQ(b1.size(), 49u);
  EXPECT_EQ(b1[48], 1);                                         // "use NT response"
  EXPECT_EQ(Bytes(b1.begin(), b1.begin() + 24), Bytes(24, 0));  // no LM response
  auto p1 = ParseMsChapV1Response(b1);
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->flags, 1);
  EXPECT_EQ(p1->nt_response, kNtResponse);
}

TEST(MsChapCodec, FailureText) {
  auto v2 = MsChapFailureText(AuthProto::kChapMsV2, kAuthChallenge, "Access denied");
  EXPECT_EQ(v2, "E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3 M=Access denied");
  EXPECT_EQ(MsChapFailureText(AuthProto::kChapMsV1, Hex("102DB5DF085D3041"), "x"), "E=691 R=0");
  auto f = ParseMsChapFailure(v2);
  EXPECT_EQ(f.error, 691);
  EXPECT_FALSE(f.retry);
  EXPECT_EQ(f.challenge, Bytes(kAuthChallenge.begin(), kAuthChallenge.end()));
  EXPECT_EQ(f.version, 3);
  EXPECT_EQ(f.message, "Access denied");
  auto g = ParseMsChapFailure("E=648 R=1 C=0011 V=x");
  EXPECT_EQ(g.error, 648);
  EXPECT_TRUE(g.retry);
  EXPECT_EQ(g.challenge, (Bytes{0x00, 0x11}));
  EXPECT_EQ(g.version, 0);
  auto bad = ParseMsChapFailure("E=99999999999 C=zz garbage");
  EXPECT_EQ(bad.error, 0);
  EXPECT_TRUE(bad.challenge.empty());
  EXPECT_EQ(MsChapErrorName(648), "ERROR_PASSWD_EXPIRED");
  EXPECT_EQ(MsChapErrorName(1), "unknown");
}

AuthRequest V2Request(std::string user, std::string_view password) {
  AuthRequest req;
  req.proto = AuthProto::kChapMsV2;
  req.user = std::move(user);
  req.chap_id = 7;
  req.chap_challenge.assign(kAuthChallenge.begin(), kAuthChallenge.end());
  MsChapV2Response r;
  r.peer_challenge = kPeerChallenge;
  r.nt_response = GenerateNTResponse(kAuthChallenge, kPeerChallenge, req.user, password);
  req.chap_response = SerializeMsChapV2Response(r);
  return req;
}

AuthRequest V1Request(std::string user, std::string_view password) {
  AuthRequest req;
  req.proto = AuthProto::kChapMsV1;
  req.user = std::move(user);
  req.chap_challenge = Hex("102DB5DF085D3041");
  MsChapV1Response r;
  r.nt_response =
      NtChallengeResponse(std::span<const uint8_t, 8>(req.chap_challenge.data(), 8), password);
  req.chap_response = SerializeMsChapV1Response(r);
  return req;
}

TEST(MsChapVerify, V2RightAndWrong) {
  auto ok = VerifyMsChapPassword(V2Request("User", "clientPass"), "clientPass");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.mschap_success, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
  ASSERT_TRUE(ok.mppe);
  EXPECT_EQ(H(ok.mppe->send), "8B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_TRUE(ok.mschap_error.empty());
  auto bad = VerifyMsChapPassword(V2Request("User", "clientPasS"), "clientPass");
  EXPECT_FALSE(bad.ok);
  EXPECT_FALSE(bad.mppe);
  EXPECT_TRUE(bad.mschap_success.empty());
  EXPECT_EQ(bad.mschap_error.substr(0, 12), "E=691 R=0 C=");
  // Wrong sizes fail without reading out of bounds.
  auto req = V2Request("User", "clientPass");
  req.chap_response.pop_back();
  EXPECT_FALSE(VerifyMsChapPassword(req, "clientPass").ok);
  req = V2Request("User", "clientPass");
  req.chap_challenge.resize(8);
  EXPECT_FALSE(VerifyMsChapPassword(req, "clientPass").ok);
}

TEST(MsChapVerify, V1RightWrongAndLmOnly) {
  auto ok = VerifyMsChapPassword(V1Request("u", "MyPw"), "MyPw");
  EXPECT_TRUE(ok.ok);
  EXPECT_TRUE(ok.mschap_success.empty());
  ASSERT_TRUE(ok.mppe);
  EXPECT_EQ(ok.mppe->send, ok.mppe->recv);
  EXPECT_FALSE(VerifyMsChapPassword(V1Request("u", "MyPW"), "MyPw").ok);
  auto lm = V1Request("u", "MyPw");
  lm.chap_response[48] = 0;  // "use LM": not supported
  auto r = VerifyMsChapPassword(lm, "MyPw");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.mschap_error, "E=691 R=0");
  auto other = V1Request("u", "MyPw");
  other.proto = AuthProto::kPap;
  EXPECT_FALSE(VerifyMsChapPassword(other, "MyPw").ok);
}

AuthResult Auth(InternalBackend& b, const AuthRequest& req) {
  AuthResult out;
  int calls = 0;
  b.Authenticate(req, [&](AuthResult r) {
    out = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  return out;
}

TEST(MsChapInternalBackend, ChecksSecretsFile) {
  InternalBackend b(Secrets::Parse("User clientPass 10.0.0.9\nv1 MyPw\n", "s", nullptr));
  auto ok = Auth(b, V2Request("User", "clientPass"));
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.mschap_success, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
  ASSERT_TRUE(ok.mppe);
  EXPECT_EQ(H(ok.mppe->recv), "D5F0E9521E3EA9589645E86051C82226");
  ASSERT_TRUE(ok.framed_ip);
  EXPECT_EQ(*ok.framed_ip, 0x0a000009u);

  auto bad = Auth(b, V2Request("User", "wrong"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.mschap_error.substr(0, 12), "E=691 R=0 C=");
  auto unknown = Auth(b, V2Request("nobody", "clientPass"));
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.message, bad.message);
  EXPECT_EQ(unknown.mschap_error, bad.mschap_error);

  EXPECT_TRUE(Auth(b, V1Request("v1", "MyPw")).ok);
  auto v1bad = Auth(b, V1Request("v1", "nope"));
  EXPECT_FALSE(v1bad.ok);
  EXPECT_EQ(v1bad.mschap_error, "E=691 R=0");
}

}  // namespace
}  // namespace mlppp::aaa
