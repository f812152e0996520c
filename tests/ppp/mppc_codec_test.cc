#include "ppp/ccp/mppc_codec.h"

#include <gtest/gtest.h>

#include <vector>

#include "aaa/mschap.h"
#include "core/hex_bytes.h"
#include "ppp/ccp/mppc.h"

namespace mlppp::ppp::ccp {
namespace {

using Bytes = std::vector<uint8_t>;
using Kind = DecodeResult::Kind;

using mlppp::testing::Hex;

std::string H(const Packet& p) { return aaa::HexUpper(p.span()); }

// RFC 3079 §3.5.3 SendStartKey128.
const std::array<uint8_t, 16> kStartKey = [] {
  std::array<uint8_t, 16> a{};
  auto b = Hex("8B7CDC149B993A1BA118CB153F56DCCB");
  std::copy_n(b.begin(), 16, a.begin());
  return a;
}();

MppcParams Params(bool compress, int key_bits, bool stateless) {
  MppcParams p;
  p.compress = compress;
  p.key_bits = key_bits;
  p.stateless = stateless;
  p.start_key = kStartKey;
  return p;
}

std::unique_ptr<Encoder> Enc(const MppcParams& p) {
  auto e = MakeMppcEncoder(p);
  EXPECT_TRUE(e.ok()) << e.error();
  return e.ok() ? std::move(*e) : nullptr;
}
std::unique_ptr<Decoder> Dec(const MppcParams& p) {
  auto d = MakeMppcDecoder(p);
  EXPECT_TRUE(d.ok()) << d.error();
  return d.ok() ? std::move(*d) : nullptr;
}

// An IPv4-looking information field: 45 00 00 14 00 01 00 00 40 00.
const Bytes kInfo = Hex("45000014000100004000");

// Deterministic test data: sizes 0..299 (0 only with a protocol), some
// runs of repeated octets so a real MPPC coder has something to find.
Bytes Payload(uint32_t n) {
  uint32_t x = n * 2654435761u + 1;
  Bytes b((n * 37) % 300);
  for (size_t i = 0; i < b.size(); ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b[i] = (i / 8) % 3 == 0 ? static_cast<uint8_t>(i) : static_cast<uint8_t>(x);
  }
  return b;
}

uint16_t Header(const Packet& p) { return static_cast<uint16_t>(p.span()[0] << 8 | p.span()[1]); }

TEST(MppcCodec, RejectsBadParams) {
  EXPECT_FALSE(MakeMppcEncoder(Params(false, 0, false)).ok());
  EXPECT_FALSE(MakeMppcDecoder(Params(false, 0, true)).ok());
  EXPECT_FALSE(MakeMppcEncoder(Params(true, 64, false)).ok());
  EXPECT_FALSE(MakeMppcDecoder(Params(false, 41, false)).ok());
  EXPECT_TRUE(MakeMppcEncoder(Params(true, 0, false)).ok());
  EXPECT_TRUE(MakeMppcDecoder(Params(false, 56, false)).ok());
}

// Byte vectors from an independent Python generator (hashlib SHA-1, RC4
// written out): RFC 3079 §7 initial key, RFC 3078 §7.3 key change, RC4
// over 00 21 || kInfo.
TEST(MppcCodec, FirstEncryptedPacketStateful128) {
  auto e = Enc(Params(false, 128, false));
  Packet p = Packet::Copy(kInfo);
  ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kDatagram);
  // D, count 0, no A (as Linux: the first stateful packet is not flushed),
  // RC4 under SendSessionKey128 405CB2247A7956E6E211007AE27B22D4.
  EXPECT_EQ(H(p), "1000F5C0B563FF11E110019A7DDB");
  Packet q = Packet::Copy(kInfo);
  ASSERT_EQ(e->Encode(0x0021, q), EncodeResult::kDatagram);
  EXPECT_EQ(H(q), "10019FE3A7B8DF7F30BB0D260F62");  // the keystream runs on

