// PPTP control connection wire format (RFC 2637 §1.4, §2): the fifteen
// control messages carried over TCP port 1723, as value types, with a
// decoder, an encoder and a Framer that cuts the TCP byte stream into
// messages. No I/O. Every error a peer can cause is a DecodeError value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mlppp::link::pptp {

using Bytes = std::vector<uint8_t>;

// RFC 2637 §1.4: the TCP port of the control connection.
inline constexpr uint16_t kControlPort = 1723;
// RFC 2637 §2: every message starts with this 12-octet header.
inline constexpr size_t kHeaderSize = 12;
// §2: PPTP Message Type 1 is a control message (2, management, is not used).
inline constexpr uint16_t kMessageTypeControl = 1;
// §2: the Magic Cookie, always 0x1A2B3C4D; a mismatch means a broken stream.
inline constexpr uint32_t kMagicCookie = 0x1A2B3C4D;
// §2.1: Protocol Version 1, revision 0.
inline constexpr uint16_t kProtocolVersion = 0x0100;
// The longest control message is ICRQ (220 octets). A Length above this in
// the stream cannot be a real message, and since the stream has no other
// delimiter it cannot be resynchronised: the Framer treats it as fatal.
inline constexpr size_t kMaxMessageLength = 4096;

// §2.1: Framing Capabilities bits; §2.7: Framing Type values.
inline constexpr uint32_t kFramingAsync = 1;
inline constexpr uint32_t kFramingSync = 2;
// §2.1: Bearer Capabilities bits; §2.7: Bearer Type values (3 = any).
inline constexpr uint32_t kBearerAnalog = 1;
inline constexpr uint32_t kBearerDigital = 2;

// RFC 2637 §2: Control Message Type.
enum class ControlType : uint16_t {
  kStartCtrlConnRequest = 1,    // SCCRQ §2.1
  kStartCtrlConnReply = 2,      // SCCRP §2.2
  kStopCtrlConnRequest = 3,     // StopCCRQ §2.3
  kStopCtrlConnReply = 4,       // StopCCRP §2.4
  kEchoRequest = 5,             // §2.5
  kEchoReply = 6,               // §2.6
  kOutgoingCallRequest = 7,     // OCRQ §2.7
  kOutgoingCallReply = 8,       // OCRP §2.8
  kIncomingCallRequest = 9,     // ICRQ §2.9
  kIncomingCallReply = 10,      // ICRP §2.10
  kIncomingCallConnected = 11,  // ICCN §2.11
  kCallClearRequest = 12,       // CCRQ §2.12
  kCallDisconnectNotify = 13,   // CDN §2.13
  kWanErrorNotify = 14,         // WEN §2.14
  kSetLinkInfo = 15,            // SLI §2.15
};
// RFC spelling: "SCCRQ", "OCRP", ...; "unknown" for anything else.
std::string_view ControlTypeName(ControlType t);
// §2: the fixed Length of each message type; 0 for an unknown type.
size_t MessageLength(ControlType t);

// §2.16: General Error Codes (the Error Code field of every reply).
enum class GeneralError : uint8_t {
  kNone = 0,
  kNotConnected = 1,
  kBadFormat = 2,
  kBadValue = 3,
  kNoResource = 4,
  kBadCallId = 5,
  kPacError = 6,
};
std::string_view GeneralErrorName(uint8_t code);

// Result Code values per message (§2.2, §2.4, §2.6, §2.8, §2.10, §2.13).
namespace result {
// §2.2 SCCRP
inline constexpr uint8_t kSccrpSuccess = 1;
inline constexpr uint8_t kSccrpGeneralError = 2;
inline constexpr uint8_t kSccrpChannelExists = 3;
inline constexpr uint8_t kSccrpNotAuthorized = 4;
inline constexpr uint8_t kSccrpBadVersion = 5;
// §2.4 StopCCRP, §2.6 Echo-Reply
inline constexpr uint8_t kOk = 1;
inline constexpr uint8_t kGeneralError = 2;
// §2.8 OCRP
inline constexpr uint8_t kOcrpConnected = 1;
inline constexpr uint8_t kOcrpGeneralError = 2;
inline constexpr uint8_t kOcrpNoCarrier = 3;
inline constexpr uint8_t kOcrpBusy = 4;
inline constexpr uint8_t kOcrpNoDialTone = 5;
inline constexpr uint8_t kOcrpTimeout = 6;
inline constexpr uint8_t kOcrpDoNotAccept = 7;
// §2.10 ICRP
inline constexpr uint8_t kIcrpConnect = 1;
inline constexpr uint8_t kIcrpGeneralError = 2;
inline constexpr uint8_t kIcrpDoNotAccept = 3;
// §2.13 CDN
inline constexpr uint8_t kCdnLostCarrier = 1;
inline constexpr uint8_t kCdnGeneralError = 2;
inline constexpr uint8_t kCdnAdminShutdown = 3;
inline constexpr uint8_t kCdnRequest = 4;
}  // namespace result
// The name of a Result Code in the table of the message that carries it
// ("Successful channel establishment", "Busy", ...); "unknown" otherwise.
std::string_view ResultCodeName(ControlType in, uint8_t code);

