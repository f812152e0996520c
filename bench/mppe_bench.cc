// MPPE (RFC 3078) through the CCP option 18 codec: 128-bit keys, 1,400-octet
// IPv4 packets, stateful (key change every 256 packets) and stateless (key
// change, SHA-1 and two RC4 key set-ups, on every packet). Arg 0 = stateful,
// 1 = stateless.
//
// The Batch variants are the daemon's batched data path (bundle/data_batch.h):
// one packet from each of N sessions per event-loop turn, their passes
// run together by CryptQueue (Rc4ProcessMulti); Args are {N, stateless}.
#include <benchmark/benchmark.h>

#include <vector>

#include "ppp/ccp/crypt_queue.h"
#include "ppp/ccp/mppc_codec.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kPacketSize = 1400;

MppcParams Params(bool stateless, size_t session = 0) {
  MppcParams p;
  p.key_bits = 128;
  p.stateless = stateless;
  for (size_t i = 0; i < p.start_key.size(); ++i) {
    p.start_key[i] = static_cast<uint8_t>(i * 7 + 1 + session * 31);
  }
  return p;
}

void BM_MppeEncrypt(benchmark::State& state) {
  auto e = MakeMppcEncoder(Params(state.range(0) != 0));
  if (!e) {
    state.SkipWithError(e.error().c_str());
    return;
  }
  Packet p(kPacketSize);
  for (size_t i = 0; i < kPacketSize; ++i) p.span()[i] = static_cast<uint8_t>(i);
  for (auto _ : state) {
    (*e)->Encode(0x0021, p);
    benchmark::DoNotOptimize(p.data());
    p.Pull(4);  // header and protocol: back to the same buffer, no allocation
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_MppeEncrypt)->Arg(0)->Arg(1);

void BM_MppeDecrypt(benchmark::State& state) {
  auto params = Params(state.range(0) != 0);
  auto e = MakeMppcEncoder(params);
  auto d = MakeMppcDecoder(params);
  if (!e || !d) {
    state.SkipWithError("MPPE unavailable");
    return;
  }
  // One whole coherency-count cycle, so the counts run on without a gap
  // when the cycle repeats. Each datagram is decrypted in place and its
  // header put back (Prepend only moves the start; the octets are still
  // there): later cycles decrypt other octets, which costs the same, and
  // no copy is timed.
  std::vector<Packet> wire;
  for (int i = 0; i < 4096; ++i) {
    Packet p(kPacketSize);
    for (size_t j = 0; j < kPacketSize; ++j) p.span()[j] = static_cast<uint8_t>(i + j);
    (*e)->Encode(0x0021, p);
    wire.push_back(std::move(p));
  }
  const size_t datagram = wire[0].size();
  size_t i = 0;
  for (auto _ : state) {
    Packet& p = wire[i];
    i = (i + 1) % wire.size();
    auto r = (*d)->Decode(p);
    benchmark::DoNotOptimize(r);
    p.Prepend(datagram - p.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_MppeDecrypt)->Arg(0)->Arg(1);

void BM_MppeEncryptBatch(benchmark::State& state) {
  const size_t sessions = static_cast<size_t>(state.range(0));
  const bool stateless = state.range(1) != 0;
  std::vector<std::unique_ptr<Encoder>> enc;
  std::vector<Packet> pkts;
  for (size_t s = 0; s < sessions; ++s) {
    auto e = MakeMppcEncoder(Params(stateless, s));
    if (!e) {
      state.SkipWithError(e.error().c_str());
      return;
    }
    enc.push_back(std::move(*e));
    Packet p(kPacketSize);
    for (size_t i = 0; i < kPacketSize; ++i) p.span()[i] = static_cast<uint8_t>(i + s);
    pkts.push_back(std::move(p));
  }
  CryptQueue queue;
  for (auto _ : state) {
    for (size_t s = 0; s < sessions; ++s) {
      CryptJob job;
      enc[s]->EncodeDeferred(0x0021, pkts[s], queue, job);
      queue.Add(std::move(job));
    }
    queue.RunQueued();
    for (Packet& p : pkts) {
      benchmark::DoNotOptimize(p.data());
      p.Pull(4);  // header and protocol: back to the same buffer
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sessions * kPacketSize));
}
BENCHMARK(BM_MppeEncryptBatch)
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({8, 0})
    ->Args({32, 0})
    ->Args({8, 1});

void BM_MppeDecryptBatch(benchmark::State& state) {
  const size_t sessions = static_cast<size_t>(state.range(0));
  const bool stateless = state.range(1) != 0;
  // As BM_MppeDecrypt, per session: one whole coherency-count cycle each.
  std::vector<std::unique_ptr<Decoder>> dec;
  std::vector<std::vector<Packet>> wire(sessions);
  for (size_t s = 0; s < sessions; ++s) {
    auto e = MakeMppcEncoder(Params(stateless, s));
    auto d = MakeMppcDecoder(Params(stateless, s));
    if (!e || !d) {
      state.SkipWithError("MPPE unavailable");
      return;
    }
    dec.push_back(std::move(*d));
    for (int i = 0; i < 4096; ++i) {
      Packet p(kPacketSize);
      for (size_t j = 0; j < kPacketSize; ++j) p.span()[j] = static_cast<uint8_t>(i + j + s);
      (*e)->Encode(0x0021, p);
      wire[s].push_back(std::move(p));
    }
  }
  const size_t datagram = wire[0][0].size();
  CryptQueue queue;
  size_t i = 0;
  for (auto _ : state) {
    for (size_t s = 0; s < sessions; ++s) {
      CryptJob job;
      auto r = dec[s]->DecodeDeferred(wire[s][i], queue, job);
      benchmark::DoNotOptimize(r);
      queue.Add(std::move(job));
    }
    queue.RunQueued();
    for (size_t s = 0; s < sessions; ++s) {
      Packet& p = wire[s][i];
      auto r = FinishDeferred(p);
      benchmark::DoNotOptimize(r);
      p.Prepend(datagram - p.size());
    }
    i = (i + 1) % 4096;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sessions * kPacketSize));
}
BENCHMARK(BM_MppeDecryptBatch)->Args({2, 0})->Args({8, 0})->Args({8, 1});

}  // namespace
}  // namespace mlppp::ppp::ccp
