// PPP Deflate (RFC 1979): round trips, cross-checks against zlib's own raw
// deflate/inflate (so the wire format is not only checked against itself),
// the incompressible path, resets and hostile packets.
#include "ppp/ccp/deflate.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string_view>
#include <vector>

#include "ppp/ccp_data.h"

namespace mlppp::ppp::ccp {
namespace {

using Kind = DecodeResult::Kind;

std::unique_ptr<Encoder> NewEncoder(int window_bits = 15) {
  auto r = MakeDeflateEncoder({.window_bits = window_bits});
  EXPECT_TRUE(r.ok()) << r.error();
  return std::move(r.value());
}
std::unique_ptr<Decoder> NewDecoder(int window_bits = 15, size_t max_info = kDeflateMaxInfo) {
  auto r = MakeDeflateDecoder({.window_bits = window_bits, .max_info = max_info});
  EXPECT_TRUE(r.ok()) << r.error();
  return std::move(r.value());
}

constexpr std::string_view kWords[] = {
    "GET ",  "/index.html ", "HTTP/1.1\r\n", "Host: ", "example.org", "\r\n",   "Accept: ",
    "text/", "html",         "plain",        "the ",   "quick ",      "brown ", "fox "};

// A raw inflate of zlib's own, independent of our Decoder.
class ZlibInflater {
 public:
  explicit ZlibInflater(int window_bits) { EXPECT_EQ(inflateInit2(&s_, -window_bits), Z_OK); }
  ~ZlibInflater() { inflateEnd(&s_); }
  Bytes Inflate(Bytes in) {
    Bytes out(70000);
    s_.next_in = in.data();
    s_.avail_in = static_cast<uInt>(in.size());
    s_.next_out = out.data();
    s_.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&s_, Z_SYNC_FLUSH), Z_OK);
    EXPECT_EQ(s_.avail_in, 0u);
    out.resize(out.size() - s_.avail_out);
    return out;
  }

 private:
  z_stream s_{};
};

// A raw deflate of zlib's own, making packets as Linux z_compress does.
class ZlibDeflater {
 public:
  explicit ZlibDeflater(int window_bits) {
    EXPECT_EQ(deflateInit2(&s_, 6, Z_DEFLATED, -window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  }
  ~ZlibDeflater() { deflateEnd(&s_); }
  // Returns the deflate data of `in` with a sync flush, trailing
  // 00 00 ff ff kept or removed.
  Bytes Deflate(Bytes in, bool strip = true) {
    Bytes out(in.size() * 2 + 64);
    s_.next_in = in.data();
    s_.avail_in = static_cast<uInt>(in.size());
    s_.next_out = out.data();
    s_.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&s_, Z_SYNC_FLUSH), Z_OK);
    out.resize(out.size() - s_.avail_out);
    EXPECT_EQ(Bytes(out.end() - 4, out.end()), (Bytes{0x00, 0x00, 0xff, 0xff}));
    if (strip) out.resize(out.size() - 4);
    return out;
  }

 private:
  z_stream s_{};
};

Bytes WithSeq(uint16_t seq, const Bytes& data) {
  Bytes b = {static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)};
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(DeflateParams, Validated) {
  EXPECT_FALSE(MakeDeflateEncoder({.window_bits = 8}).ok());
  EXPECT_FALSE(MakeDeflateEncoder({.window_bits = 16}).ok());
  EXPECT_FALSE(MakeDeflateEncoder({.window_bits = 15, .level = 10}).ok());
  EXPECT_FALSE(MakeDeflateDecoder({.window_bits = 8}).ok());
  EXPECT_FALSE(MakeDeflateDecoder({.window_bits = 15, .max_info = 0}).ok());
  EXPECT_FALSE(MakeDeflateDecoder({.window_bits = 15, .max_info = 65536}).ok());
  EXPECT_TRUE(MakeDeflateEncoder({.window_bits = 9}).ok());
  EXPECT_TRUE(MakeDeflateDecoder({.window_bits = 9}).ok());
}

