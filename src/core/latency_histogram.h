// A fixed-size latency histogram with power-of-two microsecond buckets:
// cheap enough to keep per link (a few hundred bytes), mergeable across
// links, and precise to a factor of two, which is what "are echoes
// delayed during a login storm" needs.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>

namespace mlppp {

class LatencyHistogram {
 public:
  // Bucket b holds samples in [2^(b-1), 2^b) µs; bucket 0 holds < 1 µs;
  // the last one everything from ~33 s up.
  static constexpr size_t kBuckets = 26;

  void Add(std::chrono::nanoseconds d) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    uint64_t v = us < 0 ? 0 : static_cast<uint64_t>(us);
    size_t b = std::min<size_t>(std::bit_width(v), kBuckets - 1);
    ++buckets_[b];
    ++count_;
    sum_us_ += v;
    max_us_ = std::max(max_us_, v);
  }
  void Merge(const LatencyHistogram& o) {
    for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += o.buckets_[i];
    count_ += o.count_;
    sum_us_ += o.sum_us_;
    max_us_ = std::max(max_us_, o.max_us_);
  }

  uint64_t count() const { return count_; }
  // Samples in bucket b (REQUIRES: b < kBuckets), and the sum of all, in
  // µs: what a Prometheus histogram exports.
  uint64_t bucket(size_t b) const { return buckets_[b]; }
  uint64_t sum_us() const { return sum_us_; }
  uint64_t max_us() const { return max_us_; }
  uint64_t mean_us() const { return count_ ? sum_us_ / count_ : 0; }
  // The upper bound of the bucket holding quantile q (0..1), capped at the
  // largest sample: "q of the samples took at most this long".
  uint64_t QuantileUs(double q) const {
    if (count_ == 0) return 0;
    auto rank = static_cast<uint64_t>(q * static_cast<double>(count_ - 1)) + 1;
    uint64_t seen = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      seen += buckets_[b];
      if (seen < rank) continue;
      if (b == kBuckets - 1) return max_us_;  // open-ended
      return std::min<uint64_t>(b == 0 ? 0 : (uint64_t{1} << b) - 1, max_us_);
    }
    return max_us_;
  }

 private:
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_us_ = 0;
  uint64_t max_us_ = 0;
};

}  // namespace mlppp
