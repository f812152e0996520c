#include "os/tun.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <net/if.h>

#include "os/netns_util.h"

namespace mlppp::os {
namespace {

using mlppp::testing::ScopedNetns;

TEST(OpenTun, EmptyNamePicksNextFreePppAndCloseRemovesIt) {
  ScopedNetns ns;
  MLPPP_REQUIRE_NETNS(ns);
  auto a = OpenTun("");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->name, "ppp0");  // a fresh namespace has no other pppN
  EXPECT_EQ(static_cast<int>(if_nametoindex("ppp0")), a->ifindex);
  EXPECT_TRUE(::fcntl(a->fd.get(), F_GETFL) & O_NONBLOCK);
  auto b = OpenTun("");
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->name, "ppp1");
  EXPECT_NE(b->ifindex, a->ifindex);

  a->fd.Reset();
  EXPECT_EQ(if_nametoindex("ppp0"), 0u);
  EXPECT_NE(if_nametoindex("ppp1"), 0u);
}

TEST(OpenTun, ExactNameAndPattern) {
  ScopedNetns ns;
  MLPPP_REQUIRE_NETNS(ns);
  auto a = OpenTun("mltest7");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->name, "mltest7");
  auto b = OpenTun("ml%d");
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->name, "ml0");
}

TEST(OpenTun, RejectsTakenAndTooLongNames) {
  ScopedNetns ns;
  MLPPP_REQUIRE_NETNS(ns);
  auto a = OpenTun("ppp5");
  ASSERT_TRUE(a.ok()) << a.error();
  auto dup = OpenTun("ppp5");
  EXPECT_FALSE(dup.ok());
  auto lng = OpenTun("a-name-longer-than-ifnamsiz");
  EXPECT_FALSE(lng.ok());
  EXPECT_NE(lng.error().find("too long"), std::string::npos);
}

TEST(OpenTunExclusive, OpensExactNameAndReportsTakenNames) {
  ScopedNetns ns;
  MLPPP_REQUIRE_NETNS(ns);
  TunOpenResult a = OpenTunExclusive("ppp3");
  ASSERT_TRUE(a.dev.ok()) << a.dev.error();
  EXPECT_EQ(a.err, 0);
  EXPECT_FALSE(a.name_taken());
  EXPECT_EQ(a.dev->name, "ppp3");
  EXPECT_EQ(static_cast<int>(if_nametoindex("ppp3")), a.dev->ifindex);

  TunOpenResult dup = OpenTunExclusive("ppp3");
  EXPECT_FALSE(dup.dev.ok());
  EXPECT_TRUE(dup.name_taken()) << dup.err;
  EXPECT_NE(dup.dev.error().find("ppp3"), std::string::npos) << dup.dev.error();

  TunOpenResult lo = OpenTunExclusive("lo");  // a device of another kind
  EXPECT_FALSE(lo.dev.ok());
  EXPECT_TRUE(lo.name_taken()) << lo.err;

  TunOpenResult lng = OpenTunExclusive("a-name-longer-than-ifnamsiz");
  EXPECT_FALSE(lng.dev.ok());
  EXPECT_FALSE(lng.name_taken());  // not a name another device holds
}

}  // namespace
}  // namespace mlppp::os
