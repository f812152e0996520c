// ppp/ecp/: the encryption methods ECP (RFC 1968) agrees on, one direction
// each, behind the same ccp::Encoder/ccp::Decoder interface as CCP's
// methods (ppp/ccp/codec.h): DESE (RFC 1969, mpd5 `dese-old`, ECP option
// type 1) and DESE-bis (RFC 2419, mpd5 `dese-bis`, ECP option type 3), DES
// in CBC mode through OpenSSL's legacy provider (aaa/legacy_crypto.h). Pure
// byte work: no I/O, no clock, no logging of packet data.
//
// Wire format of one Encrypted datagram (protocol 0x0053), as RFC 1969 §5,
// RFC 2419 §5 and mpd5's ecp_dese.c / ecp_dese_bis.c build it:
//
//   +--------+--------+----------------------------------------------+
//   | sequence number |  DES-CBC ciphertext of (protocol field (two   |
//   |   (2 octets)    |  octets) + information + padding), 8n octets |
//   +--------+--------+----------------------------------------------+
//
// * The sequence number starts at 0 when ECP reaches Opened and goes up by
//   one per datagram (wrapping at 65536).
// * CBC runs on across datagrams: the first block of the first datagram is
//   chained from the 8-octet Initial Nonce of the ECP option; every later
//   datagram is chained from the last ciphertext block of the one before.
// * A receiver that sees a sequence number other than the one it expects has
//   lost a datagram (and with it the IV): it drops the datagram, takes its
//   last ciphertext block as the next IV and expects `seq + 1` (mpd5
//   DesDecrypt). The chain is thereby resynchronized without a
//   Reset-Request.
// * Padding. DESE (RFC 1969): zero octets up to a multiple of 8, left on by
//   the receiver (it cannot tell them from data; IPv4/IPv6 carry their own
//   length, and mpd5 passes them up the same way). DESE-bis (RFC 2419):
//   octets 1, 2, 3, ... n, so the last octet counts them; a datagram whose
//   plaintext is already a multiple of 8 gets no padding unless its last
//   octet is 1..8, in which case a whole block 1..8 is added. The receiver
//   strips n octets when the last one is n in 1..8.
//
// Which nonce each direction uses (mpd5 ecp_dese*.c BuildConfigReq and
// DecodeConfigReq, and ecp.c, which takes its transmit method from its own
// Configure-Request and its receive method from the peer's):
//   * Encoder (what we send): the nonce in OUR Configure-Request, the one
//     the peer Configure-Acked.
//   * Decoder (what we receive): the nonce in the PEER's Configure-Request,
//     the one we Configure-Acked.
// RFC 1969 §4 words the option as the nonce the *peer* uses for its first
// packet, which would be the other way round; mpd5 is the only deployed
// DESE we know of and follows the rule above, so we do too. Either way only
// the first block of the first datagram in each direction depends on it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ecp {

// ECP Configuration Option types (RFC 1968 §4, IANA "PPP ECP option").
inline constexpr uint8_t kDeseOptionType = 1;     // RFC 1969 §4
inline constexpr uint8_t kDeseBisOptionType = 3;  // RFC 2419 §4
// Both options carry an 8-octet Initial Nonce: length 10.
inline constexpr uint8_t kDeseOptionLength = 10;
// Octets a datagram carries before its ciphertext (the sequence number).
inline constexpr size_t kDeseHeaderSize = 2;

struct DeseParams {
  // true: DESE-bis (RFC 2419), false: DESE (RFC 1969).
  bool bis = true;
  // The DES key (DeseKeyFromSecret). Parity bits are ignored.
  std::array<uint8_t, 8> key{};
  // The 8-octet Initial Nonce from the ECP option of the direction
  // concerned; see the nonce rule above (Encoder: ours, Decoder: peer's).
  std::array<uint8_t, 8> nonce{};
};

// "DESE-bis" or "DESE", for logs.
std::string_view DeseName(bool bis);

// The DES key mpd5 derives from `set ecp key <string>`: OpenSSL's
// DES_string_to_key (the MIT fan-fold of the string into 56 bits, odd
// parity, then a DES-CBC checksum of the string under that key with that
// key as IV, odd parity again) applied to the string as mpd5 stores it:
// cut at the first NUL and at 31 octets (ecp.h ECP_MAX_KEY is 32, set with
// snprintf). All zeros when DES is unavailable (MakeDese* then fail too).
std::array<uint8_t, 8> DeseKeyFromSecret(std::string_view secret);

// The largest plaintext (protocol field + information) whose datagram
// information field fits in `mtu` octets (mpd5 DesSubtractBloat /
// DeseBisSubtractBloat): the ciphertext is the largest multiple of 8 after
// the sequence number, less one octet for DESE-bis's possible padding.
// 0 when `mtu` is too small for any.
size_t DeseMaxPlaintext(size_t mtu, bool bis);

// One direction of DESE or DESE-bis. Errors: DES-CBC cannot be fetched from
// the legacy provider, or a cipher context cannot be set up. The returned
// codec owns its cipher context; each is used by one thread at a time.
//
// Encoder::Encode always returns kDatagram (kDrop only if OpenSSL fails).
// Encoder::ResetRequested returns true (answer with Reset-Ack) and changes
// nothing: the chain resynchronizes by itself at the receiver (above), and
// mpd5 neither resets its transmit state on a Reset-Request nor expects the
// peer to (RFC 1968 §3.1 leaves what a reset means to the method).
// Decoder::Decode returns kDrop, never kResetNeeded: "bad length" (not a
// multiple of 8 after the sequence number, or empty), "sequence gap" (chain
// resynchronized as above), "bad padding" (DESE-bis: last octet 1..8 but
// the octets before it are not 1, 2, ...), "bad protocol" (no room for a
// protocol field after the padding, or an even protocol number: RFC 1661
// §2 says they are odd). A protocol field compressed to one octet (RFC
// 1661 §6.5: the first octet is odd) is accepted.
Result<std::unique_ptr<ccp::Encoder>> MakeDeseEncoder(const DeseParams& params);
Result<std::unique_ptr<ccp::Decoder>> MakeDeseDecoder(const DeseParams& params);

}  // namespace mlppp::ppp::ecp
