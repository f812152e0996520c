// L2TPv2 control messages (RFC 2661 §6) as value types: decoding a control
// message body (the AVPs after the 12-octet header) into typed fields, and
// encoding them back with the AVPs and M bits each message carries, hiding
// (§4.3) applied when configured. Tunnel authentication (§5.1.1) helper.
// See header.h for the folder overview.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "link/l2tp/avp.h"
#include "link/l2tp/header.h"

namespace mlppp::link::l2tp {

// §3.2 / §6: Message Type AVP values.
enum class MessageType : uint16_t {
  kSCCRQ = 1,
  kSCCRP = 2,
  kSCCCN = 3,
  kStopCCN = 4,
  kHELLO = 6,
  kOCRQ = 7,
  kOCRP = 8,
  kOCCN = 9,
  kICRQ = 10,
  kICRP = 11,
  kICCN = 12,
  kCDN = 14,
  kWEN = 15,
  kSLI = 16,
};
std::string_view MessageTypeName(uint16_t type);
bool IsKnownMessageType(uint16_t type);
// §4.1/§3.2: call-management and session-management messages concern one
// session; the others (control connection management) the whole tunnel.
bool IsSessionMessage(MessageType type);

// §4.4.3: Framing and Bearer Capabilities / Type bits.
inline constexpr uint32_t kFramingSync = 0x1;
inline constexpr uint32_t kFramingAsync = 0x2;
inline constexpr uint32_t kBearerDigital = 0x1;
inline constexpr uint32_t kBearerAnalog = 0x2;

// §4.4.2: Result Code values for StopCCN.
enum class StopCcnResult : uint16_t {
  kClear = 1,
  kGeneralError = 2,
  kChannelExists = 3,
  kNotAuthorized = 4,
  kBadProtocolVersion = 5,
  kShuttingDown = 6,
  kFsmError = 7,
};
std::string_view StopCcnResultName(uint16_t result);
// §4.4.2: Result Code values for CDN.
enum class CdnResult : uint16_t {
  kLostCarrier = 1,
  kGeneralError = 2,
  kAdministrative = 3,
  kTemporaryNoResources = 4,
  kPermanentNoResources = 5,
  kInvalidDestination = 6,
  kNoCarrier = 7,
  kBusy = 8,
  kNoDialTone = 9,
  kTimeout = 10,
  kNoFraming = 11,
};
std::string_view CdnResultName(uint16_t result);
// §4.4.2: General Error Codes.
enum class ErrorCode : uint16_t {
  kNoError = 0,
  kNoControlConnection = 1,
  kBadLength = 2,
  kBadValue = 3,
  kNoResources = 4,
  kBadSessionId = 5,
  kVendorSpecific = 6,
  kTryAnother = 7,
  kUnknownMandatoryAvp = 8,
};
std::string_view ErrorCodeName(uint16_t code);
// §4.4.5: Proxy Authen Type values.
enum class ProxyAuthenType : uint16_t {
  kReserved = 0,
  kTextual = 1,
  kChap = 2,
  kPap = 3,
  kNone = 4,
  kMsChapV1 = 5,
};
std::string_view ProxyAuthenTypeName(uint16_t type);

struct ProtocolVersion {  // §4.4.3: 1.0 for RFC 2661
  uint8_t version = 1;
  uint8_t revision = 0;
  bool operator==(const ProtocolVersion&) const = default;
};
struct ResultCode {  // §4.4.2
  uint16_t result = 0;
  std::optional<uint16_t> error;  // present when the AVP has 4+ octets
  std::string message;            // Error Message, after the error code
  bool operator==(const ResultCode&) const = default;
};
struct Q931Cause {  // §4.4.2
  uint16_t cause = 0;
  uint8_t message = 0;
  std::string advisory;
  bool operator==(const Q931Cause&) const = default;
};
struct CallErrors {  // §4.4.6 (WEN)
  uint32_t crc = 0;
  uint32_t framing = 0;
  uint32_t hardware_overruns = 0;
  uint32_t buffer_overruns = 0;
  uint32_t timeouts = 0;
  uint32_t alignment = 0;
  bool operator==(const CallErrors&) const = default;
};
struct Accm {  // §4.4.6 (SLI)
  uint32_t send = 0xffffffff;
  uint32_t receive = 0xffffffff;
  bool operator==(const Accm&) const = default;
};

// One decoded control message: absent AVPs are nullopt. The Random Vector
// is not a field: the codec consumes it (decode) or makes it (encode).
struct ControlMessage {
  MessageType type = MessageType::kHELLO;
  // §4.4.3 control connection management.
  std::optional<ProtocolVersion> protocol_version;
  std::optional<uint32_t> framing_capabilities;
  std::optional<uint32_t> bearer_capabilities;
  std::optional<uint64_t> tie_breaker;  // 8 octets, compared as one number
  std::optional<uint16_t> firmware_revision;
  std::optional<std::string> host_name;
  std::optional<std::string> vendor_name;
  std::optional<uint16_t> assigned_tunnel_id;
  std::optional<uint16_t> receive_window_size;
  std::optional<Bytes> challenge;
  std::optional<Bytes> challenge_response;  // 16 octets
  // §4.4.2 result and error codes.
  std::optional<ResultCode> result_code;
  std::optional<Q931Cause> q931_cause;
  // §4.4.4 call management.
  std::optional<uint16_t> assigned_session_id;
  std::optional<uint32_t> call_serial_number;
  std::optional<uint32_t> minimum_bps;
  std::optional<uint32_t> maximum_bps;
  std::optional<uint32_t> bearer_type;
  std::optional<uint32_t> framing_type;
  std::optional<std::string> called_number;
  std::optional<std::string> calling_number;
  std::optional<std::string> sub_address;
  std::optional<uint32_t> tx_connect_speed;
  std::optional<uint32_t> rx_connect_speed;
  std::optional<uint32_t> physical_channel_id;
  std::optional<Bytes> private_group_id;
  bool sequencing_required = false;
  // §4.4.5 proxy LCP and authentication.
  std::optional<Bytes> initial_received_lcp_confreq;
  std::optional<Bytes> last_sent_lcp_confreq;
  std::optional<Bytes> last_received_lcp_confreq;
  std::optional<uint16_t> proxy_authen_type;
  std::optional<std::string> proxy_authen_name;
  std::optional<Bytes> proxy_authen_challenge;
  std::optional<uint8_t> proxy_authen_id;
  std::optional<Bytes> proxy_authen_response;
  // §4.4.6 call status.
  std::optional<CallErrors> call_errors;
  std::optional<Accm> accm;
  // Unrecognized AVPs without the M bit (vendor AVPs, future types),
  // ignored as §4.1 allows, kept for logging. Encoded verbatim at the end.
  std::vector<Avp> unknown;

