#include "link/l2tp/header.h"

#include <algorithm>

#include "core/wire.h"

namespace mlppp::link::l2tp {

std::string_view HeaderErrorName(HeaderError e) {
  switch (e) {
    case HeaderError::kOk:
      return "ok";
    case HeaderError::kShort:
      return "short-header";
    case HeaderError::kVersionL2F:
      return "version-1-l2f";
    case HeaderError::kVersionL2TPv3:
      return "version-3-l2tpv3";
    case HeaderError::kBadVersion:
      return "bad-version";
    case HeaderError::kBadControlFlags:
      return "bad-control-flags";
    case HeaderError::kLengthOverrun:
      return "length-overrun";
    case HeaderError::kLengthTooShort:
      return "length-too-short";
    case HeaderError::kOffsetOverrun:
      return "offset-overrun";
    case HeaderError::kTooLarge:
      return "too-large";
  }
  return "unknown-error";
}

HeaderError ParseHeader(std::span<const uint8_t> datagram, ParsedHeader* out) {
  *out = ParsedHeader{};
  Header& h = out->header;
  WireReader r(datagram);
  uint16_t flags = r.U16();
  if (!r.ok()) return HeaderError::kShort;
  // §3.1: Ver MUST be 2; 1 is L2F and 3 is L2TPv3, both dropped.
  switch (flags & kVersionMask) {
    case kVersion:
      break;
    case 1:
      return HeaderError::kVersionL2F;
    case 3:
      return HeaderError::kVersionL2TPv3;
    default:
      return HeaderError::kBadVersion;
  }
  h.control = flags & kFlagType;
  h.has_length = flags & kFlagLength;
  h.has_sequence = flags & kFlagSequence;
  h.has_offset = flags & kFlagOffset;
  h.priority = flags & kFlagPriority;
  // §3.1: control messages MUST have L and S set and O and P clear.
  if (h.control && (!h.has_length || !h.has_sequence || h.has_offset || h.priority)) {
    return HeaderError::kBadControlFlags;
  }
  if (h.has_length) h.length = r.U16();
  h.tunnel_id = r.U16();
  h.session_id = r.U16();
  if (h.has_sequence) {
    h.ns = r.U16();
    h.nr = r.U16();
  }
  if (h.has_offset) h.offset_size = r.U16();
  if (!r.ok()) return HeaderError::kShort;

  // §3.1: Length is the whole message; UDP bytes after it are ignored.
  size_t end = datagram.size();
  if (h.has_length) {
    if (h.length > datagram.size()) return HeaderError::kLengthOverrun;
    if (h.length < r.position()) return HeaderError::kLengthTooShort;
    end = h.length;
  }
  const size_t fixed = r.position();
  // §3.1: the payload starts Offset Size octets after the Offset Size field.
  WireReader rest(datagram.subspan(fixed, end - fixed));
  rest.Skip(h.offset_size);
  if (!rest.ok()) return HeaderError::kOffsetOverrun;
  out->payload_offset = fixed + h.offset_size;
  out->payload = rest.Rest();
  return HeaderError::kOk;
}

size_t HeaderSize(const Header& h) {
  size_t n = 6;  // flags, Tunnel ID, Session ID
  if (h.has_length) n += 2;
  if (h.has_sequence) n += 4;
  if (h.has_offset) n += 2 + h.offset_size;
  return n;
}

Header ControlHeader(uint16_t tunnel_id, uint16_t session_id, uint16_t ns, uint16_t nr) {
  Header h;
  h.control = true;
  h.has_length = true;
  h.has_sequence = true;
  h.tunnel_id = tunnel_id;
  h.session_id = session_id;
  h.ns = ns;
  h.nr = nr;
  return h;
}

Header DataHeader(uint16_t tunnel_id, uint16_t session_id, bool with_length, bool with_sequence,
                  uint16_t ns, uint16_t nr) {
  Header h;
  h.has_length = with_length;
  h.has_sequence = with_sequence;
  h.tunnel_id = tunnel_id;
  h.session_id = session_id;
  if (with_sequence) {
    h.ns = ns;
    h.nr = nr;
  }
  return h;
}

namespace {

// Writes the header for a message of `total` octets.
void WriteHeader(const Header& h, size_t total, WireWriter& w) {
  uint16_t flags = kVersion;
  if (h.control) flags |= kFlagType;
  if (h.has_length) flags |= kFlagLength;
  if (h.has_sequence) flags |= kFlagSequence;
  if (h.has_offset) flags |= kFlagOffset;
  if (h.priority) flags |= kFlagPriority;
  w.U16(flags);
  if (h.has_length) w.U16(static_cast<uint16_t>(total));
  w.U16(h.tunnel_id);
  w.U16(h.session_id);
  if (h.has_sequence) {
    w.U16(h.ns);
    w.U16(h.nr);
  }
  if (h.has_offset) {
    w.U16(h.offset_size);
    w.Zeros(h.offset_size);  // §3.1: padding contents are undefined
  }
}

}  // namespace

HeaderError BuildMessage(const Header& h, std::span<const uint8_t> payload, Bytes* out) {
  const size_t total = HeaderSize(h) + payload.size();
  if (h.has_length && total > 0xffff) return HeaderError::kTooLarge;
  WireWriter w(*out);
  WriteHeader(h, total, w);
  w.Bytes(payload);
  return HeaderError::kOk;
}

HeaderError PrependHeader(const Header& h, Packet& frame) {
  const size_t n = HeaderSize(h);
  const size_t total = n + frame.size();
  if (h.has_length && total > 0xffff) return HeaderError::kTooLarge;
  Bytes hdr;
  hdr.reserve(n);
  WireWriter w(hdr);
  WriteHeader(h, total, w);
  std::span<uint8_t> dst(frame.Prepend(n), n);
  std::copy(hdr.begin(), hdr.end(), dst.begin());
  return HeaderError::kOk;
}

}  // namespace mlppp::link::l2tp
