// Deflate (RFC 1979) on 1,400-octet packets of mixed text and binary: our
// Encoder against zlib's raw deflate at the same level with a sync flush per
// packet (what our Encoder wraps), and our Decoder.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "ppp/ccp/deflate.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kPacketSize = 1400;
constexpr size_t kPackets = 64;
constexpr int kLevel = 6;

// A fixed mix: HTTP-like text, text with a binary tail, counters and
// structured binary (compressible), and noise (sent uncompressed).
std::vector<std::vector<uint8_t>> MixedPackets() {
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
  std::mt19937 rng(42);
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < kPackets; ++i) {
    std::vector<uint8_t> p;
    // 40 octets of IPv4/TCP-like header with changing fields.
    for (int k = 0; k < 40; ++k)
      p.push_back(static_cast<uint8_t>(k < 12 ? 0x45 + k : rng() % 4 ? k : rng()));
    switch (i % 4) {
      case 0:  // text
      case 1:  // text with a binary tail
        while (p.size() < (i % 4 == 0 ? kPacketSize : kPacketSize / 2)) {
          auto w = kWords[rng() % std::size(kWords)];
          p.insert(p.end(), w.begin(), w.end());
        }
        while (p.size() < kPacketSize) p.push_back(static_cast<uint8_t>(rng()));
        break;
      case 2:  // structured binary: little-endian counters
        for (uint32_t v = static_cast<uint32_t>(i) * 1000; p.size() < kPacketSize; v += rng() % 8) {
          for (int b = 0; b < 4; ++b) p.push_back(static_cast<uint8_t>(v >> (8 * b)));
        }
        break;
      default:  // noise
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

void BM_DeflateEncode(benchmark::State& state) {
  auto packets = MixedPackets();
  auto enc = std::move(MakeDeflateEncoder({.window_bits = 15, .level = kLevel}).value());
  Packet p(kPacketSize);
  size_t i = 0;
  for (auto _ : state) {
    Load(p, packets[i++ % kPackets]);
    benchmark::DoNotOptimize(enc->Encode(0x0021, p));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
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
  auto packets = MixedPackets();
  // One pass of the mix from a fresh Encoder; the Decoder replays it,
  // starting over (ResetAcked) each time round.
  auto enc = std::move(MakeDeflateEncoder({.window_bits = 15, .level = kLevel}).value());
  struct Wire {
    bool compressed;
    std::vector<uint8_t> bytes;
  };
  std::vector<Wire> wire;
  for (const auto& src : packets) {
    Packet p = Packet::Copy(src);
    bool compressed = enc->Encode(0x0021, p) == EncodeResult::kDatagram;
    wire.push_back({compressed, std::vector<uint8_t>(p.span().begin(), p.span().end())});
  }
  auto dec = std::move(MakeDeflateDecoder({.window_bits = 15}).value());
  Packet p(kPacketSize);
  size_t i = 0;
  for (auto _ : state) {
    if (i % kPackets == 0) dec->ResetAcked();
    const Wire& w = wire[i++ % kPackets];
    Load(p, w.bytes);
    if (w.compressed) {
      if (dec->Decode(p).kind != DecodeResult::Kind::kOk) {
        state.SkipWithError("decode failed");
        break;
      }
    } else {
      dec->Incompressible(0x0021, p.span());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}
BENCHMARK(BM_DeflateDecode);

}  // namespace
}  // namespace mlppp::ppp::ccp
