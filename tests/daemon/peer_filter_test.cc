#include "daemon/peer_filter.h"

#include <gtest/gtest.h>

namespace mlppp::daemon {
namespace {

TEST(PeerFilterTest, RangesAndSingleAddresses) {
  EXPECT_EQ(MakePeerFilter("", std::nullopt), nullptr);
  EXPECT_EQ(MakePeerFilter("lac.example.net", std::nullopt), nullptr);
  auto one = MakePeerFilter("192.0.2.2", std::nullopt);
  ASSERT_TRUE(one);
  EXPECT_TRUE(one("192.0.2.2"));
  EXPECT_FALSE(one("192.0.2.3"));
  auto net = MakePeerFilter("10.1.0.0", 16);
  EXPECT_FALSE(net("10.0.255.255"));
  EXPECT_TRUE(net("10.1.255.255"));
  EXPECT_FALSE(net("10.2.0.0"));
  auto odd = MakePeerFilter("10.1.0.0", 15);  // 10.0.0.0 - 10.1.255.255
  EXPECT_TRUE(odd("10.0.0.0"));
  EXPECT_FALSE(odd("10.2.0.0"));
  auto any = MakePeerFilter("0.0.0.0", 0);
  EXPECT_TRUE(any("203.0.113.9"));
  EXPECT_FALSE(any("::1")) << "families never match";
  auto v6 = MakePeerFilter("2001:db8::", 32);
  EXPECT_TRUE(v6("2001:db8:ffff::1"));
  EXPECT_FALSE(v6("2001:db9::1"));
  EXPECT_FALSE(v6("garbage"));
}

}  // namespace
}  // namespace mlppp::daemon
