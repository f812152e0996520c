#include "core/latency_histogram.h"

#include <gtest/gtest.h>

namespace mlppp {
namespace {

using std::chrono::microseconds;

TEST(LatencyHistogramTest, QuantilesAreBucketBoundsCappedAtTheMax) {
  LatencyHistogram h;
  EXPECT_EQ(h.QuantileUs(0.5), 0u);
  for (int i = 0; i < 99; ++i) h.Add(microseconds(100));  // bucket [64, 128)
  h.Add(microseconds(5000));                              // bucket [4096, 8192)
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.QuantileUs(0.5), 127u);
  EXPECT_EQ(h.QuantileUs(0.98), 127u);
  EXPECT_EQ(h.QuantileUs(1.0), 5000u);
  EXPECT_EQ(h.max_us(), 5000u);
  EXPECT_EQ(h.mean_us(), (99 * 100 + 5000) / 100u);
}

TEST(LatencyHistogramTest, MergeAndExtremes) {
  LatencyHistogram a, b;
  a.Add(microseconds(0));
  a.Add(microseconds(-5));  // a clock that went backwards counts as 0
  b.Add(std::chrono::hours(1));
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.QuantileUs(0.0), 0u);
  EXPECT_EQ(a.QuantileUs(1.0), 3600000000u);
}

}  // namespace
}  // namespace mlppp
