// Feeds hostile Encrypted datagrams (RFC 1968 §4, RFC 1969 §5, RFC 2419 §5)
// to a DESE and a DESE-bis decoder that keep their state across the input,
// as <control octet><length octet><bytes> records. Control bit 0: instead,
// send the bytes (after a protocol taken from them) through an encoder and
// check its own decoder gets them back. Bit 1: give the hostile datagram the
// sequence number the decoders expect, so its ciphertext is decrypted and
// its padding and protocol field are parsed. No input may crash a decoder
// or make it read or write out of bounds.
#include "ppp/ecp/dese.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "core/packet.h"

namespace {

using namespace mlppp;
using Kind = ppp::ccp::DecodeResult::Kind;

struct Codecs {
  std::unique_ptr<ppp::ccp::Encoder> enc;
  std::unique_ptr<ppp::ccp::Decoder> loop_dec;  // decodes enc's datagrams
  std::unique_ptr<ppp::ccp::Decoder> hostile_dec;
  uint16_t next_seq = 0;  // what hostile_dec expects
  bool bis = false;
};

Codecs Make(bool bis) {
  ppp::ecp::DeseParams p;
  p.bis = bis;
  static const auto key = ppp::ecp::DeseKeyFromSecret("fuzz");
  p.key = key;
  p.nonce = {1, 2, 3, 4, 5, 6, 7, 8};
  auto e = ppp::ecp::MakeDeseEncoder(p);
  auto d1 = ppp::ecp::MakeDeseDecoder(p);
  auto d2 = ppp::ecp::MakeDeseDecoder(p);
  if (!e.ok() || !d1.ok() || !d2.ok()) abort();
  return {std::move(*e), std::move(*d1), std::move(*d2), 0, bis};
}

void RoundTrip(Codecs& c, std::span<const uint8_t> bytes) {
  uint16_t protocol = 0x0021;
  if (bytes.size() >= 2) {
    // An odd protocol number with an even first octet (RFC 1661 §2).
    protocol = static_cast<uint16_t>((bytes[0] & 0xfe) << 8 | bytes[1] | 1);
    bytes = bytes.subspan(2);
  }
  Packet p = Packet::Copy(bytes);
  if (c.enc->Encode(protocol, p) != ppp::ccp::EncodeResult::kDatagram) abort();
  auto r = c.loop_dec->Decode(p);
  if (r.kind != Kind::kOk || r.protocol != protocol) abort();
  auto out = p.span();
  if (out.size() < bytes.size() || out.size() - bytes.size() >= 8) abort();
  if (c.bis && out.size() != bytes.size()) abort();
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] != (i < bytes.size() ? bytes[i] : 0)) abort();
  }
}

void Hostile(Codecs& c, std::span<const uint8_t> bytes, bool expected_seq) {
  Packet p = Packet::Copy(bytes);
  if (expected_seq && p.size() >= 2) {
    p.span()[0] = static_cast<uint8_t>(c.next_seq >> 8);
    p.span()[1] = static_cast<uint8_t>(c.next_seq);
  }
  uint16_t seq = p.size() >= 2 ? static_cast<uint16_t>(p.span()[0] << 8 | p.span()[1]) : 0;
  auto r = c.hostile_dec->Decode(p);
  if (r.why != "bad length") c.next_seq = static_cast<uint16_t>(seq + 1);
  if (r.kind == Kind::kOk && (p.size() + 3 > bytes.size() || (r.protocol & 1) == 0)) abort();
  if (r.kind != Kind::kOk && r.why.empty()) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Codecs codecs[2] = {Make(false), Make(true)};
  std::span<const uint8_t> in(data, size);
  while (in.size() >= 2) {
    const uint8_t control = in[0];
    const size_t n = std::min<size_t>(in[1], in.size() - 2);
    auto bytes = in.subspan(2, n);
    in = in.subspan(2 + n);
    for (Codecs& c : codecs) {
      if (control & 1) {
        RoundTrip(c, bytes);
      } else {
        Hostile(c, bytes, control & 2);
      }
    }
  }
  return 0;
}
