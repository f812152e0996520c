// MPPC coder (RFC 2118 §4): a single-slot hash match finder over 3-octet
// prefixes, greedy parsing, and a 64-bit bit accumulator each way. See
// mppc.h for the history model shared with FreeBSD's ng_mppc and Windows.
#include "ppp/ccp/mppc.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kHist = kMppcHistorySize;
constexpr size_t kMaxOffset = kHist - 1;  // RFC 2118 §4.2.1: offsets reach 8191 back
constexpr size_t kMaxLength = kHist - 1;  // RFC 2118 §4.2.2: lengths up to 8191
constexpr size_t kMinMatch = 3;
constexpr unsigned kHashBits = 13;
// The compressor's word-sized loads may run this far past the last octet
// of its history.
constexpr size_t kSlack = 8;
// A token is at most 40 bits (16-bit offset, 24-bit length) and the writer
// stores 4 octets at a time; the compressor stops once its output reaches
// the input's size, so this much room past that is enough.
constexpr size_t kOutSlack = 16;
// Stream positions are rebased before they come near uint32_t overflow.
constexpr uint32_t kRebaseAt = 0x80000000u;

inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t Prefix3(const uint8_t* p) {
  if constexpr (std::endian::native == std::endian::little) return Load32(p) & 0x00ffffffu;
  return Load32(p) >> 8;
}
inline uint32_t Hash3(uint32_t prefix) { return (prefix * 2654435761u) >> (32 - kHashBits); }

// Octets equal at a[i] and b[i] for i < max, counted 8 at a time. Both
// ranges must be readable for `max` octets.
inline size_t CommonLength(const uint8_t* a, const uint8_t* b, size_t max) {
  size_t n = 0;
  while (n + 8 <= max) {
    uint64_t x = Load64(a + n) ^ Load64(b + n);
    if (x != 0) {
      n += static_cast<size_t>(std::endian::native == std::endian::little ? std::countr_zero(x)
                                                                          : std::countl_zero(x)) /
           8;
      return n;
    }
    n += 8;
  }
  while (n < max && a[n] == b[n]) ++n;
  return n;
}

// MSB-first bit packer (RFC 2118 §4: "bits packed MSB first"). The caller
// guarantees room (see kOutSlack); the final octet is zero-padded.
class BitWriter {
 public:
  explicit BitWriter(std::span<uint8_t> out) : out_(out) {}

  // REQUIRES: n <= 32, value < 2^n.
  void Put(uint32_t value, unsigned n) {
    acc_ = (acc_ << n) | value;
    bits_ += n;
    if (bits_ >= 32) {
      bits_ -= 32;
      const uint32_t w = static_cast<uint32_t>(acc_ >> bits_);
      out_[len_] = static_cast<uint8_t>(w >> 24);
      out_[len_ + 1] = static_cast<uint8_t>(w >> 16);
      out_[len_ + 2] = static_cast<uint8_t>(w >> 8);
      out_[len_ + 3] = static_cast<uint8_t>(w);
      len_ += 4;
    }
  }
  // Octets written so far, counting a partial one.
  size_t size() const { return len_ + (bits_ + 7) / 8; }
  // Writes out the remaining bits, zero-padding the last octet; returns
  // the length.
  size_t Finish() {
    while (bits_ >= 8) {
      bits_ -= 8;
      out_[len_++] = static_cast<uint8_t>(acc_ >> bits_);
    }
    if (bits_ > 0) out_[len_++] = static_cast<uint8_t>(acc_ << (8 - bits_));
    bits_ = 0;
    return len_;
  }

 private:
  std::span<uint8_t> out_;
  uint64_t acc_ = 0;
  unsigned bits_ = 0;  // pending bits in the low end of acc_, < 32 between calls
  size_t len_ = 0;
};

