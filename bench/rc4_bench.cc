// RC4 for MPPE (src/ppp/ccp/rc4.h) on 1,400-octet packets, against OpenSSL's
// RC4 through EVP (what MppeCipher uses today): one stream, and the
// multi-stream kernel with 2, 4 or 8 sessions' packets in lockstep. Bytes/s
// are aggregate over all streams of a batch.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <vector>

#include "aaa/legacy_crypto.h"
#include "ppp/ccp/rc4.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kPacket = 1400;

std::vector<uint8_t> Key(int seed) {
  std::vector<uint8_t> k(16);
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  return k;
}

void BM_Rc4OpenSsl(benchmark::State& state) {
  EVP_CIPHER* rc4 = EVP_CIPHER_fetch(aaa::LegacyCryptoContext(), "RC4", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  auto key = Key(0);
  if (!rc4 || !ctx || EVP_CipherInit_ex2(ctx, rc4, key.data(), nullptr, 1, nullptr) != 1) {
    state.SkipWithError("OpenSSL RC4 unavailable");
  } else {
    std::vector<uint8_t> p(kPacket, 0x45);
    for (auto _ : state) {
      int n = 0;
      EVP_CipherUpdate(ctx, p.data(), &n, p.data(), static_cast<int>(p.size()));
      benchmark::DoNotOptimize(p.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kPacket);
  }
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(rc4);
}
BENCHMARK(BM_Rc4OpenSsl);

void BM_Rc4Single(benchmark::State& state) {
  Rc4 r;
  r.SetKey(Key(0));
  std::vector<uint8_t> p(kPacket, 0x45);
  for (auto _ : state) {
    r.Process(p);
    benchmark::DoNotOptimize(p.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kPacket);
}
BENCHMARK(BM_Rc4Single);

// Arg 0: streams (sessions, one packet each per batch); arg 1: lanes.
void BM_Rc4Multi(benchmark::State& state) {
  size_t streams = static_cast<size_t>(state.range(0));
  size_t lanes = static_cast<size_t>(state.range(1));
  std::vector<Rc4> rc4(streams);
  std::vector<std::vector<uint8_t>> packets(streams, std::vector<uint8_t>(kPacket, 0x45));
  std::vector<Rc4Job> jobs;
  for (size_t s = 0; s < streams; ++s) {
    rc4[s].SetKey(Key(static_cast<int>(s)));
    jobs.push_back({&rc4[s], packets[s], packets[s]});
  }
  for (auto _ : state) {
    Rc4ProcessMultiWith(jobs, lanes);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * streams * kPacket));
}
BENCHMARK(BM_Rc4Multi)
    ->Args({1, 1})
    ->Args({2, 2})
    ->Args({4, 4})
    ->Args({8, 8})
    ->Args({8, 2})
    ->Args({8, 4})
    ->Args({64, 2})
    ->Args({64, 4});

}  // namespace
}  // namespace mlppp::ppp::ccp
