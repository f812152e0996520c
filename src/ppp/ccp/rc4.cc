#include "ppp/ccp/rc4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <bit>
#include <cstring>

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
#pragma GCC unroll 8
    for (unsigned b = 0; b < 8; ++b) {
#pragma GCC unroll 8
      for (size_t k = 0; k < K; ++k) ks[k] |= Place(Step(s[k], i[k], j[k]), b);
    }
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
