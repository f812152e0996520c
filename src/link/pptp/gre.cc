#include "link/pptp/gre.h"

#include <cstring>

#include "core/wire.h"

namespace mlppp::link::pptp {

namespace {

// RFC 2637 §4.1, first octet: C R K S s Recur(3); second: A Flags(4) Ver(3).
constexpr uint8_t kBitC = 0x80;
constexpr uint8_t kBitR = 0x40;
constexpr uint8_t kBitK = 0x20;
constexpr uint8_t kBitS = 0x10;
constexpr uint8_t kBitStrict = 0x08;
constexpr uint8_t kRecurMask = 0x07;
constexpr uint8_t kBitA = 0x80;
constexpr uint8_t kFlagsMask = 0x78;
constexpr uint8_t kVerMask = 0x07;

}  // namespace

std::string_view GreErrorName(GreError e) {
  switch (e) {
    case GreError::kOk:
      return "ok";
    case GreError::kShortHeader:
      return "short-header";
    case GreError::kChecksumPresent:
      return "checksum-present";
    case GreError::kRoutingPresent:
      return "routing-present";
    case GreError::kKeyMissing:
      return "key-missing";
    case GreError::kStrictSourceRoute:
      return "strict-source-route";
    case GreError::kRecursion:
      return "recursion-nonzero";
    case GreError::kFlagsSet:
      return "flags-nonzero";
    case GreError::kBadVersion:
      return "bad-version";
    case GreError::kBadProtocol:
      return "bad-protocol";
    case GreError::kNoSeqNoAck:
      return "no-seq-no-ack";
    case GreError::kPayloadWithoutSeq:
      return "payload-without-seq";
    case GreError::kPayloadOverrun:
      return "payload-overrun";
    case GreError::kTooLarge:
      return "too-large";
  }
  return "unknown-error";
}

GreError ParseGre(std::span<const uint8_t> packet, GreHeader* out,
                  std::span<const uint8_t>* payload) {
  WireReader r(packet);
  uint8_t b0 = r.U8();
  uint8_t b1 = r.U8();
  uint16_t proto = r.U16();
  uint16_t payload_length = r.U16();
  uint16_t call_id = r.U16();
  if (!r.ok()) return GreError::kShortHeader;
  // §4.1: C, R, s, Recur and Flags MUST be 0, K MUST be 1, Ver MUST be 1.
  if (b0 & kBitC) return GreError::kChecksumPresent;
  if (b0 & kBitR) return GreError::kRoutingPresent;
  if (!(b0 & kBitK)) return GreError::kKeyMissing;
  if (b0 & kBitStrict) return GreError::kStrictSourceRoute;
  if (b0 & kRecurMask) return GreError::kRecursion;
  if (b1 & kFlagsMask) return GreError::kFlagsSet;
  if ((b1 & kVerMask) != kGreVersion) return GreError::kBadVersion;
  if (proto != kGreProtocolPpp) return GreError::kBadProtocol;
  const bool has_seq = b0 & kBitS;
  const bool has_ack = b1 & kBitA;
  if (!has_seq && !has_ack) return GreError::kNoSeqNoAck;
  GreHeader h;
  h.payload_length = payload_length;
  h.call_id = call_id;
  if (has_seq) h.seq = r.U32();
  if (has_ack) h.ack = r.U32();
  if (!r.ok()) return GreError::kShortHeader;
  if (!has_seq && payload_length != 0) return GreError::kPayloadWithoutSeq;
  auto body = r.Bytes(payload_length);
  if (!r.ok()) return GreError::kPayloadOverrun;
  *out = h;
  if (payload) *payload = body;
  return GreError::kOk;
}

GreError StripGre(Packet& packet, GreHeader* out) {
  GreHeader h;
  GreError e = ParseGre(packet.span(), &h);
  if (e != GreError::kOk) return e;
  packet.Pull(h.Size());
  packet.Resize(h.payload_length);
  *out = h;
  return GreError::kOk;
}

void EncodeGre(const GreHeader& h, std::vector<uint8_t>* out) {
  WireWriter w(*out);
  w.U8(static_cast<uint8_t>(kBitK | (h.seq ? kBitS : 0)));
  w.U8(static_cast<uint8_t>((h.ack ? kBitA : 0) | kGreVersion));
  w.U16(kGreProtocolPpp);
  w.U16(h.payload_length);
  w.U16(h.call_id);
  if (h.seq) w.U32(*h.seq);
  if (h.ack) w.U32(*h.ack);
}

GreError PrependGre(Packet& packet, GreHeader h) {
  if (packet.size() > UINT16_MAX) return GreError::kTooLarge;
  h.payload_length = static_cast<uint16_t>(packet.size());
  std::vector<uint8_t> bytes;
  bytes.reserve(kGreMaxHeaderSize);
  EncodeGre(h, &bytes);
  std::memcpy(packet.Prepend(bytes.size()), bytes.data(), bytes.size());
  return GreError::kOk;
}

}  // namespace mlppp::link::pptp
