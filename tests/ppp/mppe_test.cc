#include "ppp/ccp/mppe.h"

#include <gtest/gtest.h>

#include <vector>

#include "aaa/mschap.h"
#include "core/hex_bytes.h"

namespace mlppp::ppp::ccp {
namespace {

using Bytes = std::vector<uint8_t>;

using mlppp::testing::Hex;

std::array<uint8_t, 16> Key16(std::string_view s) {
  auto b = Hex(s);
  std::array<uint8_t, 16> a{};
  EXPECT_EQ(b.size(), 16u);
  std::copy_n(b.begin(), std::min<size_t>(16, b.size()), a.begin());
  return a;
}

// The significant octets of a key, in hex.
std::string H(const MppeKey& k, size_t n) { return aaa::HexUpper(std::span(k.data(), n)); }

// RFC 3079 §3.5 sample data: MS-CHAPv2, user "User", password "clientPass".
const auto kNtResponse = [] {
  std::array<uint8_t, 24> a{};
  auto b = Hex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  std::copy_n(b.begin(), 24, a.begin());
  return a;
}();
constexpr std::string_view kSendStartKey128 = "8B7CDC149B993A1BA118CB153F56DCCB";

// Independent values for key changes and RC4 output: computed with
// Python's hashlib SHA-1 and an RC4 written out in Python (RFC 3078 §7.3:
// interim = SHA-1(start || 40x00 || session || 40xF2)[:n]; new =
// RC4(interim, interim); then the 40/56-bit prefix).

TEST(Mppe, CryptoAvailable) { EXPECT_TRUE(MppeCryptoAvailable()); }

TEST(Mppe, KeyLengths) {
  EXPECT_EQ(MppeKeyLength(40), 8u);
  EXPECT_EQ(MppeKeyLength(56), 8u);
  EXPECT_EQ(MppeKeyLength(128), 16u);
  EXPECT_EQ(MppeKeyLength(64), 0u);
  EXPECT_FALSE(MppeKeyBitsValid(0));
  EXPECT_TRUE(MppeKeyBitsValid(56));
}

TEST(Mppe, Rfc3079StartKeysFromMsChapV2) {
  // RFC 3079 §3.5.1-§3.5.3 Steps 1-4: the 8-octet start key of the 40- and
  // 56-bit samples is the first half of the 128-bit one.
  auto hh = aaa::HashNtPasswordHash(aaa::NtPasswordHash("clientPass"));
  auto master = aaa::GetMasterKey(hh, kNtResponse);
  auto send = aaa::GetAsymmetricStartKey(master, /*is_send=*/true, /*is_server=*/true);
  EXPECT_EQ(aaa::HexUpper(send), kSendStartKey128);
  EXPECT_EQ(aaa::HexUpper(std::span(send.data(), 8)), "8B7CDC149B993A1B");
}

TEST(Mppe, Rfc3079GetNewKeyFromSha) {
  auto start = Hex(kSendStartKey128);
  // RFC 3079 §3.5.1/§3.5.2 Step 5 before the reduction.
  EXPECT_EQ(H(GetNewKeyFromSha(std::span(start.data(), 8), std::span(start.data(), 8), 8), 8),
            "965C00C49FA62E3E");
  // RFC 3079 §3.5.3 Step 5.
  EXPECT_EQ(H(GetNewKeyFromSha(start, start, 16), 16), "405CB2247A7956E6E211007AE27B22D4");
  // Octets past the length are zero; bad arguments give zeros.
  auto k = GetNewKeyFromSha(start, start, 8);
  EXPECT_EQ(H(k, 16), "965C00C49FA62E3E0000000000000000");
  EXPECT_EQ(H(GetNewKeyFromSha(std::span(start.data(), 4), start, 8), 8), "0000000000000000");
}

TEST(Mppe, Rfc3079InitialSessionKeys) {
  auto start = Key16(kSendStartKey128);
  // RFC 3079 §3.5.1 SendSessionKey40, §3.5.2 SendSessionKey56, §3.5.3
  // SendSessionKey128.
  EXPECT_EQ(H(MppeInitialSessionKey(start, 40), 8), "D1269EC49FA62E3E");
  EXPECT_EQ(H(MppeInitialSessionKey(start, 56), 8), "D15C00C49FA62E3E");
  EXPECT_EQ(H(MppeInitialSessionKey(start, 128), 16), "405CB2247A7956E6E211007AE27B22D4");
  // Only the first 8 octets of the start key count for 40/56 bits.
  auto other = start;
  other[15] ^= 0xFF;
  EXPECT_EQ(H(MppeInitialSessionKey(other, 40), 8), "D1269EC49FA62E3E");
  EXPECT_NE(H(MppeInitialSessionKey(other, 128), 16), "405CB2247A7956E6E211007AE27B22D4");
}

TEST(Mppe, MsChapV1StartKeyToSessionKey) {
  // RFC 3079 §2.4 GetStartKey for challenge 102DB5DF085D3041 and
  // "clientPass" (start key checked in tests/aaa/mschap_test.cc); session
  // keys from the Python reference.
  std::array<uint8_t, 8> challenge{0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41};
  auto keys = aaa::MsChapV1MppeKeys(aaa::NtPasswordHash("clientPass"), challenge);
  EXPECT_EQ(aaa::HexUpper(keys.send), "A8947850CFC0ACC1D1789FB62DDCDDB0");
  auto k0 = MppeInitialSessionKey(keys.send, 128);
  EXPECT_EQ(H(k0, 16), "59D159BC09F76F1DA2A86A28FFEC0B1E");
  EXPECT_EQ(H(MppeChangeKey(keys.send, k0, 128), 16), "47CD939FB7A3BC1219EE797C3007DB6C");
}

TEST(Mppe, ReduceKey) {
  MppeKey k{};
  k.fill(0x11);
  auto k40 = k, k56 = k, k128 = k;
  ReduceMppeKey(k40, 40);
  ReduceMppeKey(k56, 56);
  ReduceMppeKey(k128, 128);
  EXPECT_EQ(H(k40, 8), "D1269E1111111111");
  EXPECT_EQ(H(k56, 8), "D111111111111111");
  EXPECT_EQ(H(k128, 16), "11111111111111111111111111111111");
}

struct ChangeVector {
  int bits;
  const char* initial;
  const char* change1;
  const char* change2;
};

TEST(Mppe, KeyChanges) {
  // RFC 3078 §7.3 key changes from the RFC 3079 initial session keys.
  const ChangeVector kVectors[] = {
      {40, "D1269EC49FA62E3E", "D1269ECE4D98D181", "D1269EDEEFBD8AFF"},
      {56, "D15C00C49FA62E3E", "D16182A2AB481407", "D178CC274F63FAF1"},
      {128, "405CB2247A7956E6E211007AE27B22D4", "726F10500E2B54135B1B74D7682F0471",
       "2805BC7869BEC825573A7803E95A3ACD"},
  };
  auto start = Key16(kSendStartKey128);
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.bits);
    size_t n = MppeKeyLength(v.bits);
    auto k0 = MppeInitialSessionKey(start, v.bits);
    EXPECT_EQ(H(k0, n), v.initial);
    auto k1 = MppeChangeKey(start, k0, v.bits);
    EXPECT_EQ(H(k1, n), v.change1);
    EXPECT_EQ(H(MppeChangeKey(start, k1, v.bits), n), v.change2);

