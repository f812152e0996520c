// Predictor-1 (RFC 1978) on 1,400-octet packets of mixed text and binary,
// the FCS included: compress, and decompress of the same stream.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "ppp/ccp/pred1.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kPacketSize = 1400;
constexpr size_t kPackets = 64;

// Three of four packets text or structured, one noise.
std::vector<std::vector<uint8_t>> Pred1Packets() {
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
  std::mt19937 rng(7);
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < kPackets; ++i) {
    std::vector<uint8_t> p;
    switch (i % 4) {
      case 0:
      case 1:
        while (p.size() < kPacketSize) {
          auto w = kWords[rng() % std::size(kWords)];
          p.insert(p.end(), w.begin(), w.end());
        }
        break;
      case 2:
        for (uint32_t v = 0; p.size() < kPacketSize; v += rng() % 4) {
          for (int b = 0; b < 4; ++b) p.push_back(static_cast<uint8_t>(v >> (8 * b)));
        }
        break;
      default:
        while (p.size() < kPacketSize) p.push_back(static_cast<uint8_t>(rng()));
        break;
    }
    p.resize(kPacketSize);
    out.push_back(std::move(p));
  }
  return out;
}

void Load(Packet& p, const std::vector<uint8_t>& src) {
  p.Resize(src.size());
  std::copy(src.begin(), src.end(), p.data());
}

void BM_Pred1Compress(benchmark::State& state) {
  auto packets = Pred1Packets();
  auto enc = std::move(MakePred1Encoder().value());
  Packet p(kPacketSize + 256);
  size_t i = 0;
  for (auto _ : state) {
    Load(p, packets[i++ % kPackets]);
    benchmark::DoNotOptimize(enc->Encode(0x0021, p));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_Pred1Compress);

void BM_Pred1Decompress(benchmark::State& state) {
  auto packets = Pred1Packets();
  auto enc = std::move(MakePred1Encoder().value());
  std::vector<std::vector<uint8_t>> wire;
  for (const auto& src : packets) {
    Packet p = Packet::Copy(src);
    enc->Encode(0x0021, p);
    wire.emplace_back(p.span().begin(), p.span().end());
  }
  auto dec = std::move(MakePred1Decoder().value());
  Packet p(kPacketSize + 256);
  size_t i = 0;
  for (auto _ : state) {
    // Replays the stream from an empty table each time round.
    if (i % kPackets == 0) dec->ResetAcked();
    Load(p, wire[i++ % kPackets]);
    if (dec->Decode(p).kind != DecodeResult::Kind::kOk) {
      state.SkipWithError("decode failed");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_Pred1Decompress);

}  // namespace
}  // namespace mlppp::ppp::ccp
