#include "link/pppoe/discovery.h"

#include <limits>

#include "core/wire.h"

namespace mlppp::link::pppoe {

std::string_view CodeName(Code c) {
  switch (c) {
    case Code::kSession:
      return "Session";
    case Code::kPADI:
      return "PADI";
    case Code::kPADO:
      return "PADO";
    case Code::kPADR:
      return "PADR";
    case Code::kPADS:
      return "PADS";
    case Code::kPADT:
      return "PADT";
  }
  return "unknown-code";
}

bool IsDiscoveryCode(uint8_t c) {
  switch (static_cast<Code>(c)) {
    case Code::kPADI:
    case Code::kPADO:
    case Code::kPADR:
    case Code::kPADS:
    case Code::kPADT:
      return true;
    default:
      return false;
  }
}

std::string_view TagName(uint16_t tag) {
  switch (static_cast<Tag>(tag)) {
    case Tag::kEndOfList:
      return "End-Of-List";
    case Tag::kServiceName:
      return "Service-Name";
    case Tag::kAcName:
      return "AC-Name";
    case Tag::kHostUniq:
      return "Host-Uniq";
    case Tag::kAcCookie:
      return "AC-Cookie";
    case Tag::kVendorSpecific:
      return "Vendor-Specific";
    case Tag::kRelaySessionId:
      return "Relay-Session-Id";
    case Tag::kPppMaxPayload:
      return "PPP-Max-Payload";
    case Tag::kServiceNameError:
      return "Service-Name-Error";
    case Tag::kAcSystemError:
      return "AC-System-Error";
    case Tag::kGenericError:
      return "Generic-Error";
  }
  return "unknown-tag";
}

std::string_view ParseErrorName(ParseError e) {
  switch (e) {
    case ParseError::kOk:
      return "ok";
    case ParseError::kShortHeader:
      return "short-header";
    case ParseError::kBadVersionType:
      return "bad-version-type";
    case ParseError::kBadCode:
      return "bad-code";
    case ParseError::kLengthOverrun:
      return "length-overrun";
    case ParseError::kTagOverrun:
      return "tag-overrun";
    case ParseError::kBadTagLength:
      return "bad-tag-length";
    case ParseError::kTooLarge:
      return "too-large";
  }
  return "unknown-error";
}

std::optional<std::string> Discovery::ErrorText() const {
  if (service_name_error) return "Service-Name-Error: " + *service_name_error;
  if (ac_system_error) return "AC-System-Error: " + *ac_system_error;
  if (generic_error) return "Generic-Error: " + *generic_error;
  return std::nullopt;
}

namespace {

template <class T>
void SetOnce(std::optional<T>& field, T value) {
  if (!field) field = std::move(value);
}

}  // namespace

ParseError ParseDiscovery(std::span<const uint8_t> frame, Discovery* out) {
  *out = Discovery{};
  WireReader r(frame);
  uint8_t ver_type = r.U8();
  uint8_t code = r.U8();
  uint16_t session_id = r.U16();
  uint16_t length = r.U16();
  if (!r.ok()) return ParseError::kShortHeader;
  // RFC 2516 §4: VER and TYPE MUST be 1 for this version of PPPoE.
  if (ver_type != kVerType) return ParseError::kBadVersionType;
  if (!IsDiscoveryCode(code)) return ParseError::kBadCode;
  if (length > r.remaining()) return ParseError::kLengthOverrun;
  out->code = static_cast<Code>(code);
  out->session_id = session_id;

  // RFC 2516 §4: the payload holds zero or more TAGs, TLVs of
  // TAG_TYPE(2) TAG_LENGTH(2) TAG_VALUE(TAG_LENGTH).
  WireReader tags = r.Sub(length);
  while (!tags.AtEnd()) {
    uint16_t type = tags.U16();
    uint16_t len = tags.U16();
    if (!tags.ok()) return ParseError::kTagOverrun;
    // Appendix A: End-Of-List ends the list; its length is ignored.
    if (type == static_cast<uint16_t>(Tag::kEndOfList)) break;
    auto value = tags.Bytes(len);
    if (!tags.ok()) return ParseError::kTagOverrun;
    auto str = [&] { return std::string(value.begin(), value.end()); };
    auto bytes = [&] { return Bytes(value.begin(), value.end()); };
    switch (static_cast<Tag>(type)) {
      case Tag::kServiceName:
        if (out->service_name) {
          out->more_service_names.push_back(str());
        } else {
          out->service_name = str();
        }
        break;
      case Tag::kAcName:
        SetOnce(out->ac_name, str());
        break;
      case Tag::kHostUniq:
        SetOnce(out->host_uniq, bytes());
        break;
      case Tag::kAcCookie:
        SetOnce(out->ac_cookie, bytes());
        break;
      case Tag::kVendorSpecific:
        out->vendor_specific.push_back(bytes());
        break;
      case Tag::kRelaySessionId:
        SetOnce(out->relay_session_id, bytes());
        break;
      case Tag::kPppMaxPayload: {
        // RFC 4638 §4: a two-octet unsigned integer.
        if (len != 2) return ParseError::kBadTagLength;
        WireReader v(value);
        SetOnce(out->ppp_max_payload, v.U16());
        break;
      }
      case Tag::kServiceNameError:
        SetOnce(out->service_name_error, str());
        break;
      case Tag::kAcSystemError:
        SetOnce(out->ac_system_error, str());
        break;
      case Tag::kGenericError:
        SetOnce(out->generic_error, str());
        break;
      default:
        out->unknown.push_back({type, bytes()});
        break;
    }
  }
  return ParseError::kOk;
}

ParseError SerializeDiscovery(const Discovery& d, Bytes* out) {
  out->clear();
  WireWriter w(*out);
  w.U8(kVerType);
  w.U8(static_cast<uint8_t>(d.code));
  w.U16(d.session_id);
  size_t length_at = w.Reserve16();
  bool too_big = false;
  auto tag = [&](Tag t, std::span<const uint8_t> v) {
    if (v.size() > std::numeric_limits<uint16_t>::max()) {
      too_big = true;
      return;
    }
    w.U16(static_cast<uint16_t>(t));
    w.U16(static_cast<uint16_t>(v.size()));
    w.Bytes(v);
  };
  auto str_tag = [&](Tag t, std::string_view s) {
    tag(t, std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  };
  if (d.service_name) str_tag(Tag::kServiceName, *d.service_name);
  for (const auto& s : d.more_service_names) str_tag(Tag::kServiceName, s);
  if (d.ac_name) str_tag(Tag::kAcName, *d.ac_name);
  if (d.host_uniq) tag(Tag::kHostUniq, *d.host_uniq);
  if (d.ac_cookie) tag(Tag::kAcCookie, *d.ac_cookie);
  for (const auto& v : d.vendor_specific) tag(Tag::kVendorSpecific, v);
  if (d.relay_session_id) tag(Tag::kRelaySessionId, *d.relay_session_id);
  if (d.ppp_max_payload) {
    const uint8_t v[2] = {static_cast<uint8_t>(*d.ppp_max_payload >> 8),
                          static_cast<uint8_t>(*d.ppp_max_payload)};
    tag(Tag::kPppMaxPayload, v);
  }
  if (d.service_name_error) str_tag(Tag::kServiceNameError, *d.service_name_error);
  if (d.ac_system_error) str_tag(Tag::kAcSystemError, *d.ac_system_error);
  if (d.generic_error) str_tag(Tag::kGenericError, *d.generic_error);
  for (const auto& u : d.unknown) {
    tag(static_cast<Tag>(u.type), u.value);
  }
  size_t payload = w.size() - kHeaderSize;
  if (too_big || payload > kMaxDiscoveryPayload) {
    out->clear();
    return ParseError::kTooLarge;
  }
  w.Patch16(length_at, static_cast<uint16_t>(payload));
  return ParseError::kOk;
}

Result<Packet> DiscoveryToPacket(const Discovery& d) {
  Bytes bytes;
  ParseError e = SerializeDiscovery(d, &bytes);
  if (e != ParseError::kOk) {
    return Result<Packet>::Error(std::string("PPPoE discovery: ") + std::string(ParseErrorName(e)));
  }
  return Packet::Copy(bytes);
}

ParseError ParseSessionHeader(Packet& frame, SessionHeader* out) {
  WireReader r(frame.span());
  uint8_t ver_type = r.U8();
  out->code = r.U8();
  out->session_id = r.U16();
  out->length = r.U16();
  if (!r.ok()) return ParseError::kShortHeader;
  if (ver_type != kVerType) return ParseError::kBadVersionType;
  // RFC 2516 §6: the CODE field MUST be 0x00 in the Session stage.
  if (out->code != 0) return ParseError::kBadCode;
  if (out->length > r.remaining()) return ParseError::kLengthOverrun;
  // Ethernet pads short frames to 60 bytes; LENGTH says where PPP ends.
  frame.Pull(kHeaderSize);
  frame.Resize(out->length);
  return ParseError::kOk;
}

void PrependSessionHeader(Packet& frame, uint16_t session_id) {
  const size_t len = frame.size();
  // Written in place (this runs for every data frame): a fixed 6-byte span
  // over the headroom Prepend() returns.
  std::span<uint8_t, kHeaderSize> h(frame.Prepend(kHeaderSize), kHeaderSize);
  h[0] = kVerType;
  h[1] = 0;  // RFC 2516 §6: CODE 0x00
  h[2] = static_cast<uint8_t>(session_id >> 8);
  h[3] = static_cast<uint8_t>(session_id);
  h[4] = static_cast<uint8_t>(len >> 8);
  h[5] = static_cast<uint8_t>(len);
}

}  // namespace mlppp::link::pppoe
