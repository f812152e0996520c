// PPP frame header codec: the Address/Control and Protocol fields in front of
// the information field (RFC 1661 §2, §6.5, §6.6; RFC 1662 §3.2).
#pragma once

#include <cstdint>
#include <optional>

#include "core/packet.h"

namespace mlppp::ppp {

// Strips an optional FF 03 Address/Control pair and the Protocol field, which
// is one octet when its first octet is odd (PFC, RFC 1661 §6.5) and two
// otherwise. On success `frame` starts at the information field and the
// protocol is returned. A protocol whose low octet is even is invalid
// (RFC 1661 §2), as is an empty or truncated frame: nullopt, `frame` untouched.
std::optional<uint16_t> DecodeFrame(Packet& frame);

// Prepends the PPP header to an information field.
// `address_control`: put FF 03 in front (RFC 1662 §3.2). Callers on
//   HDLC-framed links pass true for LCP always (RFC 1661 §6.6: LCP packets are
//   never sent with compressed Address/Control) and !ACFC for other protocols;
//   PPPoE, which never carries the pair (RFC 2516 §7), passes false.
// `pfc`: the peer accepts a compressed Protocol field; used only for
//   protocols below 0x100 (RFC 1661 §6.5), so never for LCP.
void EncodeFrame(Packet& info, uint16_t protocol, bool address_control, bool pfc);

}  // namespace mlppp::ppp
