// EAP packet codec (RFC 3748 §4, §5) for PPP protocol 0xc227. Value types
// only: no state, no I/O. The method logic is in eap.h.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/packet.h"

namespace mlppp::ppp {

// RFC 3748 §4 packet codes.
enum class EapCode : uint8_t { kRequest = 1, kResponse = 2, kSuccess = 3, kFailure = 4 };
std::string_view EapCodeName(uint8_t code);

// RFC 3748 §5 method types we act on; every other type is kept as its number
// (and passed through to the back end in radius-proxy mode).
enum class EapType : uint8_t {
  kIdentity = 1,
  kNotification = 2,
  kNak = 3,  // legacy Nak, Response only (RFC 3748 §5.3.1)
  kMd5Challenge = 4,
};
// Names for the IANA types seen in practice (TLS, TTLS, PEAP, ...), so logs
// of passed-through methods are readable; "unknown" otherwise.
std::string_view EapTypeName(uint8_t type);

// One EAP packet. Request/Response (RFC 3748 §4.1) carry a Type and
// Type-Data; Success/Failure (§4.2) carry neither (`type` is 0, `data`
// holds any octets inside Length, normally none).
struct EapPacket {
  uint8_t code = 0;
  uint8_t id = 0;
  uint8_t type = 0;
  std::vector<uint8_t> data;  // Type-Data
  bool operator==(const EapPacket&) const = default;
};

inline bool IsRequestOrResponse(uint8_t code) {
  return code == static_cast<uint8_t>(EapCode::kRequest) ||
         code == static_cast<uint8_t>(EapCode::kResponse);
}

// Octets beyond Length are link-layer padding and ignored (RFC 3748 §4). A
// Length below 4 or past the buffer, a Request/Response without its Type
// octet, or a code other than 1..4 is an error (nullopt).
std::optional<EapPacket> ParseEapPacket(std::span<const uint8_t> info);
// The whole packet as bytes; Type-Data is truncated so Length fits 16 bits.
std::vector<uint8_t> SerializeEapBytes(const EapPacket& p);
Packet SerializeEapPacket(const EapPacket& p);

// MD5-Challenge Type-Data (RFC 3748 §5.4, laid out as CHAP's RFC 1994 §4.1):
// Value-Size, Value, Name (the rest).
struct EapMd5Data {
  std::vector<uint8_t> value;
  std::string name;
  bool operator==(const EapMd5Data&) const = default;
};
// nullopt when Value-Size is missing or runs past the Type-Data.
std::optional<EapMd5Data> ParseEapMd5Data(std::span<const uint8_t> data);
// Value is truncated to 255 octets.
std::vector<uint8_t> SerializeEapMd5Data(const EapMd5Data& d);

}  // namespace mlppp::ppp
