// PPP Deflate (RFC 1979) through zlib, on the wire as the Linux kernel's
// ppp_deflate.c (what Debian's pppd uses) and FreeBSD's ng_deflate send it:
//
//   information field of a Compressed Datagram (protocol 0x00FD):
//     +--------+--------+--------------------------------------+
//     |  sequence (16)  | raw deflate data (RFC 1951)          |
//     +--------+--------+--------------------------------------+
//
// The deflate data is the packet's PPP protocol field (one octet when its
// high octet is zero, as Linux sends it; the receiver accepts either form,
// RFC 1661 §6.5) followed by the information field, compressed with one
// deflate stream per direction that lives as long as CCP stays Opened, and
// ended by a sync flush whose trailing empty stored block's LEN/NLEN
// (00 00 FF FF) is not sent (RFC 1979 §2.1); the receiver restores it.
//
// A packet that would not shrink is sent as it was (EncodeResult::
// kUncompressed), but it has still entered the compressor's history and
// used a sequence number; the receiver adds it to its own history through
// Decoder::Incompressible() (Linux z_incomp). Protocols above 0x3FFF
// (control protocols) and CCP's own 0x00FD/0x00FB are never compressed and
// touch neither history nor sequence number, on either side.
//
// Errors (a sequence gap, corrupt data, an output longer than max_info)
// make the Decoder answer kResetNeeded for every compressed packet until
// ResetAcked(): it then starts again from an empty history and sequence 0,
// as the peer's compressor did when it answered our Reset-Request
// (RFC 1962 §3.1, §3.2). Not thread-safe; one Encoder/Decoder per
// direction of one bundle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/result.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp {

// RFC 1979 §4 allows window sizes 2^8..2^15; zlib cannot deflate with a
// 256-octet window, and Linux/pppd accept 9..15 only.
inline constexpr int kDeflateMinWindowBits = 9;
inline constexpr int kDeflateMaxWindowBits = 15;
// The longest information field a Decoder produces: the largest MRU/MRRU LCP
// can express (16 bits, RFC 1661 §6.1, RFC 1990 §5.1.1). A hostile packet
// that inflates to more (a "zip bomb": deflate reaches ~1000:1) is refused
// once this much output exists, so a Decoder never holds more than this.
inline constexpr size_t kDeflateMaxInfo = 65535;

struct DeflateParams {
  // log2 of the history window, as CCP agreed for this direction (RFC 1979
  // §4, the Window field + 8): 9..15.
  int window_bits = 15;
  // zlib compression level 1..9 (Encoder only); 6 is zlib's and Linux's
  // default (Z_DEFAULT_COMPRESSION).
  int level = 6;
  // Decoder only: the longest information field accepted (see above);
  // 1..kDeflateMaxInfo.
  size_t max_info = kDeflateMaxInfo;
};

// Whether Deflate carries `protocol` at all (Linux ppp_deflate: protocols
// up to 0x3FFF except 0x00FD and 0x00FB, the compressed datagrams).
bool DeflateCoversProtocol(uint16_t protocol);

// Errors: parameters out of range, or zlib could not allocate its state.
Result<std::unique_ptr<Encoder>> MakeDeflateEncoder(const DeflateParams& params);
Result<std::unique_ptr<Decoder>> MakeDeflateDecoder(const DeflateParams& params);

}  // namespace mlppp::ppp::ccp
