// Deflate (RFC 1979) on 1,400-octet packets of mixed text and binary: our
// Encoder against zlib's raw deflate at the same level with a sync flush per
// packet (what our Encoder wraps), and our Decoder.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "ppp/ccp/deflate.h"
#include "support/ccp_packets.h"

namespace mlppp::ppp::ccp::bench {
namespace {

constexpr size_t kPackets = 64;
constexpr int kLevel = 6;

// A fixed mix: HTTP-like text, text with a binary tail, counters and
// structured binary (compressible), and noise (sent uncompressed).
std::vector<Bytes> MixedPackets() {
  static constexpr std::string_view kWords[] = {"GET ",
                                                "/images/logo.png ",
                                                "HTTP/1.1\r\n",
                                                "Host: ",
                                                "www.example.org",
                                                "\r\n",
                                                "User-Agent: ",
                                                "Mozilla/5.0 ",
                                                "Accept: ",
                                                "text/html,application/xhtml+xml ",
                                                "Cookie: ",
                                                "session=",
                                                "<div class=\"item\">",
                                                "</div>\n",
                                                "the ",
                                                "and "};
  return MakePackets(kPackets, 42, [](Bytes& p, std::mt19937& rng, size_t i) {
    // 40 octets of IPv4/TCP-like header with changing fields.
    for (int k = 0; k < 40; ++k)
      p.push_back(static_cast<uint8_t>(k < 12 ? 0x45 + k : rng() % 4 ? k : rng()));
    switch (i % 4) {
      case 0:  // text
        AppendWords(p, rng, kWords, kPacketSize);
        break;
      case 1:  // text with a binary tail
        AppendWords(p, rng, kWords, kPacketSize / 2);
        AppendNoise(p, rng, kPacketSize);
        break;
      case 2:  // structured binary: little-endian counters
        AppendCounters(p, rng, static_cast<uint32_t>(i) * 1000, 8, kPacketSize);
        break;
      default:  // noise
        AppendNoise(p, rng, kPacketSize);
        break;
    }
  });
}

void BM_DeflateEncode(benchmark::State& state) {
  auto enc = std::move(MakeDeflateEncoder({.window_bits = 15, .level = kLevel}).value());
  RunEncode(state, *enc, MixedPackets(), kPacketSize);
}
BENCHMARK(BM_DeflateEncode);

// The baseline: the same packets through zlib directly, with the same
// input copy the Encoder benchmark pays to refill its Packet.
void BM_ZlibRawDeflate(benchmark::State& state) {
  auto packets = MixedPackets();
  z_stream s{};
  if (deflateInit2(&s, kLevel, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    state.SkipWithError("deflateInit2");
    return;
  }
  std::vector<uint8_t> in(kPacketSize);
  std::vector<uint8_t> out(2 * kPacketSize);
  size_t i = 0;
  for (auto _ : state) {
    const auto& src = packets[i++ % kPackets];
    std::copy(src.begin(), src.end(), in.begin());
    s.next_in = in.data();
    s.avail_in = static_cast<uInt>(in.size());
    s.next_out = out.data();
    s.avail_out = static_cast<uInt>(out.size());
    benchmark::DoNotOptimize(deflate(&s, Z_SYNC_FLUSH));
    benchmark::ClobberMemory();
  }
  deflateEnd(&s);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_ZlibRawDeflate);

void BM_DeflateDecode(benchmark::State& state) {
  // One pass of the mix from a fresh Encoder; the Decoder replays it.
  auto enc = std::move(MakeDeflateEncoder({.window_bits = 15, .level = kLevel}).value());
  const auto wire = EncodeAll(*enc, MixedPackets());
  auto dec = std::move(MakeDeflateDecoder({.window_bits = 15}).value());
  RunDecode(state, *dec, wire, kPacketSize);
}
BENCHMARK(BM_DeflateDecode);

}  // namespace
}  // namespace mlppp::ppp::ccp::bench
