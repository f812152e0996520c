// PPPoE wire formats (RFC 2516 §4): the Discovery packet (ethertype 0x8863)
// as a value type with its TAGs (RFC 2516 Appendix A, RFC 4638 §4), and the
// Session-stage header (ethertype 0x8864). Parsing never reads past the
// frame; every error a peer can cause is a ParseError value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "core/result.h"

namespace mlppp::link::pppoe {

// RFC 2516 §4: Ethernet types.
inline constexpr uint16_t kEtherTypeDiscovery = 0x8863;
inline constexpr uint16_t kEtherTypeSession = 0x8864;
// RFC 2516 §4: VER and TYPE are both 1, packed in the first octet.
inline constexpr uint8_t kVerType = 0x11;
inline constexpr size_t kHeaderSize = 6;
// RFC 2516 §7: 1500-byte Ethernet payload minus the PPPoE header (6) and the
// PPP protocol field (2).
inline constexpr uint16_t kDefaultMaxPayload = 1492;
// Largest PPPoE payload we build or accept (a 1500-byte Ethernet payload
// minus the PPPoE header). Larger frames need RFC 4638 and are checked by
// the session code, not the discovery codec.
inline constexpr size_t kMaxDiscoveryPayload = 1494;

// RFC 2516 §5: the CODE field.
enum class Code : uint8_t {
  kSession = 0x00,  // §6: session data
  kPADI = 0x09,     // §5.1
  kPADO = 0x07,     // §5.2
  kPADR = 0x19,     // §5.3
  kPADS = 0x65,     // §5.4
  kPADT = 0xa7,     // §5.5
};
std::string_view CodeName(Code c);
bool IsDiscoveryCode(uint8_t c);

// RFC 2516 Appendix A, RFC 4638 §4: TAG_TYPE values.
enum class Tag : uint16_t {
  kEndOfList = 0x0000,
  kServiceName = 0x0101,
  kAcName = 0x0102,
  kHostUniq = 0x0103,
  kAcCookie = 0x0104,
  kVendorSpecific = 0x0105,
  kRelaySessionId = 0x0110,
  kPppMaxPayload = 0x0120,  // RFC 4638 §4
  kServiceNameError = 0x0201,
  kAcSystemError = 0x0202,
  kGenericError = 0x0203,
};
std::string_view TagName(uint16_t tag);

enum class ParseError : uint8_t {
  kOk,
  kShortHeader,     // fewer than 6 bytes
  kBadVersionType,  // VER/TYPE not 1/1 (§4)
  kBadCode,         // not a Discovery code / not 0 on a session frame
  kLengthOverrun,   // LENGTH runs past the frame
  kTagOverrun,      // a TAG header or value runs past LENGTH
  kBadTagLength,    // a fixed-size TAG (PPP-Max-Payload) with the wrong length
  kTooLarge,        // serialize: payload would not fit an Ethernet frame
};
std::string_view ParseErrorName(ParseError e);

using Bytes = std::vector<uint8_t>;

// One Discovery packet (RFC 2516 §5). Absent TAGs are nullopt/empty.
struct Discovery {
  Code code = Code::kPADI;
  uint16_t session_id = 0;
  // Service-Name: §5.1 requires exactly one in PADI/PADR; a PADO may carry
  // several (§5.2), the first goes here and the rest in more_service_names.
  std::optional<std::string> service_name;
  std::vector<std::string> more_service_names;
  std::optional<std::string> ac_name;
  std::optional<Bytes> host_uniq;
  std::optional<Bytes> ac_cookie;
  std::optional<Bytes> relay_session_id;
  std::vector<Bytes> vendor_specific;       // passed through, value as sent
  std::optional<uint16_t> ppp_max_payload;  // RFC 4638
  std::optional<std::string> service_name_error;
  std::optional<std::string> ac_system_error;
  std::optional<std::string> generic_error;
  struct UnknownTag {
    uint16_t type = 0;
    Bytes value;
    bool operator==(const UnknownTag&) const = default;
  };
  std::vector<UnknownTag> unknown;

  bool operator==(const Discovery&) const = default;
  // The first error TAG's text, if any ("Service-Name-Error: ...").
  std::optional<std::string> ErrorText() const;
};

// Parses a Discovery packet starting at the PPPoE header (Ethernet header
// already removed; trailing Ethernet padding beyond LENGTH is ignored).
// Parsing stops at an End-Of-List TAG (Appendix A). When a TAG that may
// appear once appears again, the first one wins.
ParseError ParseDiscovery(std::span<const uint8_t> frame, Discovery* out);

// Serializes header + TAGs. Fails with kTooLarge when the payload would
// exceed kMaxDiscoveryPayload or a TAG would exceed 65535 bytes.
ParseError SerializeDiscovery(const Discovery& d, Bytes* out);
Result<Packet> DiscoveryToPacket(const Discovery& d);

// RFC 2516 §6: the Session-stage header.
struct SessionHeader {
  uint8_t code = 0;
  uint16_t session_id = 0;
  uint16_t length = 0;
};
// Checks VER/TYPE and CODE 0, bounds LENGTH by the frame, and on success
// strips the header and the Ethernet padding after LENGTH from `frame`, so
// it starts at the PPP protocol field.
ParseError ParseSessionHeader(Packet& frame, SessionHeader* out);
// Prepends a Session header for `frame` (which starts at the PPP protocol
// field) in its headroom.
void PrependSessionHeader(Packet& frame, uint16_t session_id);

}  // namespace mlppp::link::pppoe
