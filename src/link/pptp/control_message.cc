#include "link/pptp/control_message.h"

#include <algorithm>
#include <array>

#include "core/wire.h"

namespace mlppp::link::pptp {

std::string_view ControlTypeName(ControlType t) {
  switch (t) {
    case ControlType::kStartCtrlConnRequest:
      return "SCCRQ";
    case ControlType::kStartCtrlConnReply:
      return "SCCRP";
    case ControlType::kStopCtrlConnRequest:
      return "StopCCRQ";
    case ControlType::kStopCtrlConnReply:
      return "StopCCRP";
    case ControlType::kEchoRequest:
      return "Echo-Request";
    case ControlType::kEchoReply:
      return "Echo-Reply";
    case ControlType::kOutgoingCallRequest:
      return "OCRQ";
    case ControlType::kOutgoingCallReply:
      return "OCRP";
    case ControlType::kIncomingCallRequest:
      return "ICRQ";
    case ControlType::kIncomingCallReply:
      return "ICRP";
    case ControlType::kIncomingCallConnected:
      return "ICCN";
    case ControlType::kCallClearRequest:
      return "CCRQ";
    case ControlType::kCallDisconnectNotify:
      return "CDN";
    case ControlType::kWanErrorNotify:
      return "WEN";
    case ControlType::kSetLinkInfo:
      return "SLI";
  }
  return "unknown";
}

size_t MessageLength(ControlType t) {
  // RFC 2637 §2.1-§2.15, the Length of each message, indexed by type.
  static constexpr std::array<uint16_t, 16> kLengths = {0,  156, 156, 16, 16, 16,  20, 168,
                                                        32, 220, 24,  28, 16, 148, 40, 24};
  auto i = static_cast<size_t>(t);
  return i < kLengths.size() ? kLengths[i] : 0;
}

std::string_view GeneralErrorName(uint8_t code) {
  switch (static_cast<GeneralError>(code)) {
    case GeneralError::kNone:
      return "None";
    case GeneralError::kNotConnected:
      return "Not-Connected";
    case GeneralError::kBadFormat:
      return "Bad-Format";
    case GeneralError::kBadValue:
      return "Bad-Value";
    case GeneralError::kNoResource:
      return "No-Resource";
    case GeneralError::kBadCallId:
      return "Bad-Call ID";
    case GeneralError::kPacError:
      return "PAC-Error";
  }
  return "unknown";
}

std::string_view ResultCodeName(ControlType in, uint8_t code) {
  auto pick = [code](std::initializer_list<std::string_view> names) -> std::string_view {
    if (code == 0 || code > names.size()) return "unknown";
    return names.begin()[code - 1];
  };
  switch (in) {
    case ControlType::kStartCtrlConnReply:  // §2.2
      return pick({"Successful channel establishment", "General error",
                   "Command channel already exists", "Requester is not authorized",
                   "Protocol version not supported"});
    case ControlType::kStopCtrlConnReply:  // §2.4
    case ControlType::kEchoReply:          // §2.6
      return pick({"OK", "General error"});
    case ControlType::kOutgoingCallReply:  // §2.8
      return pick({"Connected", "General Error", "No Carrier", "Busy", "No Dial Tone", "Time-out",
                   "Do Not Accept"});
    case ControlType::kIncomingCallReply:  // §2.10
      return pick({"Connect", "General Error", "Do Not Accept"});
    case ControlType::kCallDisconnectNotify:  // §2.13
      return pick({"Lost Carrier", "General Error", "Admin Shutdown", "Request"});
    default:
      return "unknown";
  }
}

std::string_view StopReasonName(uint8_t reason) {
  switch (reason) {
    case kStopReasonNone:
      return "None";
    case kStopReasonProtocol:
      return "Stop-Protocol";
    case kStopReasonLocalShutdown:
      return "Stop-Local-Shutdown";
  }
  return "unknown";
}

std::string_view DecodeErrorName(DecodeError e) {
  switch (e) {
    case DecodeError::kOk:
      return "ok";
    case DecodeError::kShortHeader:
      return "short-header";
    case DecodeError::kLengthMismatch:
      return "length-mismatch";
    case DecodeError::kBadMessageType:
      return "bad-message-type";
    case DecodeError::kBadMagic:
      return "bad-magic-cookie";
    case DecodeError::kUnknownType:
      return "unknown-control-type";
    case DecodeError::kBadLength:
      return "bad-length-for-type";
  }
  return "unknown-error";
}

std::string_view FramerStatusName(Framer::Status s) {
  switch (s) {
    case Framer::Status::kMessage:
      return "message";
    case Framer::Status::kNeedMore:
      return "need-more";
    case Framer::Status::kFatal:
      return "bad-stream-length";
  }
  return "unknown";
}

ControlType TypeOf(const ControlMessage& m) {
  return std::visit([](const auto& v) { return std::decay_t<decltype(v)>::kType; }, m);
}

namespace {

// §2: fixed-size string fields are NUL padded; the value ends at the
// first NUL (or fills the field).
std::string ReadFixed(WireReader& r, size_t n) {
  auto b = r.Bytes(n);
  auto end = std::find(b.begin(), b.end(), uint8_t{0});
  return std::string(b.begin(), end);
}

void WriteFixed(WireWriter& w, std::string_view s, size_t n) {
  s = s.substr(0, n);
  w.String(s);
  w.Zeros(n - s.size());
}

// Length of a fixed string as it goes on the wire (§2.7 Phone Number
// Length, §2.9 Dialed/Dialing Number Length).
uint16_t WireLen(std::string_view s, size_t n) {
  s = s.substr(0, n);
  return static_cast<uint16_t>(std::min(s.find('\0'), s.size()));
}

// Body decoders: the reader starts after the 12-octet header and holds
// exactly MessageLength(kType) - 12 octets, so no read can fall short.

void DecodeBody(WireReader& r, StartCtrlConnRequest& m) {
  m.protocol_version = r.U16();
  r.Skip(2);  // Reserved1
  m.framing_capabilities = r.U32();
  m.bearer_capabilities = r.U32();
  m.maximum_channels = r.U16();
  m.firmware_revision = r.U16();
  m.host_name = ReadFixed(r, kHostNameSize);
  m.vendor_string = ReadFixed(r, kVendorStringSize);
}
void EncodeBody(WireWriter& w, const StartCtrlConnRequest& m) {
  w.U16(m.protocol_version);
  w.U16(0);
  w.U32(m.framing_capabilities);
  w.U32(m.bearer_capabilities);
  w.U16(m.maximum_channels);
  w.U16(m.firmware_revision);
  WriteFixed(w, m.host_name, kHostNameSize);
  WriteFixed(w, m.vendor_string, kVendorStringSize);
}

void DecodeBody(WireReader& r, StartCtrlConnReply& m) {
  m.protocol_version = r.U16();
  m.result_code = r.U8();
  m.error_code = r.U8();
  m.framing_capabilities = r.U32();
  m.bearer_capabilities = r.U32();
  m.maximum_channels = r.U16();
  m.firmware_revision = r.U16();
  m.host_name = ReadFixed(r, kHostNameSize);
  m.vendor_string = ReadFixed(r, kVendorStringSize);
}
void EncodeBody(WireWriter& w, const StartCtrlConnReply& m) {
  w.U16(m.protocol_version);
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U32(m.framing_capabilities);
  w.U32(m.bearer_capabilities);
  w.U16(m.maximum_channels);
  w.U16(m.firmware_revision);
  WriteFixed(w, m.host_name, kHostNameSize);
  WriteFixed(w, m.vendor_string, kVendorStringSize);
}

void DecodeBody(WireReader& r, StopCtrlConnRequest& m) {
  m.reason = r.U8();
  r.Skip(3);  // Reserved1, Reserved2
}
void EncodeBody(WireWriter& w, const StopCtrlConnRequest& m) {
  w.U8(m.reason);
  w.Zeros(3);
}

void DecodeBody(WireReader& r, StopCtrlConnReply& m) {
  m.result_code = r.U8();
  m.error_code = r.U8();
  r.Skip(2);
}
void EncodeBody(WireWriter& w, const StopCtrlConnReply& m) {
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U16(0);
}

void DecodeBody(WireReader& r, EchoRequest& m) { m.identifier = r.U32(); }
void EncodeBody(WireWriter& w, const EchoRequest& m) { w.U32(m.identifier); }

void DecodeBody(WireReader& r, EchoReply& m) {
  m.identifier = r.U32();
  m.result_code = r.U8();
  m.error_code = r.U8();
  r.Skip(2);
}
void EncodeBody(WireWriter& w, const EchoReply& m) {
  w.U32(m.identifier);
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U16(0);
}

void DecodeBody(WireReader& r, OutgoingCallRequest& m) {
  m.call_id = r.U16();
  m.call_serial_number = r.U16();
  m.minimum_bps = r.U32();
  m.maximum_bps = r.U32();
  m.bearer_type = r.U32();
  m.framing_type = r.U32();
  m.packet_recv_window = r.U16();
  m.packet_processing_delay = r.U16();
  r.Skip(2);  // Phone Number Length: the NUL-terminated field is authoritative
  r.Skip(2);  // Reserved1
  m.phone_number = ReadFixed(r, kPhoneNumberSize);
  m.subaddress = ReadFixed(r, kSubaddressSize);
}
void EncodeBody(WireWriter& w, const OutgoingCallRequest& m) {
  w.U16(m.call_id);
  w.U16(m.call_serial_number);
  w.U32(m.minimum_bps);
  w.U32(m.maximum_bps);
  w.U32(m.bearer_type);
  w.U32(m.framing_type);
  w.U16(m.packet_recv_window);
  w.U16(m.packet_processing_delay);
  w.U16(WireLen(m.phone_number, kPhoneNumberSize));
  w.U16(0);
  WriteFixed(w, m.phone_number, kPhoneNumberSize);
  WriteFixed(w, m.subaddress, kSubaddressSize);
}

void DecodeBody(WireReader& r, OutgoingCallReply& m) {
  m.call_id = r.U16();
  m.peer_call_id = r.U16();
  m.result_code = r.U8();
  m.error_code = r.U8();
  m.cause_code = r.U16();
  m.connect_speed = r.U32();
  m.packet_recv_window = r.U16();
  m.packet_processing_delay = r.U16();
  m.physical_channel_id = r.U32();
}
void EncodeBody(WireWriter& w, const OutgoingCallReply& m) {
  w.U16(m.call_id);
  w.U16(m.peer_call_id);
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U16(m.cause_code);
  w.U32(m.connect_speed);
  w.U16(m.packet_recv_window);
  w.U16(m.packet_processing_delay);
  w.U32(m.physical_channel_id);
}

void DecodeBody(WireReader& r, IncomingCallRequest& m) {
  m.call_id = r.U16();
  m.call_serial_number = r.U16();
  m.call_bearer_type = r.U32();
  m.physical_channel_id = r.U32();
  r.Skip(4);  // Dialed/Dialing Number Length
  m.dialed_number = ReadFixed(r, kPhoneNumberSize);
  m.dialing_number = ReadFixed(r, kPhoneNumberSize);
  m.subaddress = ReadFixed(r, kSubaddressSize);
}
void EncodeBody(WireWriter& w, const IncomingCallRequest& m) {
  w.U16(m.call_id);
  w.U16(m.call_serial_number);
  w.U32(m.call_bearer_type);
  w.U32(m.physical_channel_id);
  w.U16(WireLen(m.dialed_number, kPhoneNumberSize));
  w.U16(WireLen(m.dialing_number, kPhoneNumberSize));
  WriteFixed(w, m.dialed_number, kPhoneNumberSize);
  WriteFixed(w, m.dialing_number, kPhoneNumberSize);
  WriteFixed(w, m.subaddress, kSubaddressSize);
}

void DecodeBody(WireReader& r, IncomingCallReply& m) {
  m.call_id = r.U16();
  m.peer_call_id = r.U16();
  m.result_code = r.U8();
  m.error_code = r.U8();
  m.packet_recv_window = r.U16();
  m.packet_transmit_delay = r.U16();
  r.Skip(2);
}
void EncodeBody(WireWriter& w, const IncomingCallReply& m) {
  w.U16(m.call_id);
  w.U16(m.peer_call_id);
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U16(m.packet_recv_window);
  w.U16(m.packet_transmit_delay);
  w.U16(0);
}

void DecodeBody(WireReader& r, IncomingCallConnected& m) {
  m.peer_call_id = r.U16();
  r.Skip(2);
  m.connect_speed = r.U32();
  m.packet_recv_window = r.U16();
  m.packet_transmit_delay = r.U16();
  m.framing_type = r.U32();
}
void EncodeBody(WireWriter& w, const IncomingCallConnected& m) {
  w.U16(m.peer_call_id);
  w.U16(0);
  w.U32(m.connect_speed);
  w.U16(m.packet_recv_window);
  w.U16(m.packet_transmit_delay);
  w.U32(m.framing_type);
}

void DecodeBody(WireReader& r, CallClearRequest& m) {
  m.call_id = r.U16();
  r.Skip(2);
}
void EncodeBody(WireWriter& w, const CallClearRequest& m) {
  w.U16(m.call_id);
  w.U16(0);
}

void DecodeBody(WireReader& r, CallDisconnectNotify& m) {
  m.call_id = r.U16();
  m.result_code = r.U8();
  m.error_code = r.U8();
  m.cause_code = r.U16();
  r.Skip(2);
  m.call_statistics = ReadFixed(r, kCallStatisticsSize);
}
void EncodeBody(WireWriter& w, const CallDisconnectNotify& m) {
  w.U16(m.call_id);
  w.U8(m.result_code);
  w.U8(m.error_code);
  w.U16(m.cause_code);
  w.U16(0);
  WriteFixed(w, m.call_statistics, kCallStatisticsSize);
}

void DecodeBody(WireReader& r, WanErrorNotify& m) {
  m.peer_call_id = r.U16();
  r.Skip(2);
  m.crc_errors = r.U32();
  m.framing_errors = r.U32();
  m.hardware_overruns = r.U32();
  m.buffer_overruns = r.U32();
  m.timeout_errors = r.U32();
  m.alignment_errors = r.U32();
}
void EncodeBody(WireWriter& w, const WanErrorNotify& m) {
  w.U16(m.peer_call_id);
  w.U16(0);
  w.U32(m.crc_errors);
  w.U32(m.framing_errors);
  w.U32(m.hardware_overruns);
  w.U32(m.buffer_overruns);
  w.U32(m.timeout_errors);
  w.U32(m.alignment_errors);
}

void DecodeBody(WireReader& r, SetLinkInfo& m) {
  m.peer_call_id = r.U16();
  r.Skip(2);
  m.send_accm = r.U32();
  m.receive_accm = r.U32();
}
void EncodeBody(WireWriter& w, const SetLinkInfo& m) {
  w.U16(m.peer_call_id);
  w.U16(0);
  w.U32(m.send_accm);
  w.U32(m.receive_accm);
}

// Finds the alternative whose kType is t and decodes into it.
template <size_t I = 0>
bool DecodeAs(ControlType t, WireReader& r, ControlMessage* out) {
  if constexpr (I < std::variant_size_v<ControlMessage>) {
    using M = std::variant_alternative_t<I, ControlMessage>;
    if (M::kType == t) {
      M m;
      DecodeBody(r, m);
      if (!r.ok()) return false;
      *out = std::move(m);
      return true;
    }
    return DecodeAs<I + 1>(t, r, out);
  } else {
    return false;
  }
}

}  // namespace

DecodeError Decode(std::span<const uint8_t> bytes, ControlMessage* out) {
  WireReader r(bytes);
  uint16_t length = r.U16();
  uint16_t message_type = r.U16();
  uint32_t magic = r.U32();
  uint16_t control_type = r.U16();
  r.Skip(2);  // Reserved0
  if (!r.ok()) return DecodeError::kShortHeader;
  if (length != bytes.size()) return DecodeError::kLengthMismatch;
  // §2: PPTP Message Type 1 = control; management messages (2) are
  // undefined and never sent.
  if (message_type != kMessageTypeControl) return DecodeError::kBadMessageType;
  if (magic != kMagicCookie) return DecodeError::kBadMagic;
  auto type = static_cast<ControlType>(control_type);
  size_t want = MessageLength(type);
  if (want == 0) return DecodeError::kUnknownType;
  if (length != want) return DecodeError::kBadLength;
  if (!DecodeAs(type, r, out)) return DecodeError::kBadLength;  // unreachable
  return DecodeError::kOk;
}

Bytes Encode(const ControlMessage& m) {
  Bytes out;
  ControlType type = TypeOf(m);
  out.reserve(MessageLength(type));
  WireWriter w(out);
  w.U16(static_cast<uint16_t>(MessageLength(type)));
  w.U16(kMessageTypeControl);
  w.U32(kMagicCookie);
  w.U16(static_cast<uint16_t>(type));
  w.U16(0);  // Reserved0
  std::visit([&w](const auto& v) { EncodeBody(w, v); }, m);
  return out;
}

void Framer::Feed(std::span<const uint8_t> bytes) {
  if (failed_) return;
  // Drop what has been consumed before growing, so the buffer stays near
  // one message in size whatever the read pattern.
  if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

Framer::Status Framer::Next(Bytes* out) {
  if (failed_) return Status::kFatal;
  WireReader r(std::span<const uint8_t>(buf_).subspan(start_));
  uint16_t length = r.U16();
  if (!r.ok()) return Status::kNeedMore;
  if (length < kHeaderSize || length > kMaxMessageLength) {
    failed_ = true;
    buf_.clear();
    start_ = 0;
    return Status::kFatal;
  }
  if (buffered() < length) return Status::kNeedMore;
  auto begin = buf_.begin() + static_cast<std::ptrdiff_t>(start_);
  out->assign(begin, begin + length);
  start_ += length;
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  }
  return Status::kMessage;
}

}  // namespace mlppp::link::pptp
