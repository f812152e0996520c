#include "ppp/frame.h"

#include <algorithm>
#include <array>

#include "core/wire.h"

namespace mlppp::ppp {

namespace {
constexpr uint8_t kAllStations = 0xff;  // RFC 1662 §3.1 Address
constexpr uint8_t kUi = 0x03;           // RFC 1662 §3.1 Control
}  // namespace

std::optional<uint16_t> DecodeFrame(Packet& frame) {
  WireReader r(frame.span());
  // RFC 1661 §6.6: if the first two octets are FF 03 they are the Address and
  // Control fields, else they were compressed (protocol 0x00ff is reserved,
  // so this is unambiguous).
  if (frame.size() >= 2 && frame.data()[0] == kAllStations && frame.data()[1] == kUi) r.Skip(2);
  uint8_t first = r.U8();
  if (!r.ok()) return std::nullopt;
  uint16_t protocol = first;
  if ((first & 1) == 0) {
    uint8_t second = r.U8();
    if (!r.ok() || (second & 1) == 0) return std::nullopt;  // low octet must be odd
    protocol = static_cast<uint16_t>(first << 8 | second);
  }
  frame.Pull(r.position());
  return protocol;
}

void EncodeFrame(Packet& info, uint16_t protocol, bool address_control, bool pfc) {
  // Built on the stack: this runs for every data frame sent.
  std::array<uint8_t, 4> header;
  size_t n = 0;
  if (address_control) {
    header[n++] = kAllStations;
    header[n++] = kUi;
  }
  if (!(pfc && protocol < 0x100)) header[n++] = static_cast<uint8_t>(protocol >> 8);
  header[n++] = static_cast<uint8_t>(protocol);
  std::copy_n(header.begin(), n, info.Prepend(n));
}

}  // namespace mlppp::ppp