// §2.3: StopCCRQ Reason.
inline constexpr uint8_t kStopReasonNone = 1;
inline constexpr uint8_t kStopReasonProtocol = 2;  // version not supported
inline constexpr uint8_t kStopReasonLocalShutdown = 3;
std::string_view StopReasonName(uint8_t reason);

// One struct per message. Reserved fields are not stored: they are sent as
// zero and ignored on receipt (§2). Fixed-size string fields are decoded up
// to the first NUL and encoded NUL-padded, truncated to the field size.

// §2.1 Start-Control-Connection-Request, 156 octets.
struct StartCtrlConnRequest {
  static constexpr ControlType kType = ControlType::kStartCtrlConnRequest;
  uint16_t protocol_version = kProtocolVersion;
  uint32_t framing_capabilities = 0;
  uint32_t bearer_capabilities = 0;
  uint16_t maximum_channels = 0;
  uint16_t firmware_revision = 0;
  std::string host_name;      // 64
  std::string vendor_string;  // 64
  bool operator==(const StartCtrlConnRequest&) const = default;
};
// §2.2 Start-Control-Connection-Reply, 156 octets.
struct StartCtrlConnReply {
  static constexpr ControlType kType = ControlType::kStartCtrlConnReply;
  uint16_t protocol_version = kProtocolVersion;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  uint32_t framing_capabilities = 0;
  uint32_t bearer_capabilities = 0;
  uint16_t maximum_channels = 0;
  uint16_t firmware_revision = 0;
  std::string host_name;      // 64
  std::string vendor_string;  // 64
  bool operator==(const StartCtrlConnReply&) const = default;
};
// §2.3 Stop-Control-Connection-Request, 16 octets.
struct StopCtrlConnRequest {
  static constexpr ControlType kType = ControlType::kStopCtrlConnRequest;
  uint8_t reason = kStopReasonNone;
  bool operator==(const StopCtrlConnRequest&) const = default;
};
// §2.4 Stop-Control-Connection-Reply, 16 octets.
struct StopCtrlConnReply {
  static constexpr ControlType kType = ControlType::kStopCtrlConnReply;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  bool operator==(const StopCtrlConnReply&) const = default;
};
// §2.5 Echo-Request, 16 octets.
struct EchoRequest {
  static constexpr ControlType kType = ControlType::kEchoRequest;
  uint32_t identifier = 0;
  bool operator==(const EchoRequest&) const = default;
};
// §2.6 Echo-Reply, 20 octets.
struct EchoReply {
  static constexpr ControlType kType = ControlType::kEchoReply;
  uint32_t identifier = 0;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  bool operator==(const EchoReply&) const = default;
};
// §2.7 Outgoing-Call-Request, 168 octets. The Phone Number Length field is
// derived from phone_number when encoding.
struct OutgoingCallRequest {
  static constexpr ControlType kType = ControlType::kOutgoingCallRequest;
  uint16_t call_id = 0;
  uint16_t call_serial_number = 0;
  uint32_t minimum_bps = 0;
  uint32_t maximum_bps = 0;
  uint32_t bearer_type = 0;
  uint32_t framing_type = 0;
  uint16_t packet_recv_window = 0;
  uint16_t packet_processing_delay = 0;  // 1/10 s
  std::string phone_number;              // 64
  std::string subaddress;                // 64
  bool operator==(const OutgoingCallRequest&) const = default;
};
// §2.8 Outgoing-Call-Reply, 32 octets.
struct OutgoingCallReply {
  static constexpr ControlType kType = ControlType::kOutgoingCallReply;
  uint16_t call_id = 0;
  uint16_t peer_call_id = 0;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  uint16_t cause_code = 0;
  uint32_t connect_speed = 0;
  uint16_t packet_recv_window = 0;
  uint16_t packet_processing_delay = 0;
  uint32_t physical_channel_id = 0;
  bool operator==(const OutgoingCallReply&) const = default;
};
// §2.9 Incoming-Call-Request, 220 octets. The two number length fields are
// derived from the strings when encoding.
struct IncomingCallRequest {
  static constexpr ControlType kType = ControlType::kIncomingCallRequest;
  uint16_t call_id = 0;
  uint16_t call_serial_number = 0;
  uint32_t call_bearer_type = 0;
  uint32_t physical_channel_id = 0;
  std::string dialed_number;   // 64
  std::string dialing_number;  // 64
  std::string subaddress;      // 64
  bool operator==(const IncomingCallRequest&) const = default;
};
// §2.10 Incoming-Call-Reply, 24 octets.
struct IncomingCallReply {
  static constexpr ControlType kType = ControlType::kIncomingCallReply;
  uint16_t call_id = 0;
  uint16_t peer_call_id = 0;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  uint16_t packet_recv_window = 0;
  uint16_t packet_transmit_delay = 0;
  bool operator==(const IncomingCallReply&) const = default;
};
// §2.11 Incoming-Call-Connected, 28 octets.
struct IncomingCallConnected {
  static constexpr ControlType kType = ControlType::kIncomingCallConnected;
  uint16_t peer_call_id = 0;
  uint32_t connect_speed = 0;
  uint16_t packet_recv_window = 0;
  uint16_t packet_transmit_delay = 0;
  uint32_t framing_type = 0;
  bool operator==(const IncomingCallConnected&) const = default;
};
// §2.12 Call-Clear-Request, 16 octets.
struct CallClearRequest {
  static constexpr ControlType kType = ControlType::kCallClearRequest;
  uint16_t call_id = 0;
  bool operator==(const CallClearRequest&) const = default;
};
// §2.13 Call-Disconnect-Notify, 148 octets.
struct CallDisconnectNotify {
  static constexpr ControlType kType = ControlType::kCallDisconnectNotify;
  uint16_t call_id = 0;
  uint8_t result_code = 0;
  uint8_t error_code = 0;
  uint16_t cause_code = 0;
  std::string call_statistics;  // 128
  bool operator==(const CallDisconnectNotify&) const = default;
};
// §2.14 WAN-Error-Notify, 40 octets.
struct WanErrorNotify {
  static constexpr ControlType kType = ControlType::kWanErrorNotify;
  uint16_t peer_call_id = 0;
  uint32_t crc_errors = 0;
  uint32_t framing_errors = 0;
  uint32_t hardware_overruns = 0;
  uint32_t buffer_overruns = 0;
  uint32_t timeout_errors = 0;
  uint32_t alignment_errors = 0;
  bool operator==(const WanErrorNotify&) const = default;
};
// §2.15 Set-Link-Info, 24 octets.
struct SetLinkInfo {
  static constexpr ControlType kType = ControlType::kSetLinkInfo;
  uint16_t peer_call_id = 0;
  uint32_t send_accm = 0xffffffff;
  uint32_t receive_accm = 0xffffffff;
  bool operator==(const SetLinkInfo&) const = default;
};

