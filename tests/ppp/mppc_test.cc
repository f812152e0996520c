// MPPC (RFC 2118): hand-checked bit vectors for the encoding of §4, the
// A/B/C flag semantics of §3.1 as FreeBSD's ng_mppc has them, round trips
// through one compressor/decompressor pair, and corrupt input.
#include "ppp/ccp/mppc.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ppp/ccp_data.h"

namespace mlppp::ppp::ccp {
namespace {

// Packs a string of '0'/'1' (spaces ignored) MSB first, zero-padding the
// last octet: the wire form RFC 2118 §4 describes.
Bytes Bits(std::string_view s) {
  Bytes out;
  int n = 0;
  for (char c : s) {
    if (c == ' ') continue;
    if (n % 8 == 0) out.push_back(0);
    if (c == '1') out.back() |= static_cast<uint8_t>(0x80 >> (n % 8));
    ++n;
  }
  return out;
}

std::string Binary(uint32_t v, int width) {
  std::string s;
  for (int i = width - 1; i >= 0; --i) s += ((v >> i) & 1) ? '1' : '0';
  return s;
}

// RFC 2118 §4.1, written out independently of the coder.
std::string LiteralBits(uint8_t c) { return c < 0x80 ? Binary(c, 8) : "10" + Binary(c & 0x7f, 7); }

// --- Compressor bit vectors -------------------------------------------------

TEST(MppcCompress, LiteralsThenOneShortCopy) {
  MppcCompressor c;
  Bytes out;
  // 'a' 'b' 'c' as 8-bit literals, then "abc" again: offset 3 is
  // '1111' + '000011', length 3 is '0'; 35 bits, padded to 40.
  //   01100001 01100010 01100011 11110000 11|000000
  uint8_t flags = c.Compress(Of("abcabc"), out);
  EXPECT_EQ(flags, kMppcFlushed | kMppcCompressed);  // first packet carries A
  EXPECT_EQ(out, (Bytes{0x61, 0x62, 0x63, 0xf0, 0xc0}));
}

TEST(MppcCompress, OverlappingCopyLength12) {
  MppcCompressor c;
  Bytes out;
  // Six literals, then offset 6 ('1111 000110') length 12 ('110' + '100'):
  // the copy overlaps its own output. 64 bits exactly.
  c.Compress(Of("abcdefabcdefabcdef"), out);
  EXPECT_EQ(out, (Bytes{0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0xf1, 0xb4}));
}

TEST(MppcCompress, HighLiteralsAreNineBits) {
  MppcCompressor c;
  Bytes out;
  // 0xff = '10' '1111111', 0x80 = '10' '0000000', then offset 2
  // ('1111 000010') length 6 ('10' '10'):
  //   10111111 11000000 00111100 00101010
  c.Compress(Bytes{0xff, 0x80, 0xff, 0x80, 0xff, 0x80, 0xff, 0x80}, out);
  EXPECT_EQ(out, (Bytes{0xbf, 0xc0, 0x3c, 0x2a}));
}

TEST(MppcCompress, Length300) {
  MppcCompressor c;
  Bytes out;
  // 'a', then offset 1 length 300: '11111110' + 8 bits of 300-256 = 44.
  c.Compress(Bytes(301, 'a'), out);
  EXPECT_EQ(out, Bits("01100001 1111000001 11111110 00101100"));
}

TEST(MppcCompress, LongestPacketRestartsAndNeverEndsOnTheLastOctet) {
  MppcCompressor c;
  Bytes out;
  // 8192 octets fill the history: B. The copy stops one short of the end
  // (FreeBSD's decompressor rejects a copy ending on the last octet), so:
  // 'a', offset 1 length 8190 ('111111111110' + 12 bits of 8190-4096), 'a'.
  uint8_t flags = c.Compress(Bytes(8192, 'a'), out);
  EXPECT_EQ(flags, kMppcFlushed | kMppcAtFront | kMppcCompressed);
  EXPECT_EQ(out, Bits("01100001 1111000001 111111111110 111111111110 01100001"));
}

TEST(MppcCompress, OffsetClass64To319) {
  MppcCompressor c;
  Bytes in;
  for (int i = 0; i < 100; ++i) in.push_back(static_cast<uint8_t>(i));  // no repeated 3-gram
  for (int i = 0; i < 10; ++i) in.push_back(static_cast<uint8_t>(i));
  std::string bits;
  for (int i = 0; i < 100; ++i) bits += LiteralBits(static_cast<uint8_t>(i));
  bits += "1110" + Binary(100 - 64, 8);  // offset 100
  bits += "110" + Binary(10 - 8, 3);     // length 10
  Bytes out;
  c.Compress(in, out);
  EXPECT_EQ(out, Bits(bits));
}

TEST(MppcCompress, OffsetClass320To8191AcrossPackets) {
  MppcCompressor c;
  std::mt19937 rng(7);
  Bytes first;
  for (int i = 0; i < 400; ++i) first.push_back(static_cast<uint8_t>(rng() & 0x7f));
  // A repeat of octets 100..119 makes the packet a little smaller than
  // itself (400 literals of 8 bits alone would not be).
  first.insert(first.end(), first.begin() + 100, first.begin() + 120);
  Bytes out;
  ASSERT_EQ(c.Compress(first, out), kMppcFlushed | kMppcCompressed);
  // The next packet goes on at 420: 'Z', then octets 10..14 of the first
  // packet from 421, 411 back; then "ZZZ", which has no earlier copy.
  Bytes second{'Z', first[10], first[11], first[12], first[13], first[14], 'Z', 'Z', 'Z'};
  // Offset 411: '110' + 13 bits of 411-320; length 5: '10' '01'.
  std::string bits = LiteralBits('Z') + "110" + Binary(411 - 320, 13) + "1001" + LiteralBits('Z') +
                     LiteralBits('Z') + LiteralBits('Z');
  EXPECT_EQ(c.Compress(second, out), kMppcCompressed);
  EXPECT_EQ(out, Bits(bits));
}

// --- Decompressor bit vectors -----------------------------------------------

TEST(MppcDecompress, HandVectors) {
  MppcDecompressor d;
  Bytes out;
  ASSERT_TRUE(
      d.Decompress(Bytes{0x61, 0x62, 0x63, 0xf0, 0xc0}, kMppcFlushed | kMppcCompressed, out));
  EXPECT_EQ(out, Of("abcabc"));
  ASSERT_TRUE(d.Decompress(Bytes{0xbf, 0xc0, 0x3c, 0x2a}, kMppcFlushed | kMppcCompressed, out));
  EXPECT_EQ(out, (Bytes{0xff, 0x80, 0xff, 0x80, 0xff, 0x80, 0xff, 0x80}));
  // Length 4096..8191: 'a', offset 1, length 8191 fills the history exactly.
  ASSERT_TRUE(d.Decompress(Bits("01100001 1111000001 111111111110 111111111111"),
                           kMppcFlushed | kMppcCompressed, out));
  EXPECT_EQ(out, Bytes(8192, 'a'));
}

TEST(MppcDecompress, EveryLengthClass) {
  // 'q', then offset 1 with each length class's smallest and largest.
  for (uint32_t len : {3u,   4u,   7u,   8u,   15u,   16u,   31u,   32u,   63u,   64u,   127u, 128u,
                       255u, 256u, 511u, 512u, 1023u, 1024u, 2047u, 2048u, 4095u, 4096u, 8191u}) {
    std::string bits = LiteralBits('q') + "1111" + Binary(1, 6);
    if (len == 3) {
      bits += "0";
    } else {
      int k = 0;
      while ((2u << k) <= len) ++k;  // 2^k <= len < 2^(k+1)
      bits += std::string(k - 1, '1') + "0" + Binary(len - (1u << k), k);
    }
    MppcDecompressor d;
    Bytes out;
    ASSERT_TRUE(d.Decompress(Bits(bits), kMppcFlushed | kMppcCompressed, out)) << len;
    EXPECT_EQ(out, Bytes(len + 1, 'q')) << len;
  }
}

TEST(MppcDecompress, OffsetClassesAcrossPackets) {
  MppcDecompressor d;
  Bytes out;
  // Octets below 0x80 are their own 8-bit literals, so plain text decodes
  // to itself: 400 octets of history.
  Bytes first;
  for (int i = 0; i < 400; ++i) first.push_back(static_cast<uint8_t>(i % 97));
  ASSERT_TRUE(d.Decompress(first, kMppcFlushed | kMppcCompressed, out));
  EXPECT_EQ(out, first);
  // Offset 400 back ('110' + 13 bits of 80), length 5; offset 100 back
  // from 405 ('1110' + 8 bits of 36), length 3; offset 8 ('1111 001000')
  // length 4 ('10' '00').
  ASSERT_TRUE(d.Decompress(
      Bits("110" + Binary(80, 13) + "1001" + "1110" + Binary(36, 8) + "0" + "1111001000" + "1000"),
      kMppcCompressed, out));
  Bytes want{first[0], first[1], first[2], first[3], first[4], first[305], first[306], first[307]};
  for (int i = 0; i < 4; ++i) want.push_back(want[i]);
  EXPECT_EQ(out, want);
}

TEST(MppcDecompress, UncompressedPacketStaysOutOfTheHistory) {
  MppcDecompressor d;
  Bytes out;
  ASSERT_TRUE(d.Decompress(Of("hello"), kMppcFlushed | kMppcCompressed, out));
  ASSERT_TRUE(d.Decompress(Of("XXXXXXXX"), 0, out));  // C clear: passed through
  EXPECT_EQ(out, Of("XXXXXXXX"));
  // Offset 5, length 3: "hel" only if "XXXXXXXX" did not enter the history.
  ASSERT_TRUE(d.Decompress(Bits("1111000101 0"), kMppcCompressed, out));
  EXPECT_EQ(out, Of("hel"));
}

TEST(MppcDecompress, FlushResetsAndAtFrontPlacesAtTheStart) {
  MppcDecompressor d;
  Bytes out;
  ASSERT_TRUE(d.Decompress(Of("abcdefgh"), kMppcFlushed | kMppcCompressed, out));
  // B: "xyz" goes to the front; offset 3 then finds "xyz", not "fgh".
  ASSERT_TRUE(d.Decompress(Of("xyz"), kMppcAtFront | kMppcCompressed, out));
  ASSERT_TRUE(d.Decompress(Bits("1111000011 0"), kMppcCompressed, out));
  EXPECT_EQ(out, Of("xyz"));
  // A: the history is zeros again; a reference to it reads zeros.
  ASSERT_TRUE(d.Decompress(Of("k"), kMppcFlushed | kMppcCompressed, out));
  ASSERT_TRUE(d.Decompress(Bits("1111000010 0"), kMppcCompressed, out));
  EXPECT_EQ(out, (Bytes{0, 'k', 0}));
}

TEST(MppcDecompress, OffsetReachesAroundIntoThePreviousPass) {
  // After B, FreeBSD's compressor refers back past the front into the end
  // of the previous pass (mppc.h). Model: one 8192-octet ring.
  MppcDecompressor d;
  Bytes out;
  Bytes pass1(8190);
  for (size_t i = 0; i < pass1.size(); ++i) pass1[i] = static_cast<uint8_t>('A' + i % 23);
  ASSERT_TRUE(d.Decompress(pass1, kMppcFlushed | kMppcCompressed, out));
  // 'x' 'y' at 0 and 1, then offset 60 length 70 from 2: starts at 8134,
  // runs to the end of the ring (8190, 8191 never written: zeros) and
  // continues at the front.
  Bytes ring(8192, 0);
  std::copy(pass1.begin(), pass1.end(), ring.begin());
  ring[0] = 'x';
  ring[1] = 'y';
  for (size_t i = 0; i < 70; ++i) ring[2 + i] = ring[(2 + i + 8192 - 60) % 8192];
  Bytes want(ring.begin(), ring.begin() + 72);
  ASSERT_TRUE(d.Decompress(Bits(LiteralBits('x') + LiteralBits('y') + "1111" + Binary(60, 6) +
                                "111110" + Binary(70 - 64, 6)),
                           kMppcAtFront | kMppcCompressed, out));
  EXPECT_EQ(out, want);
  EXPECT_EQ(want[2], pass1[8134]);
}

TEST(MppcDecompress, CorruptInputIsRejected) {
  const uint8_t flags = kMppcFlushed | kMppcCompressed;
  Bytes out;
  struct Case {
    const char* what;
    Bytes data;
  } cases[] = {
      {"offset 0", Bits("01100001 1111000000 0")},
      {"offset past 8191", Bits("01100001 110" + std::string(13, '1') + "0")},
      {"twelve-one length", Bits("01100001 1111000001 111111111111 000000000000")},
      {"truncated tuple", Bytes{0x61, 0xf0}},
      {"truncated high literal", Bytes{0x80}},
      {"copy past the history", Bits("01100001 01100001 1111000001 111111111110 111111111111")},
  };
  for (const auto& c : cases) {
    MppcDecompressor d;
    EXPECT_FALSE(d.Decompress(c.data, flags, out)) << c.what;
  }
  // Literals past the end of the history.
  MppcDecompressor d;
  ASSERT_TRUE(d.Decompress(Bytes(8000, 'a'), flags, out));
  EXPECT_FALSE(d.Decompress(Bytes(300, 'a'), kMppcCompressed, out));
  // A flush recovers.
  ASSERT_TRUE(d.Decompress(Of("ok"), flags, out));
  EXPECT_EQ(out, Of("ok"));
}

// --- Round trips ------------------------------------------------------------

const char kEnglish[] =
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the "
    "age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the "
    "season of Light, it was the season of Darkness, it was the spring of hope, it was the winter "
    "of despair, we had everything before us, we had nothing before us, we were all going direct "
    "to Heaven, we were all going direct the other way. ";

// A stream of packets of mixed content: English, HTTP-like headers with
// counters, and now and then random octets.
std::vector<Bytes> MixedPackets(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Bytes> pkts;
  for (size_t i = 0; i < count; ++i) {
    Bytes p;
    size_t len = 40 + rng() % 1460;
    int kind = static_cast<int>(rng() % 4);
    while (p.size() < len) {
      if (kind == 0) {
        std::string h =
            "GET /index" + std::to_string(rng() % 1000) +
            ".html HTTP/1.1\r\nHost: example.org\r\nCookie: id=" + std::to_string(rng()) +
            "\r\n\r\n";
        p.insert(p.end(), h.begin(), h.end());
      } else if (kind == 1) {
        size_t off = rng() % (sizeof kEnglish - 1);
        p.insert(p.end(), kEnglish + off, kEnglish + sizeof kEnglish - 1);
      } else if (kind == 2) {
        p.push_back(static_cast<uint8_t>(rng()));
      } else {
        p.push_back(static_cast<uint8_t>(0x80 + rng() % 4));  // high literals and long runs
      }
    }
    p.resize(len);
    pkts.push_back(std::move(p));
  }
  return pkts;
}

struct Pair {
  MppcCompressor c;
  MppcDecompressor d;
  Bytes wire, back;
  int flushed = 0, at_front = 0, compressed = 0;
  size_t in_bytes = 0, wire_bytes = 0;

