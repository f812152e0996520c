// Deferred MPPE passes (codec.h EncodeDeferred/DecodeDeferred, CryptQueue):
// whatever order and grouping the passes run in, the bytes on the wire and
// the packets recovered are those of the one-packet-at-a-time path, through
// stateful key changes (RFC 3078 §7.1), stateless ones (§7.2), a CCP
// Reset-Request and a lost packet's resynchronisation (§8).
#include "ppp/ccp/crypt_queue.h"

#include <gtest/gtest.h>

#include <vector>

#include "ppp/ccp/mppc_codec.h"

namespace mlppp::ppp::ccp {
namespace {

using Bytes = std::vector<uint8_t>;
using Kind = DecodeResult::Kind;

MppcParams Params(int key_bits, bool stateless, uint8_t key_seed, bool compress = false) {
  MppcParams p;
  p.compress = compress;
  p.key_bits = key_bits;
  p.stateless = stateless;
  for (size_t i = 0; i < p.start_key.size(); ++i) {
    p.start_key[i] = static_cast<uint8_t>(key_seed * 29 + i * 7);
  }
  return p;
}

Bytes Payload(size_t session, size_t n) {
  Bytes b(40 + (n * 13) % 200);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(session * 17 + n * 3 + i);
  return b;
}

// The datagrams of one session's packets made at once (`expected`) and
// through a CryptQueue (`got`), for comparing once the queue has run.
struct Twins {
  std::vector<Packet> expected, got;

  // Encodes Payload(s, n) both ways; returns the deferred job's key
  // changes (-1 if an encoder failed or did not defer).
  int Encode(Encoder& direct, Encoder& deferred, CryptQueue& queue, size_t s, size_t n) {
    Packet a = Packet::Copy(Payload(s, n));
    EXPECT_EQ(direct.Encode(0x0021, a), EncodeResult::kDatagram);
    expected.push_back(std::move(a));
    Packet b = Packet::Copy(Payload(s, n));
    CryptJob job;
    EXPECT_EQ(deferred.EncodeDeferred(0x0021, b, queue, job), EncodeResult::kDatagram);
    got.push_back(std::move(b));
    int rekeys = job ? job.rekeys : -1;
    EXPECT_NE(queue.Add(std::move(job)), 0u);
    return rekeys;
  }