// RFC 2118 §4.1: 0x00-0x7f as themselves in 8 bits, 0x80-0xff as '10'
// followed by the low 7 bits.
inline void PutLiteral(BitWriter& w, uint8_t c) {
  if (c < 0x80) {
    w.Put(c, 8);
  } else {
    w.Put(0x100u | (c & 0x7fu), 9);
  }
}

// RFC 2118 §4.2.1 and §4.2.2. REQUIRES: 1 <= offset <= 8191, 3 <= length
// <= 8191.
inline void PutCopy(BitWriter& w, uint32_t offset, uint32_t length) {
  if (offset < 64) {
    w.Put(0x3c0u | offset, 10);  // 1111 + 6 bits
  } else if (offset < 320) {
    w.Put(0xe00u | (offset - 64), 12);  // 1110 + 8 bits
  } else {
    w.Put(0xc000u | (offset - 320), 16);  // 110 + 13 bits
  }
  if (length == 3) {
    w.Put(0, 1);  // 0
    return;
  }
  // 2^k <= length < 2^(k+1), k = 2..12: k-1 ones, a zero, then the low k
  // bits of the length (RFC 2118 §4.2.2's table: 10xx, 110xxx, ...).
  const unsigned k = static_cast<unsigned>(std::bit_width(length)) - 1;
  const uint32_t prefix = (1u << k) - 2;
  w.Put((prefix << k) | (length - (1u << k)), 2 * k);
}

// MSB-first bit reader over one packet. The window holds the next bits
// left-aligned: `count_` of them loaded from the input, and below them
// either zeros or the same later octets' bits that the next refill ORs in
// again at the same place. Past the end of the input it reads zeros, and
// BitsLeft() says how many bits are real.
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> in) : in_(in) {}

  size_t BitsLeft() const { return (in_.size() - next_) * 8 + count_; }
  // Eight whole octets remain to load: RefillFast() may run.
  bool CanRefillFast() const { return in_.size() - next_ >= 8; }
  // Afterwards the window holds 56 to 63 real bits, without a branch.
  // REQUIRES: CanRefillFast().
  void RefillFast() {
    win_ |= LoadBe64(in_.subspan(next_, 8)) >> count_;
    next_ += (63 - count_) >> 3;
    count_ |= 56;  // count_ + 8 * ((63 - count_) / 8), for count_ < 64
  }
  // Afterwards the window holds at least 40 bits (the longest code), or
  // all that remain.
  void Refill() {
    if (count_ >= 40) return;
    if (CanRefillFast()) {
      RefillFast();
      return;
    }
    while (count_ <= 56 && next_ < in_.size()) {
      win_ |= static_cast<uint64_t>(in_[next_++]) << (56 - count_);
      count_ += 8;
    }
  }
  uint64_t Window() const { return win_; }
  // REQUIRES: n <= the real bits in the window.
  void Consume(unsigned n) {
    win_ <<= n;
    count_ -= n;
  }

 private:
  static uint64_t LoadBe64(std::span<const uint8_t> eight) {
    uint64_t v;
    std::memcpy(&v, eight.data(), sizeof v);
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    return v;
  }

  std::span<const uint8_t> in_;
  size_t next_ = 0;     // next octet of in_ to load
  uint64_t win_ = 0;    // next bits, MSB first
  unsigned count_ = 0;  // real bits at the top of win_
};

// The length part of a copy tuple (RFC 2118 §4.2.2), looked up by the
// number of leading ones of its code rather than branched on (lengths come
// in no pattern): none is '0', length 3; j = 1..11 ones are followed by a
// zero and j + 1 bits added to 2^(j + 1). Twelve ones is no code.
struct LengthCode {
  uint8_t bits;   // the whole code
  uint8_t extra;  // its last bits, added to base
  uint16_t base;
};
constexpr unsigned kBadLengthOnes = 12;
constexpr std::array<LengthCode, kBadLengthOnes + 1> kLengthCodes = [] {
  std::array<LengthCode, kBadLengthOnes + 1> t{};
  t[0] = {1, 0, 3};
  for (unsigned j = 1; j < kBadLengthOnes; ++j) {
    t[j] = {static_cast<uint8_t>(2 * (j + 1)), static_cast<uint8_t>(j + 1),
            static_cast<uint16_t>(1u << (j + 1))};
  }
  t[kBadLengthOnes] = {1, 0, 0};  // rejected; any shift stays defined
  return t;
}();

