#include "ppp/ccp/rc4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <bit>
#include <cstring>

// x86-64 with GNU inline assembly (g++, clang++): the hot loop below.
#if defined(__x86_64__) && defined(__GNUC__)
#define MLPPP_RC4_HAVE_ASM 1
#endif

namespace mlppp::ppp::ccp {

// The kernels work on the raw state; everything else goes through Rc4.
struct Rc4Access {
  static uint32_t* S(Rc4& r) { return r.s_.data(); }
  static uint32_t& I(Rc4& r) { return r.i_; }
  static uint32_t& J(Rc4& r) { return r.j_; }
};

namespace {

// One lane of the lockstep kernel: a state's S-box, a copy of its indices
// (written back when the job ends) and the job's buffers.
struct Lane {
  Rc4* rc4;
  uint32_t* s;
  uint32_t i;
  uint32_t j;
  const uint8_t* in;
  uint8_t* out;
  size_t left;
};

// One step of the RC4 keystream generator (PRGA, Schneier §17.1):
//   i = i + 1; j = j + S[i]; swap(S[i], S[j]); K = S[S[i] + S[j]] (mod 256).
// Indices are kept below 256 by masking, so every access is in bounds of
// the 256-entry box by construction.
[[gnu::always_inline]] inline uint32_t Step(uint32_t* s, uint32_t& i, uint32_t& j) {
  i = (i + 1) & 0xff;
  uint32_t a = s[i];
  j = (j + a) & 0xff;
  uint32_t b = s[j];
  s[i] = b;
  s[j] = a;
  return s[(a + b) & 0xff];
}

// Keystream octet number `n` (0..7) of an 8-octet word, placed where a
// native-endian 64-bit load of the data has data octet n.
[[gnu::always_inline]] inline uint64_t Place(uint32_t k, unsigned n) {
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<uint64_t>(k) << (8 * n);
  } else {
    return static_cast<uint64_t>(k) << (56 - 8 * n);
  }
}

// Eight masked steps of each of L lanes (the path where i wraps within
// the block), keystream octets placed into ks[].
template <size_t L>
[[gnu::always_inline]] inline void Steps8(uint32_t* const* s, uint32_t* i, uint32_t* j,
                                          uint64_t* ks) {
#pragma GCC unroll 8
  for (unsigned b = 0; b < 8; ++b) {
#pragma GCC unroll 8
    for (size_t k = 0; k < L; ++k) ks[k] |= Place(Step(s[k], i[k], j[k]), b);
  }
}

#ifndef MLPPP_RC4_HAVE_ASM
// The same step when i + 1 is known not to wrap: `si` points at S[i + 1]
// (the block loop below checks i + 8 <= 255 before using it), saving the
// increment and mask of i on the hot path.
[[gnu::always_inline]] inline uint32_t StepAt(uint32_t* s, uint32_t* si, uint32_t& j) {
  uint32_t a = *si;
  j = (j + a) & 0xff;
  uint32_t b = s[j];
  *si = b;
  s[j] = a;
  return s[(a + b) & 0xff];
}
#endif

#ifdef MLPPP_RC4_HAVE_ASM
// x86-64: eight steps of the no-wrap path in inline assembly, because the
// compiler cannot express what makes RC4 fast here (the technique of
// OpenSSL's rc4-x86_64 "RC4_INT" loop): j and S[i] + S[j] are added as
// bytes (addb) in registers whose upper bits are zero, so the sum wraps
// mod 256 with no masking instruction, and each keystream octet is loaded
// straight into the low byte of the output word (movb) which is then
// rotated by 8 (rorq): 8 instructions per octet instead of the 12 the C
// version compiles to. After eight rotations octet 0 is back in bits 0-7,
// so the word is in little-endian order. Entries of S are < 256 (it is a
// permutation of 0..255), so every index formed is in bounds.
//   si = &S[i + 1], c = byte offset of S[i + 1 + step] from si.
// clang-format off
#define MLPPP_RC4_STEP(c, L)                            \
  "movl " #c "(%[si" #L "]), %k[ta" #L "]\n\t"               \
  "addb %b[ta" #L "], %b[j" #L "]\n\t"                       \
  "movl (%[s" #L "],%[j" #L "],4), %k[tb" #L "]\n\t"         \
  "movl %k[tb" #L "], " #c "(%[si" #L "])\n\t"               \
  "movl %k[ta" #L "], (%[s" #L "],%[j" #L "],4)\n\t"         \
  "addb %b[ta" #L "], %b[tb" #L "]\n\t"                            \
  "movb (%[s" #L "],%[tb" #L "],4), %b[w" #L "]\n\t"         \
  "rorq $8, %[w" #L "]\n\t"
// clang-format on
#define MLPPP_RC4_STEP2(c) MLPPP_RC4_STEP(c, 0) MLPPP_RC4_STEP(c, 1)

// One step of one stream into the accumulator `W`, rotated by `R` bits
// (the single-stream block below keeps two accumulators, see there).
// clang-format off
#define MLPPP_RC4_STEP_W(c, W, R)                      \
  "movl " #c "(%[si0]), %k[ta]\n\t"                  \
  "addb %b[ta], %b[j0]\n\t"                          \
  "movl (%[s0],%[j0],4), %k[tb]\n\t"                 \
  "movl %k[tb], " #c "(%[si0])\n\t"                  \
  "movl %k[ta], (%[s0],%[j0],4)\n\t"                 \
  "addb %b[ta], %b[tb]\n\t"                          \
  "movb (%[s0],%[tb],4), %b[" #W "]\n\t"             \
  "rorq $" #R ", %[" #W "]\n\t"
// clang-format on

// Eight octets of one stream. REQUIRES: i + 8 <= 255.
// Even octets go to one accumulator and odd ones to another, each rotated
// by 16 per octet: the byte merge and rotate of one accumulator form a
// loop-carried chain of two cycles per octet, which bounded a single
// stream when all eight octets went through one register.
[[gnu::always_inline]] inline uint64_t Block8(uint32_t* s, uint32_t& i, uint32_t& j) {
  uint64_t j0 = j;
  uint64_t we = 0;
  uint64_t wo = 0;
  uint64_t ta;
  uint64_t tb;
  uint32_t* si0 = s + i + 1;
  asm(MLPPP_RC4_STEP_W(0, we, 16) MLPPP_RC4_STEP_W(4, wo, 16) MLPPP_RC4_STEP_W(8, we, 16)
          MLPPP_RC4_STEP_W(12, wo, 16) MLPPP_RC4_STEP_W(16, we, 16) MLPPP_RC4_STEP_W(20, wo, 16)
              MLPPP_RC4_STEP_W(24, we, 16) MLPPP_RC4_STEP_W(28, wo, 16)
      : [j0] "+r"(j0), [we] "+r"(we), [wo] "+r"(wo), [ta] "=&r"(ta), [tb] "=&r"(tb)
      : [s0] "r"(s), [si0] "r"(si0)
      : "memory", "cc");
  j = static_cast<uint32_t>(j0);
  i += 8;
  // Octets 0, 2, 4, 6 sit at bits 0, 16, 32, 48 of `we`, and 1, 3, 5, 7
  // at the same places of `wo`.
  return we | (wo << 8);
}

// Eight octets of each of two streams, steps interleaved. REQUIRES: the
// boxes are distinct, both i + 8 <= 255.
[[gnu::always_inline]] inline void Block8x2(uint32_t* s0, uint32_t* s1, uint32_t& i0, uint32_t& i1,
                                            uint32_t& j0_io, uint32_t& j1_io, uint64_t& ks0,
                                            uint64_t& ks1) {
  uint64_t j0 = j0_io;
  uint64_t j1 = j1_io;
  uint64_t w0 = 0;
  uint64_t w1 = 0;
  uint64_t ta0, ta1;
  uint64_t tb0, tb1;
  uint32_t* si0 = s0 + i0 + 1;
  uint32_t* si1 = s1 + i1 + 1;
  asm(MLPPP_RC4_STEP2(0) MLPPP_RC4_STEP2(4) MLPPP_RC4_STEP2(8) MLPPP_RC4_STEP2(12)
          MLPPP_RC4_STEP2(16) MLPPP_RC4_STEP2(20) MLPPP_RC4_STEP2(24) MLPPP_RC4_STEP2(28)
      : [j0] "+r"(j0), [w0] "+r"(w0), [j1] "+r"(j1), [w1] "+r"(w1), [ta0] "=&r"(ta0),
        [tb0] "=&r"(tb0), [ta1] "=&r"(ta1), [tb1] "=&r"(tb1)
      : [s0] "r"(s0), [si0] "r"(si0), [s1] "r"(s1), [si1] "r"(si1)
      : "memory", "cc");
  j0_io = static_cast<uint32_t>(j0);
  j1_io = static_cast<uint32_t>(j1);
  i0 += 8;
  i1 += 8;
  ks0 = w0;
  ks1 = w1;
}
#endif

// Advances K lanes by n octets each, interleaving their steps so the
// out-of-order core runs K independent dependency chains at once. Octets
// are XORed 8 at a time: a keystream word is assembled in a register and
// applied with one 64-bit load and store (memcpy, so no alignment needs).
// Lengths were checked by the callers; the loops only run to n.
template <size_t K>
void RunLanes(Lane* lanes, size_t n) {
  uint32_t* s[K];
  uint32_t i[K];
  uint32_t j[K];
  const uint8_t* in[K];
  uint8_t* out[K];
#pragma GCC unroll 8
  for (size_t k = 0; k < K; ++k) {
    s[k] = lanes[k].s;
    i[k] = lanes[k].i;
    j[k] = lanes[k].j;
    in[k] = lanes[k].in;
    out[k] = lanes[k].out;
  }
  size_t off = 0;
  for (; off + 8 <= n; off += 8) {
    uint64_t ks[K] = {};
#ifdef MLPPP_RC4_HAVE_ASM
    if constexpr (K == 1) {
      if (i[0] <= 255 - 8) [[likely]] {
        ks[0] = Block8(s[0], i[0], j[0]);
      } else {
        Steps8<1>(s, i, j, ks);
      }
    } else {
      static_assert(K % 2 == 0, "lanes run in pairs");
#pragma GCC unroll 4
      for (size_t k = 0; k < K; k += 2) {
        if (i[k] <= 255 - 8 && i[k + 1] <= 255 - 8) [[likely]] {
          Block8x2(s[k], s[k + 1], i[k], i[k + 1], j[k], j[k + 1], ks[k], ks[k + 1]);
        } else {
          Steps8<2>(s + k, i + k, j + k, ks + k);
        }
      }
    }
#else
    bool no_wrap = true;
#pragma GCC unroll 8
    for (size_t k = 0; k < K; ++k) no_wrap &= i[k] <= 255 - 8;
    if (no_wrap) [[likely]] {
      // i + 1 .. i + 8 stay below 256 in every lane.
#pragma GCC unroll 8
      for (unsigned b = 0; b < 8; ++b) {
#pragma GCC unroll 8
        for (size_t k = 0; k < K; ++k) {
          ks[k] |= Place(StepAt(s[k], s[k] + i[k] + 1 + b, j[k]), b);
        }
      }
#pragma GCC unroll 8
      for (size_t k = 0; k < K; ++k) i[k] += 8;
    } else {
      Steps8<K>(s, i, j, ks);
    }
#endif
#pragma GCC unroll 8
    for (size_t k = 0; k < K; ++k) {
      uint64_t w;
      std::memcpy(&w, in[k] + off, sizeof(w));
      w ^= ks[k];
      std::memcpy(out[k] + off, &w, sizeof(w));
    }
  }
  for (; off < n; ++off) {
#pragma GCC unroll 8
    for (size_t k = 0; k < K; ++k) {
      out[k][off] = static_cast<uint8_t>(in[k][off] ^ Step(s[k], i[k], j[k]));
    }
  }
#pragma GCC unroll 8
  for (size_t k = 0; k < K; ++k) {
    lanes[k].i = i[k];
    lanes[k].j = j[k];
    lanes[k].in += n;
    lanes[k].out += n;
    lanes[k].left -= n;
  }
}

// Runs `count` lanes (at most max_lanes) by n octets, in groups the
// kernels exist for.
void RunGroups(Lane* lanes, size_t count, size_t max_lanes, size_t n) {
  size_t k = 0;
  while (max_lanes >= 8 && count - k >= 8) {
    RunLanes<8>(lanes + k, n);
    k += 8;
  }
  if (max_lanes >= 4 && count - k >= 4) {
    RunLanes<4>(lanes + k, n);
    k += 4;
  }
  if (max_lanes >= 2 && count - k >= 2) {
    RunLanes<2>(lanes + k, n);
    k += 2;
  }
  if (count - k >= 1) RunLanes<1>(lanes + k, n);
}

bool JobValid(const Rc4Job& job) {
  return job.rc4 && job.rc4->keyed() && job.in.size() == job.out.size();
}

void FailJob(const Rc4Job& job) { std::fill(job.out.begin(), job.out.end(), 0); }

// Jobs are picked in batch order from a window after the first job not yet
// started; one whose state is busy in a lane is passed over (and so are the
// later jobs of that state, since the state stays busy during the scan), so
// a state's jobs run in batch order while other states fill the lanes.
constexpr size_t kWindow = 64;

class Scheduler {
 public:
  explicit Scheduler(std::span<const Rc4Job> jobs) : jobs_(jobs) {}