    // The cipher object follows the same schedule.
    auto c = MppeCipher::Create(start, v.bits);
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ((*c)->key_length(), n);
    EXPECT_EQ(H((*c)->session_key(), n), v.initial);
    (*c)->Rekey();
    EXPECT_EQ(H((*c)->session_key(), n), v.change1);
    (*c)->Rekey();
    EXPECT_EQ(H((*c)->session_key(), n), v.change2);
  }
}

// RekeyMulti makes the same key changes as Rekey on each cipher, for
// every strength mixed in one call, and leaves each RC4 stream on its new
// key (RFC 3078 §7.3).
TEST(Mppe, RekeyMultiEqualsRekeyEach) {
  auto start = Key16(kSendStartKey128);
  std::vector<std::unique_ptr<MppeCipher>> one, multi;
  for (int bits : {40, 56, 128, 128, 40}) {
    one.push_back(std::move(*MppeCipher::Create(start, bits)));
    multi.push_back(std::move(*MppeCipher::Create(start, bits)));
  }
  std::vector<MppeCipher*> ptrs;
  for (auto& c : multi) ptrs.push_back(c.get());
  for (int round = 0; round < 3; ++round) {
    for (auto& c : one) c->Rekey();
    // Rounds of 5, then 3, then 1 cipher (an odd one runs alone).
    size_t n = round == 0 ? 5 : round == 1 ? 3 : 1;
    MppeCipher::RekeyMulti(std::span(ptrs.data(), n));
    for (size_t k = n; k < ptrs.size(); ++k) ptrs[k]->Rekey();
    for (size_t k = 0; k < one.size(); ++k) {
      ASSERT_TRUE(multi[k]->ok());
      EXPECT_EQ(H(multi[k]->session_key(), 16), H(one[k]->session_key(), 16)) << k;
      std::vector<uint8_t> a(40, 0x21), b(40, 0x21);
      one[k]->Crypt(a);
      multi[k]->Crypt(b);
      EXPECT_EQ(a, b) << k;
    }
  }
}

