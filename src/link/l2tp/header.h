// L2TPv2 (RFC 2661) wire codec: the message header (§3.1), AVPs with
// hiding (§4.1, §4.3) and control messages (§6). Pure code: no I/O, no
// clock; randomness is injected. Every error a peer can cause is a value.
//
// header.h: the L2TP header shared by control and data messages (§3.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/packet.h"

namespace mlppp::link::l2tp {

using Bytes = std::vector<uint8_t>;

// RFC 2661 §8.1: the well-known UDP port.
inline constexpr uint16_t kUdpPort = 1701;
// §3.1: flag bits of the first 16-bit word.
inline constexpr uint16_t kFlagType = 0x8000;      // T: control message
inline constexpr uint16_t kFlagLength = 0x4000;    // L: Length present
inline constexpr uint16_t kFlagSequence = 0x0800;  // S: Ns/Nr present
inline constexpr uint16_t kFlagOffset = 0x0200;    // O: Offset Size present
inline constexpr uint16_t kFlagPriority = 0x0100;  // P: priority data
inline constexpr uint16_t kVersionMask = 0x000f;
inline constexpr uint8_t kVersion = 2;
// A control header always has T, L and S set and no offset: 12 octets.
inline constexpr size_t kControlHeaderSize = 12;
// Largest body a control message can carry (Length is 16 bits).
inline constexpr size_t kMaxControlBody = 0xffff - kControlHeaderSize;

// The L2TP header (§3.1) as a value. `length` is what a parsed header said
// (0 when absent); encoders compute it.
struct Header {
  bool control = false;       // T
  bool has_length = false;    // L
  bool has_sequence = false;  // S
  bool has_offset = false;    // O
  bool priority = false;      // P (data messages only)
  uint16_t length = 0;
  uint16_t tunnel_id = 0;
  uint16_t session_id = 0;
  uint16_t ns = 0;
  uint16_t nr = 0;
  uint16_t offset_size = 0;  // octets of padding after the Offset Size field

  bool operator==(const Header&) const = default;
};

enum class HeaderError : uint8_t {
  kOk,
  kShort,            // datagram ends inside the header
  kVersionL2F,       // Ver 1: L2F (RFC 2341), not ours
  kVersionL2TPv3,    // Ver 3: L2TPv3 (RFC 3931), not supported
  kBadVersion,       // any other Ver
  kBadControlFlags,  // T=1 without L and S, or with O or P (§3.1)
  kLengthOverrun,    // Length runs past the datagram
  kLengthTooShort,   // Length ends inside the header
  kOffsetOverrun,    // offset padding runs past the message
  kTooLarge,         // encode: message would not fit the 16-bit Length
};
std::string_view HeaderErrorName(HeaderError e);

struct ParsedHeader {
  Header header;
  // The message body: after the header and offset padding, up to Length
  // (bytes after Length are ignored, §3.1). Points into the parsed span.
  std::span<const uint8_t> payload;
  size_t payload_offset = 0;  // where payload starts within the datagram
};

// Parses the header of a UDP payload. Reserved (x) bits are ignored as §3.1
// requires; Ver must be 2. On error *out is unspecified.
HeaderError ParseHeader(std::span<const uint8_t> datagram, ParsedHeader* out);

// Header size on the wire, offset padding included.
size_t HeaderSize(const Header& h);

// A control header (§3.1: T=1, L=1, S=1, O=0, P=0). A ZLB ACK (§5.8) is a
// control header with an empty body.
Header ControlHeader(uint16_t tunnel_id, uint16_t session_id, uint16_t ns, uint16_t nr);
// A data header; `with_length` is mpd5's `set l2tp enable length`,
// `with_sequence` its `dataseq` (§5.4: Ns/Nr on data messages).
Header DataHeader(uint16_t tunnel_id, uint16_t session_id, bool with_length,
                  bool with_sequence = false, uint16_t ns = 0, uint16_t nr = 0);

// Appends header + payload to *out; Length (when L is set) is computed.
// Fails with kTooLarge when L is set and the message exceeds 65535 octets.
HeaderError BuildMessage(const Header& h, std::span<const uint8_t> payload, Bytes* out);
// Data path: writes the header into `frame`'s headroom (frame holds the PPP
// frame). Same kTooLarge rule; frame is unchanged on error.
HeaderError PrependHeader(const Header& h, Packet& frame);

}  // namespace mlppp::link::l2tp
