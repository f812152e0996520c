// MPPC, Microsoft Point-to-Point Compression (RFC 2118): LZ77 over an
// 8192-octet history with the RFC's bit encoding of literals, offsets and
// lengths. Our own implementation (no library does MPPC). This is the
// compressor alone; the two-octet MPPC/MPPE header (flag bits and coherency
// count) and MPPE live in mppc_codec.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mlppp::ppp::ccp {

inline constexpr size_t kMppcHistorySize = 8192;  // RFC 2118 §2

// The RFC 2118 §3 header bits, in the top nibble of the first header octet
// (the same positions RFC 3078 §3 uses, where D means encrypted).
inline constexpr uint8_t kMppcFlushed = 0x80;     // A: history was reset
inline constexpr uint8_t kMppcAtFront = 0x40;     // B: data placed at the start of the history
inline constexpr uint8_t kMppcCompressed = 0x20;  // C: the data is compressed
inline constexpr uint8_t kMppeEncrypted = 0x10;   // D: the data is encrypted (RFC 3078)

class MppcCompressor {
 public:
  MppcCompressor();
  // Compresses `in` (at most kMppcHistorySize octets) into `out` (which
  // is cleared first). Returns the A/B/C flag bits for this packet's
  // header. When the result would not be smaller, `out` holds `in`
  // unchanged, C is clear, and the history is reset so that the next packet
  // carries A (as FreeBSD's ng_mppc, mpd5's compressor, does: an
  // uncompressed packet enters neither history).
  uint8_t Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out);
  // Empties the history; the next packet carries A (a CCP Reset-Request
  // from the peer, RFC 2118 §3.1).
  void Reset();

 private:
  std::vector<uint8_t> history_;  // kMppcHistorySize octets
  size_t pos_ = 0;                // where the next packet goes
  bool flush_next_ = true;        // the first packet carries A
  std::vector<uint16_t> hash_;    // match finder: hash of 3 octets -> position + 1
};

class MppcDecompressor {
 public:
  MppcDecompressor();
  // Decompresses one packet whose header carried `flags` (A/B/C bits as
  // above) and replaces `out` with the result. A: reset the history first;
  // B: place the data at the start of the history; C clear: `in` is the
  // data itself and does not enter the history. Returns false when the data
  // is corrupt or would overrun the history: the caller drops the packet
  // and asks for a reset (CCP Reset-Request); until then the history is in
  // an unknown state.
  bool Decompress(std::span<const uint8_t> in, uint8_t flags, std::vector<uint8_t>& out);

 private:
  std::vector<uint8_t> history_;  // kMppcHistorySize octets
  size_t pos_ = 0;
};

}  // namespace mlppp::ppp::ccp