// Alternative order follows the Control Message Type (index + 1 == type).
using ControlMessage =
    std::variant<StartCtrlConnRequest, StartCtrlConnReply, StopCtrlConnRequest, StopCtrlConnReply,
                 EchoRequest, EchoReply, OutgoingCallRequest, OutgoingCallReply,
                 IncomingCallRequest, IncomingCallReply, IncomingCallConnected, CallClearRequest,
                 CallDisconnectNotify, WanErrorNotify, SetLinkInfo>;
ControlType TypeOf(const ControlMessage& m);

// Field sizes of the fixed strings (§2.1, §2.7, §2.9, §2.13).
inline constexpr size_t kHostNameSize = 64;
inline constexpr size_t kVendorStringSize = 64;
inline constexpr size_t kPhoneNumberSize = 64;
inline constexpr size_t kSubaddressSize = 64;
inline constexpr size_t kCallStatisticsSize = 128;

enum class DecodeError : uint8_t {
  kOk,
  kShortHeader,     // fewer than 12 octets
  kLengthMismatch,  // Length field differs from the bytes given
  kBadMessageType,  // PPTP Message Type != 1 (§2)
  kBadMagic,        // Magic Cookie != 0x1A2B3C4D (§2)
  kUnknownType,     // Control Message Type not 1..15
  kBadLength,       // Length is not the fixed length of this type
};
std::string_view DecodeErrorName(DecodeError e);

// Decodes exactly one message; `bytes` is what the Framer returned (its
// size must equal the Length field). On error *out is left unchanged.
DecodeError Decode(std::span<const uint8_t> bytes, ControlMessage* out);
// Encodes any message; never fails (strings longer than their field are
// truncated).
Bytes Encode(const ControlMessage& m);

// Splits the TCP byte stream of a control connection into messages (§1.4:
// each message carries its own Length). Partial reads accumulate. A Length
// below the header size or above kMaxMessageLength is fatal and sticky: the
// stream cannot be resynchronised, the caller must close the connection.
class Framer {
 public:
  enum class Status : uint8_t {
    kMessage,   // *out holds one whole message
    kNeedMore,  // wait for more bytes
    kFatal,     // bad Length; every later call returns kFatal
  };

  void Feed(std::span<const uint8_t> bytes);
  Status Next(Bytes* out);
  bool failed() const { return failed_; }
  size_t buffered() const { return buf_.size() - start_; }

 private:
  Bytes buf_;
  size_t start_ = 0;
  bool failed_ = false;
};
std::string_view FramerStatusName(Framer::Status s);

}  // namespace mlppp::link::pptp