  void ExpectSame() const {
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(Bytes(got[i].span().begin(), got[i].span().end()),
                Bytes(expected[i].span().begin(), expected[i].span().end()))
          << "packet " << i;
    }
  }
};

struct Mode {
  int key_bits;
  bool stateless;
};

class CryptQueueTest : public ::testing::TestWithParam<Mode> {};

// Two sessions, their packets interleaved, passes run in groups of a
// varying size: the same datagrams as encoding each at once.
TEST_P(CryptQueueTest, DeferredEncodeMatchesDirect) {
  const Mode m = GetParam();
  constexpr size_t kSessions = 2;
  std::vector<std::unique_ptr<Encoder>> direct, deferred;
  for (size_t s = 0; s < kSessions; ++s) {
    direct.push_back(std::move(*MakeMppcEncoder(Params(m.key_bits, m.stateless, s))));
    deferred.push_back(std::move(*MakeMppcEncoder(Params(m.key_bits, m.stateless, s))));
  }
  CryptQueue queue;
  Twins twins;
  size_t jobs = 0;
  for (size_t n = 0; n < 600; ++n) {
    for (size_t s = 0; s < kSessions; ++s) {
      if (n == 300 && s == 1) {
        // A Reset-Request: the next packet is flushed (and re-keyed).
        EXPECT_FALSE(direct[s]->ResetRequested());
        EXPECT_FALSE(deferred[s]->ResetRequested());
      }
      ASSERT_GE(twins.Encode(*direct[s], *deferred[s], queue, s, n), 0);
      ++jobs;
    }
    if (n % 7 == 6) queue.RunQueued();
  }
  queue.RunQueued();
  EXPECT_EQ(queue.queued(), 0u);
  EXPECT_EQ(jobs, 1200u);
  twins.ExpectSame();
}

// The receiving side, with packet 100 lost: both decoders drop the same
// packets, ask for the same resets, and recover the same data.
TEST_P(CryptQueueTest, DeferredDecodeMatchesDirect) {
  const Mode m = GetParam();
  auto enc = std::move(*MakeMppcEncoder(Params(m.key_bits, m.stateless, 3)));
  auto direct = std::move(*MakeMppcDecoder(Params(m.key_bits, m.stateless, 3)));
  auto deferred = std::move(*MakeMppcDecoder(Params(m.key_bits, m.stateless, 3)));
  CryptQueue queue;
  struct Waiting {
    size_t n;
    Packet pkt;
  };
  std::vector<Waiting> waiting;
  std::vector<std::pair<size_t, Bytes>> want, have;
  auto finish = [&] {
    queue.RunQueued();
    for (Waiting& w : waiting) {
      DecodeResult r = FinishDeferred(w.pkt);
      ASSERT_EQ(r.kind, Kind::kOk);
      ASSERT_EQ(r.protocol, 0x0021);
      have.emplace_back(w.n, Bytes(w.pkt.span().begin(), w.pkt.span().end()));
    }
    waiting.clear();
  };
  for (size_t n = 0; n < 700; ++n) {
    Packet p = Packet::Copy(Payload(0, n));
    ASSERT_EQ(enc->Encode(0x0021, p), EncodeResult::kDatagram);
    if (n == 100) continue;  // lost on the way
    if (n == 120 && !m.stateless) {
      // Our Reset-Request reached the peer: its next packet is flushed.
      enc->ResetRequested();
    }
    Packet a = p.Clone();
    DecodeResult ra = direct->Decode(a);
    if (ra.kind == Kind::kOk) {
      want.emplace_back(n, Bytes(a.span().begin(), a.span().end()));
    }
    CryptJob job;
    DecodeResult rb = deferred->DecodeDeferred(p, queue, job);
    ASSERT_EQ(rb.kind, ra.kind) << "packet " << n;
    if (rb.kind == Kind::kOk) {
      ASSERT_TRUE(job);
      queue.Add(std::move(job));
      waiting.push_back({n, std::move(p)});
    } else {
      EXPECT_FALSE(job);
    }
    if (n % 5 == 4) finish();
  }
  finish();
  EXPECT_EQ(have, want);
  // Stateful: packets from the loss to the flushed answer were dropped.
  EXPECT_LT(want.size(), 699u + (m.stateless ? 1u : 0u));
  EXPECT_GT(want.size(), 600u);
}

INSTANTIATE_TEST_SUITE_P(Modes, CryptQueueTest,
                         ::testing::Values(Mode{128, false}, Mode{128, true}, Mode{40, false},
                                           Mode{40, true}, Mode{56, true}));

// Stateful and stateless ciphers of every strength in one queue, several
// packets of each session per run (waves with uneven key changes): the same
// datagrams as encoding each at once.
TEST(CryptQueue, MixedModesInOneQueueMatchDirect) {
  const Mode modes[] = {{128, false}, {128, true}, {40, true}, {56, false}, {40, false}};
  std::vector<std::unique_ptr<Encoder>> direct, deferred;
  for (size_t s = 0; s < std::size(modes); ++s) {
    auto p = Params(modes[s].key_bits, modes[s].stateless, static_cast<uint8_t>(s + 10));
    direct.push_back(std::move(*MakeMppcEncoder(p)));
    deferred.push_back(std::move(*MakeMppcEncoder(p)));
  }
  CryptQueue queue;
  Twins twins;
  uint32_t x = 7;
  for (size_t n = 0; n < 2000; ++n) {
    x = x * 1103515245u + 12345u;
    size_t s = (x >> 8) % std::size(modes);  // sessions in random order
    EXPECT_EQ(twins.Encode(*direct[s], *deferred[s], queue, s, n), modes[s].stateless ? 1 : 0);
    if ((x >> 20) % 23 == 0) queue.RunQueued();
  }
  queue.RunQueued();
  twins.ExpectSame();
}

// With MPPC the passes are not deferred: the job stays empty and the
// datagram is complete (the compressor's history needs the clear text).
TEST(CryptQueue, CompressingCodecsDoNotDefer) {
  auto enc = std::move(*MakeMppcEncoder(Params(128, false, 1, true)));
  auto direct = std::move(*MakeMppcEncoder(Params(128, false, 1, true)));
  CryptQueue queue;
  Packet a = Packet::Copy(Payload(0, 1));
  Packet b = Packet::Copy(Payload(0, 1));
  CryptJob job;
  ASSERT_EQ(enc->EncodeDeferred(0x0021, a, queue, job), EncodeResult::kDatagram);
  EXPECT_FALSE(job);
  ASSERT_EQ(direct->Encode(0x0021, b), EncodeResult::kDatagram);
  EXPECT_EQ(Bytes(a.span().begin(), a.span().end()), Bytes(b.span().begin(), b.span().end()));

  auto dec = std::move(*MakeMppcDecoder(Params(128, false, 1, true)));
  DecodeResult r = dec->DecodeDeferred(a, queue, job);
  EXPECT_FALSE(job);
  EXPECT_EQ(r.kind, Kind::kOk);
  EXPECT_EQ(r.protocol, 0x0021);
  EXPECT_EQ(Bytes(a.span().begin(), a.span().end()), Payload(0, 1));
}

// A job keeps its cipher: the codec may be gone when the pass runs.
TEST(CryptQueue, JobOutlivesItsEncoder) {
  auto enc = std::move(*MakeMppcEncoder(Params(128, false, 2)));
  auto direct = std::move(*MakeMppcEncoder(Params(128, false, 2)));
  CryptQueue queue;
  Packet a = Packet::Copy(Payload(1, 1));
  CryptJob job;
  ASSERT_EQ(enc->EncodeDeferred(0x0021, a, queue, job), EncodeResult::kDatagram);
  queue.Add(std::move(job));
  enc.reset();
  queue.RunQueued();
  Packet b = Packet::Copy(Payload(1, 1));
  ASSERT_EQ(direct->Encode(0x0021, b), EncodeResult::kDatagram);
  EXPECT_EQ(Bytes(a.span().begin(), a.span().end()), Bytes(b.span().begin(), b.span().end()));
}

TEST(CryptQueue, EmptyJobsAreIgnored) {
  CryptQueue queue;
  queue.Add(CryptJob{});
  EXPECT_EQ(queue.queued(), 0u);
  queue.RunQueued();
  EXPECT_EQ(queue.queued(), 0u);
}

}  // namespace
}  // namespace mlppp::ppp::ccp
