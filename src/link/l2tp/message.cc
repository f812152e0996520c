#include "link/l2tp/message.h"

#include <fmt/format.h>

#include <bitset>

#include "core/wire.h"

namespace mlppp::link::l2tp {

namespace {

using T = AvpType;

// §6: the AVPs each message carries, in the RFC's order (Message Type
// excluded), and which of them MUST be present.
constexpr AvpType kSccrqAvps[] = {
    T::kProtocolVersion,    T::kHostName,          T::kFramingCapabilities, T::kAssignedTunnelId,
    T::kBearerCapabilities, T::kReceiveWindowSize, T::kChallenge,           T::kTieBreaker,
    T::kFirmwareRevision,   T::kVendorName};
constexpr AvpType kSccrqRequired[] = {T::kProtocolVersion, T::kHostName, T::kFramingCapabilities,
                                      T::kAssignedTunnelId};
constexpr AvpType kSccrpAvps[] = {
    T::kProtocolVersion,    T::kFramingCapabilities, T::kHostName,   T::kAssignedTunnelId,
    T::kBearerCapabilities, T::kFirmwareRevision,    T::kVendorName, T::kReceiveWindowSize,
    T::kChallenge,          T::kChallengeResponse};
constexpr AvpType kSccrpRequired[] = {T::kProtocolVersion, T::kFramingCapabilities, T::kHostName,
                                      T::kAssignedTunnelId};
constexpr AvpType kScccnAvps[] = {T::kChallengeResponse};
constexpr AvpType kStopCcnAvps[] = {T::kAssignedTunnelId, T::kResultCode};
constexpr AvpType kOcrqAvps[] = {T::kAssignedSessionId, T::kCallSerialNumber, T::kMinimumBps,
                                 T::kMaximumBps,        T::kBearerType,       T::kFramingType,
                                 T::kCalledNumber,      T::kSubAddress};
constexpr AvpType kOcrqRequired[] = {T::kAssignedSessionId, T::kCallSerialNumber, T::kMinimumBps,
                                     T::kMaximumBps,        T::kBearerType,       T::kFramingType,
                                     T::kCalledNumber};
constexpr AvpType kOcrpAvps[] = {T::kAssignedSessionId, T::kPhysicalChannelId};
constexpr AvpType kSessionIdOnly[] = {T::kAssignedSessionId};
constexpr AvpType kOccnAvps[] = {T::kTxConnectSpeed, T::kFramingType, T::kRxConnectSpeed,
                                 T::kSequencingRequired};
constexpr AvpType kConnectedRequired[] = {T::kTxConnectSpeed, T::kFramingType};
constexpr AvpType kIcrqAvps[] = {T::kAssignedSessionId, T::kCallSerialNumber, T::kBearerType,
                                 T::kPhysicalChannelId, T::kCallingNumber,    T::kCalledNumber,
                                 T::kSubAddress};
constexpr AvpType kIcrqRequired[] = {T::kAssignedSessionId, T::kCallSerialNumber};
constexpr AvpType kIccnAvps[] = {T::kTxConnectSpeed,
                                 T::kFramingType,
                                 T::kInitialReceivedLcpConfReq,
                                 T::kLastSentLcpConfReq,
                                 T::kLastReceivedLcpConfReq,
                                 T::kProxyAuthenType,
                                 T::kProxyAuthenName,
                                 T::kProxyAuthenChallenge,
                                 T::kProxyAuthenId,
                                 T::kProxyAuthenResponse,
                                 T::kPrivateGroupId,
                                 T::kRxConnectSpeed,
                                 T::kSequencingRequired};
constexpr AvpType kCdnAvps[] = {T::kResultCode, T::kAssignedSessionId, T::kQ931CauseCode};
constexpr AvpType kCdnRequired[] = {T::kResultCode, T::kAssignedSessionId};
constexpr AvpType kWenAvps[] = {T::kCallErrors};
constexpr AvpType kSliAvps[] = {T::kAccm};

struct MessageSpec {
  MessageType type;
  std::string_view name;
  bool session;
  std::span<const AvpType> avps;
  std::span<const AvpType> required;
};

constexpr MessageSpec kMessages[] = {
    {MessageType::kSCCRQ, "SCCRQ", false, kSccrqAvps, kSccrqRequired},      // §6.1
    {MessageType::kSCCRP, "SCCRP", false, kSccrpAvps, kSccrpRequired},      // §6.2
    {MessageType::kSCCCN, "SCCCN", false, kScccnAvps, {}},                  // §6.3
    {MessageType::kStopCCN, "StopCCN", false, kStopCcnAvps, kStopCcnAvps},  // §6.4
    {MessageType::kHELLO, "HELLO", false, {}, {}},                          // §6.5
    {MessageType::kOCRQ, "OCRQ", true, kOcrqAvps, kOcrqRequired},           // §6.6
    {MessageType::kOCRP, "OCRP", true, kOcrpAvps, kSessionIdOnly},          // §6.7
    {MessageType::kOCCN, "OCCN", true, kOccnAvps, kConnectedRequired},      // §6.8
    {MessageType::kICRQ, "ICRQ", true, kIcrqAvps, kIcrqRequired},           // §6.9
    {MessageType::kICRP, "ICRP", true, kSessionIdOnly, kSessionIdOnly},     // §6.10
    {MessageType::kICCN, "ICCN", true, kIccnAvps, kConnectedRequired},      // §6.11
    {MessageType::kCDN, "CDN", true, kCdnAvps, kCdnRequired},               // §6.12
    {MessageType::kWEN, "WEN", true, kWenAvps, kWenAvps},                   // §6.13
    {MessageType::kSLI, "SLI", true, kSliAvps, kSliAvps},                   // §6.14
};

const MessageSpec* FindSpec(uint16_t type) {
  for (const MessageSpec& s : kMessages) {
    if (static_cast<uint16_t>(s.type) == type) return &s;
  }
  return nullptr;
}

Bytes Str(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes U16(uint16_t v) { return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}; }
Bytes U32(uint32_t v) {
  Bytes b;
  WireWriter(b).U32(v);
  return b;
}

template <class V, class F>
std::optional<Bytes> Opt(const std::optional<V>& v, F f) {
  if (!v) return std::nullopt;
  return f(*v);
}

// The Attribute Value of field `t` of `m`, nullopt when the field is unset.
std::optional<Bytes> FieldValue(const ControlMessage& m, AvpType t) {
  switch (t) {
    case T::kProtocolVersion:
      return Opt(m.protocol_version, [](const ProtocolVersion& v) {
        return Bytes{v.version, v.revision};
      });
    case T::kFramingCapabilities:
      return Opt(m.framing_capabilities, U32);
    case T::kBearerCapabilities:
      return Opt(m.bearer_capabilities, U32);
    case T::kTieBreaker:
      return Opt(m.tie_breaker, [](uint64_t v) {
        Bytes b;
        WireWriter(b).U64(v);
        return b;
      });
    case T::kFirmwareRevision:
      return Opt(m.firmware_revision, U16);
    case T::kHostName:
      return Opt(m.host_name, Str);
    case T::kVendorName:
      return Opt(m.vendor_name, Str);
    case T::kAssignedTunnelId:
      return Opt(m.assigned_tunnel_id, U16);
    case T::kReceiveWindowSize:
      return Opt(m.receive_window_size, U16);
    case T::kChallenge:
      return m.challenge;
    case T::kChallengeResponse:
      return m.challenge_response;
    case T::kResultCode:
      return Opt(m.result_code, [](const ResultCode& r) {
        Bytes b;
        WireWriter w(b);
        w.U16(r.result);
        // §4.4.2: the error code is optional, but must precede a message.
        if (r.error || !r.message.empty()) {
          w.U16(r.error.value_or(0));
          w.String(r.message);
        }
        return b;
      });
    case T::kQ931CauseCode:
      return Opt(m.q931_cause, [](const Q931Cause& c) {
        Bytes b;
        WireWriter w(b);
        w.U16(c.cause);
        w.U8(c.message);
        w.String(c.advisory);
        return b;
      });
    case T::kAssignedSessionId:
      return Opt(m.assigned_session_id, U16);
    case T::kCallSerialNumber:
      return Opt(m.call_serial_number, U32);
    case T::kMinimumBps:
      return Opt(m.minimum_bps, U32);
    case T::kMaximumBps:
      return Opt(m.maximum_bps, U32);
    case T::kBearerType:
      return Opt(m.bearer_type, U32);
    case T::kFramingType:
      return Opt(m.framing_type, U32);
    case T::kCalledNumber:
      return Opt(m.called_number, Str);
    case T::kCallingNumber:
      return Opt(m.calling_number, Str);
    case T::kSubAddress:
      return Opt(m.sub_address, Str);
    case T::kTxConnectSpeed:
      return Opt(m.tx_connect_speed, U32);
    case T::kRxConnectSpeed:
      return Opt(m.rx_connect_speed, U32);
    case T::kPhysicalChannelId:
      return Opt(m.physical_channel_id, U32);
    case T::kPrivateGroupId:
      return m.private_group_id;
    case T::kSequencingRequired:
      if (!m.sequencing_required) return std::nullopt;
      return Bytes{};
    case T::kInitialReceivedLcpConfReq:
      return m.initial_received_lcp_confreq;
    case T::kLastSentLcpConfReq:
      return m.last_sent_lcp_confreq;
    case T::kLastReceivedLcpConfReq:
      return m.last_received_lcp_confreq;
    case T::kProxyAuthenType:
      return Opt(m.proxy_authen_type, U16);
    case T::kProxyAuthenName:
      return Opt(m.proxy_authen_name, Str);
    case T::kProxyAuthenChallenge:
      return m.proxy_authen_challenge;
    case T::kProxyAuthenId:
      // §4.4.5: one reserved octet, then the ID.
      return Opt(m.proxy_authen_id, [](uint8_t id) { return Bytes{0, id}; });
    case T::kProxyAuthenResponse:
      return m.proxy_authen_response;
    case T::kCallErrors:
      return Opt(m.call_errors, [](const CallErrors& e) {
        Bytes b;
        WireWriter w(b);
        w.U16(0);  // §4.4.6: reserved
        for (uint32_t v :
             {e.crc, e.framing, e.hardware_overruns, e.buffer_overruns, e.timeouts, e.alignment}) {
          w.U32(v);
        }
        return b;
      });
    case T::kAccm:
      return Opt(m.accm, [](const Accm& a) {
        Bytes b;
        WireWriter w(b);
        w.U16(0);  // §4.4.6: reserved
        w.U32(a.send);
        w.U32(a.receive);
        return b;
      });
    case T::kMessageType:
    case T::kRandomVector:
    case T::kPacketProcessingDelay:
      break;
  }
  return std::nullopt;
}

// Stores value `v` of AVP `t` (length already checked against the table).
// Returns false when the value does not parse.
bool SetField(ControlMessage* m, AvpType t, std::span<const uint8_t> v) {
  WireReader r(v);
  auto str = [&] { return std::string(v.begin(), v.end()); };
  auto bytes = [&] { return Bytes(v.begin(), v.end()); };
  switch (t) {
    case T::kProtocolVersion: {
      ProtocolVersion pv;
      pv.version = r.U8();
      pv.revision = r.U8();
      m->protocol_version = pv;
      break;
    }
    case T::kFramingCapabilities:
      m->framing_capabilities = r.U32();
      break;
    case T::kBearerCapabilities:
      m->bearer_capabilities = r.U32();
      break;
    case T::kTieBreaker:
      m->tie_breaker = r.U64();
      break;
    case T::kFirmwareRevision:
      m->firmware_revision = r.U16();
      break;
    case T::kHostName:
      m->host_name = str();
      break;
    case T::kVendorName:
      m->vendor_name = str();
      break;
    case T::kAssignedTunnelId:
      m->assigned_tunnel_id = r.U16();
      break;
    case T::kReceiveWindowSize:
      m->receive_window_size = r.U16();
      break;
    case T::kChallenge:
      m->challenge = bytes();
      break;
    case T::kChallengeResponse:
      m->challenge_response = bytes();
      break;
    case T::kResultCode: {
      // §4.4.2: Result Code (2) [Error Code (2) [Error Message]].
      if (v.size() == 3) return false;
      ResultCode rc;
      rc.result = r.U16();
      if (v.size() >= 4) {
        rc.error = r.U16();
        rc.message = r.String(r.remaining());
      }
      m->result_code = rc;
      break;
    }
    case T::kQ931CauseCode: {
      Q931Cause c;
      c.cause = r.U16();
      c.message = r.U8();
      c.advisory = r.String(r.remaining());
      m->q931_cause = c;
      break;
    }
    case T::kAssignedSessionId:
      m->assigned_session_id = r.U16();
      break;
    case T::kCallSerialNumber:
      m->call_serial_number = r.U32();
      break;
    case T::kMinimumBps:
      m->minimum_bps = r.U32();
      break;
    case T::kMaximumBps:
      m->maximum_bps = r.U32();
      break;
    case T::kBearerType:
      m->bearer_type = r.U32();
      break;
    case T::kFramingType:
      m->framing_type = r.U32();
      break;
    case T::kCalledNumber:
      m->called_number = str();
      break;
    case T::kCallingNumber:
      m->calling_number = str();
      break;
    case T::kSubAddress:
      m->sub_address = str();
      break;
    case T::kTxConnectSpeed:
      m->tx_connect_speed = r.U32();
      break;
    case T::kRxConnectSpeed:
      m->rx_connect_speed = r.U32();
      break;
    case T::kPhysicalChannelId:
      m->physical_channel_id = r.U32();
      break;
    case T::kPrivateGroupId:
      m->private_group_id = bytes();
      break;
    case T::kSequencingRequired:
      m->sequencing_required = true;
      break;
    case T::kInitialReceivedLcpConfReq:
      m->initial_received_lcp_confreq = bytes();
      break;
    case T::kLastSentLcpConfReq:
      m->last_sent_lcp_confreq = bytes();
      break;
    case T::kLastReceivedLcpConfReq:
      m->last_received_lcp_confreq = bytes();
      break;
    case T::kProxyAuthenType:
      m->proxy_authen_type = r.U16();
      break;
    case T::kProxyAuthenName:
      m->proxy_authen_name = str();
      break;
    case T::kProxyAuthenChallenge:
      m->proxy_authen_challenge = bytes();
      break;
    case T::kProxyAuthenId:
      r.Skip(1);  // reserved
      m->proxy_authen_id = r.U8();
      break;
    case T::kProxyAuthenResponse:
      m->proxy_authen_response = bytes();
      break;
    case T::kCallErrors: {
      CallErrors e;
      r.Skip(2);  // reserved
      e.crc = r.U32();
      e.framing = r.U32();
      e.hardware_overruns = r.U32();
      e.buffer_overruns = r.U32();
      e.timeouts = r.U32();
      e.alignment = r.U32();
      m->call_errors = e;
      break;
    }
    case T::kAccm: {
      Accm a;
      r.Skip(2);  // reserved
      a.send = r.U32();
      a.receive = r.U32();
      m->accm = a;
      break;
    }
    case T::kMessageType:
    case T::kRandomVector:
    case T::kPacketProcessingDelay:  // draft-era, ignored
      break;
  }
  return r.ok();
}

}  // namespace

std::string_view MessageTypeName(uint16_t type) {
  const MessageSpec* s = FindSpec(type);
  return s ? s->name : "unknown-message";
}

bool IsKnownMessageType(uint16_t type) { return FindSpec(type) != nullptr; }

bool IsSessionMessage(MessageType type) {
  const MessageSpec* s = FindSpec(static_cast<uint16_t>(type));
  return s && s->session;
}

std::string_view StopCcnResultName(uint16_t result) {
  switch (static_cast<StopCcnResult>(result)) {
    case StopCcnResult::kClear:
      return "general-request-to-clear";
    case StopCcnResult::kGeneralError:
      return "general-error";
    case StopCcnResult::kChannelExists:
      return "control-channel-exists";
    case StopCcnResult::kNotAuthorized:
      return "not-authorized";
    case StopCcnResult::kBadProtocolVersion:
      return "protocol-version-not-supported";
    case StopCcnResult::kShuttingDown:
      return "shutting-down";
    case StopCcnResult::kFsmError:
      return "fsm-error";
  }
  return "unknown-result";
}

std::string_view CdnResultName(uint16_t result) {
  switch (static_cast<CdnResult>(result)) {
    case CdnResult::kLostCarrier:
      return "lost-carrier";
    case CdnResult::kGeneralError:
      return "general-error";
    case CdnResult::kAdministrative:
      return "administrative";
    case CdnResult::kTemporaryNoResources:
      return "temporary-lack-of-resources";
    case CdnResult::kPermanentNoResources:
      return "permanent-lack-of-resources";
    case CdnResult::kInvalidDestination:
      return "invalid-destination";
    case CdnResult::kNoCarrier:
      return "no-carrier";
    case CdnResult::kBusy:
      return "busy";
    case CdnResult::kNoDialTone:
      return "no-dial-tone";
    case CdnResult::kTimeout:
      return "timeout";
    case CdnResult::kNoFraming:
      return "no-framing";
  }
  return "unknown-result";
}

std::string_view ErrorCodeName(uint16_t code) {
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::kNoError:
      return "no-error";
    case ErrorCode::kNoControlConnection:
      return "no-control-connection";
    case ErrorCode::kBadLength:
      return "length-wrong";
    case ErrorCode::kBadValue:
      return "value-out-of-range";
    case ErrorCode::kNoResources:
      return "insufficient-resources";
    case ErrorCode::kBadSessionId:
      return "invalid-session-id";
    case ErrorCode::kVendorSpecific:
      return "vendor-specific";
    case ErrorCode::kTryAnother:
      return "try-another";
    case ErrorCode::kUnknownMandatoryAvp:
      return "unknown-mandatory-avp";
  }
  return "unknown-error-code";
}

