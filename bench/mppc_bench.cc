// MPPC (RFC 2118) coder throughput on 1,400-octet packets of mixed content,
// steady state through one compressor/decompressor pair: TCP/IP-like
// headers with moving counters, HTTP response headers, HTML built from a
// vocabulary, and a binary stretch (random octets, as in images) in a
// fifth of the packets. Bytes processed are uncompressed octets; the
// "ratio" counter is wire octets over input octets.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ppp/ccp/mppc.h"
#include "support/ccp_packets.h"

namespace mlppp::ppp::ccp::bench {
namespace {

constexpr size_t kPackets = 512;  // the cycle: ~700 KB, many history passes

std::vector<Bytes> MixedPackets() {
  static const char* const kWords[] = {"<div class=\"item\">",
                                       "</div>",
                                       "<a href=\"/products/",
                                       "\">",
                                       "</a>",
                                       "<span>",
                                       "</span>",
                                       "<li>",
                                       "</li>",
                                       "the",
                                       "price",
                                       "shipping",
                                       "customer",
                                       "reviews",
                                       "and",
                                       "of",
                                       "for",
                                       "with",
                                       "new",
                                       "free",
                                       "delivery",
                                       "order",
                                       "today",
                                       "<img src=\"/static/img/",
                                       ".png\"/>",
                                       "\n  ",
                                       "description",
                                       "available",
                                       "in",
                                       "stock",
                                       "color",
                                       "size",
                                       "quantity"};
  uint32_t seq = 1000;
  return MakePackets(kPackets, 2118, [&seq](Bytes& p, std::mt19937& rng, size_t i) {
    // 40 octets of IPv4 + TCP header: mostly constant, id and sequence move.
    for (int j = 0; j < 40; ++j) p.push_back(static_cast<uint8_t>(j * 13));
    p[0] = 0x45;
    p[4] = static_cast<uint8_t>(i >> 8);
    p[5] = static_cast<uint8_t>(i);
    for (int j = 0; j < 4; ++j) p[24 + j] = static_cast<uint8_t>(seq >> (24 - 8 * j));
    seq += kPacketSize - 40;
    std::string body;
    if (i % 8 == 0) {
      body =
          "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n"
          "Content-Length: " +
          std::to_string(rng() % 100000) + "\r\nSet-Cookie: session=" + std::to_string(rng()) +
          std::to_string(rng()) + "; Path=/; HttpOnly\r\nCache-Control: max-age=600\r\n\r\n";
    }
    while (body.size() < kPacketSize) {
      body += kWords[rng() % std::size(kWords)];
      body += ' ';
      if (rng() % 10 == 0) body += std::to_string(rng() % 1000);
    }
    p.insert(p.end(), body.begin(), body.end());
    if (i % 5 == 4) {  // a binary stretch
      for (size_t j = 300; j < 900; ++j) p[j] = static_cast<uint8_t>(rng());
    }
  });
}

void BM_MppcCompress(benchmark::State& state) {
  const auto pkts = MixedPackets();
  MppcCompressor c;
  std::vector<uint8_t> out;
  out.reserve(kPacketSize + 64);
  size_t i = 0, wire = 0, in = 0;
  for (auto _ : state) {
    const auto& p = pkts[i];
    benchmark::DoNotOptimize(c.Compress(p, out));
    wire += out.size();
    in += p.size();
    i = (i + 1) % kPackets;
  }
  state.SetBytesProcessed(static_cast<int64_t>(in));
  state.counters["ratio"] = in ? static_cast<double>(wire) / static_cast<double>(in) : 0;
}
BENCHMARK(BM_MppcCompress);

void BM_MppcDecompress(benchmark::State& state) {
  const auto pkts = MixedPackets();
  // The cycle as one compressor sends it; its first packet carries A, so
  // decoding the cycle again and again stays in step.
  MppcCompressor c;
  std::vector<Bytes> wire(kPackets);
  std::vector<uint8_t> flags(kPackets);
  for (size_t i = 0; i < kPackets; ++i) flags[i] = c.Compress(pkts[i], wire[i]);
  MppcDecompressor d;
  std::vector<uint8_t> out;
  out.reserve(kMppcHistorySize);
  size_t i = 0, in = 0;
  for (auto _ : state) {
    if (!d.Decompress(wire[i], flags[i], out)) {
      state.SkipWithError("decompression failed");
      return;
    }
    in += out.size();
    i = (i + 1) % kPackets;
  }
  state.SetBytesProcessed(static_cast<int64_t>(in));
}
BENCHMARK(BM_MppcDecompress);

}  // namespace
}  // namespace mlppp::ppp::ccp::bench
