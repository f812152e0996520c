#include "ppp/ccp/codec.h"

#include "core/wire.h"

namespace mlppp::ppp::ccp {

std::string_view EncodeResultName(EncodeResult r) {
  switch (r) {
    case EncodeResult::kDatagram:
      return "datagram";
    case EncodeResult::kUncompressed:
      return "uncompressed";
    case EncodeResult::kDrop:
      return "drop";
  }
  return "?";
}

std::optional<ProtocolField> ReadProtocolField(std::span<const uint8_t> data) {
  WireReader r(data);
  ProtocolField f{r.U8(), 1};
  if (!(f.protocol & 1)) {
    f.protocol = static_cast<uint16_t>(f.protocol << 8 | r.U8());
    f.length = 2;
  }
  if (!r.ok()) return std::nullopt;
  return f;
}

DecodeResult FinishDeferred(Packet& pkt) {
  // The protocol field: two octets as we send it; one when the peer applied
  // PFC inside (an odd first octet, RFC 1661 §6.5), which Linux accepts too.
  auto field = pkt.size() < 2 ? std::nullopt : ReadProtocolField(pkt.span());
  if (!field) return {DecodeResult::Kind::kDrop, 0, "payload too short"};
  pkt.Pull(field->length);
  return {DecodeResult::Kind::kOk, field->protocol, {}};
}

}  // namespace mlppp::ppp::ccp