std::string_view ProxyAuthenTypeName(uint16_t type) {
  switch (static_cast<ProxyAuthenType>(type)) {
    case ProxyAuthenType::kReserved:
      return "reserved";
    case ProxyAuthenType::kTextual:
      return "textual";
    case ProxyAuthenType::kChap:
      return "chap";
    case ProxyAuthenType::kPap:
      return "pap";
    case ProxyAuthenType::kNone:
      return "none";
    case ProxyAuthenType::kMsChapV1:
      return "mschap-v1";
  }
  return "unknown-authen-type";
}

std::string_view DecodeErrorName(DecodeError e) {
  switch (e) {
    case DecodeError::kOk:
      return "ok";
    case DecodeError::kEmpty:
      return "empty-body";
    case DecodeError::kBadAvp:
      return "bad-avp";
    case DecodeError::kNoMessageType:
      return "no-message-type";
    case DecodeError::kUnknownMessageType:
      return "unknown-message-type";
    case DecodeError::kUnknownMandatoryAvp:
      return "unknown-mandatory-avp";
    case DecodeError::kBadAvpLength:
      return "bad-avp-length";
    case DecodeError::kBadAvpValue:
      return "bad-avp-value";
    case DecodeError::kHiddenNoSecret:
      return "hidden-avp-without-secret";
    case DecodeError::kHiddenNoRandomVector:
      return "hidden-avp-without-random-vector";
    case DecodeError::kBadHiddenAvp:
      return "bad-hidden-avp";
    case DecodeError::kMissingMandatoryAvp:
      return "missing-mandatory-avp";
  }
  return "unknown-error";
}