// Against the stand-alone key change (MppeChangeKey, the RFC 3079 §7 code
// path checked by the vectors above): 20 ciphers, more than one chunk of
// RekeyMulti, each strength and its own start key, 50 rounds.
TEST(Mppe, RekeyMultiFollowsMppeChangeKey) {
  constexpr int kBits[] = {40, 56, 128};
  std::vector<std::unique_ptr<MppeCipher>> ciphers;
  std::vector<std::array<uint8_t, 16>> starts;
  std::vector<MppeKey> want;
  for (size_t k = 0; k < 20; ++k) {
    std::array<uint8_t, 16> start{};
    for (size_t i = 0; i < start.size(); ++i) start[i] = static_cast<uint8_t>(k * 37 + i * 11);
    int bits = kBits[k % 3];
    starts.push_back(start);
    ciphers.push_back(std::move(*MppeCipher::Create(start, bits)));
    want.push_back(MppeInitialSessionKey(start, bits));
  }
  std::vector<MppeCipher*> ptrs;
  for (auto& c : ciphers) ptrs.push_back(c.get());
  for (int round = 0; round < 50; ++round) {
    MppeCipher::RekeyMulti(ptrs);
    for (size_t k = 0; k < ciphers.size(); ++k) {
      want[k] = MppeChangeKey(starts[k], want[k], ciphers[k]->key_bits());
      size_t n = ciphers[k]->key_length();
      ASSERT_TRUE(ciphers[k]->ok());
      ASSERT_EQ(H(ciphers[k]->session_key(), n), H(want[k], n))
          << "cipher " << k << " round " << round;
    }
  }
}

TEST(Mppe, CipherKeystream) {
  // RC4 under SendSessionKey128 over 00 21 45 00 00 14 00 01 00 00 40 00,
  // twice in a row (stateful: the keystream runs on), then restarted on
  // the changed key (Python reference).
  auto c = MppeCipher::Create(Key16(kSendStartKey128), 128);
  ASSERT_TRUE(c.ok());
  Bytes p1 = Hex("002145000014000100004000"), p2 = p1, p3 = p1;
  (*c)->Crypt(p1);
  EXPECT_EQ(aaa::HexUpper(p1), "F5C0B563FF11E110019A7DDB");
  (*c)->Crypt(p2);
  EXPECT_EQ(aaa::HexUpper(p2), "9FE3A7B8DF7F30BB0D260F62");
  (*c)->Rekey();
  (*c)->Crypt(p3);
  EXPECT_EQ(aaa::HexUpper(p3), "7058132BE07B58BBD366C925");

  // Decrypting is the same operation with a fresh cipher.
  auto d = MppeCipher::Create(Key16(kSendStartKey128), 128);
  ASSERT_TRUE(d.ok());
  (*d)->Crypt(p1);
  EXPECT_EQ(aaa::HexUpper(p1), "002145000014000100004000");
  (*d)->Crypt(std::span<uint8_t>());  // empty is fine
}

TEST(Mppe, Cipher40BitKeystream) {
  auto c = MppeCipher::Create(Key16(kSendStartKey128), 40);
  ASSERT_TRUE(c.ok());
  Bytes p = Hex("002145000014000100004000");
  (*c)->Crypt(p);
  EXPECT_EQ(aaa::HexUpper(p), "E6D501E55E2166A41BB67FFD");
}

TEST(Mppe, CreateRejectsBadStrength) {
  auto c = MppeCipher::Create(Key16(kSendStartKey128), 64);
  EXPECT_FALSE(c.ok());
  EXPECT_FALSE(c.error().empty());
}

}  // namespace
}  // namespace mlppp::ppp::ccp