TEST(DeflateDecoder, HandBuiltStoredBlock) {
  // Sequence 0000, then raw deflate data built by hand (RFC 1951 §3.2.4):
  //   00           BFINAL 0, BTYPE 00 (stored), padding
  //   03 00 fc ff  LEN 3, NLEN ~3
  //   21 41 42     protocol 0x21 (PFC form) and "AB"
  //   00           the sync flush's stored-block header, LEN/NLEN removed
  auto d = NewDecoder();
  Bytes out;
  DecodeResult r =
      DecodeBytes(*d, {0x00, 0x00, 0x00, 0x03, 0x00, 0xfc, 0xff, 0x21, 0x41, 0x42, 0x00}, &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(r.protocol, 0x0021);
  EXPECT_EQ(out, Of("AB"));
  // Sequence 0001, a two-octet protocol field (00 57, IPv6) and "C".
  r = DecodeBytes(*d, {0x00, 0x01, 0x00, 0x03, 0x00, 0xfc, 0xff, 0x00, 0x57, 0x43, 0x00}, &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(r.protocol, 0x0057);
  EXPECT_EQ(out, Of("C"));
}

// Encodes `info` and checks the result against an independent inflater:
// sequence numbers count up and the data inflates to protocol + info.
TEST(DeflateEncoder, OurStreamInflatesWithZlib) {
  for (int wbits : {9, 12, 15}) {
    std::mt19937 rng(static_cast<unsigned>(wbits));
    auto e = NewEncoder(wbits);
    ZlibInflater z(wbits);
    size_t in_bytes = 0, out_bytes = 0;
    for (uint16_t seq = 0; seq < 300; ++seq) {
      Bytes info = Text(rng, 40 + rng() % 1400, kWords);
      uint16_t protocol = seq % 3 == 0 ? 0x0281 : seq % 3 == 1 ? 0x0057 : 0x0021;
      Packet p = Packet::Copy(info);
      ASSERT_EQ(e->Encode(protocol, p), EncodeResult::kDatagram) << "window " << wbits;
      Bytes wire = ToBytes(p);
      ASSERT_GE(wire.size(), 3u);
      EXPECT_EQ(wire[0] << 8 | wire[1], seq);
      // Linux z_compress: the protocol goes in as one octet when it can.
      Bytes expect = protocol == 0x0281 ? Bytes{0x02, 0x81} : Bytes{static_cast<uint8_t>(protocol)};
      expect.insert(expect.end(), info.begin(), info.end());
      Bytes data(wire.begin() + 2, wire.end());
      ASSERT_EQ(z.Inflate(Concat(data, {0x00, 0x00, 0xff, 0xff})), expect);
      in_bytes += info.size();
      out_bytes += wire.size();
    }
    EXPECT_LT(out_bytes * 2, in_bytes) << "window " << wbits;  // text shrinks well
  }
}

TEST(DeflateDecoder, DecodesZlibRawDeflate) {
  for (int wbits : {9, 15}) {
    std::mt19937 rng(static_cast<unsigned>(100 + wbits));
    ZlibDeflater z(wbits);
    auto d = NewDecoder(wbits);
    for (uint16_t seq = 0; seq < 200; ++seq) {
      Bytes info = seq % 5 == 4 ? Random(rng, 300) : Text(rng, rng() % 1500, kWords);
      // Both protocol forms, and a sender that keeps the flush's tail.
      Bytes proto = seq % 2 ? Bytes{0x21} : Bytes{0x00, 0x21};
      Bytes wire = WithSeq(seq, z.Deflate(Concat(proto, info), /*strip=*/seq % 7 != 6));
      Bytes out;
      DecodeResult r = DecodeBytes(*d, wire, &out);
      ASSERT_EQ(r.kind, Kind::kOk) << r.why << " window " << wbits << " seq " << seq;
      EXPECT_EQ(r.protocol, 0x0021);
      ASSERT_EQ(out, info);
    }
  }
}

TEST(DeflateRoundTrip, ManyPacketsBothWindows) {
  for (int wbits : {9, 15}) {
    std::mt19937 rng(static_cast<unsigned>(200 + wbits));
    auto e = NewEncoder(wbits);
    auto d = NewDecoder(wbits);
    int datagrams = 0, uncompressed = 0;
    for (int i = 0; i < 500; ++i) {
      Bytes info;
      switch (i % 4) {
        case 0:
          info = Text(rng, rng() % 1500, kWords);
          break;
        case 1:
          info = Random(rng, rng() % 1500);
          break;
        case 2:
          info = Bytes(rng() % 3000, static_cast<uint8_t>(i));
          break;
        case 3:
          info = Concat(Text(rng, 700, kWords), Random(rng, 700));
          break;
      }
      uint16_t protocol = i % 5 == 0 ? 0x0281 : i % 5 == 1 ? 0x0057 : 0x0021;
      Packet p = Packet::Copy(info);
      EncodeResult er = e->Encode(protocol, p);
      if (er == EncodeResult::kUncompressed) {
        ++uncompressed;
        ASSERT_EQ(ToBytes(p), info);  // untouched
        d->Incompressible(protocol, p.span());
        continue;
      }
      ASSERT_EQ(er, EncodeResult::kDatagram);
      ++datagrams;
      EXPECT_LT(p.size(), info.size());
      DecodeResult r = d->Decode(p);
      ASSERT_EQ(r.kind, Kind::kOk) << r.why << " packet " << i;
      EXPECT_EQ(r.protocol, protocol);
      ASSERT_EQ(ToBytes(p), info);
    }
    EXPECT_GT(datagrams, 250);
    EXPECT_GT(uncompressed, 50);
  }
}

TEST(DeflateEncoder, IncompressibleEntersBothHistories) {
  std::mt19937 rng(7);
  Bytes noise = Random(rng, 1000);
  auto e = NewEncoder();
  auto d = NewDecoder();
  Packet p = Packet::Copy(noise);
  ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kUncompressed);
  EXPECT_EQ(ToBytes(p), noise);
  d->Incompressible(0x0021, p.span());
  // The same noise again is now a back-reference into the history: it
  // compresses, and decodes only because Incompressible() added it.
  Packet q = Packet::Copy(noise);
  ASSERT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  EXPECT_LT(q.size(), 100u);
  EXPECT_EQ(q.span()[1], 1);  // sequence 1: the uncompressed packet used 0
  Bytes wire = ToBytes(q);
  DecodeResult r = d->Decode(q);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(ToBytes(q), noise);

  // A decoder that never saw the uncompressed packet is out of step.
  auto blind = NewDecoder();
  Bytes out;
  EXPECT_EQ(DecodeBytes(*blind, wire, &out).kind, Kind::kResetNeeded);
}

TEST(DeflateEncoder, IncompressibleMatchesZlibDictionary) {
  // Independent check of the history an uncompressed packet leaves: zlib's
  // inflater given the same octets as a dictionary decodes what follows.
  std::mt19937 rng(8);
  Bytes noise = Random(rng, 600);
  auto e = NewEncoder();
  Packet p = Packet::Copy(noise);
  ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kUncompressed);
  Packet q = Packet::Copy(noise);
  ASSERT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  z_stream s{};
  ASSERT_EQ(inflateInit2(&s, -15), Z_OK);
  Bytes dict = Concat({0x21}, noise);
  ASSERT_EQ(inflateSetDictionary(&s, dict.data(), static_cast<uInt>(dict.size())), Z_OK);
  Bytes in = Concat(Bytes(q.span().begin() + 2, q.span().end()), {0x00, 0x00, 0xff, 0xff});
  Bytes out(2000);
  s.next_in = in.data();
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&s, Z_SYNC_FLUSH), Z_OK);
  out.resize(out.size() - s.avail_out);
  inflateEnd(&s);
  EXPECT_EQ(out, dict);
}