std::string_view TeardownName(Teardown t) {
  switch (t) {
    case Teardown::kNone:
      return "none";
    case Teardown::kSession:
      return "session";
    case Teardown::kTunnel:
      return "tunnel";
  }
  return "unknown";
}

std::string DecodeResult::Describe() const {
  std::string s = fmt::format("{}: {}", MessageTypeName(message_type), DecodeErrorName(error));
  switch (error) {
    case DecodeError::kBadAvp:
    case DecodeError::kBadHiddenAvp:
      s += fmt::format(" ({})", AvpErrorName(avp_error));
      break;
    case DecodeError::kUnknownMessageType:
      s += fmt::format(" {}", message_type);
      break;
    default:
      break;
  }
  if (error != DecodeError::kOk && error != DecodeError::kEmpty &&
      error != DecodeError::kNoMessageType && error != DecodeError::kUnknownMessageType &&
      error != DecodeError::kBadAvp) {
    if (avp_vendor == kVendorIetf) {
      s += fmt::format(" {} ({})", AvpTypeName(avp_type), avp_type);
    } else {
      s += fmt::format(" vendor {} type {}", avp_vendor, avp_type);
    }
  }
  if (teardown != Teardown::kNone) s += fmt::format(" (tear down {})", TeardownName(teardown));
  return s;
}

