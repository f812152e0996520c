// DESE (RFC 1969) and DESE-bis (RFC 2419) codecs: hand-checked vectors made
// with the openssl command line, round trips, padding edge cases, hostile
// datagrams, sequence gaps and wrap-around.
#include "ppp/ecp/dese.h"

// The key derivation is checked against OpenSSL's own DES_string_to_key,
// the function mpd5 calls (deprecated in OpenSSL 3 but still exported).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <gtest/gtest.h>
#include <openssl/des.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/hex_bytes.h"
#include "ppp/ccp_data.h"

namespace mlppp::ppp::ecp {
namespace {

using ccp::Bytes;
using ccp::DecodeBytes;
using ccp::EncodeDatagram;
using ccp::Random;
using ccp::ToBytes;
using Kind = ccp::DecodeResult::Kind;

using mlppp::testing::Hex;

std::array<uint8_t, 8> Arr8(std::string_view hex) {
  Bytes b = Hex(hex);
  std::array<uint8_t, 8> a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

// Key 0123456789abcdef, nonce a1b2c3d4e5f60718 for the vectors below.
DeseParams VectorParams(bool bis) {
  DeseParams p;
  p.bis = bis;
  p.key = Arr8("0123456789abcdef");
  p.nonce = Arr8("a1b2c3d4e5f60718");
  return p;
}

struct Pair {
  std::unique_ptr<ccp::Encoder> enc;
  std::unique_ptr<ccp::Decoder> dec;
};

Pair MakePair(const DeseParams& p) {
  auto e = MakeDeseEncoder(p);
  auto d = MakeDeseDecoder(p);
  EXPECT_TRUE(e.ok()) << e.error();
  EXPECT_TRUE(d.ok()) << d.error();
  return {std::move(*e), std::move(*d)};
}

std::unique_ptr<ccp::Encoder> Enc(const DeseParams& p) {
  auto e = MakeDeseEncoder(p);
  EXPECT_TRUE(e.ok()) << e.error();
  return std::move(*e);
}

std::unique_ptr<ccp::Decoder> Dec(const DeseParams& p) {
  auto d = MakeDeseDecoder(p);
  EXPECT_TRUE(d.ok()) << d.error();
  return std::move(*d);
}

TEST(DeseTest, Names) {
  EXPECT_EQ(DeseName(true), "DESE-bis");
  EXPECT_EQ(DeseName(false), "DESE");
  EXPECT_EQ(kDeseOptionType, 1);
  EXPECT_EQ(kDeseBisOptionType, 3);
}

// Hand-checked datagrams: each packet's protocol and information field,
// the datagram the encoder sends (sequence number, ciphertext) and what the
// decoder gives back, for one encoder/decoder pair in order.
struct VectorPacket {
  uint16_t protocol;
  std::string_view info;  // hex, as the rest
  std::string_view datagram;
  std::string_view decoded;
};
struct VectorCase {
  std::string_view name;
  bool bis;
  std::vector<VectorPacket> packets;
};

// DESE-bis. Expected ciphertext (the three plaintexts below, chained in one
// CBC run, which is what RFC 2419 §5 chaining across datagrams amounts to):
//   K=0123456789abcdef IV=a1b2c3d4e5f60718
//   P="0021 4500001c123400004011aa 010203"            # datagram 0
//   P="$P 0057 600000000005 0102030405060708"         # datagram 1
//   P="$P 0021 0a0b0c0d0e40"                           # datagram 2
//   echo -n "$P" | tr -d ' ' | xxd -r -p | openssl enc -des-cbc
//     -provider legacy -provider default -K $K -iv $IV -nopad | xxd -p -c 8
//   8ff4f0e5f563dd65 49923e4e2df535ae | b6de8d1cebcdbaa8 8492359518b0c3e5 |
//   7b6b6c82cad46a7f
const VectorCase kBisVector = {
    "Bis",
    true,
    {
        // 2 + 11 octets: padding 01 02 03.
        {0x0021, "4500001c123400004011aa", "0000 8ff4f0e5f563dd65 49923e4e2df535ae",
         "4500001c123400004011aa"},
        // 2 + 6 octets ending in 05: could be read as a count, so a whole
        // block 01..08 follows.
        {0x0057, "600000000005", "0001 b6de8d1cebcdbaa8 8492359518b0c3e5", "600000000005"},
        // 2 + 6 octets ending in 40: no padding.
        {0x0021, "0a0b0c0d0e40", "0002 7b6b6c82cad46a7f", "0a0b0c0d0e40"},
    }};

// DESE (RFC 1969): zero padding, which stays on: the receiver cannot tell
// it from data.
//   echo -n "0021 4500001c123400004011aa 000000  0057 600000000005" |
//   tr -d ' ' | xxd -r -p | openssl enc -des-cbc -provider legacy
//     -provider default -K 0123456789abcdef -iv a1b2c3d4e5f60718 -nopad |
//   xxd -p -c 8
//   8ff4f0e5f563dd65 4668de1b586d626d | d1957f5fc31e4fd1
const VectorCase kOldVector = {
    "Old",
    false,
    {
        {0x0021, "4500001c123400004011aa", "0000 8ff4f0e5f563dd65 4668de1b586d626d",
         "4500001c123400004011aa 000000"},
        {0x0057, "600000000005", "0001 d1957f5fc31e4fd1", "600000000005"},
    }};

class DeseVectorTest : public ::testing::TestWithParam<VectorCase> {};

TEST_P(DeseVectorTest, EncodesAndDecodes) {
  const VectorCase& c = GetParam();
  Pair p = MakePair(VectorParams(c.bis));
  std::vector<Bytes> sent;
  for (const VectorPacket& v : c.packets) {
    sent.push_back(EncodeDatagram(*p.enc, v.protocol, Hex(v.info)));
    EXPECT_EQ(sent.back(), Hex(v.datagram)) << v.info;
  }
  for (size_t i = 0; i < sent.size(); ++i) {
    Bytes out;
    auto r = DecodeBytes(*p.dec, sent[i], &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why << " at " << i;
    EXPECT_EQ(r.protocol, c.packets[i].protocol) << i;
    EXPECT_EQ(out, Hex(c.packets[i].decoded)) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Dese, DeseVectorTest, ::testing::Values(kBisVector, kOldVector),
                         [](const ::testing::TestParamInfo<VectorCase>& info) {
                           return std::string(info.param.name);
                         });

// Made with OpenSSL's DES_string_to_key (what mpd5's DesConfigure calls):
//   DES_cblock k; DES_string_to_key("secret", &k);  -> 1a19c7759761cd07
//   DES_string_to_key("", &k);                      -> 0101010101010101
TEST(DeseTest, KeyFromSecretVector) {
  EXPECT_EQ(DeseKeyFromSecret("secret"), Arr8("1a19c7759761cd07"));
  EXPECT_EQ(DeseKeyFromSecret(""), Arr8("0101010101010101"));
  EXPECT_EQ(DeseKeyFromSecret("0123456789abcdefghijklmnopqrstu"), Arr8("8ad98f64763edc37"));
}

std::array<uint8_t, 8> OpensslStringToKey(const std::string& s) {
  DES_cblock k;
  DES_string_to_key(s.c_str(), &k);
  std::array<uint8_t, 8> out;
  std::copy(std::begin(k), std::end(k), out.begin());
  return out;
}

TEST(DeseTest, KeyFromSecretMatchesOpensslForEveryLength) {
  std::string s;
  for (int len = 0; len <= 31; ++len) {
    EXPECT_EQ(DeseKeyFromSecret(s), OpensslStringToKey(s)) << "length " << len;
    s.push_back(static_cast<char>(0x20 + (len * 37) % 0x5f));
  }
  // High-bit characters go through the same shifts.
  std::string hi = "\xff\x80\xc3\xa9p\xe4ss\xf6rd-\xb5\x01\x7f!";
  EXPECT_EQ(DeseKeyFromSecret(hi), OpensslStringToKey(hi));
}

TEST(DeseTest, KeyFromSecretTruncatesAsMpd5Stores) {
  // mpd5 keeps at most 31 characters (char key[32] set with snprintf).
  std::string longer(40, 'k');
  longer[35] = 'x';
  EXPECT_EQ(DeseKeyFromSecret(longer), OpensslStringToKey(longer.substr(0, 31)));
  EXPECT_NE(DeseKeyFromSecret(longer), OpensslStringToKey(longer));
  // A C string ends at its first NUL.
  std::string with_nul("abc\0def", 7);
  EXPECT_EQ(DeseKeyFromSecret(with_nul), DeseKeyFromSecret("abc"));
}

TEST(DeseTest, MaxPlaintext) {
  EXPECT_EQ(DeseMaxPlaintext(1500, false), 1496u);
  EXPECT_EQ(DeseMaxPlaintext(1500, true), 1495u);
  EXPECT_EQ(DeseMaxPlaintext(10, true), 7u);
  EXPECT_EQ(DeseMaxPlaintext(9, true), 0u);
  EXPECT_EQ(DeseMaxPlaintext(0, false), 0u);
  // The bound holds whatever the last octet is.
  for (bool bis : {false, true}) {
    for (uint8_t last : {0x00, 0x01, 0x08, 0x09, 0xff}) {
      Pair p = MakePair(VectorParams(bis));
      Bytes info(DeseMaxPlaintext(1500, bis) - 2, 0x45);
      info.back() = last;
      EXPECT_LE(EncodeDatagram(*p.enc, 0x0021, info).size(), 1500u);
    }
  }
}

// Plaintext lengths 2..19 (every residue mod 8, twice) and last octets on
// either side of the 1..8 range.
TEST(DeseTest, PaddingEdgeCases) {
  for (bool bis : {false, true}) {
    for (size_t n = 0; n <= 17; ++n) {
      for (uint8_t last : {0x00, 0x01, 0x07, 0x08, 0x09, 0x40}) {
        Pair p = MakePair(VectorParams(bis));
        Bytes info(n, 0xa5);
        if (n > 0) info.back() = last;
        Bytes d = EncodeDatagram(*p.enc, 0x0021, info);
        const size_t plain = n + 2;
        size_t clen = (plain + 7) / 8 * 8;
        // DESE-bis adds a whole block when the plaintext is aligned and its
        // last octet (the protocol's 0x21 when n == 0) reads as a count.
        uint8_t final_octet = n > 0 ? last : 0x21;
        if (bis && plain % 8 == 0 && final_octet >= 1 && final_octet <= 8) clen += 8;
        EXPECT_EQ(d.size(), 2 + clen) << "bis=" << bis << " n=" << n << " last=" << int(last);
        Bytes out;
        auto r = DecodeBytes(*p.dec, d, &out);
        ASSERT_EQ(r.kind, Kind::kOk) << r.why;
        EXPECT_EQ(r.protocol, 0x0021);
        Bytes expect = info;
        if (!bis) expect.resize(clen - 2, 0);  // zero padding stays
        EXPECT_EQ(out, expect) << "bis=" << bis << " n=" << n << " last=" << int(last);
      }
    }
  }
}

TEST(DeseTest, RoundTripManyPackets) {
  std::mt19937 rng(1969);
  for (bool bis : {false, true}) {
    Pair p = MakePair(VectorParams(bis));
    for (int i = 0; i < 500; ++i) {
      const Bytes info = Random(rng, rng() % 1500);
      uint16_t proto = i % 2 ? 0x0021 : 0x0057;
      Bytes d = EncodeDatagram(*p.enc, proto, info);
      EXPECT_EQ(d[0] << 8 | d[1], i);
      EXPECT_EQ((d.size() - 2) % 8, 0u);
      Bytes out;
      auto r = DecodeBytes(*p.dec, d, &out);
      ASSERT_EQ(r.kind, Kind::kOk) << r.why << " at " << i;
      EXPECT_EQ(r.protocol, proto);
      ASSERT_GE(out.size(), info.size());
      EXPECT_TRUE(std::equal(info.begin(), info.end(), out.begin())) << i;
      if (bis) {
        EXPECT_EQ(out.size(), info.size());
      } else {
        EXPECT_LT(out.size() - info.size(), 8u);
        for (size_t k = info.size(); k < out.size(); ++k) EXPECT_EQ(out[k], 0);
      }
    }
  }
}

TEST(DeseTest, SameDataDifferentCiphertextAcrossPackets) {
  // CBC chaining across datagrams: identical packets do not repeat.
  Pair p = MakePair(VectorParams(true));
  Bytes a = EncodeDatagram(*p.enc, 0x0021, Hex("4500001c12340000"));
  Bytes b = EncodeDatagram(*p.enc, 0x0021, Hex("4500001c12340000"));
  EXPECT_NE(Bytes(a.begin() + 2, a.end()), Bytes(b.begin() + 2, b.end()));
}

TEST(DeseTest, NonceOnlyAffectsFirstBlock) {
  // The decoder with the wrong nonce garbles only the first block of the
  // first datagram; the chain is right from then on.
  DeseParams good = VectorParams(true);
  DeseParams other = good;
  other.nonce = Arr8("0000000000000001");
  auto enc = Enc(good);
  auto dec = Dec(other);
  Bytes d1 = EncodeDatagram(*enc, 0x0021, Bytes(30, 0x11));
  Bytes d2 = EncodeDatagram(*enc, 0x0021, Bytes(30, 0x22));
  Bytes out;
  auto r = DecodeBytes(*dec, d1, &out);
  EXPECT_FALSE(r.kind == Kind::kOk && r.protocol == 0x0021 && out == Bytes(30, 0x11));
  r = DecodeBytes(*dec, d2, &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(out, Bytes(30, 0x22));
}

TEST(DeseTest, WrongKeyNeverDecodesToThePlaintext) {
  DeseParams good = VectorParams(true);
  DeseParams bad = good;
  bad.key = DeseKeyFromSecret("not the key");
  auto enc = Enc(good);
  auto dec = Dec(bad);
  for (int i = 0; i < 20; ++i) {
    Bytes info(40 + i, static_cast<uint8_t>(i));
    Bytes out;
    auto r = DecodeBytes(*dec, EncodeDatagram(*enc, 0x0021, info), &out);
    EXPECT_FALSE(r.kind == Kind::kOk && out == info);
  }
}

TEST(DeseTest, BadLengthsAreDroppedWithoutChangingState) {
  for (bool bis : {false, true}) {
    Pair p = MakePair(VectorParams(bis));
    Bytes d0 = EncodeDatagram(*p.enc, 0x0021, Bytes(20, 1));
    Bytes d1 = EncodeDatagram(*p.enc, 0x0021, Bytes(20, 2));
    for (size_t n : {0, 1, 2, 3, 9, 11, 17}) {
      Bytes bogus(d0.begin(), d0.begin() + std::min(n, d0.size()));
      bogus.resize(n, 0);
      auto r = DecodeBytes(*p.dec, bogus);
      EXPECT_EQ(r.kind, Kind::kDrop) << n;
      EXPECT_EQ(r.why, "bad length") << n;
    }
    Bytes out;
    auto r = DecodeBytes(*p.dec, d0, &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
    r = DecodeBytes(*p.dec, d1, &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 20), Bytes(20, 2));
  }
}

TEST(DeseTest, SequenceGapResynchronizes) {
  for (bool bis : {false, true}) {
    Pair p = MakePair(VectorParams(bis));
    std::vector<Bytes> d;
    for (int i = 0; i < 6; ++i) d.push_back(EncodeDatagram(*p.enc, 0x0021, Bytes(16, uint8_t(i))));
    Bytes out;
    ASSERT_EQ(DecodeBytes(*p.dec, d[0]).kind, Kind::kOk);
    // d[1] and d[2] lost: d[3] is dropped, its last block chains d[4].
    auto r = DecodeBytes(*p.dec, d[3]);
    EXPECT_EQ(r.kind, Kind::kDrop);
    EXPECT_EQ(r.why, "sequence gap");
    r = DecodeBytes(*p.dec, d[4], &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 16), Bytes(16, 4));
    // A late (old) datagram is a gap too; the one after it resynchronizes.
    r = DecodeBytes(*p.dec, d[1]);
    EXPECT_EQ(r.why, "sequence gap");
    r = DecodeBytes(*p.dec, d[2], &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 16), Bytes(16, 2));
    // A replayed datagram is refused as well.
    EXPECT_EQ(DecodeBytes(*p.dec, d[2]).why, "sequence gap");
  }
}

TEST(DeseTest, SequenceNumberWraps) {
  Pair p = MakePair(VectorParams(true));
  Bytes info = Hex("4500");
  for (uint32_t i = 0; i < 65536 + 3; ++i) {
    Packet pkt = Packet::Copy(info);
    ASSERT_EQ(p.enc->Encode(0x0021, pkt), ccp::EncodeResult::kDatagram);
    EXPECT_EQ(pkt.span()[0] << 8 | pkt.span()[1], static_cast<int>(i & 0xffff));
    auto r = p.dec->Decode(pkt);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why << " at " << i;
    ASSERT_EQ(ToBytes(pkt), info);
  }
}

TEST(DeseTest, CorruptedCiphertextAffectsOnlyTwoDatagrams) {
  Pair p = MakePair(VectorParams(true));
  Bytes d0 = EncodeDatagram(*p.enc, 0x0021, Bytes(30, 0x10));
  Bytes d1 = EncodeDatagram(*p.enc, 0x0021, Bytes(30, 0x11));
  Bytes d2 = EncodeDatagram(*p.enc, 0x0021, Bytes(30, 0x12));
  d0.back() ^= 0x01;  // last block: garbles d0's last block and d1's first
  Bytes out;
  auto r = DecodeBytes(*p.dec, d0, &out);
  EXPECT_FALSE(r.kind == Kind::kOk && out == Bytes(30, 0x10));
  r = DecodeBytes(*p.dec, d1, &out);
  EXPECT_FALSE(r.kind == Kind::kOk && out == Bytes(30, 0x11));
  r = DecodeBytes(*p.dec, d2, &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(out, Bytes(30, 0x12));
}

// DESE and DESE-bis datagrams differ only in their padding, so a DESE
// encoder (which pads nothing when aligned) makes DESE-bis plaintexts whose
// padding we choose.
TEST(DeseTest, BisPaddingChecks) {
  struct Case {
    const char* info;  // after the protocol field 0x0021; 6 octets: aligned
    Kind kind;
    const char* why;
    const char* out;
  };
  const Case cases[] = {
      {"aaaaaa010203", Kind::kOk, "", "aaaaaa"},
      {"aa0102030405", Kind::kOk, "", "aa"},
      {"aaaaaaaaaa01", Kind::kOk, "", "aaaaaaaaaa"},
      {"aaaaaa090903", Kind::kDrop, "bad padding", ""},
      {"aaaaaa010303", Kind::kDrop, "bad padding", ""},
      {"aaaaaaaaaa09", Kind::kOk, "", "aaaaaaaaaa09"},  // 9: not a count
      {"aaaaaaaaaa00", Kind::kOk, "", "aaaaaaaaaa00"},
  };
  for (const Case& c : cases) {
    auto enc = Enc(VectorParams(false));
    auto dec = Dec(VectorParams(true));
    Bytes out;
    auto r = DecodeBytes(*dec, EncodeDatagram(*enc, 0x0021, Hex(c.info)), &out);
    EXPECT_EQ(r.kind, c.kind) << c.info;
    EXPECT_EQ(r.why, c.why) << c.info;
    if (r.kind == Kind::kOk) {
      EXPECT_EQ(r.protocol, 0x0021);
      EXPECT_EQ(out, Hex(c.out)) << c.info;
    }
  }
  // Padding that eats into the protocol field: the whole block is padding
  // (a plaintext of 01..08) and no protocol is left.
  auto enc = Enc(VectorParams(false));
  auto dec = Dec(VectorParams(true));
  auto r = DecodeBytes(*dec, EncodeDatagram(*enc, 0x0102, Hex("030405060708")));
  EXPECT_EQ(r.kind, Kind::kDrop);
  EXPECT_EQ(r.why, "bad protocol");
}

TEST(DeseTest, ProtocolFieldForms) {
  for (bool bis : {false, true}) {
    // A compressed (one-octet) protocol field: the peer sent 21 45 ...
    Pair p = MakePair(VectorParams(bis));
    Bytes out;
    auto r = DecodeBytes(*p.dec, EncodeDatagram(*p.enc, 0x2145, Hex("00001c4040")), &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
    EXPECT_EQ(r.protocol, 0x21);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 6), Hex("4500001c4040"));
    // An even protocol number is not one (RFC 1661 §2).
    r = DecodeBytes(*p.dec, EncodeDatagram(*p.enc, 0x0020, Hex("00001c4040")));
    EXPECT_EQ(r.kind, Kind::kDrop);
    EXPECT_EQ(r.why, "bad protocol");
  }
}

TEST(DeseTest, ResetRequestIsAckedAndChangesNothing) {
  Pair p = MakePair(VectorParams(true));
  Bytes out;
  ASSERT_EQ(DecodeBytes(*p.dec, EncodeDatagram(*p.enc, 0x0021, Bytes(9, 1))).kind, Kind::kOk);
  EXPECT_TRUE(p.enc->ResetRequested());
  p.dec->ResetAcked();
  Bytes d = EncodeDatagram(*p.enc, 0x0021, Bytes(9, 2));
  EXPECT_EQ(d[0] << 8 | d[1], 1);  // the sequence goes on
  auto r = DecodeBytes(*p.dec, d, &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(out, Bytes(9, 2));
}

TEST(DeseTest, HostileDatagramsNeverCrash) {
  std::mt19937 rng(2419);
  for (bool bis : {false, true}) {
    auto dec = Dec(VectorParams(bis));
    int ok = 0;
    for (int i = 0; i < 2000; ++i) {
      Bytes d = Random(rng, rng() % 40);
      if (d.size() >= 2 && i % 2) {  // often the expected sequence number
        d[0] = 0;
        d[1] = 0;
      }
      Packet pkt = Packet::Copy(d);
      auto r = dec->Decode(pkt);
      if (r.kind == Kind::kOk) {
        ++ok;
        EXPECT_LE(pkt.size() + 3, d.size());
      } else {
        EXPECT_FALSE(r.why.empty());
      }
    }
    EXPECT_LT(ok, 2000);
  }
}

}  // namespace
}  // namespace mlppp::ppp::ecp
