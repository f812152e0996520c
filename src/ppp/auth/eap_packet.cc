#include "ppp/auth/eap_packet.h"

#include <algorithm>

#include "core/wire.h"

namespace mlppp::ppp {
namespace {

constexpr size_t kHeaderLen = 4;
constexpr size_t kMaxPacket = 0xffff;

}  // namespace

std::string_view EapCodeName(uint8_t code) {
  switch (static_cast<EapCode>(code)) {
    case EapCode::kRequest:
      return "Request";
    case EapCode::kResponse:
      return "Response";
    case EapCode::kSuccess:
      return "Success";
    case EapCode::kFailure:
      return "Failure";
  }
  return "unknown";
}

std::string_view EapTypeName(uint8_t type) {
  // IANA "Extensible Authentication Protocol (EAP) Registry", Method Types.
  switch (type) {
    case 1:
      return "Identity";
    case 2:
      return "Notification";
    case 3:
      return "Nak";
    case 4:
      return "MD5-Challenge";
    case 5:
      return "OTP";
    case 6:
      return "GTC";
    case 13:
      return "TLS";
    case 17:
      return "LEAP";
    case 18:
      return "SIM";
    case 21:
      return "TTLS";
    case 23:
      return "AKA";
    case 25:
      return "PEAP";
    case 26:
      return "MSCHAPv2";
    case 43:
      return "FAST";
    case 50:
      return "AKA'";
    case 52:
      return "PWD";
    case 254:
      return "Expanded";
    case 255:
      return "Experimental";
    default:
      return "unknown";
  }
}

std::optional<EapPacket> ParseEapPacket(std::span<const uint8_t> info) {
  WireReader r(info);
  EapPacket p;
  p.code = r.U8();
  p.id = r.U8();
  uint16_t length = r.U16();
  if (!r.ok() || length < kHeaderLen || length > info.size()) return std::nullopt;
  WireReader body = r.Sub(length - kHeaderLen);
  switch (static_cast<EapCode>(p.code)) {
    case EapCode::kRequest:
    case EapCode::kResponse:
      // RFC 3748 §4.1: Type is mandatory in a Request/Response.
      p.type = body.U8();
      break;
    case EapCode::kSuccess:
    case EapCode::kFailure:
      break;
    default:
      return std::nullopt;
  }
  auto rest = body.Rest();
  if (!body.ok()) return std::nullopt;
  p.data.assign(rest.begin(), rest.end());
  return p;
}

std::vector<uint8_t> SerializeEapBytes(const EapPacket& p) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.U8(p.code);
  w.U8(p.id);
  size_t len_at = w.Reserve16();
  if (IsRequestOrResponse(p.code)) w.U8(p.type);
  size_t n = std::min(p.data.size(), kMaxPacket - w.size());
  w.Bytes(std::span(p.data).first(n));
  w.Patch16(len_at, static_cast<uint16_t>(w.size()));
  return out;
}

Packet SerializeEapPacket(const EapPacket& p) { return Packet::Copy(SerializeEapBytes(p)); }

std::optional<EapMd5Data> ParseEapMd5Data(std::span<const uint8_t> data) {
  WireReader r(data);
  uint8_t size = r.U8();
  auto value = r.Bytes(size);
  if (!r.ok()) return std::nullopt;
  EapMd5Data d;
  d.value.assign(value.begin(), value.end());
  d.name = r.String(r.remaining());
  return d;
}

std::vector<uint8_t> SerializeEapMd5Data(const EapMd5Data& d) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  size_t n = std::min<size_t>(d.value.size(), 255);
  w.U8(static_cast<uint8_t>(n));
  w.Bytes(std::span(d.value).first(n));
  w.String(d.name);
  return out;
}

}  // namespace mlppp::ppp