DecodeResult DecodeControl(std::span<const uint8_t> body, const HidingContext* hide,
                           ControlMessage* out) {
  *out = ControlMessage{};
  DecodeResult res;
  // Until the Message Type is known, a broken message concerns the tunnel.
  Teardown scope = Teardown::kTunnel;
  auto fail = [&](DecodeError e, ErrorCode code, const Avp* avp = nullptr) {
    res.error = e;
    res.error_code = code;
    res.teardown = scope;
    if (avp) {
      res.avp_vendor = avp->vendor_id;
      res.avp_type = avp->type;
    }
    return res;
  };
  if (body.empty()) {
    res.error = DecodeError::kEmpty;
    return res;
  }
  std::vector<Avp> avps;
  AvpError ae = ParseAvps(body, &avps);

  // §4.4.1: Message Type MUST be the first AVP; it is never hidden.
  if (avps.empty() || avps[0].vendor_id != kVendorIetf ||
      avps[0].type != static_cast<uint16_t>(AvpType::kMessageType) || avps[0].hidden ||
      avps[0].value.size() != 2) {
    if (ae != AvpError::kOk) {
      res.avp_error = ae;
      return fail(DecodeError::kBadAvp, ErrorCode::kBadLength);
    }
    return fail(DecodeError::kNoMessageType, ErrorCode::kBadValue,
                avps.empty() ? nullptr : &avps[0]);
  }
  res.message_type = static_cast<uint16_t>(avps[0].value[0] << 8 | avps[0].value[1]);
  const MessageSpec* spec = FindSpec(res.message_type);
  if (!spec) {
    // §4.4.1: an unknown message with M set clears the tunnel; without M
    // it may be ignored.
    scope = avps[0].mandatory ? Teardown::kTunnel : Teardown::kNone;
    return fail(DecodeError::kUnknownMessageType, ErrorCode::kBadValue);
  }
  out->type = spec->type;
  scope = spec->session ? Teardown::kSession : Teardown::kTunnel;
  if (ae != AvpError::kOk) {
    res.avp_error = ae;
    return fail(DecodeError::kBadAvp, ErrorCode::kBadLength);
  }

  std::span<const uint8_t> random_vector;
  bool have_random_vector = false;
  std::bitset<64> seen;
  Bytes plain;
  for (size_t i = 1; i < avps.size(); ++i) {
    const Avp& a = avps[i];
    const AvpInfo* info = FindAvpInfo(a.vendor_id, a.type);
    // §4.1: an AVP with a reserved bit set is treated as unrecognized.
    if (!info || a.reserved_bits != 0) {
      // §4.1: unrecognized with M set: tear down the session or tunnel.
      if (a.mandatory)
        return fail(DecodeError::kUnknownMandatoryAvp, ErrorCode::kUnknownMandatoryAvp, &a);
      out->unknown.push_back(a);
      continue;
    }
    // §4.3: the Random Vector (never hidden) keys the hidden AVPs after it.
    if (info->type == AvpType::kRandomVector) {
      if (a.hidden) return fail(DecodeError::kBadAvpValue, ErrorCode::kBadValue, &a);
      random_vector = a.value;  // points into avps, alive for the loop
      have_random_vector = true;
      continue;
    }
    std::span<const uint8_t> value = a.value;
    if (a.hidden) {
      // §4.3: unhide with the latest Random Vector before this AVP. A hidden
      // AVP we cannot read is only fatal when it is mandatory.
      DecodeError he = DecodeError::kOk;
      if (!hide || hide->secret.empty()) {
        he = DecodeError::kHiddenNoSecret;
      } else if (!have_random_vector) {
        he = DecodeError::kHiddenNoRandomVector;
      } else {
        const auto* s = reinterpret_cast<const uint8_t*>(hide->secret.data());
        res.avp_error =
            UnhideValue(a.type, a.value, std::span(s, hide->secret.size()), random_vector, &plain);
        if (res.avp_error != AvpError::kOk) he = DecodeError::kBadHiddenAvp;
      }
      if (he != DecodeError::kOk) {
        if (a.mandatory) return fail(he, ErrorCode::kBadValue, &a);
        res.avp_error = AvpError::kOk;
        continue;
      }
      value = plain;
    }
    if (info->type == AvpType::kMessageType) continue;  // a second one: ignored
    if (value.size() < info->min_len || value.size() > info->max_len) {
      return fail(DecodeError::kBadAvpLength, ErrorCode::kBadLength, &a);
    }
    const size_t bit = a.type;
    if (seen[bit]) continue;  // the first of a duplicated AVP wins
    seen[bit] = true;
    if (!SetField(out, info->type, value)) {
      return fail(DecodeError::kBadAvpValue, ErrorCode::kBadValue, &a);
    }
  }
  // §6: the AVPs each message MUST carry.
  for (AvpType t : spec->required) {
    if (!seen[static_cast<size_t>(t)]) {
      Avp missing;
      missing.type = static_cast<uint16_t>(t);
      return fail(DecodeError::kMissingMandatoryAvp, ErrorCode::kBadValue, &missing);
    }
  }
  return res;
}