  // Compresses and decompresses one packet; returns the flags.
  uint8_t RoundTrip(const Bytes& in) {
    uint8_t flags = c.Compress(in, wire);
    flushed += (flags & kMppcFlushed) != 0;
    at_front += (flags & kMppcAtFront) != 0;
    compressed += (flags & kMppcCompressed) != 0;
    in_bytes += in.size();
    wire_bytes += wire.size();
    EXPECT_TRUE(d.Decompress(wire, flags, back));
    EXPECT_EQ(back, in);
    if (!(flags & kMppcCompressed)) {
      EXPECT_EQ(wire, in);
    } else {
      EXPECT_LT(wire.size(), in.size());
    }
    return flags;
  }
};

TEST(MppcRoundTrip, EnglishAcrossManyHistoryWraps) {
  Pair p;
  std::mt19937 rng(1);
  for (int i = 0; i < 400; ++i) {
    Bytes in;
    size_t len = 200 + rng() % 1300;
    while (in.size() < len) {
      size_t off = rng() % (sizeof kEnglish - 1);
      in.insert(in.end(), kEnglish + off, kEnglish + sizeof kEnglish - 1);
    }
    in.resize(len);
    uint8_t flags = p.RoundTrip(in);
    EXPECT_EQ((flags & kMppcFlushed) != 0, i == 0);
  }
  EXPECT_GT(p.at_front, 30);
  EXPECT_EQ(p.compressed, 400);
  EXPECT_LT(p.wire_bytes * 4, p.in_bytes);  // text this repetitive shrinks well
}

TEST(MppcRoundTrip, PacketAfterAtFrontStillUsesThePreviousPass) {
  // The same 1000 octets again and again: each packet is one copy of the
  // one before, 1000 back. Right after B that copy lies in the previous
  // pass, reached around the end (mppc.h), and the packet is no bigger.
  Pair p;
  Bytes text = Of(kEnglish);
  text.insert(text.end(), text.begin(), text.end());
  text.resize(1000);
  int checked = 0;
  size_t before = 0;
  for (int i = 0; i < 20; ++i) {
    uint8_t flags = p.RoundTrip(text);
    if (i > 1) {
      EXPECT_LE(p.wire.size(), 20u) << i;
      if (flags & kMppcAtFront) {
        EXPECT_EQ(p.wire.size(), before) << i;
        ++checked;
      }
    }
    before = p.wire.size();
  }
  EXPECT_GE(checked, 2);
}

TEST(MppcRoundTrip, IncompressibleIsSentAsIsAndNextPacketCarriesA) {
  Pair p;
  std::mt19937 rng(3);
  const Bytes noise = Random(rng, 1400);
  Bytes text = Of(kEnglish);

  EXPECT_EQ(p.RoundTrip(text), kMppcFlushed | kMppcCompressed);
  EXPECT_EQ(p.RoundTrip(noise), 0);  // C clear, sent as it was
  EXPECT_EQ(p.RoundTrip(text), kMppcFlushed | kMppcCompressed);
  EXPECT_EQ(p.RoundTrip(text), kMppcCompressed);
  EXPECT_EQ(p.RoundTrip(noise), 0);
  EXPECT_EQ(p.RoundTrip(noise), kMppcFlushed);  // still uncompressed; A again
  EXPECT_EQ(p.RoundTrip(text), kMppcFlushed | kMppcCompressed);
}

TEST(MppcRoundTrip, OversizeAndEmptyPacketsGoUncompressed) {
  Pair p;
  EXPECT_EQ(p.RoundTrip(Bytes(8193, 'a')), kMppcFlushed);
  EXPECT_EQ(p.RoundTrip(Bytes{}), kMppcFlushed);
  EXPECT_EQ(p.RoundTrip(Bytes(100, 'a')), kMppcFlushed | kMppcCompressed);
}

TEST(MppcRoundTrip, ResetFlushesTheNextPacket) {
  Pair p;
  Bytes text = Of(kEnglish);
  p.RoundTrip(text);
  EXPECT_EQ(p.RoundTrip(text), kMppcCompressed);
  p.c.Reset();
  // A fresh decompressor (as after a Reset-Request) decodes it alone.
  MppcDecompressor fresh;
  Bytes wire, back;
  uint8_t flags = p.c.Compress(text, wire);
  EXPECT_EQ(flags, kMppcFlushed | kMppcCompressed);
  ASSERT_TRUE(fresh.Decompress(wire, flags, back));
  EXPECT_EQ(back, text);
  ASSERT_TRUE(p.d.Decompress(wire, flags, back));
  EXPECT_EQ(back, text);
  EXPECT_EQ(p.RoundTrip(text), kMppcCompressed);
}

TEST(MppcRoundTrip, MixedContentThroughOnePair) {
  Pair p;
  for (const Bytes& in : MixedPackets(2000, 11)) p.RoundTrip(in);
  EXPECT_GT(p.at_front, 10);
  EXPECT_GT(p.flushed, 10);  // random packets went uncompressed
  EXPECT_GT(p.compressed, 1000);
}

TEST(MppcRoundTrip, RandomLengthsAndAlphabets) {
  Pair p;
  std::mt19937 rng(5);
  for (int i = 0; i < 3000; ++i) {
    size_t len = rng() % 3 == 0 ? rng() % 8193 : rng() % 1600;
    unsigned alphabet = 1 + rng() % 256;
    Bytes in(len);
    for (auto& b : in) b = static_cast<uint8_t>(rng() % alphabet + (rng() % 2) * 0x80);
    p.RoundTrip(in);
    if (rng() % 200 == 0) p.c.Reset();
  }
  EXPECT_GT(p.compressed, 100);
}

TEST(MppcRoundTrip, RandomBytesSurviveACorruptStreamAfterFlush) {
  // Garbage fed to the decompressor never breaks it: the next flushed
  // packet decodes.
  std::mt19937 rng(9);
  MppcDecompressor d;
  Bytes out;
  for (int i = 0; i < 2000; ++i) {
    const Bytes junk = Random(rng, rng() % 2000);
    (void)d.Decompress(junk, static_cast<uint8_t>(rng() & 0xf0), out);
  }
  MppcCompressor c;
  Bytes text = Of(kEnglish), wire;
  uint8_t flags = c.Compress(text, wire);
  ASSERT_TRUE(d.Decompress(wire, flags, out));
  EXPECT_EQ(out, text);
}

}  // namespace
}  // namespace mlppp::ppp::ccp
