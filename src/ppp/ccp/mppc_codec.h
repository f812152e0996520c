// The CCP option 18 data codec: MPPC compression (RFC 2118) and/or MPPE
// encryption (RFC 3078) behind one two-octet header.
//
// Wire format (RFC 2118 §3, RFC 3078 §3), the information field of a
// Compressed Datagram (0x00FD):
//   A B C D | 12-bit coherency count | payload
// A (0x80) flushed: MPPC history reset and, with stateful MPPE, a new
// session key; B (0x40) data at the front of the history; C (0x20)
// compressed; D (0x10) encrypted. The payload is the two-octet PPP protocol
// and the information field, compressed (MPPC on) and then encrypted (MPPE
// on). The coherency count goes up by one per packet, modulo 4096.
//
// Key changes (RFC 3078 §7, as Linux's drivers/net/ppp/ppp_mppe.c does
// them, Debian's pppd being the peer we must agree with): stateless mode
// ('H' bit) changes the key before every packet and flags every packet A;
// stateful mode changes it before the packet whose count ends in 0xFF (the
// "flag" packet, which carries A) and, with MPPE alone, before the flushed
// packet that answers a CCP Reset-Request. Like Linux, the first stateful
// packet is not flagged A. With MPPC and stateful MPPE together (which
// Linux does not do), A also marks MPPC's own history resets; there a
// flushed packet that is not a flag packet only restarts RC4 on the current
// key, as FreeBSD's ng_mppc (mpd5) does for every flushed packet.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "core/result.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp {

inline constexpr uint16_t kMppcCoherencyMask = 0x0FFF;  // RFC 2118 §3
inline constexpr size_t kMppcHeaderSize = 2;

struct MppcParams {
  bool compress = false;   // MPPC ('C' bit of option 18)
  int key_bits = 0;        // 0 = no MPPE; else 40, 56 or 128 (the L, M, S bits)
  bool stateless = false;  // 'H' bit: history and key reset on every packet
  // The send start key for the encoder, the receive start key for the
  // decoder (aaa::MppeKeys); 40/56-bit use the first 8 octets.
  std::array<uint8_t, 16> start_key{};
};

// Errors: neither compression nor encryption, a key strength other than
// 0/40/56/128, or RC4/SHA-1 unavailable.
Result<std::unique_ptr<Encoder>> MakeMppcEncoder(const MppcParams& params);
Result<std::unique_ptr<Decoder>> MakeMppcDecoder(const MppcParams& params);

}  // namespace mlppp::ppp::ccp