// The offset part (RFC 2118 §4.2.1) by bits 2-3 of the code: 110 (either
// value of the fourth bit) + 13 bits + 320, 1110 + 8 bits + 64, 1111 + 6
// bits.
struct OffsetCode {
  uint8_t prefix;
  uint8_t extra;
  uint16_t base;
};
constexpr std::array<OffsetCode, 4> kOffsetCodes = {
    {{3, 13, 320}, {3, 13, 320}, {4, 8, 64}, {4, 6, 0}}};

// Copies `n` octets of `buf` from `src` to `dst` in one move.
// REQUIRES: src + n <= dst.
template <size_t n>
inline void MoveChunk(std::span<uint8_t> buf, size_t dst, size_t src) {
  std::memcpy(buf.subspan(dst, n).data(), buf.subspan(src, n).data(), n);
}

// The decompressor's history: two passes (mppc.h) and room for a copy to
// run a whole chunk past its end.
constexpr size_t kCopyChunk = 16;
constexpr size_t kDecodeHistory = 2 * kHist + kCopyChunk;

// Copies `length` octets from `offset` back to `dst` (RFC 2118 §4.2),
// forwards, so that a copy longer than its offset repeats what it has just
// written. Moves whole chunks when the offset allows, writing up to 15
// octets past the end that later codes overwrite; most copies are short,
// so the first chunk goes unconditionally. REQUIRES: 1 <= offset <= dst,
// dst + length + 15 <= buf.size().
inline void CopyBack(std::span<uint8_t> buf, size_t dst, size_t offset, size_t length) {
  const size_t src = dst - offset;
  if (offset >= 16) {
    size_t i = 0;
    do {
      MoveChunk<16>(buf, dst + i, src + i);
      i += 16;
    } while (i < length);
  } else if (offset >= 8) {
    size_t i = 0;
    do {
      MoveChunk<8>(buf, dst + i, src + i);
      i += 8;
    } while (i < length);
  } else if (offset == 1) {
    std::fill_n(buf.begin() + static_cast<ptrdiff_t>(dst), length, buf[src]);
  } else {
    for (size_t i = 0; i < length; ++i) buf[dst + i] = buf[src + i];
  }
}

