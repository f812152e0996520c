// Feeds hostile Predictor-1 datagrams (RFC 1978 §3.2) to a Decoder, and
// checks that our Encoder's packets round-trip through a second one.
// Input: records <op octet><length (1 or 2 octets)><bytes>.
#include "ppp/ccp/pred1.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/packet.h"
#include "core/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  using namespace mlppp::ppp::ccp;
  WireReader r(std::span<const uint8_t>(data, size));
  auto hostile = std::move(MakePred1Decoder().value());
  auto enc = std::move(MakePred1Encoder().value());
  auto dec = std::move(MakePred1Decoder().value());
  while (r.ok() && !r.AtEnd()) {
    uint8_t op = r.U8();
    size_t len = (op & 0x80) ? r.U16() : r.U8();
    std::span<const uint8_t> chunk = r.Bytes(std::min(len, r.remaining()));
    switch (op & 0x3) {
      case 0: {  // a hostile datagram as it is
        Packet p = Packet::Copy(chunk);
        DecodeResult res = hostile->Decode(p);
        if (res.kind == DecodeResult::Kind::kResetNeeded) hostile->ResetAcked();
        if (res.kind == DecodeResult::Kind::kOk && p.size() > kPred1MaxLength) __builtin_trap();
        break;
      }
      case 1: {  // a hostile datagram with a correct FCS, to get past it
        // The FCS covers the length field with C clear and, for the
        // uncompressed form, exactly these octets.
        Packet p = Packet::Copy(chunk);
        if (!p.empty()) p.data()[0] &= 0x7f;
        uint16_t fcs = static_cast<uint16_t>(~PppFcs16(kPppInitFcs16, p.span()));
        uint8_t* t = p.Append(2);
        t[0] = static_cast<uint8_t>(fcs);
        t[1] = static_cast<uint8_t>(fcs >> 8);
        if (hostile->Decode(p).kind == DecodeResult::Kind::kResetNeeded) hostile->ResetAcked();
        break;
      }
      default: {  // round trip through our own pair
        uint16_t protocol = (op & 0x40) ? 0x0281 : 0x0021;
        Packet p = Packet::Copy(chunk);
        if (enc->Encode(protocol, p) != EncodeResult::kDatagram) __builtin_trap();
        DecodeResult res = dec->Decode(p);
        if (res.kind != DecodeResult::Kind::kOk || res.protocol != protocol ||
            p.size() != chunk.size() || !std::equal(chunk.begin(), chunk.end(), p.data())) {
          __builtin_trap();
        }
        break;
      }
    }
  }
  return 0;
}
