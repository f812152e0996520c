// Predictor type 1 (RFC 1978): hand-checked packets, round trips, the FCS,
// and what a corrupt or out-of-step packet does.
#include "ppp/ccp/pred1.h"

#include <gtest/gtest.h>

#include <random>
#include <string_view>
#include <vector>

#include "ppp/ccp_data.h"

namespace mlppp::ppp::ccp {
namespace {

std::unique_ptr<Encoder> NewEncoder() { return std::move(MakePred1Encoder().value()); }
std::unique_ptr<Decoder> NewDecoder() { return std::move(MakePred1Decoder().value()); }

TEST(Pred1Fcs, CheckValue) {
  // CRC-16/X-25, the PPP FCS: the catalogue check value over "123456789"
  // is 0x906E (complemented), and a frame followed by its FCS (least
  // significant octet first) leaves the "good FCS" residue (RFC 1662 §C.2).
  Bytes d = Of("123456789");
  uint16_t fcs = static_cast<uint16_t>(~PppFcs16(kPppInitFcs16, d));
  EXPECT_EQ(fcs, 0x906e);
  d.push_back(static_cast<uint8_t>(fcs));
  d.push_back(static_cast<uint8_t>(fcs >> 8));
  EXPECT_EQ(PppFcs16(kPppInitFcs16, d), kPppGoodFcs16);
}

TEST(Pred1Fcs, MatchesBitwiseDefinition) {
  // The table-driven FCS against RFC 1662 §C.2's definition bit by bit,
  // for every length around the eight-octet blocks and any start value.
  std::mt19937 rng(9);
  for (size_t n = 0; n < 70; ++n) {
    Bytes d(n);
    for (auto& c : d) c = static_cast<uint8_t>(rng());
    uint16_t start = n % 2 ? kPppInitFcs16 : static_cast<uint16_t>(rng());
    unsigned want = start;
    for (uint8_t c : d) {
      want ^= c;
      for (int k = 0; k < 8; ++k) want = (want & 1) ? (want >> 1) ^ 0x8408 : want >> 1;
    }
    EXPECT_EQ(PppFcs16(start, d), want) << "length " << n;
  }
}

TEST(Pred1Encoder, HandCheckedCompressedPacket) {
  // Protocol 0x0021 + "ABABABAB": data 00 21 41 42 41 42 41 42 41 42 (10).
  // Empty table, hash 0 (RFC 1978 §3.1, hash = (hash << 4) ^ c, 16 bits):
  //   00 guess t[0000]=00 hit          hash 0000
  //   21 guess t[0000]=00 miss, learn  hash 0021
  //   41 miss hash 0251; 42 miss 2552; 41 miss 5561; 42 miss 5652;
  //   41 miss 6561;      42 miss 5652 (the hash repeats)
  //   group 1: flags 01, literals 21 41 42 41 42 41 42
  //   41 guess t[5652]=41 hit 6561;    42 guess t[6561]=42 hit
  //   group 2: flags 03, no literals
  // 9 octets < 10, so C is set: length 80 0a. FCS-16 over 00 0a + the 10
  // data octets is 8f5b, sent 5b 8f. (Checked again with an independent
  // Python implementation of the RFC's code.)
  auto e = NewEncoder();
  EXPECT_EQ(EncodeDatagram(*e, 0x0021, Of("ABABABAB")),
            (Bytes{0x80, 0x0a, 0x01, 0x21, 0x41, 0x42, 0x41, 0x42, 0x41, 0x42, 0x03, 0x5b, 0x8f}));
  // The same packet again with the table as the first one left it (Python).
  EXPECT_EQ(EncodeDatagram(*e, 0x0021, Of("ABABABAB")),
            (Bytes{0x80, 0x0a, 0xb0, 0x00, 0x21, 0x41, 0x42, 0x41, 0x03, 0x5b, 0x8f}));
}

TEST(Pred1Encoder, HandCheckedZeros) {
  // 00 21 + sixteen 00: 00 hit; 21 miss (t[0]=21); 00 hit (t[0021]);
  // 00 hit (t[0210]); 00 hit (t[2100]); 00 hit (t[1000], hash back to 0);
  // 00 miss (t[0] is 21 now; learn 00); 00 hit -> flags 1011 1101 = bd,
  // literals 21 00; then eight hits (ff) and two hits (03).
  auto e = NewEncoder();
  EXPECT_EQ(EncodeDatagram(*e, 0x0021, Bytes(16, 0)),
            (Bytes{0x80, 0x12, 0xbd, 0x21, 0x00, 0xff, 0x03, 0xd7, 0xb1}));
}

TEST(Pred1Encoder, HandCheckedUncompressed) {
  // 00 21 01: flags 01 + literals 21 01 is 3 octets, not shorter than 3, so
  // the original goes out with C clear: 00 03, data, FCS c1d8.
  auto e = NewEncoder();
  EXPECT_EQ(EncodeDatagram(*e, 0x0021, Bytes{0x01}),
            (Bytes{0x00, 0x03, 0x00, 0x21, 0x01, 0xd8, 0xc1}));
}

TEST(Pred1Decoder, DecodesHandCheckedPackets) {
  auto d = NewDecoder();
  Packet p = Packet::Copy(
      Bytes{0x80, 0x0a, 0x01, 0x21, 0x41, 0x42, 0x41, 0x42, 0x41, 0x42, 0x03, 0x5b, 0x8f});
  DecodeResult r = d->Decode(p);
  ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
  EXPECT_EQ(r.protocol, 0x0021);
  EXPECT_EQ(ToBytes(p), Of("ABABABAB"));
  p = Packet::Copy(Bytes{0x80, 0x0a, 0xb0, 0x00, 0x21, 0x41, 0x42, 0x41, 0x03, 0x5b, 0x8f});
  r = d->Decode(p);
  ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
  EXPECT_EQ(ToBytes(p), Of("ABABABAB"));
}

TEST(Pred1Decoder, AcceptsOneOctetProtocol) {
  // 21 68 69 ("hi" with a PFC protocol field), sent uncompressed; FCS from
  // the Python reference.
  auto d = NewDecoder();
  Packet p = Packet::Copy(Bytes{0x00, 0x03, 0x21, 0x68, 0x69, 0x0f, 0xe6});
  DecodeResult r = d->Decode(p);
  ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
  EXPECT_EQ(r.protocol, 0x0021);
  EXPECT_EQ(ToBytes(p), Of("hi"));
}

constexpr std::string_view kWords[] = {"GET ",     "/index.html ", "HTTP/1.1\r\n",
                                       "Host: ",   "example.org",  "\r\n",
                                       "Accept: ", "text/html",    "the quick brown fox "};

void RoundTrip(const std::vector<Bytes>& packets, size_t* compressed) {
  auto e = NewEncoder();
  auto d = NewDecoder();
  *compressed = 0;
  for (const Bytes& info : packets) {
    Packet p = Packet::Copy(info);
    ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kDatagram);
    if (p.span()[0] & 0x80) ++*compressed;
    DecodeResult r = d->Decode(p);
    ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
    EXPECT_EQ(r.protocol, 0x0021);
    ASSERT_EQ(ToBytes(p), info);
  }
}

TEST(Pred1RoundTrip, Text) {
  std::mt19937 rng(1);
  std::vector<Bytes> packets;
  for (int i = 0; i < 200; ++i) packets.push_back(Text(rng, 1 + rng() % 1500, kWords));
  size_t compressed = 0;
  RoundTrip(packets, &compressed);
  EXPECT_GT(compressed, 150u);  // text compresses once the table has learnt
}

TEST(Pred1RoundTrip, RandomIsSentUncompressed) {
  std::mt19937 rng(2);
  std::vector<Bytes> packets;
  for (int i = 0; i < 100; ++i) packets.push_back(Random(rng, rng() % 1500));
  size_t compressed = 0;
  RoundTrip(packets, &compressed);
  EXPECT_LT(compressed, 5u);
}

TEST(Pred1RoundTrip, RepeatedAndMixed) {
  std::mt19937 rng(3);
  std::vector<Bytes> packets;
  Bytes same = Text(rng, 1400, kWords);
  for (int i = 0; i < 50; ++i) {
    packets.push_back(same);
    packets.push_back(Random(rng, 64));
    packets.push_back(Bytes(rng() % 3000, static_cast<uint8_t>(i)));
    packets.push_back({});
  }
  size_t compressed = 0;
  RoundTrip(packets, &compressed);
  EXPECT_GE(compressed, 95u);  // the text and runs, not noise
}

TEST(Pred1Encoder, ShrinksRepeatedPacket) {
  std::mt19937 rng(4);
  Bytes info = Text(rng, 1400, kWords);
  auto e = NewEncoder();
  Bytes first = EncodeDatagram(*e, 0x0021, info);
  // The second time most octets are guessed (not all: the hash carries
  // over from the previous packet and contexts collide in the table).
  Bytes second = EncodeDatagram(*e, 0x0021, info);
  EXPECT_LT(second.size(), first.size());
  EXPECT_LT(second.size(), 1402u / 3);
}

TEST(Pred1Encoder, DropsWhatTheLengthFieldCannotHold) {
  auto e = NewEncoder();
  Packet p(kPred1MaxLength - 2 + 1);
  EXPECT_EQ(e->Encode(0x0021, p), EncodeResult::kDrop);
  Packet q(kPred1MaxLength - 2);
  EXPECT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  auto d = NewDecoder();
  DecodeResult r = d->Decode(q);
  ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
  EXPECT_EQ(q.size(), kPred1MaxLength - 2);
}

// Encodes "ABABABAB" twice and returns both packets.
std::vector<Bytes> TwoPackets(Encoder& e) {
  return {EncodeDatagram(e, 0x0021, Of("ABABABAB")), EncodeDatagram(e, 0x0021, Of("ABABABAB"))};
}

void ExpectReset(Decoder& d, const Bytes& bytes, std::string_view why) {
  DecodeResult r = DecodeBytes(d, bytes);
  EXPECT_EQ(r.kind, DecodeResult::Kind::kResetNeeded);
  EXPECT_EQ(r.why, why);
}

TEST(Pred1Decoder, BadFcsNeedsReset) {
  auto e = NewEncoder();
  Bytes pkt = TwoPackets(*e)[0];
  pkt[pkt.size() - 1] ^= 0x01;
  auto d = NewDecoder();
  ExpectReset(*d, pkt, "bad FCS");
}

TEST(Pred1Decoder, CorruptDataNeedsReset) {
  auto e = NewEncoder();
  Bytes pkt = TwoPackets(*e)[0];
  pkt[4] ^= 0x10;  // a literal: same length, wrong data
  auto d = NewDecoder();
  ExpectReset(*d, pkt, "bad FCS");
}

TEST(Pred1Decoder, LengthMismatchNeedsReset) {
  auto e = NewEncoder();
  Bytes pkt = TwoPackets(*e)[0];
  pkt[1] = 0x0b;  // says 11, decompresses to 10
  auto d = NewDecoder();
  ExpectReset(*d, pkt, "length mismatch");
  auto d2 = NewDecoder();
  Bytes shorter = TwoPackets(*NewEncoder())[0];
  shorter[1] = 0x09;  // says 9: the data does not fit
  ExpectReset(*d2, shorter, "length mismatch");
  auto d3 = NewDecoder();
  ExpectReset(*d3, Bytes{0x00, 0x05, 0x00, 0x21, 0x01, 0xd8, 0xc1}, "length mismatch");
  auto d4 = NewDecoder();
  ExpectReset(*d4, Bytes{0x80, 0x0a, 0x01}, "short packet");
}

TEST(Pred1Decoder, LostPacketThenResetRecovers) {
  auto e = NewEncoder();
  auto d = NewDecoder();
  std::vector<Bytes> pkts = TwoPackets(*e);
  // The first packet is lost: the second, made with a table the decoder
  // never learnt, fails its FCS.
  ExpectReset(*d, pkts[1], "bad FCS");
  // Until the Reset-Ack everything is refused (history out of step).
  ExpectReset(*d, EncodeDatagram(*e, 0x0021, Of("xyz")), "awaiting Reset-Ack");
  // CCP: our Reset-Request reaches the peer's Encoder, its Reset-Ack ours.
  EXPECT_TRUE(e->ResetRequested());
  d->ResetAcked();
  for (const Bytes& b : TwoPackets(*e)) {
    Packet p = Packet::Copy(b);
    DecodeResult r = d->Decode(p);
    ASSERT_EQ(r.kind, DecodeResult::Kind::kOk) << r.why;
    EXPECT_EQ(ToBytes(p), Of("ABABABAB"));
  }
}

TEST(Pred1Decoder, ResetEncoderStartsFromEmptyTable) {
  auto e = NewEncoder();
  Bytes first = TwoPackets(*e)[0];
  EXPECT_TRUE(e->ResetRequested());
  // After the reset the encoder produces the fresh-table packet again.
  EXPECT_EQ(EncodeDatagram(*e, 0x0021, Of("ABABABAB")), first);
}

TEST(Pred1Decoder, NoProtocolFieldIsDropped) {
  // Length 0, uncompressed: the FCS of 00 00 alone.
  Bytes lf = {0x00, 0x00};
  uint16_t fcs = static_cast<uint16_t>(~PppFcs16(kPppInitFcs16, lf));
  auto d = NewDecoder();
  Packet p =
      Packet::Copy(Bytes{0x00, 0x00, static_cast<uint8_t>(fcs), static_cast<uint8_t>(fcs >> 8)});
  DecodeResult r = d->Decode(p);
  EXPECT_EQ(r.kind, DecodeResult::Kind::kDrop);
  EXPECT_EQ(r.why, "no protocol field");
}

TEST(Pred1Decoder, HostileInputsStayInBounds) {
  // Random datagrams: every answer is a value, never a crash (ASan build).
  std::mt19937 rng(5);
  auto d = NewDecoder();
  int ok = 0;
  for (int i = 0; i < 2000; ++i) {
    Packet p = Packet::Copy(Random(rng, rng() % 64));
    if (d->Decode(p).kind == DecodeResult::Kind::kOk) ++ok;
    d->ResetAcked();
  }
  EXPECT_LT(ok, 10);  // a random FCS matches 1 time in 65536
}

}  // namespace
}  // namespace mlppp::ppp::ccp
