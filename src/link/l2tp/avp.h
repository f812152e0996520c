// L2TPv2 AVPs (RFC 2661 §4.1), their attribute types (§4.4) and AVP
// hiding (§4.3). See header.h for the folder overview.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "link/l2tp/header.h"

namespace mlppp::link::l2tp {

// §4.1: the first 16 bits of an AVP.
inline constexpr uint16_t kAvpMandatory = 0x8000;  // M
inline constexpr uint16_t kAvpHidden = 0x4000;     // H
inline constexpr uint16_t kAvpReserved = 0x3c00;
inline constexpr uint16_t kAvpLengthMask = 0x03ff;
inline constexpr size_t kAvpHeaderSize = 6;
inline constexpr size_t kMaxAvpValue = kAvpLengthMask - kAvpHeaderSize;  // 1017
// §4.1: Vendor ID 0 is the IETF attribute space.
inline constexpr uint16_t kVendorIetf = 0;

// §4.4: the IETF attribute types of RFC 2661.
enum class AvpType : uint16_t {
  kMessageType = 0,
  kResultCode = 1,
  kProtocolVersion = 2,
  kFramingCapabilities = 3,
  kBearerCapabilities = 4,
  kTieBreaker = 5,
  kFirmwareRevision = 6,
  kHostName = 7,
  kVendorName = 8,
  kAssignedTunnelId = 9,
  kReceiveWindowSize = 10,
  kChallenge = 11,
  kQ931CauseCode = 12,
  kChallengeResponse = 13,
  kAssignedSessionId = 14,
  kCallSerialNumber = 15,
  kMinimumBps = 16,
  kMaximumBps = 17,
  kBearerType = 18,
  kFramingType = 19,
  // Not in RFC 2661's final list: Packet Processing Delay from the L2TP
  // drafts (xl2tpd still has an encoder for it). Accepted and ignored, so
  // an old LAC setting its M bit does not get its session torn down.
  kPacketProcessingDelay = 20,
  kCalledNumber = 21,
  kCallingNumber = 22,
  kSubAddress = 23,
  kTxConnectSpeed = 24,
  kPhysicalChannelId = 25,
  kInitialReceivedLcpConfReq = 26,
  kLastSentLcpConfReq = 27,
  kLastReceivedLcpConfReq = 28,
  kProxyAuthenType = 29,
  kProxyAuthenName = 30,
  kProxyAuthenChallenge = 31,
  kProxyAuthenId = 32,
  kProxyAuthenResponse = 33,
  kCallErrors = 34,
  kAccm = 35,
  kRandomVector = 36,
  kPrivateGroupId = 37,
  kRxConnectSpeed = 38,
  kSequencingRequired = 39,
};
// Name of an IETF attribute type ("Host Name"); "unknown-avp" otherwise.
std::string_view AvpTypeName(uint16_t type);

// What §4.4 says of each IETF AVP: the M bit we send, whether it may be
// hidden, and the value length range we accept.
struct AvpInfo {
  AvpType type;
  std::string_view name;
  bool mandatory;
  bool may_hide;
  uint16_t min_len;
  uint16_t max_len;
};
// nullptr for vendor AVPs and unassigned IETF types.
const AvpInfo* FindAvpInfo(uint16_t vendor_id, uint16_t type);

// One AVP as it is on the wire; `value` is the Attribute Value as sent
// (still hidden when `hidden`).
struct Avp {
  bool mandatory = false;
  bool hidden = false;
  uint16_t reserved_bits = 0;  // the reserved bits as received (§4.1), normally 0
  uint16_t vendor_id = kVendorIetf;
  uint16_t type = 0;
  Bytes value;

  bool operator==(const Avp&) const = default;
};

enum class AvpError : uint8_t {
  kOk,
  kShortHeader,      // fewer than 6 octets left for an AVP header
  kBadLength,        // Length < 6 (§4.1)
  kOverrun,          // Length runs past the message
  kTooLong,          // encode: value longer than 1017 octets
  kHiddenTooShort,   // hidden value shorter than its 2-octet length field
  kHiddenBadLength,  // unhidden Original Length exceeds the value (wrong secret?)
};
std::string_view AvpErrorName(AvpError e);

// Splits a control message body into AVPs. Reserved bits are reported in
// Avp::reserved_bits, not rejected: §4.1 says such an AVP MUST be treated as
// unrecognized, which is the decoder's decision (M bit). On error *out holds
// the AVPs before the bad one.
AvpError ParseAvps(std::span<const uint8_t> body, std::vector<Avp>* out);
// Appends one AVP (flags, Length, Vendor ID, Attribute Type, value).
AvpError EncodeAvp(const Avp& avp, Bytes* out);

// MD5 over the concatenation of `parts` (OpenSSL EVP).
std::array<uint8_t, 16> Md5(std::initializer_list<std::span<const uint8_t>> parts);

// §4.3: hides `value` of an AVP of attribute `type`. The result is the new
// Attribute Value: Original Length (2), value, `padding`, XORed with the
// MD5 chain: b1 = MD5(type(2) + secret + random_vector), then
// bi = MD5(secret + c(i-1)) over the previous 16 ciphertext octets.
Bytes HideValue(uint16_t type, std::span<const uint8_t> value, std::span<const uint8_t> secret,
                std::span<const uint8_t> random_vector, std::span<const uint8_t> padding = {});
// The inverse: recovers the original value (padding dropped).
AvpError UnhideValue(uint16_t type, std::span<const uint8_t> hidden,
                     std::span<const uint8_t> secret, std::span<const uint8_t> random_vector,
                     Bytes* out);

}  // namespace mlppp::link::l2tp
