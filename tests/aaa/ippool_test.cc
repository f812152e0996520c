#include "aaa/ippool.h"

#include <gtest/gtest.h>

#include <set>

namespace mlppp::aaa {
namespace {

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a) << 24 | b << 16 | c << 8 | d;
}

TEST(IpPool, TenThousandUniqueAllocations) {
  IpPool p;
  ASSERT_TRUE(p.AddRange(Ip(10, 0, 0, 100), Ip(10, 0, 39, 115)).ok());  // 10000 addresses
  EXPECT_EQ(p.Size(), 10000u);
  std::set<uint32_t> seen;
  for (int i = 0; i < 10000; ++i) {
    auto a = p.Allocate();
    ASSERT_TRUE(a.has_value()) << i;
    EXPECT_TRUE(p.Contains(*a));
    EXPECT_TRUE(seen.insert(*a).second) << "duplicate at " << i;
  }
  EXPECT_EQ(p.Used(), 10000u);
  EXPECT_FALSE(p.Allocate().has_value());  // exhausted
}

TEST(IpPool, ReleaseAndReuse) {
  IpPool p;
  ASSERT_TRUE(p.AddRange(Ip(10, 0, 0, 1), Ip(10, 0, 0, 3)).ok());
  auto a = *p.Allocate(), b = *p.Allocate(), c = *p.Allocate();
  EXPECT_FALSE(p.Allocate());
  EXPECT_TRUE(p.Release(b));
  EXPECT_FALSE(p.Release(b));  // not in use any more
  EXPECT_EQ(p.Used(), 2u);
  EXPECT_EQ(*p.Allocate(), b);
  EXPECT_FALSE(p.Allocate());
  EXPECT_TRUE(p.Release(a));
  EXPECT_TRUE(p.Release(c));
  std::set<uint32_t> again{*p.Allocate(), *p.Allocate()};
  EXPECT_EQ(again, (std::set<uint32_t>{a, c}));
}

TEST(IpPool, ReserveSpecificAddresses) {
  IpPool p;
  ASSERT_TRUE(p.AddRange(Ip(10, 0, 0, 1), Ip(10, 0, 0, 4)).ok());
  EXPECT_TRUE(p.Reserve(Ip(10, 0, 0, 1)));
  EXPECT_FALSE(p.Reserve(Ip(10, 0, 0, 1)));  // taken
  EXPECT_FALSE(p.Reserve(Ip(10, 0, 0, 9)));  // outside
  // Release then reserve again: the free list must not hand it out twice.
  EXPECT_TRUE(p.Release(Ip(10, 0, 0, 1)));
  EXPECT_TRUE(p.Reserve(Ip(10, 0, 0, 1)));
  std::set<uint32_t> got;
  while (auto a = p.Allocate()) EXPECT_TRUE(got.insert(*a).second);
  EXPECT_EQ(got, (std::set<uint32_t>{Ip(10, 0, 0, 2), Ip(10, 0, 0, 3), Ip(10, 0, 0, 4)}));
  EXPECT_EQ(p.Used(), 4u);
}

TEST(IpPool, SeveralRangesAndBadRanges) {
  IpPool p;
  EXPECT_TRUE(p.AddRange(Ip(10, 0, 0, 1), Ip(10, 0, 0, 2)).ok());
  EXPECT_TRUE(p.AddRange(Ip(10, 0, 1, 1), Ip(10, 0, 1, 1)).ok());
  EXPECT_FALSE(p.AddRange(Ip(10, 0, 0, 2), Ip(10, 0, 0, 5)).ok());  // overlap
  EXPECT_FALSE(p.AddRange(Ip(10, 0, 2, 5), Ip(10, 0, 2, 1)).ok());  // reversed
  EXPECT_EQ(p.Size(), 3u);
  std::set<uint32_t> got;
  while (auto a = p.Allocate()) got.insert(*a);
  EXPECT_EQ(got, (std::set<uint32_t>{Ip(10, 0, 0, 1), Ip(10, 0, 0, 2), Ip(10, 0, 1, 1)}));
}

TEST(IpPool, HugePoolCostsNothingUpFront) {
  IpPool p;
  ASSERT_TRUE(p.AddRange(0, 0xFFFFFFFFu).ok());
  EXPECT_EQ(p.Size(), uint64_t{1} << 32);
  EXPECT_EQ(*p.Allocate(), 0u);
}

TEST(IpPools, ByName) {
  IpPools pools;
  EXPECT_TRUE(pools.Add("a", Ip(10, 0, 0, 1), Ip(10, 0, 0, 9)).ok());
  EXPECT_TRUE(pools.Add("a", Ip(10, 0, 1, 1), Ip(10, 0, 1, 9)).ok());
  EXPECT_FALSE(pools.Add("b", Ip(10, 0, 0, 0), Ip(10, 0, 0, 255)).ok());  // encloses a's range
  ASSERT_NE(pools.Find("a"), nullptr);
  EXPECT_EQ(pools.Find("a")->Size(), 18u);
  EXPECT_EQ(pools.Find("b"), nullptr);
}

}  // namespace
}  // namespace mlppp::aaa