  // The next job that can start beside the `busy` lanes, or nullptr.
  // Invalid jobs met on the way are failed and counted.
  const Rc4Job* Next(const Lane* busy, size_t busy_count) {
    for (;;) {
      size_t limit = std::min(kWindow, jobs_.size() - cursor_);
      bool rescan = false;
      for (size_t t = 0; t < limit; ++t) {
        if (taken_ >> t & 1) continue;
        const Rc4Job& job = jobs_[cursor_ + t];
        if (!JobValid(job)) {
          FailJob(job);
          all_valid_ = false;
          Take(t);
          rescan = true;  // the window may have moved
          break;
        }
        bool clash =
            std::any_of(busy, busy + busy_count, [&](const Lane& l) { return l.rc4 == job.rc4; });
        if (clash) continue;
        Take(t);
        return &job;
      }
      if (!rescan) return nullptr;
    }
  }
  bool all_valid() const { return all_valid_; }

 private:
  // Marks window slot t started and slides the window past started jobs.
  void Take(size_t t) {
    taken_ |= uint64_t{1} << t;
    while (cursor_ < jobs_.size() && (taken_ & 1)) {
      taken_ >>= 1;
      ++cursor_;
    }
  }

  std::span<const Rc4Job> jobs_;
  size_t cursor_ = 0;
  uint64_t taken_ = 0;  // bit t: job cursor_ + t has started
  bool all_valid_ = true;
};

void Finish(const Lane& lane) {
  Rc4Access::I(*lane.rc4) = lane.i;
  Rc4Access::J(*lane.rc4) = lane.j;
}

Lane StartLane(const Rc4Job& job) {
  Rc4& r = *job.rc4;
  return Lane{&r,
              Rc4Access::S(r),
              Rc4Access::I(r),
              Rc4Access::J(r),
              job.in.data(),
              job.out.data(),
              job.out.size()};
}

}  // namespace

