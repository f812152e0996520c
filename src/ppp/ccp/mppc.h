// MPPC, Microsoft Point-to-Point Compression (RFC 2118): LZ77 over an
// 8192-octet history with the RFC's bit encoding of literals, offsets and
// lengths (RFC 2118 §4). Our own implementation (no library does MPPC). This
// is the compressor alone; the two-octet MPPC/MPPE header (flag bits and
// coherency count) and MPPE live in mppc_codec.h.
//
// The history, as FreeBSD's ng_mppc (mpd5's kernel half, interoperating with
// Windows) and MS-RDPBCGR §3.1.8 (the same coder at 8 KB) define it: one
// 8192-octet buffer, all zeros after a flush (A) and all of it valid. Each
// packet's data goes at the current position; when it does not fit, the
// position goes back to the front (B) and the octets of earlier packets
// further on stay referable, so an offset larger than the current position
// reaches back around the end of the buffer into the previous pass. The
// FreeBSD compressor emits such offsets after every B; the decompressor here
// accepts them and the compressor emits them too (never into octets no
// packet has written since the last flush).
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
  // uncompressed packet enters neither history). A larger `in` is sent the
  // same way. `out` is resized, never shrunk in capacity: reuse it across
  // calls to avoid allocating per packet.
  uint8_t Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out);
  // Empties the history; the next packet carries A (a CCP Reset-Request
  // from the peer, RFC 2118 §3.1).
  void Reset();

 private:
  void Restart();  // B: the next packet goes to the front of the history
  void Rebase();   // keeps stream positions far from uint32_t overflow

  // Two passes of the history side by side: [0, 8192) is the previous pass
  // as it was when B last happened, [8192, 16384) the current one, plus
  // slack for word-sized reads. A match may start in the first half and
  // run on into the second, as an offset wrapping around the end does.
  std::vector<uint8_t> history_;
  // Match finder: hash of 3 octets -> stream position (origin_ + index into
  // history_) of their latest occurrence. Stream positions make stale
  // entries (older passes, before a Reset) fall out of the 8191-octet reach
  // without clearing the table.
  std::vector<uint32_t> hash_;
  uint32_t origin_ = 0;      // stream position of history_[0]
  size_t pos_ = 0;           // where the next packet goes, 0..8192
  size_t written_ = 0;       // octets of the pass written since the flush
  size_t prev_written_ = 0;  // the same for the first half
  bool flush_next_ = true;   // the first packet carries A
};

class MppcDecompressor {
 public:
  MppcDecompressor();
  // Decompresses one packet whose header carried `flags` (A/B/C bits as
  // above) and replaces `out` with the result. A: reset the history first;
  // B (with C): place the data at the start of the history; C clear: `in`
  // is the data itself and does not enter the history. Returns false when
  // the data is corrupt (a bad code, a truncated code, offset 0 or beyond
  // 8191) or would overrun the history: the caller drops the packet and
  // asks for a reset (CCP Reset-Request); until then the history is in an
  // unknown state. Never reads or writes outside its buffers, whatever
  // `in` holds.
  bool Decompress(std::span<const uint8_t> in, uint8_t flags, std::vector<uint8_t>& out);

 private:
  bool Decode(std::span<const uint8_t> in);

  // As in the compressor, two passes side by side: [0, 8192) the history
  // as it was when B last happened (what an offset reaching around the
  // front reads), [8192, 16384) the current pass, plus slack. So every copy
  // reads `offset` back in one contiguous buffer and may move 8 or 16
  // octets at a time, writing up to 15 past its end that the next code
  // overwrites (the slack holds those past the history's end).
  std::vector<uint8_t> history_;
  size_t pos_ = 0;      // where the next packet goes in the current pass
  size_t nonzero_ = 0;  // octets of the first half that may not be zero
};

}  // namespace mlppp::ppp::ccp
