// Packet material and loops shared by the CCP codec benchmarks (deflate,
// pred1, mppc): 1,400-octet packets built from words, counters and noise,
// and the encode/decode loops over the ccp::Encoder/Decoder interface.
// Each generator draws from the caller's generator in a fixed order, so
// a bench's packets stay the same from run to run.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp::bench {

using Bytes = std::vector<uint8_t>;

inline constexpr size_t kPacketSize = 1400;

// `count` packets of kPacketSize octets, all drawn from one generator
// seeded with `seed`: `fill(p, rng, i)` builds packet i in the empty `p`,
// to at least kPacketSize octets (the rest is cut).
template <typename Fill>
std::vector<Bytes> MakePackets(size_t count, uint32_t seed, Fill fill) {
  std::mt19937 rng(seed);
  std::vector<Bytes> packets;
  for (size_t i = 0; i < count; ++i) {
    Bytes p;
    fill(p, rng, i);
    p.resize(kPacketSize);
    packets.push_back(std::move(p));
  }
  return packets;
}

// Words drawn from `words` until `p` holds `until` octets (or more).
inline void AppendWords(Bytes& p, std::mt19937& rng, std::span<const std::string_view> words,
                        size_t until) {
  while (p.size() < until) {
    const std::string_view w = words[rng() % words.size()];
    p.insert(p.end(), w.begin(), w.end());
  }
}

// Random octets (incompressible) until `p` holds `until`.
inline void AppendNoise(Bytes& p, std::mt19937& rng, size_t until) {
  while (p.size() < until) p.push_back(static_cast<uint8_t>(rng()));
}

// Little-endian 32-bit counters from `first`, each a random 0..step-1 above
// the one before, until `p` holds `until` octets (or up to 3 more).
inline void AppendCounters(Bytes& p, std::mt19937& rng, uint32_t first, uint32_t step,
                           size_t until) {
  for (uint32_t v = first; p.size() < until; v += rng() % step) {
    for (int b = 0; b < 4; ++b) p.push_back(static_cast<uint8_t>(v >> (8 * b)));
  }
}

inline void Load(Packet& p, std::span<const uint8_t> src) {
  p.Resize(src.size());
  std::copy(src.begin(), src.end(), p.span().begin());
}

// One packet as the encoder sent it: a datagram of the method, or the
// packet itself (EncodeResult::kUncompressed).
struct WirePacket {
  bool datagram;
  Bytes bytes;
};

// One pass of `packets` (protocol 0x0021) through `enc`.
inline std::vector<WirePacket> EncodeAll(Encoder& enc, const std::vector<Bytes>& packets) {
  std::vector<WirePacket> wire;
  for (const Bytes& src : packets) {
    Packet p = Packet::Copy(src);
    const bool datagram = enc.Encode(0x0021, p) == EncodeResult::kDatagram;
    wire.push_back({datagram, Bytes(p.span().begin(), p.span().end())});
  }
  return wire;
}

// Encodes `packets` round and round, refilling one Packet each time (the
// copy is part of what is measured). Bytes processed: kPacketSize each.
inline void RunEncode(benchmark::State& state, Encoder& enc, const std::vector<Bytes>& packets,
                      size_t packet_room) {
  Packet p(packet_room);
  size_t i = 0;
  for (auto _ : state) {
    Load(p, packets[i++ % packets.size()]);
    benchmark::DoNotOptimize(enc.Encode(0x0021, p));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}

// Decodes one encoder's pass (EncodeAll) round and round, starting over
// from an empty history (ResetAcked) each time round; packets sent as they
// were go to Incompressible, as the bundle does.
inline void RunDecode(benchmark::State& state, Decoder& dec, const std::vector<WirePacket>& wire,
                      size_t packet_room) {
  Packet p(packet_room);
  size_t i = 0;
  for (auto _ : state) {
    if (i % wire.size() == 0) dec.ResetAcked();
    const WirePacket& w = wire[i++ % wire.size()];
    Load(p, w.bytes);
    if (w.datagram) {
      if (dec.Decode(p).kind != DecodeResult::Kind::kOk) {
        state.SkipWithError("decode failed");
        break;
      }
    } else {
      dec.Incompressible(0x0021, p.span());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPacketSize));
}

}  // namespace mlppp::ppp::ccp::bench