Rc4::~Rc4() { Clear(); }

void Rc4::Clear() {
  OPENSSL_cleanse(s_.data(), sizeof(s_));
  i_ = 0;
  j_ = 0;
  keyed_ = false;
}

bool Rc4::SetKey(std::span<const uint8_t> key) {
  if (key.size() < kRc4MinKeyLength || key.size() > kRc4MaxKeyLength) {
    Clear();
    return false;
  }
  // Key-scheduling algorithm (Schneier §17.1): S = identity, then for
  // i = 0..255: j = j + S[i] + key[i mod keylen]; swap(S[i], S[j]).
  for (uint32_t n = 0; n < 256; ++n) s_[n] = n;
  uint32_t j = 0;
  size_t k = 0;
  for (uint32_t n = 0; n < 256; ++n) {
    j = (j + s_[n] + key[k]) & 0xff;
    std::swap(s_[n], s_[j]);
    if (++k == key.size()) k = 0;
  }
  i_ = 0;
  j_ = 0;
  keyed_ = true;
  return true;
}

namespace {

bool KeyLengthValid(std::span<const uint8_t> key) {
  return key.size() >= kRc4MinKeyLength && key.size() <= kRc4MaxKeyLength;
}

// The KSA (Schneier §17.1) of two states at once, steps interleaved.
void SetKey2(uint32_t* a, std::span<const uint8_t> ka, uint32_t* b, std::span<const uint8_t> kb) {
  for (uint32_t n = 0; n < 256; ++n) {
    a[n] = n;
    b[n] = n;
  }
  uint32_t ja = 0;
  uint32_t jb = 0;
  size_t ia = 0;
  size_t ib = 0;
  for (uint32_t n = 0; n < 256; ++n) {
    ja = (ja + a[n] + ka[ia]) & 0xff;
    jb = (jb + b[n] + kb[ib]) & 0xff;
    std::swap(a[n], a[ja]);
    std::swap(b[n], b[jb]);
    if (++ia == ka.size()) ia = 0;
    if (++ib == kb.size()) ib = 0;
  }
}

}  // namespace