TEST(DeflateEncoder, ControlProtocolsBypassTheStream) {
  auto e = NewEncoder();
  auto d = NewDecoder();
  Bytes lcp = Bytes(200, 0x55);
  Packet p = Packet::Copy(lcp);
  EXPECT_EQ(e->Encode(0xc021, p), EncodeResult::kUncompressed);
  EXPECT_EQ(ToBytes(p), lcp);
  d->Incompressible(0xc021, p.span());  // ignored, as on the sending side
  Packet q = Packet::Copy(Bytes(200, 0x55));
  ASSERT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  EXPECT_EQ(q.span()[0] << 8 | q.span()[1], 0);  // no sequence number was used
  DecodeResult r = d->Decode(q);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_FALSE(DeflateCoversProtocol(0x00fd));
  EXPECT_FALSE(DeflateCoversProtocol(0x00fb));
  EXPECT_FALSE(DeflateCoversProtocol(0x8021));
  EXPECT_TRUE(DeflateCoversProtocol(0x3fff));
}

// Encodes a run of text packets.
std::vector<Bytes> Encoded(Encoder& e, std::mt19937& rng, int n) {
  std::vector<Bytes> out;
  for (int i = 0; i < n; ++i) {
    Packet p = Packet::Copy(Text(rng, 500, kWords));
    EXPECT_EQ(e.Encode(0x0021, p), EncodeResult::kDatagram);
    out.push_back(ToBytes(p));
  }
  return out;
}

TEST(DeflateDecoder, SequenceGapNeedsResetThenRecovers) {
  std::mt19937 rng(9);
  auto e = NewEncoder();
  auto d = NewDecoder();
  std::vector<Bytes> pkts = Encoded(*e, rng, 4);
  Bytes out;
  ASSERT_EQ(DecodeBytes(*d, pkts[0], &out).kind, Kind::kOk);
  // pkts[1] lost.
  DecodeResult r = DecodeBytes(*d, pkts[2], &out);
  EXPECT_EQ(r.kind, Kind::kResetNeeded);
  EXPECT_EQ(r.why, "bad sequence number");
  // Until Reset-Ack, even a packet that would be in sequence is refused.
  r = DecodeBytes(*d, pkts[1], &out);
  EXPECT_EQ(r.kind, Kind::kResetNeeded);
  EXPECT_EQ(r.why, "awaiting Reset-Ack");
  // Reset-Request to the peer's Encoder, Reset-Ack back to our Decoder.
  EXPECT_TRUE(e->ResetRequested());
  d->ResetAcked();
  std::vector<Bytes> fresh = Encoded(*e, rng, 10);
  EXPECT_EQ(fresh[0][0] << 8 | fresh[0][1], 0);  // sequence restarts at 0
  for (const Bytes& b : fresh) {
    r = DecodeBytes(*d, b, &out);
    ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  }
}

