// Test data and one-packet helpers shared by the CCP/ECP codec tests
// (deflate, pred1, mppc, dese): octet strings from text and packets,
// seeded text and noise, and encoding or decoding a single packet through
// the ccp::Encoder/Decoder interface. Each generator draws from the caller's
// generator in a fixed order, so a seed gives the same data every run.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp {

using Bytes = std::vector<uint8_t>;

inline Bytes Of(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes ToBytes(const Packet& p) { return Bytes(p.span().begin(), p.span().end()); }

// `n` octets of words drawn from `words` (the last one cut short).
inline Bytes Text(std::mt19937& rng, size_t n, std::span<const std::string_view> words) {
  Bytes b;
  while (b.size() < n) {
    const std::string_view w = words[rng() % words.size()];
    b.insert(b.end(), w.begin(), w.end());
  }
  b.resize(n);
  return b;
}

// `n` random octets: incompressible.
inline Bytes Random(std::mt19937& rng, size_t n) {
  Bytes b(n);
  for (auto& c : b) c = static_cast<uint8_t>(rng());
  return b;
}

// Encodes `info` of `protocol` as one datagram (anything else fails the test).
inline Bytes EncodeDatagram(Encoder& e, uint16_t protocol, const Bytes& info) {
  Packet p = Packet::Copy(info);
  EXPECT_EQ(e.Encode(protocol, p), EncodeResult::kDatagram);
  return ToBytes(p);
}

// Decodes one datagram; `out`, when given, gets what the packet holds after.
inline DecodeResult DecodeBytes(Decoder& d, const Bytes& datagram, Bytes* out = nullptr) {
  Packet p = Packet::Copy(datagram);
  DecodeResult r = d.Decode(p);
  if (out) *out = ToBytes(p);
  return r;
}

}  // namespace mlppp::ppp::ccp