// Decodes codes into `hist` at `o` until the input runs low (kFast: fewer
// than 8 octets left to load) or out (every code is at least 8 bits long,
// RFC 2118 §4.1: fewer left are the zero padding of the last octet). False
// on a bad code or one that would write past `end`.
template <bool kFast>
bool DecodeCodes(BitReader& r, std::span<uint8_t> hist, size_t& o, size_t end) {
  while (kFast ? r.CanRefillFast() : r.BitsLeft() >= 8) {
    if constexpr (kFast) {
      r.RefillFast();  // 56+ bits: one code of up to 40 and more
    } else {
      r.Refill();
    }
    const uint64_t win = r.Window();
    const uint32_t top = static_cast<uint32_t>(win >> 32);
    if (top < 0xc0000000u) {
      // A literal (RFC 2118 §4.1): 0xxxxxxx is 0x00-0x7f, 10xxxxxxx is
      // 0x80-0xff; the two decoded alike, without a branch.
      const unsigned high = top >> 31;
      const unsigned bits = 8 + high;
      if (o >= end || (!kFast && bits > r.BitsLeft())) return false;
      hist[o++] = static_cast<uint8_t>(((top >> (24 - high)) & 0x7fu) | (high << 7));
      r.Consume(bits);
      if constexpr (kFast) {
        // Literals come in runs; 47+ bits are left, so one more needs no
        // refill.
        const uint32_t next = static_cast<uint32_t>(r.Window() >> 32);
        if (next < 0xc0000000u) {
          const unsigned high2 = next >> 31;
          if (o >= end) return false;
          hist[o++] = static_cast<uint8_t>(((next >> (24 - high2)) & 0x7fu) | (high2 << 7));
          r.Consume(8 + high2);
        }
      }
      continue;
    }
    // A copy tuple (RFC 2118 §4.2): the offset, then the length.
    const OffsetCode oc = kOffsetCodes[(top >> 28) & 3];
    const size_t offset = ((top << oc.prefix) >> (32 - oc.extra)) + oc.base;
    unsigned bits = oc.prefix + oc.extra;
    const uint64_t lw = win << bits;
    const unsigned ones = std::min(static_cast<unsigned>(std::countl_one(lw)), kBadLengthOnes);
    const LengthCode lc = kLengthCodes[ones];
    const size_t length = lc.base + ((lw >> (64 - lc.bits)) & ((uint64_t{1} << lc.extra) - 1));
    bits += lc.bits;
    // offset - 1 wraps for 0: one test for 1..8191.
    if (ones == kBadLengthOnes || offset - 1 >= kMaxOffset || length > end - o ||
        (!kFast && bits > r.BitsLeft())) {
      return false;
    }
    r.Consume(bits);
    // An offset beyond the current pass's start reaches around into the
    // first half, the previous pass (mppc.h); the copy may run on into
    // this pass.
    CopyBack(hist, o, offset, length);
    o += length;
  }
  return true;
}

}  // namespace

MppcCompressor::MppcCompressor() : history_(2 * kHist + kSlack), hash_(size_t{1} << kHashBits) {
  Reset();
}

void MppcCompressor::Rebase() {
  if (origin_ < kRebaseAt) return;
  std::fill(hash_.begin(), hash_.end(), 0);
  origin_ = 0;  // entries of 0 are out of reach: positions start at 8192
}

void MppcCompressor::Reset() {
  // Every entry in the table is now at least 8192 behind any position to
  // come, so none is used (no clearing needed).
  origin_ += 2 * kHist;
  Rebase();
  pos_ = 0;
  written_ = 0;
  prev_written_ = 0;
  flush_next_ = true;
}

void MppcCompressor::Restart() {
  std::memcpy(history_.data(), history_.data() + kHist, kHist);
  origin_ += kHist;
  prev_written_ = written_;
  pos_ = 0;
  Rebase();
}

