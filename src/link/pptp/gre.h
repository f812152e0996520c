// PPTP data channel: the Enhanced GRE header (RFC 2637 §4.1), which
// carries PPP frames for one call, keyed by the peer's Call ID, with an
// optional sequence number and an optional acknowledgement number. No I/O:
// the IP header is removed before parsing and added after encoding by the
// raw socket code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/packet.h"

namespace mlppp::link::pptp {

// RFC 2637 §4.1: IP protocol 47 carries GRE; Protocol Type 0x880B is PPP.
inline constexpr uint8_t kIpProtoGre = 47;
inline constexpr uint16_t kGreProtocolPpp = 0x880B;
inline constexpr uint8_t kGreVersion = 1;
// Fixed part: flags/version (2), Protocol Type (2), Key (4).
inline constexpr size_t kGreFixedSize = 8;
inline constexpr size_t kGreMaxHeaderSize = 16;

// The header as a value. payload_length and call_id are the two halves of
// the Key field (§4.1: "Payload Length" and "Call ID"). A header without
// seq carries no payload (§4.1: S is set when a payload is present); one
// without ack carries no acknowledgement.
struct GreHeader {
  uint16_t payload_length = 0;
  uint16_t call_id = 0;  // the receiver's Call ID (the peer's, when sending)
  std::optional<uint32_t> seq;
  std::optional<uint32_t> ack;

  size_t Size() const { return kGreFixedSize + (seq ? 4 : 0) + (ack ? 4 : 0); }
  bool operator==(const GreHeader&) const = default;
};

enum class GreError : uint8_t {
  kOk,
  kShortHeader,        // fewer octets than the flags say the header has
  kChecksumPresent,    // C set (§4.1: must be 0)
  kRoutingPresent,     // R set
  kKeyMissing,         // K clear (§4.1: must be 1)
  kStrictSourceRoute,  // s set
  kRecursion,          // Recur != 0
  kFlagsSet,           // Flags != 0
  kBadVersion,         // Ver != 1
  kBadProtocol,        // Protocol Type != 0x880B
  kNoSeqNoAck,         // neither S nor A: the packet means nothing
  kPayloadWithoutSeq,  // Payload Length != 0 but S clear
  kPayloadOverrun,     // Payload Length runs past the packet
  kTooLarge,           // encode: payload over 65535 octets
};
std::string_view GreErrorName(GreError e);

// Parses the header at the start of `packet` (IP header already removed),
// strictly per §4.1. On success *payload (when given) is the Payload Length
// octets after the header; trailing octets beyond that are ignored.
GreError ParseGre(std::span<const uint8_t> packet, GreHeader* out,
                  std::span<const uint8_t>* payload = nullptr);
// As ParseGre, then strips the header and any trailing octets, leaving the
// PPP frame in `packet`.
GreError StripGre(Packet& packet, GreHeader* out);

// Appends the header as given (payload_length as set by the caller).
void EncodeGre(const GreHeader& h, std::vector<uint8_t>* out);
// Prepends a header for the PPP frame in `packet`, setting
// h.payload_length to its size. A payload-less ack-only packet is an empty
// packet with h.seq unset. Fails with kTooLarge over 65535 octets.
GreError PrependGre(Packet& packet, GreHeader h);

}  // namespace mlppp::link::pptp