  auto d = Dec(Params(false, 128, false));
  auto r = d->Decode(p);
  ASSERT_EQ(r.kind, Kind::kOk) << r.why;
  EXPECT_EQ(r.protocol, 0x0021);
  EXPECT_EQ(aaa::HexUpper(p.span()), "45000014000100004000");
}

TEST(MppcCodec, FirstEncryptedPacketStateless128And40) {
  auto e = Enc(Params(false, 128, true));
  Packet p = Packet::Copy(kInfo);
  ASSERT_EQ(e->Encode(0x0021, p), EncodeResult::kDatagram);
  // A|D: the key changes before every stateless packet, the first too
  // (key 726F10500E2B54135B1B74D7682F0471).
  EXPECT_EQ(H(p), "90007058132BE07B58BBD366C925");

  auto e40 = Enc(Params(false, 40, false));
  Packet s = Packet::Copy(kInfo);
  ASSERT_EQ(e40->Encode(0x0021, s), EncodeResult::kDatagram);
  EXPECT_EQ(H(s), "1000E6D501E55E2166A41BB67FFD");  // key D1269EC49FA62E3E

  auto e40s = Enc(Params(false, 40, true));
  Packet a = Packet::Copy(kInfo), b = Packet::Copy(kInfo);
  e40s->Encode(0x0021, a);
  e40s->Encode(0x0021, b);
  EXPECT_EQ(H(b), "9001F2031B6C4DED91FBBB5E7FF3");  // two key changes
}

TEST(MppcCodec, FlagPacketRekeysBeforeEncrypting) {
  // RFC 3078 §7.1 as ppp_mppe.c: the packet with count 0xFF is the first
  // under the new key (RC4 restarted), carries A; 0x100 continues it.
  auto e = Enc(Params(false, 128, false));
  for (int i = 0; i < 255; ++i) {
    Packet p = Packet::Copy(kInfo);
    e->Encode(0x0021, p);
    EXPECT_EQ(Header(p), 0x1000 | i);
  }
  Packet flag = Packet::Copy(kInfo), next = Packet::Copy(kInfo);
  e->Encode(0x0021, flag);
  e->Encode(0x0021, next);
  EXPECT_EQ(H(flag), "90FF7058132BE07B58BBD366C925");
  EXPECT_EQ(H(next), "11007F75D0BA69E438D245F5F434");
}

TEST(MppcCodec, ResetRequestFlushesAndRekeys) {
  auto e = Enc(Params(false, 128, false));
  Packet p = Packet::Copy(kInfo), q = Packet::Copy(kInfo), r = Packet::Copy(kInfo);
  e->Encode(0x0021, p);
  EXPECT_FALSE(e->ResetRequested());  // no Reset-Ack (RFC 3078 §8)
  EXPECT_FALSE(e->ResetRequested());  // two requests, one key change
  e->Encode(0x0021, q);
  EXPECT_EQ(H(q), "90017058132BE07B58BBD366C925");
  e->Encode(0x0021, r);
  EXPECT_EQ(Header(r), 0x1002);  // A only once
}

struct Mode {
  bool compress;
  int key_bits;
  bool stateless;
};

std::string ModeName(const Mode& m) {
  return std::string(m.compress ? "mppc" : "") +
         (m.key_bits ? "+mppe" + std::to_string(m.key_bits) : "") +
         (m.stateless ? " stateless" : " stateful");
}

std::vector<Mode> AllModes() {
  std::vector<Mode> modes;
  for (bool compress : {false, true}) {
    for (int bits : {0, 40, 56, 128}) {
      for (bool stateless : {false, true}) {
        if (!compress && bits == 0) continue;
        modes.push_back({compress, bits, stateless});
      }
    }
  }
  return modes;
}

// Sends packet n through the encoder; returns the datagram.
Packet Send(Encoder& e, uint32_t n, uint16_t protocol = 0x0021) {
  Packet p = Packet::Copy(Payload(n));
  EXPECT_EQ(e.Encode(protocol, p), EncodeResult::kDatagram);
  return p;
}

void ExpectDecodes(Decoder& d, Packet p, uint32_t n, uint16_t protocol = 0x0021) {
  auto r = d.Decode(p);
  ASSERT_EQ(r.kind, Kind::kOk) << "packet " << n << ": " << r.why;
  EXPECT_EQ(r.protocol, protocol);
  EXPECT_EQ(Bytes(p.span().begin(), p.span().end()), Payload(n)) << "packet " << n;
}

TEST(MppcCodec, RoundTripEveryMode) {
  // 4,500 packets: 17 flag points and the 4096 wrap of the count.
  for (const Mode& m : AllModes()) {
    SCOPED_TRACE(ModeName(m));
    auto p = Params(m.compress, m.key_bits, m.stateless);
    auto e = Enc(p);
    auto d = Dec(p);
    for (uint32_t n = 0; n < 4500; ++n) {
      uint16_t proto = n % 5 == 0 ? 0x0057 : 0x0021;
      Packet pkt = Send(*e, n, proto);
      uint16_t h = Header(pkt);
      ASSERT_EQ(h & kMppcCoherencyMask, n % 4096);
      EXPECT_EQ(bool(h & 0x1000), m.key_bits != 0);
      if (m.stateless || (m.key_bits && (n & 0xFF) == 0xFF)) {
        EXPECT_TRUE(h & 0x8000) << n;
      }
      if (m.key_bits && !m.compress && !m.stateless && (n & 0xFF) != 0xFF) {
        EXPECT_FALSE(h & 0x8000) << n;
      }
      ExpectDecodes(*d, std::move(pkt), n, proto);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(MppcCodec, EncryptedPayloadDiffersFromPlain) {
  auto e = Enc(Params(false, 56, false));
  Packet p = Send(*e, 7);
  Bytes plain = {0x00, 0x21};
  auto data = Payload(7);
  plain.insert(plain.end(), data.begin(), data.end());
  ASSERT_EQ(p.size(), plain.size() + 2);
  EXPECT_NE(Bytes(p.span().begin() + 2, p.span().end()), plain);
}

// Stateful loss: drop `lost` packets after `from`; the decoder asks for a
// reset, discards until the encoder's flushed packet, then goes on.
void StatefulLoss(const Mode& m, uint32_t from, uint32_t lost) {
  SCOPED_TRACE(ModeName(m) + " lose " + std::to_string(lost) + " at " + std::to_string(from));
  auto p = Params(m.compress, m.key_bits, false);
  auto e = Enc(p);
  auto d = Dec(p);
  uint32_t n = 0;
  for (; n < from; ++n) ExpectDecodes(*d, Send(*e, n), n);
  for (; n < from + lost; ++n) (void)Send(*e, n);
  // The next packet shows the gap (unless it happens to carry A).
  Packet gap = Send(*e, n);
  if (Header(gap) & 0x8000) {
    ExpectDecodes(*d, std::move(gap), n);
    return;
  }
  auto r = d->Decode(gap);
  EXPECT_EQ(r.kind, Kind::kResetNeeded);
  ++n;
  // More packets before the Reset-Request reaches the peer: discarded.
  for (int i = 0; i < 3; ++i, ++n) {
    Packet q = Send(*e, n);
    if (Header(q) & 0x8000) break;  // a flag packet resynchronises too
    EXPECT_EQ(d->Decode(q).kind, Kind::kDrop);
  }
  e->ResetRequested();
  Packet flushed = Send(*e, n);
  EXPECT_TRUE(Header(flushed) & 0x8000);
  ExpectDecodes(*d, std::move(flushed), n);
  for (uint32_t end = n + 600; ++n < end;) ExpectDecodes(*d, Send(*e, n), n);
}

TEST(MppcCodec, StatefulLossNeedsReset) {
  for (const Mode& m : AllModes()) {
    if (m.stateless) continue;
    StatefulLoss(m, 10, 1);
    StatefulLoss(m, 250, 10);   // loses the flag packet 0xFF
    StatefulLoss(m, 100, 700);  // several flag packets
    StatefulLoss(m, 4090, 20);  // across the wrap
  }
}

TEST(MppcCodec, MppcMppeSurvivesLostResetAnswer) {
  // MPPC with stateful MPPE: a lost flushed packet (here the answer to a
  // Reset-Request) restarts RC4 but changes no key, so the next flushed
  // packet still resynchronises.
  auto p = Params(true, 128, false);
  auto e = Enc(p);
  auto d = Dec(p);
  uint32_t n = 0;
  for (; n < 20; ++n) ExpectDecodes(*d, Send(*e, n), n);
  e->ResetRequested();
  Packet lost = Send(*e, n++);
  EXPECT_TRUE(Header(lost) & 0x8000);
  Packet gap = Send(*e, n++);
  if (!(Header(gap) & 0x8000)) {
    EXPECT_EQ(d->Decode(gap).kind, Kind::kResetNeeded);
  }
  e->ResetRequested();
  for (uint32_t end = n + 300; n < end; ++n) ExpectDecodes(*d, Send(*e, n), n);
}

TEST(MppcCodec, StatefulDiscardAsksAgain) {
  // With the Reset-Request lost, the decoder asks again every 32 discarded
  // packets (there is no clock in the codec).
  auto p = Params(false, 128, false);
  auto e = Enc(p);
  auto d = Dec(p);
  ExpectDecodes(*d, Send(*e, 0), 0);
  (void)Send(*e, 1);
  Packet gap = Send(*e, 2);
  EXPECT_EQ(d->Decode(gap).kind, Kind::kResetNeeded);
  int resets = 0;
  for (uint32_t n = 3; n < 3 + 64; ++n) {
    Packet q = Send(*e, n);
    if (d->Decode(q).kind == Kind::kResetNeeded) ++resets;
  }
  EXPECT_EQ(resets, 2);
}

TEST(MppcCodec, StatelessCatchUpIsPaidFromABoundedBudget) {
  // Each key change is a SHA-1 and an RC4 set-up: a count jump is allowed
  // only as far as the budget (refilled by 8 per arriving packet) reaches.
  auto p = Params(false, 128, true);
  auto e = Enc(p);
  auto d = Dec(p);
  ExpectDecodes(*d, Send(*e, 0), 0);
  for (uint32_t n = 1; n < 1500; ++n) (void)Send(*e, n);
  ExpectDecodes(*d, Send(*e, 1500), 1500);  // 1500 key changes: within the budget
  for (uint32_t n = 1501; n < 3000; ++n) (void)Send(*e, n);
  Packet far = Send(*e, 3000);
  auto r = d->Decode(far);  // another 1500 at once: over what is left
  EXPECT_EQ(r.kind, Kind::kDrop);
  uint32_t n = 3001;
  for (; n < 3400; ++n) {
    Packet q = Send(*e, n);
    if (d->Decode(q).kind == Kind::kOk) break;
  }
  // Caught up after about (1501 - 564) / 8 packets, not at once.
  EXPECT_GT(n, 3100u);
  EXPECT_LT(n, 3400u);
  ExpectDecodes(*d, Send(*e, n + 1), n + 1);
}

TEST(MppcCodec, StatelessRecoversAlone) {
  for (const Mode& m : AllModes()) {
    if (!m.stateless) continue;
    SCOPED_TRACE(ModeName(m));
    auto p = Params(m.compress, m.key_bits, true);
    auto e = Enc(p);
    auto d = Dec(p);
    for (uint32_t n = 0; n < 5000; ++n) {
      Packet pkt = Send(*e, n);
      // Lose every 7th packet and a run of 300 in the middle.
      if (n % 7 == 3 || (n >= 1000 && n < 1300)) continue;
      ExpectDecodes(*d, std::move(pkt), n);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(MppcCodec, StatelessDropsReplayWithoutLosingStep) {
  auto p = Params(false, 128, true);
  auto e = Enc(p);
  auto d = Dec(p);
  Packet a = Send(*e, 0);
  Packet copy = a.Clone();
  ExpectDecodes(*d, std::move(a), 0);
  EXPECT_EQ(d->Decode(copy).kind, Kind::kDrop);  // same count again
  Packet b = Send(*e, 1);
  Packet old = b.Clone();
  ExpectDecodes(*d, std::move(b), 1);
  ExpectDecodes(*d, Send(*e, 2), 2);
  EXPECT_EQ(d->Decode(old).kind, Kind::kDrop);  // behind us
  ExpectDecodes(*d, Send(*e, 3), 3);
}

TEST(MppcCodec, DecoderSanityChecks) {
  auto mppe = Params(false, 128, false);
  auto d = Dec(mppe);
  auto decode = [&](Decoder& dec, std::string_view hex) {
    Packet p = Packet::Copy(Hex(hex));
    return dec.Decode(p);
  };
  EXPECT_EQ(decode(*d, "").kind, Kind::kDrop);
  EXPECT_EQ(decode(*d, "10").kind, Kind::kDrop);
  EXPECT_EQ(decode(*d, "0000AABB").kind, Kind::kDrop);  // D missing
  EXPECT_EQ(decode(*d, "300000").kind, Kind::kDrop);    // C without MPPC
  EXPECT_EQ(decode(*d, "10FFAABB").kind, Kind::kDrop);  // flag packet without A
  EXPECT_EQ(decode(*d, "1000AA").kind, Kind::kDrop);    // payload under 2 octets
  // None of that moved the state: the real first packet still decodes.
  auto e = Enc(mppe);
  ExpectDecodes(*d, Send(*e, 0), 0);

  auto stateless = Dec(Params(false, 40, true));
  EXPECT_EQ(decode(*stateless, "1000AABBCC").kind, Kind::kDrop);  // A missing

  auto plain = Dec(Params(true, 0, false));
  EXPECT_EQ(decode(*plain, "9000AABB").kind, Kind::kDrop);  // D without MPPE
  // MPPC only, not compressed: the data itself. A one-octet (PFC)
  // protocol inside is accepted, as Linux does.
  auto r = [&] {
    Packet p = Packet::Copy(Hex("80002145"));
    auto res = plain->Decode(p);
    EXPECT_EQ(aaa::HexUpper(p.span()), "45");
    return res;
  }();
  EXPECT_EQ(r.kind, Kind::kOk);
  EXPECT_EQ(r.protocol, 0x21);
  Packet two = Packet::Copy(Hex("00010057"));
  auto r2 = plain->Decode(two);
  EXPECT_EQ(r2.kind, Kind::kOk);
  EXPECT_EQ(r2.protocol, 0x0057);
  EXPECT_TRUE(two.empty());
}

TEST(MppcCodec, MppcRefusesOversizedPacket) {
  auto e = Enc(Params(true, 128, false));
  Packet big(kMppcHistorySize - 1);
  EXPECT_EQ(e->Encode(0x0021, big), EncodeResult::kDrop);
  Packet fits(kMppcHistorySize - 2);
  EXPECT_EQ(e->Encode(0x0021, fits), EncodeResult::kDatagram);
  // MPPE alone has no such limit.
  auto e2 = Enc(Params(false, 128, false));
  Packet big2(kMppcHistorySize * 2);
  EXPECT_EQ(e2->Encode(0x0021, big2), EncodeResult::kDatagram);
}

}  // namespace
}  // namespace mlppp::ppp::ccp