Result<Bytes> EncodeControl(const ControlMessage& m, const HidingContext* hide,
                            const RandomFill& random) {
  const MessageSpec* spec = FindSpec(static_cast<uint16_t>(m.type));
  if (!spec) {
    return Result<Bytes>::Error(
        fmt::format("L2TP: cannot encode message type {}", static_cast<uint16_t>(m.type)));
  }
  const bool hiding = hide && hide->hide_outgoing && !hide->secret.empty() && random;
  std::span<const uint8_t> secret;
  if (hiding) {
    secret = std::span(reinterpret_cast<const uint8_t*>(hide->secret.data()), hide->secret.size());
  }
  Bytes out;
  Avp mt;
  mt.mandatory = true;
  mt.type = static_cast<uint16_t>(AvpType::kMessageType);
  mt.value = U16(static_cast<uint16_t>(m.type));
  EncodeAvp(mt, &out);

  Bytes random_vector;
  for (AvpType t : spec->avps) {
    std::optional<Bytes> value = FieldValue(m, t);
    bool required = false;
    for (AvpType r : spec->required) required = required || r == t;
    if (!value) {
      if (!required) continue;
      return Result<Bytes>::Error(
          fmt::format("L2TP {}: {} missing", spec->name, AvpTypeName(static_cast<uint16_t>(t))));
    }
    const AvpInfo* info = FindAvpInfo(kVendorIetf, static_cast<uint16_t>(t));
    if (value->size() < info->min_len || value->size() > info->max_len) {
      return Result<Bytes>::Error(
          fmt::format("L2TP {}: {} has {} octets", spec->name, info->name, value->size()));
    }
    Avp a;
    a.mandatory = info->mandatory;
    a.type = static_cast<uint16_t>(t);
    // §4.3: hidden values grow by the 2-octet Original Length.
    if (hiding && info->may_hide && value->size() + 2 <= kMaxAvpValue) {
      if (random_vector.empty()) {
        // §4.3: the Random Vector precedes the first hidden AVP.
        random_vector.resize(kRandomVectorSize);
        random(random_vector);
        Avp rv;
        rv.mandatory = true;
        rv.type = static_cast<uint16_t>(AvpType::kRandomVector);
        rv.value = random_vector;
        EncodeAvp(rv, &out);
      }
      a.hidden = true;
      a.value = HideValue(a.type, *value, secret, random_vector);
    } else {
      a.value = std::move(*value);
    }
    EncodeAvp(a, &out);
  }
  for (const Avp& u : m.unknown) {
    if (EncodeAvp(u, &out) != AvpError::kOk) {
      return Result<Bytes>::Error(fmt::format("L2TP {}: AVP {} too long", spec->name, u.type));
    }
  }
  if (out.size() > kMaxControlBody) {
    return Result<Bytes>::Error(
        fmt::format("L2TP {}: {} octets exceed a message", spec->name, out.size()));
  }
  return out;
}

std::array<uint8_t, 16> ChallengeResponse(uint8_t msg_type, std::span<const uint8_t> secret,
                                          std::span<const uint8_t> challenge) {
  const uint8_t id[1] = {msg_type};
  return Md5({id, secret, challenge});
}

std::array<uint8_t, 16> ChallengeResponse(MessageType msg_type, std::string_view secret,
                                          std::span<const uint8_t> challenge) {
  return ChallengeResponse(
      static_cast<uint8_t>(msg_type),
      std::span(reinterpret_cast<const uint8_t*>(secret.data()), secret.size()), challenge);
}

}  // namespace mlppp::link::l2tp
