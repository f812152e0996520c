// Predictor-1 (RFC 1978) on 1,400-octet packets of mixed text and binary,
// the FCS included: compress, and decompress of the same stream.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "ppp/ccp/pred1.h"
#include "support/ccp_packets.h"

namespace mlppp::ppp::ccp::bench {
namespace {

constexpr size_t kPackets = 64;
// Room for a packet that grows when compressed (RFC 1978: one flag octet
// per eight octets of input).
constexpr size_t kPacketRoom = kPacketSize + 256;

// Three of four packets text or structured, one noise.
std::vector<Bytes> Pred1Packets() {
  static constexpr std::string_view kWords[] = {"GET ",
                                                "/images/logo.png ",
                                                "HTTP/1.1\r\n",
                                                "Host: ",
                                                "www.example.org",
                                                "\r\n",
                                                "Accept: ",
                                                "text/html ",
                                                "<div class=\"a\">",
                                                "</div>\n",
                                                "the ",
                                                "and "};
  return MakePackets(kPackets, 7, [](Bytes& p, std::mt19937& rng, size_t i) {
    switch (i % 4) {
      case 0:
      case 1:
        AppendWords(p, rng, kWords, kPacketSize);
        break;
      case 2:
        AppendCounters(p, rng, 0, 4, kPacketSize);
        break;
      default:
        AppendNoise(p, rng, kPacketSize);
        break;
    }
  });
}

void BM_Pred1Compress(benchmark::State& state) {
  auto enc = std::move(MakePred1Encoder().value());
  RunEncode(state, *enc, Pred1Packets(), kPacketRoom);
}
BENCHMARK(BM_Pred1Compress);

void BM_Pred1Decompress(benchmark::State& state) {
  // One pass from a fresh encoder, replayed from an empty table each time
  // round.
  auto enc = std::move(MakePred1Encoder().value());
  const auto wire = EncodeAll(*enc, Pred1Packets());
  auto dec = std::move(MakePred1Decoder().value());
  RunDecode(state, *dec, wire, kPacketRoom);
}
BENCHMARK(BM_Pred1Decompress);

}  // namespace
}  // namespace mlppp::ppp::ccp::bench