  bool operator==(const ControlMessage&) const = default;
};

// The shared tunnel secret (mpd5 `set l2tp secret`), used to unhide AVPs
// and, with hide_outgoing (`enable hidden`), to hide the ones §4.4 allows.
// Never logged.
struct HidingContext {
  std::string secret;
  bool hide_outgoing = false;
};

// Fills the span with random octets (injected: protocol code reads no
// /dev/urandom).
using RandomFill = std::function<void(std::span<uint8_t>)>;
inline constexpr size_t kRandomVectorSize = 16;

enum class DecodeError : uint8_t {
  kOk,
  kEmpty,                 // no AVPs: a ZLB ACK (§5.8), not a message
  kBadAvp,                // AVP framing broken (DecodeResult::avp_error)
  kNoMessageType,         // first AVP is not a plain Message Type (§4.4.1)
  kUnknownMessageType,    // Message Type value we do not know
  kUnknownMandatoryAvp,   // unrecognized AVP with M set (§4.1, §4.2)
  kBadAvpLength,          // known AVP with a value length §4.4 forbids
  kBadAvpValue,           // known AVP whose value does not parse
  kHiddenNoSecret,        // hidden mandatory AVP and no secret configured
  kHiddenNoRandomVector,  // hidden AVP before any Random Vector (§4.3)
  kBadHiddenAvp,          // unhiding failed (wrong secret?)
  kMissingMandatoryAvp,   // an AVP §6 requires for this message is absent
};
std::string_view DecodeErrorName(DecodeError e);

// What the receiver must tear down after a failed decode (§4.1: the session
// for a session message, the tunnel for a tunnel message; §4.4.1: the
// tunnel for an unknown Message Type with M set, nothing without).
enum class Teardown : uint8_t { kNone, kSession, kTunnel };
std::string_view TeardownName(Teardown t);

struct DecodeResult {
  DecodeError error = DecodeError::kOk;
  AvpError avp_error = AvpError::kOk;  // detail for kBadAvp, kBadHiddenAvp
  uint16_t message_type = 0;           // Message Type value, 0 when unread
  uint16_t avp_vendor = 0;             // the offending (or missing) AVP
  uint16_t avp_type = 0;
  Teardown teardown = Teardown::kNone;
  // §4.4.2 General Error Code for the StopCCN/CDN the caller sends.
  ErrorCode error_code = ErrorCode::kNoError;

  bool ok() const { return error == DecodeError::kOk; }
  // One log line: "ICRQ: unknown-mandatory-avp 311/5 (tear down session)".
  std::string Describe() const;
};

// Decodes a control message body (the payload ParseHeader returns for a
// T=1 message). The first AVP must be Message Type (§4.4.1); hidden AVPs
// are unhidden with `hide->secret` and the latest preceding Random Vector
// (§4.3); duplicates of an AVP are ignored (the first wins); the AVPs §6
// requires are checked. `hide` may be null (no secret). On error *out
// holds what was decoded so far.
DecodeResult DecodeControl(std::span<const uint8_t> body, const HidingContext* hide,
                           ControlMessage* out);

// Encodes the body: Message Type first, then, in §6 order, the AVPs that
// message carries and that are set (fields a message does not carry are
// not sent), then `unknown`. M bits as §4.4 says. When hide->hide_outgoing
// and a secret is set, every AVP §4.4 allows to be hidden is hidden, after
// one Random Vector AVP from `random` (an AVP that would outgrow 1023
// octets hidden is sent in the clear). Fails when an AVP §6 requires is
// unset, a value has a length §4.4 forbids, or the body exceeds
// kMaxControlBody. A message DecodeControl accepted always encodes.
Result<Bytes> EncodeControl(const ControlMessage& m, const HidingContext* hide,
                            const RandomFill& random);

// §5.1.1 tunnel authentication: MD5(ID + secret + challenge), where the ID
// octet is the Message Type of the message carrying the response (2 for
// SCCRP, 3 for SCCCN).
std::array<uint8_t, 16> ChallengeResponse(uint8_t msg_type, std::span<const uint8_t> secret,
                                          std::span<const uint8_t> challenge);
std::array<uint8_t, 16> ChallengeResponse(MessageType msg_type, std::string_view secret,
                                          std::span<const uint8_t> challenge);

}  // namespace mlppp::link::l2tp
