// MPPC coder (RFC 2118 §4): a single-slot hash match finder over 3-octet
// prefixes, greedy parsing, and a 64-bit bit accumulator each way. See
// mppc.h for the history model shared with FreeBSD's ng_mppc and Windows.
#include "ppp/ccp/mppc.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kHist = kMppcHistorySize;
constexpr size_t kMaxOffset = kHist - 1;  // RFC 2118 §4.2.1: offsets reach 8191 back
constexpr size_t kMaxLength = kHist - 1;  // RFC 2118 §4.2.2: lengths up to 8191
constexpr size_t kMinMatch = 3;
constexpr unsigned kHashBits = 13;
// Word-sized loads may run this far past the last octet of a buffer.
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
inline uint64_t LoadBe64(const uint8_t* p) {
  uint64_t v = Load64(p);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
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

// Bounds-checked MSB-first bit reader. The window holds the next bits
// left-aligned; past the end of the input it reads zeros, and BitsLeft()
// says how many of the bits are real.
class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> in) : in_(in), left_(in.size() * 8) {}

  size_t BitsLeft() const { return left_; }
  // Afterwards the window holds at least 40 bits (the longest code), or
  // all that remain.
  void Refill() {
    if (count_ >= 40) return;
    if (next_ + 8 <= in_.size()) {
      // Loads 8 octets and keeps whole ones; bits past count_ are the same
      // octets' bits a later refill ORs in again at the same place.
      win_ |= LoadBe64(in_.data() + next_) >> count_;
      const unsigned octets = (63 - count_) >> 3;
      next_ += octets;
      count_ += octets * 8;
      return;
    }
    while (count_ <= 56 && next_ < in_.size()) {
      win_ |= static_cast<uint64_t>(in_[next_++]) << (56 - count_);
      count_ += 8;
    }
  }
  uint64_t Window() const { return win_; }
  // REQUIRES: n <= BitsLeft() and n <= the bits in the window.
  void Consume(unsigned n) {
    win_ <<= n;
    count_ -= n;
    left_ -= n;
  }

 private:
  std::span<const uint8_t> in_;
  size_t next_ = 0;     // next octet of in_ to load
  uint64_t win_ = 0;    // next bits, MSB first
  unsigned count_ = 0;  // bits of win_ loaded from in_
  size_t left_;         // bits of in_ not consumed yet
};

// Copies `length` octets from `offset` back (RFC 2118 §4.2), forwards,
// so that a copy longer than its offset repeats what it has just written.
// Moves 8 octets at a time when the offset allows: up to 7 octets past the
// end get overwritten (kSlack). REQUIRES: offset >= 1, offset octets
// before `dst` and length + 7 after it are within the buffer.
inline void CopyBack(uint8_t* dst, size_t offset, size_t length) {
  const uint8_t* src = dst - offset;
  if (offset >= 8) {
    for (size_t i = 0; i < length; i += 8) std::memcpy(dst + i, src + i, 8);
  } else if (offset == 1) {
    std::memset(dst, *src, length);
  } else {
    for (size_t i = 0; i < length; ++i) dst[i] = src[i];
  }
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

MppcDecompressor::MppcDecompressor() : history_(2 * kHist + kSlack) {}

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
// last octet written (also on failure).
bool MppcDecompressor::Decode(std::span<const uint8_t> in) {
  uint8_t* const h = history_.data() + kHist;  // the current pass
  size_t d = pos_;
  BitReader r(in);
  bool ok = true;
  // Fewer than 8 bits left are the zero padding of the last octet: every
  // code is at least 8 bits long (RFC 2118 §4.1).
  while (r.BitsLeft() >= 8) {
    r.Refill();  // cheap when the window holds enough
    const uint64_t win = r.Window();
    const uint32_t top = static_cast<uint32_t>(win >> 32);
    if ((top & 0x80000000u) == 0) {  // 0xxxxxxx: literal 0x00-0x7f
      if (d >= kHist) {
        ok = false;
        break;
      }
      h[d++] = static_cast<uint8_t>(top >> 24);
      r.Consume(8);
      continue;
    }
    if ((top & 0x40000000u) == 0) {  // 10xxxxxxx: literal 0x80-0xff
      if (d >= kHist || r.BitsLeft() < 9) {
        ok = false;
        break;
      }
      h[d++] = static_cast<uint8_t>(0x80u | ((top >> 23) & 0x7fu));
      r.Consume(9);
      continue;
    }
    // A copy tuple (RFC 2118 §4.2): the offset, then the length. The
    // offset's class by its prefix, 110 (two nibble values), 1110 or 1111,
    // looked up rather than branched on: the classes come in no pattern.
    static constexpr uint8_t kPrefixBits[4] = {3, 3, 4, 4};
    static constexpr uint8_t kOffsetBits[4] = {13, 13, 8, 6};
    static constexpr uint16_t kOffsetBase[4] = {320, 320, 64, 0};
    const unsigned cls = (top >> 28) & 3;
    const unsigned obits = kOffsetBits[cls];
    const size_t offset = ((top << kPrefixBits[cls]) >> (32 - obits)) + kOffsetBase[cls];
    unsigned bits = kPrefixBits[cls] + obits;
    // The window holds >= 40 bits (or all there are): enough for the
    // longest tuple, 16 + 24 bits.
    const uint32_t lbits = static_cast<uint32_t>((win << bits) >> 32);
    const unsigned ones = static_cast<unsigned>(std::countl_one(lbits));
    size_t length;
    if (ones == 0) {  // 0: 3
      length = 3;
      bits += 1;
    } else if (ones <= 11) {  // ones, 0, then ones + 1 bits: 4..8191
      const unsigned k = ones + 1;
      length = (size_t{1} << k) | ((lbits >> (32 - 2 * k)) & ((1u << k) - 1));
      bits += 2 * k;
    } else {  // twelve ones: no such length
      ok = false;
      break;
    }
    if (bits > r.BitsLeft() || offset == 0 || offset > kMaxOffset || length > kHist - d) {
      ok = false;
      break;
    }
    r.Consume(bits);
    // An offset beyond d reaches around the front into the first half,
    // the previous pass (mppc.h); the copy may run on into this pass.
    CopyBack(h + d, offset, length);
    d += length;
  }
  pos_ = d;
  return ok;
}

}  // namespace mlppp::ppp::ccp
