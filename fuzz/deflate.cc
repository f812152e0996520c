// Feeds hostile Compressed Datagrams (RFC 1979 §2.1) to a Deflate Decoder,
// and checks that our Encoder's packets round-trip through a second one.
// Input: <window octet> then records <op octet><length (1 or 2 octets)><bytes>.
#include "ppp/ccp/deflate.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/packet.h"
#include "core/wire.h"

namespace {

using namespace mlppp;
using namespace mlppp::ppp::ccp;

constexpr size_t kMaxInfo = 4096;

// The sequence number the hostile Decoder expects, so that most records
// reach inflate rather than stopping at the sequence check.
struct Tracked {
  std::unique_ptr<Decoder> dec;
  uint16_t seq = 0;
  void Reset() {
    dec->ResetAcked();
    seq = 0;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  WireReader r(std::span<const uint8_t>(data, size));
  int wbits = kDeflateMinWindowBits + r.U8() % 7;
  Tracked hostile{
      std::move(MakeDeflateDecoder({.window_bits = wbits, .max_info = kMaxInfo}).value())};
  auto enc = std::move(MakeDeflateEncoder({.window_bits = wbits}).value());
  auto dec = std::move(MakeDeflateDecoder({.window_bits = wbits}).value());
  while (r.ok() && !r.AtEnd()) {
    uint8_t op = r.U8();
    size_t len = (op & 0x80) ? r.U16() : r.U8();
    std::span<const uint8_t> chunk = r.Bytes(std::min(len, r.remaining()));
    uint16_t protocol = (op & 0x40) ? 0x0281 : 0x0021;
    switch (op & 0x7) {
      case 0:
      case 1: {  // a hostile datagram, with the expected sequence number
        Packet p = Packet::Copy(chunk);
        uint8_t* seq = p.Prepend(2);
        seq[0] = static_cast<uint8_t>(hostile.seq >> 8);
        seq[1] = static_cast<uint8_t>(hostile.seq);
        DecodeResult res = hostile.dec->Decode(p);
        if (res.kind != DecodeResult::Kind::kResetNeeded) ++hostile.seq;  // took its number
        if (res.kind == DecodeResult::Kind::kOk) {
          if (p.size() > kMaxInfo) __builtin_trap();
        } else if (res.kind == DecodeResult::Kind::kResetNeeded) {
          hostile.Reset();
        }
        break;
      }
      case 2: {  // a hostile datagram as it is
        Packet p = Packet::Copy(chunk);
        if (hostile.dec->Decode(p).kind == DecodeResult::Kind::kOk) {
          ++hostile.seq;
        } else {
          hostile.Reset();
        }
        break;
      }
      case 3:
        hostile.dec->Incompressible(protocol, chunk);
        if (DeflateCoversProtocol(protocol)) ++hostile.seq;
        break;
      default: {  // round trip through our own pair
        Packet p = Packet::Copy(chunk);
        EncodeResult er = enc->Encode(protocol, p);
        if (er == EncodeResult::kUncompressed) {
          dec->Incompressible(protocol, p.span());
        } else if (er == EncodeResult::kDatagram) {
          DecodeResult res = dec->Decode(p);
          if (res.kind != DecodeResult::Kind::kOk || res.protocol != protocol ||
              p.size() != chunk.size() || !std::equal(chunk.begin(), chunk.end(), p.data())) {
            __builtin_trap();
          }
        } else {
          __builtin_trap();
        }
        break;
      }
    }
  }
  return 0;
}