TEST(DeflateDecoder, CorruptDataNeedsReset) {
  std::mt19937 rng(10);
  auto e = NewEncoder();
  std::vector<Bytes> pkts = Encoded(*e, rng, 3);
  int resets = 0;
  for (size_t at = 2; at < pkts[0].size(); ++at) {
    auto d = NewDecoder();
    Bytes bad = pkts[0];
    bad[at] ^= 0xa5;
    Bytes out;
    // A flipped octet either breaks the deflate data (reset) or, rarely,
    // still decodes (the peer's FCS normally catches that before us).
    DecodeResult r = DecodeBytes(*d, bad, &out);
    if (r.kind == Kind::kResetNeeded) ++resets;
  }
  EXPECT_GT(resets, 0);
  auto d = NewDecoder();
  Bytes truncated(pkts[0].begin(), pkts[0].begin() + pkts[0].size() / 2);
  Bytes out;
  EXPECT_EQ(DecodeBytes(*d, truncated, &out).kind, Kind::kResetNeeded);
  auto d2 = NewDecoder();
  EXPECT_EQ(DecodeBytes(*d2, {0x00, 0x00}, &out).why, "short packet");
}

TEST(DeflateDecoder, FinalBlockNeedsReset) {
  // A stream that ends (BFINAL) cannot carry the next packet.
  Bytes info = Of("hello hello hello");
  Bytes data(100);
  z_stream s{};
  ASSERT_EQ(deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes in = Concat({0x21}, info);
  s.next_in = in.data();
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = data.data();
  s.avail_out = static_cast<uInt>(data.size());
  ASSERT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  data.resize(data.size() - s.avail_out);
  deflateEnd(&s);
  auto d = NewDecoder();
  Bytes out;
  EXPECT_EQ(DecodeBytes(*d, WithSeq(0, data), &out).kind, Kind::kResetNeeded);
}

TEST(DeflateDecoder, OutputIsBounded) {
  // 1 MB of zeros deflates to about 1 KB: a decoder must refuse it without
  // producing it all.
  ZlibDeflater z(15);
  Bytes bomb = z.Deflate(Concat({0x21}, Bytes(1 << 20, 0)));
  ASSERT_LT(bomb.size(), 2000u);
  auto d = NewDecoder();
  Bytes out;
  DecodeResult r = DecodeBytes(*d, WithSeq(0, bomb), &out);
  EXPECT_EQ(r.kind, Kind::kResetNeeded);
  EXPECT_EQ(r.why, "longer than max_info");

  // A smaller limit: exactly max_info passes, one more does not.
  ZlibDeflater z2(15);
  auto d2 = NewDecoder(15, 100);
  r = DecodeBytes(*d2, WithSeq(0, z2.Deflate(Concat({0x21}, Bytes(100, 7)))), &out);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(out.size(), 100u);
  r = DecodeBytes(*d2, WithSeq(1, z2.Deflate(Concat({0x00, 0x21}, Bytes(101, 7)))), &out);
  EXPECT_EQ(r.kind, Kind::kResetNeeded);
}

TEST(DeflateDecoder, WindowSizeMatters) {
  // A back-reference further than 512 octets, legal in a 2^15 window, is an
  // error for a 2^9 decoder: the window setting really reaches zlib.
  std::mt19937 rng(11);
  Bytes first = Random(rng, 1200);
  auto e = NewEncoder(15);
  Packet p = Packet::Copy(first);
  ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kUncompressed);
  Packet q = Packet::Copy(first);
  ASSERT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  Bytes wire = ToBytes(q);
  for (int wbits : {9, 15}) {
    auto d = NewDecoder(wbits);
    d->Incompressible(0x0021, first);
    Bytes out;
    DecodeResult r = DecodeBytes(*d, wire, &out);
    EXPECT_EQ(r.kind, wbits == 15 ? Kind::kOk : Kind::kResetNeeded) << "window " << wbits;
  }
}

TEST(DeflateDecoder, HostileInputsStayInBounds) {
  std::mt19937 rng(12);
  auto d = NewDecoder();
  for (int i = 0; i < 3000; ++i) {
    Bytes junk = Random(rng, rng() % 200);
    if (junk.size() >= 2) junk[0] = junk[1] = 0;  // sequence 0: reach inflate
    Bytes out;
    DecodeResult r = DecodeBytes(*d, junk, &out);
    if (r.kind == Kind::kOk) {
      EXPECT_LE(out.size(), kDeflateMaxInfo);
    }
    d->ResetAcked();
  }
}

}  // namespace
}  // namespace mlppp::ppp::ccp