uint8_t MppcCompressor::Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  const size_t n = in.size();
  uint8_t flags = 0;
  if (flush_next_) {
    flags |= kMppcFlushed;
    flush_next_ = false;
  }
  if (n == 0 || n > kHist) {
    out.assign(in.begin(), in.end());
    Reset();
    return flags;
  }
  // RFC 2118 §3.1 B. Restarting already when the packet would fill the
  // history exactly keeps FreeBSD's decompressor happy: it rejects a copy
  // ending on the history's last octet.
  if (pos_ + n >= kHist) {
    Restart();
    flags |= kMppcAtFront;
  }

  uint8_t* const h = history_.data();
  const size_t start = kHist + pos_;
  const size_t end = start + n;
  std::memcpy(h + start, in.data(), n);
  // A copy never ends on the last octet of the history (see above; only a
  // packet of exactly 8192 octets gets there).
  const size_t copy_end = std::min(end, 2 * kHist - 1);
  // Octets of the first half that hold data since the flush; beyond them
  // are leftovers the peer does not have.
  const size_t prev_limit = prev_written_;

  out.resize(n + kOutSlack);
  BitWriter w(std::span<uint8_t>(out.data(), out.size()));
  uint32_t* const table = hash_.data();
  const uint32_t origin = origin_;

  size_t b = start;
  bool expanded = false;
  while (b + kMinMatch <= end) {
    const uint32_t prefix = Prefix3(h + b);
    uint32_t& slot = table[Hash3(prefix)];
    const uint32_t cand = slot;
    const uint32_t here = origin + static_cast<uint32_t>(b);
    slot = here;
    const uint32_t dist = here - cand;
    if (dist - 1 < kMaxOffset) {  // 1..8191
      const size_t src = b - dist;
      size_t limit = std::min(copy_end - b, kMaxLength);
      if (src < kHist && prev_limit < kHist) {
        limit = src < prev_limit ? std::min(limit, prev_limit - src) : 0;
      }
      if (limit >= kMinMatch && Prefix3(h + src) == prefix) {
        const size_t len =
            kMinMatch + CommonLength(h + src + kMinMatch, h + b + kMinMatch, limit - kMinMatch);
        PutCopy(w, dist, static_cast<uint32_t>(len));
        // Index the positions the match covers too, so that the next
        // repeat of this text finds its most recent copy.
        const size_t stop = std::min(b + len, end - kMinMatch + 1);
        for (size_t p = b + 1; p < stop; ++p) {
          table[Hash3(Prefix3(h + p))] = origin + static_cast<uint32_t>(p);
        }
        b += len;
        if (w.size() >= n) {
          expanded = true;
          break;
        }
        continue;
      }
    }
    PutLiteral(w, h[b]);
    ++b;
    if (w.size() >= n) {
      expanded = true;
      break;
    }
  }
  if (!expanded) {
    for (; b < end; ++b) PutLiteral(w, h[b]);
    const size_t len = w.Finish();
    expanded = len >= n;
    if (!expanded) out.resize(len);
  }
  if (expanded) {
    // RFC 2118 §3.1 / ng_mppc: sent as it is, C clear, and the history is
    // flushed so that the next packet carries A.
    out.assign(in.begin(), in.end());
    Reset();
    return flags;
  }
  pos_ += n;
  written_ = std::max(written_, pos_);
  return flags | kMppcCompressed;
}

MppcDecompressor::MppcDecompressor() : history_(kDecodeHistory) {}

bool MppcDecompressor::Decompress(std::span<const uint8_t> in, uint8_t flags,
                                  std::vector<uint8_t>& out) {
  if (flags & kMppcFlushed) {
    // RFC 2118 §3.1 A: an empty history is zeros, as in ng_mppc and
    // MS-RDPBCGR §3.1.8.3, in case a peer refers to octets it never sent.
    // The current pass starts over, so only the first half matters.
    std::memset(history_.data(), 0, nonzero_);
    nonzero_ = 0;
    pos_ = 0;
  }
  if (!(flags & kMppcCompressed)) {
    out.assign(in.begin(), in.end());
    return true;
  }
  if ((flags & kMppcAtFront) && pos_ > 0) {
    // RFC 2118 §3.1 B. The history beyond this pass's end still holds the
    // earlier passes, which the first half already has.
    std::memcpy(history_.data(), history_.data() + kHist, pos_);
    nonzero_ = std::max(nonzero_, pos_);
    pos_ = 0;
  }
  const size_t start = pos_;
  if (!Decode(in)) return false;
  const auto first = history_.begin() + static_cast<ptrdiff_t>(kHist);
  out.assign(first + static_cast<ptrdiff_t>(start), first + static_cast<ptrdiff_t>(pos_));
  return true;
}

// Decodes `in` into the current pass from pos_ on, leaving pos_ after the
// last octet written (also on failure). The bulk runs with a branch-free
// refill; the last few octets with the checked one.
bool MppcDecompressor::Decode(std::span<const uint8_t> in) {
  const std::span<uint8_t> hist(history_);
  size_t o = kHist + pos_;
  BitReader r(in);
  const bool ok =
      DecodeCodes<true>(r, hist, o, 2 * kHist) && DecodeCodes<false>(r, hist, o, 2 * kHist);
  pos_ = o - kHist;
  return ok;
}

}  // namespace mlppp::ppp::ccp
