// PPP Predictor type 1 compression (RFC 1978), our own implementation,
// interoperable with mpd5's ccp_pred1.c and FreeBSD's ng_pred1.
//
// RFC 1978 §3.1: both sides keep a 65536-octet guess table indexed by a
// 16-bit hash of the preceding octets (hash = (hash << 4) ^ octet). For each
// group of eight input octets the compressor sends one flag octet (bit i,
// least significant first, set when octet i equalled the guess) followed by
// the octets it did not guess, and puts each of those into the table.
//
// RFC 1978 §3.2, the information field of a Compressed Datagram (0x00FD):
//
//   +-+---------------+------------------------------+--------+--------+
//   |C| length (15)   | compressed or original data  | FCS lo | FCS hi |
//   +-+---------------+------------------------------+--------+--------+
//
// `length` is the uncompressed length; C is set when the data is compressed
// (only when that is shorter; otherwise the original data is sent and both
// tables still learn it). The FCS is the PPP FCS-16 (RFC 1662 §C.2) over the
// length field with C clear and the uncompressed data, complemented, least
// significant octet first. The data covered is the two-octet PPP protocol
// field and the information field (ng_ppp hands the compressor the protocol
// uncompressed); the Decoder also accepts a one-octet protocol field.
//
// Every packet is sent as a Compressed Datagram (Encode never answers
// kUncompressed); packets longer than the 15-bit length allows are dropped.
// A length or FCS mismatch makes the Decoder answer kResetNeeded for every
// packet until ResetAcked(), which clears its table, as the peer's
// compressor cleared its own when it answered our Reset-Request (RFC 1962
// §3.1, mpd5 Pred1RecvResetReq). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/result.h"
#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp {

// The largest protocol + information field the 15-bit length can carry.
inline constexpr size_t kPred1MaxLength = 0x7fff;

// The PPP FCS-16 (RFC 1662 §C.2) of `data` continuing from `fcs` (start
// with kPppInitFcs16; a frame followed by its own FCS gives kPppGoodFcs16).
inline constexpr uint16_t kPppInitFcs16 = 0xffff;
inline constexpr uint16_t kPppGoodFcs16 = 0xf0b8;
uint16_t PppFcs16(uint16_t fcs, std::span<const uint8_t> data);

// Never fail today; Result for the factory table's uniform signature.
Result<std::unique_ptr<Encoder>> MakePred1Encoder();
Result<std::unique_ptr<Decoder>> MakePred1Decoder();

}  // namespace mlppp::ppp::ccp