bool Rc4SetKeyMulti(std::span<const Rc4KeyJob> jobs) {
  bool all_valid = true;
  Rc4* pending = nullptr;  // a valid job waiting for a partner
  std::span<const uint8_t> pending_key;
  for (const Rc4KeyJob& job : jobs) {
    if (!job.rc4) continue;
    if (!KeyLengthValid(job.key)) {
      job.rc4->Clear();
      all_valid = false;
      continue;
    }
    if (!pending) {
      pending = job.rc4;
      pending_key = job.key;
      continue;
    }
    SetKey2(pending->s_.data(), pending_key, job.rc4->s_.data(), job.key);
    for (Rc4* r : {pending, job.rc4}) {
      r->i_ = 0;
      r->j_ = 0;
      r->keyed_ = true;
    }
    pending = nullptr;
  }
  if (pending) pending->SetKey(pending_key);
  return all_valid;
}

bool Rc4::Process(std::span<const uint8_t> in, std::span<uint8_t> out) {
  if (!keyed_ || in.size() != out.size()) {
    std::fill(out.begin(), out.end(), 0);
    return false;
  }
  if (out.empty()) return true;
  Lane lane = StartLane(Rc4Job{this, in, out});
  RunLanes<1>(&lane, lane.left);
  Finish(lane);
  return true;
}

bool Rc4ProcessMulti(std::span<const Rc4Job> jobs) { return Rc4ProcessMultiWith(jobs, kRc4Lanes); }

bool Rc4ProcessMultiWith(std::span<const Rc4Job> jobs, size_t max_lanes) {
  max_lanes = std::clamp<size_t>(max_lanes, 1, kRc4MaxLanes);
  Scheduler sched(jobs);
  Lane lanes[kRc4MaxLanes];
  size_t active = 0;
  for (;;) {
    while (active < max_lanes) {
      const Rc4Job* job = sched.Next(lanes, active);
      if (!job) break;
      if (job->out.empty()) continue;  // nothing to do, state unchanged
      lanes[active++] = StartLane(*job);
    }
    if (active == 0) break;  // nothing busy, so nothing was passed over
    size_t n = lanes[0].left;
    for (size_t k = 1; k < active; ++k) n = std::min(n, lanes[k].left);
    RunGroups(lanes, active, max_lanes, n);
    for (size_t k = 0; k < active;) {
      if (lanes[k].left == 0) {
        Finish(lanes[k]);
        lanes[k] = lanes[--active];
      } else {
        ++k;
      }
    }
  }
  return sched.all_valid();
}

}  // namespace mlppp::ppp::ccp
