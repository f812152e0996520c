// DESE-bis (RFC 2419) encryption and decryption of 1,400-octet packets: the
// per-packet cost of ECP on the data path (DES-CBC through OpenSSL's legacy
// provider, one cipher context per direction).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "ppp/ecp/dese.h"

namespace mlppp::ppp::ecp {
namespace {

constexpr size_t kPacket = 1400;

DeseParams BenchParams() {
  DeseParams p;
  p.bis = true;
  p.key = DeseKeyFromSecret("benchmark");
  p.nonce = {1, 2, 3, 4, 5, 6, 7, 8};
  return p;
}

void BM_DeseEncrypt(benchmark::State& state) {
  auto enc = MakeDeseEncoder(BenchParams());
  if (!enc.ok()) {
    state.SkipWithError(enc.error().c_str());
    return;
  }
  std::vector<uint8_t> info(kPacket, 0x45);
  for (auto _ : state) {
    Packet p = Packet::Copy(info);
    benchmark::DoNotOptimize((*enc)->Encode(0x0021, p));
    benchmark::DoNotOptimize(p.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kPacket);
}
BENCHMARK(BM_DeseEncrypt);

void BM_DeseDecrypt(benchmark::State& state) {
  auto enc = MakeDeseEncoder(BenchParams());
  auto dec = MakeDeseDecoder(BenchParams());
  if (!enc.ok() || !dec.ok()) {
    state.SkipWithError("DES-CBC is unavailable");
    return;
  }
  // Datagrams made ahead in batches, since each decodes only in sequence;
  // the batch is refilled outside the timed region.
  constexpr size_t kBatch = 256;
  std::vector<uint8_t> info(kPacket, 0x45);
  std::vector<Packet> batch;
  size_t next = kBatch;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      batch.clear();
      for (size_t i = 0; i < kBatch; ++i) {
        Packet p = Packet::Copy(info);
        (*enc)->Encode(0x0021, p);
        batch.push_back(std::move(p));
      }
      next = 0;
      state.ResumeTiming();
    }
    auto r = (*dec)->Decode(batch[next++]);
    if (r.kind != ccp::DecodeResult::Kind::kOk) abort();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kPacket);
}
BENCHMARK(BM_DeseDecrypt);

}  // namespace
}  // namespace mlppp::ppp::ecp
