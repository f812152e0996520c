#include "os/netlink.h"

#include <gtest/gtest.h>

#include "os/netns_util.h"
#include "os/tun.h"

namespace mlppp::os {
namespace {

using mlppp::testing::ScopedNetns;
using mlppp::testing::Shell;

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

constexpr uint32_t Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

// A TUN device in a namespace of its own and a netlink socket there.
class NetlinkOnTun : public ::testing::Test {
 protected:
  void SetUp() override {
    MLPPP_REQUIRE_NETNS(ns_);
    auto tun = OpenTun("");
    ASSERT_TRUE(tun.ok()) << tun.error();
    tun_ = std::move(*tun);
    auto nl = Netlink::Open();
    ASSERT_TRUE(nl.ok()) << nl.error();
    nl_ = std::move(*nl);
    idx_ = tun_.ifindex;
  }

  ScopedNetns ns_;
  TunDevice tun_;
  std::unique_ptr<Netlink> nl_;
  int idx_ = 0;
};

TEST_F(NetlinkOnTun, ConfiguresPointToPointTun) {
  ASSERT_TRUE(nl_->DisableIpv6AddrGen(idx_).ok());
  Status s = nl_->SetLinkUp(idx_, 1400);
  ASSERT_TRUE(s.ok()) << s.message();
  s = nl_->AddIpv4PeerAddress(idx_, Ip(10, 9, 0, 1), Ip(10, 9, 0, 2));
  ASSERT_TRUE(s.ok()) << s.message();
  s = nl_->AddIpv4Route(idx_, Ip(10, 9, 1, 0), 24);
  ASSERT_TRUE(s.ok()) << s.message();
  s = nl_->AddIpv4Route(idx_, Ip(10, 9, 2, 77), 24);  // host bits cleared
  ASSERT_TRUE(s.ok()) << s.message();
  s = nl_->AddIpv6LinkLocal(idx_, {0, 0, 0, 0, 0, 0, 0, 1});
  ASSERT_TRUE(s.ok()) << s.message();

  const std::string dev = tun_.name;
  std::string link = Shell("ip -o link show dev " + dev);
  EXPECT_NE(link.find("mtu 1400"), std::string::npos) << link;
  EXPECT_NE(link.find(",UP"), std::string::npos) << link;

  std::string addrs = Shell("ip -o addr show dev " + dev);
  EXPECT_NE(addrs.find("inet 10.9.0.1 peer 10.9.0.2/32"), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("inet6 fe80::1/64"), std::string::npos) << addrs;
  // addr_gen_mode none: the kernel added no link-local of its own.
  EXPECT_EQ(Count(addrs, "inet6 fe80::"), 1u) << addrs;
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/" + dev + "/addr_gen_mode"), "1\n");

  std::string routes = Shell("ip -4 route show dev " + dev);
  EXPECT_NE(routes.find("10.9.1.0/24 proto static scope link"), std::string::npos) << routes;
  EXPECT_NE(routes.find("10.9.2.0/24 proto static scope link"), std::string::npos) << routes;
  EXPECT_NE(routes.find("10.9.0.2 proto kernel scope link src 10.9.0.1"), std::string::npos)
      << routes;
}

TEST_F(NetlinkOnTun, RepeatedConfigurationIsIdempotent) {
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(nl_->SetLinkUp(idx_, 1500).ok());
    EXPECT_TRUE(nl_->AddIpv4PeerAddress(idx_, Ip(10, 9, 0, 1), Ip(10, 9, 0, 2)).ok());
    EXPECT_TRUE(nl_->AddIpv4Route(idx_, Ip(10, 9, 1, 0), 24).ok());
  }
  std::string addrs = Shell("ip -o -4 addr show dev " + tun_.name);
  EXPECT_EQ(Count(addrs, "inet 10.9.0.1"), 1u) << addrs;
}

TEST(Netlink, ErrorsAreStatuses) {
  ScopedNetns ns;
  MLPPP_REQUIRE_NETNS(ns);
  auto nl = Netlink::Open();
  ASSERT_TRUE(nl.ok()) << nl.error();
  constexpr int kNoSuchIfindex = 4242;
  Status s = (*nl)->SetLinkUp(kNoSuchIfindex, 1500);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ifindex 4242"), std::string::npos) << s.message();
  EXPECT_FALSE((*nl)->AddIpv4PeerAddress(kNoSuchIfindex, Ip(10, 0, 0, 1), Ip(10, 0, 0, 2)).ok());
  EXPECT_FALSE((*nl)->AddIpv4Route(1, Ip(10, 0, 0, 0), 33).ok());
}

TEST_F(NetlinkOnTun, SetLinkAdminTakesLinkDownAndUpKeepingMtu) {
  const std::string show = "ip -o link show dev " + tun_.name;
  ASSERT_TRUE(nl_->SetLinkUp(idx_, 1400).ok());
  ASSERT_NE(Shell(show).find(",UP"), std::string::npos);

  Status s = nl_->SetLinkAdmin(idx_, false);
  ASSERT_TRUE(s.ok()) << s.message();
  std::string link = Shell(show);
  EXPECT_EQ(link.find(",UP"), std::string::npos) << link;
  EXPECT_NE(link.find("mtu 1400"), std::string::npos) << link;
  s = nl_->SetLinkAdmin(idx_, true);
  ASSERT_TRUE(s.ok()) << s.message();
  link = Shell(show);
  EXPECT_NE(link.find(",UP"), std::string::npos) << link;
  EXPECT_NE(link.find("mtu 1400"), std::string::npos) << link;
  EXPECT_FALSE(nl_->SetLinkAdmin(4242, true).ok());
}

TEST_F(NetlinkOnTun, DeletesWhatItAddedAndToleratesMissing) {
  auto other = OpenTun("");
  ASSERT_TRUE(other.ok()) << other.error();
  ASSERT_TRUE(nl_->DisableIpv6AddrGen(idx_).ok());
  ASSERT_TRUE(nl_->SetLinkUp(idx_, 1500).ok());
  ASSERT_TRUE(nl_->SetLinkUp(other->ifindex, 1500).ok());
  ASSERT_TRUE(nl_->AddIpv4PeerAddress(idx_, Ip(10, 9, 0, 1), Ip(10, 9, 0, 2)).ok());
  ASSERT_TRUE(nl_->AddIpv4PeerAddress(idx_, Ip(10, 9, 0, 5), Ip(10, 9, 0, 6)).ok());
  ASSERT_TRUE(nl_->AddIpv4Route(idx_, Ip(10, 9, 1, 0), 24).ok());
  ASSERT_TRUE(nl_->AddIpv4Route(idx_, Ip(10, 9, 3, 0), 24).ok());
  ASSERT_TRUE(nl_->AddIpv6LinkLocal(idx_, {0, 0, 0, 0, 0, 0, 0, 1}).ok());

  for (int i = 0; i < 2; ++i) {  // the second round finds nothing: still ok
    Status s = nl_->DeleteIpv4Route(idx_, Ip(10, 9, 1, 0), 24);
    EXPECT_TRUE(s.ok()) << s.message();
    s = nl_->DeleteIpv4PeerAddress(idx_, Ip(10, 9, 0, 1), Ip(10, 9, 0, 2));
    EXPECT_TRUE(s.ok()) << s.message();
    s = nl_->DeleteIpv6LinkLocal(idx_, {0, 0, 0, 0, 0, 0, 0, 1});
    EXPECT_TRUE(s.ok()) << s.message();
  }
  // The delete names the device: the other link has no such route, and
  // this link's route with that prefix stays.
  Status s = nl_->DeleteIpv4Route(other->ifindex, Ip(10, 9, 3, 0), 24);
  EXPECT_TRUE(s.ok()) << s.message();

  std::string addrs = Shell("ip -o addr show dev " + tun_.name);
  EXPECT_EQ(addrs.find("inet 10.9.0.1 "), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("inet 10.9.0.5 peer 10.9.0.6/32"), std::string::npos) << addrs;
  EXPECT_EQ(addrs.find("inet6 fe80::1/64"), std::string::npos) << addrs;
  std::string routes = Shell("ip -4 route show dev " + tun_.name);
  EXPECT_EQ(routes.find("10.9.1.0/24"), std::string::npos) << routes;
  EXPECT_NE(routes.find("10.9.3.0/24"), std::string::npos) << routes;
  EXPECT_EQ(routes.find("10.9.0.2 "), std::string::npos) << routes;  // went with the address

  EXPECT_FALSE(nl_->DeleteIpv4PeerAddress(4242, Ip(10, 0, 0, 1), Ip(10, 0, 0, 2)).ok());
  EXPECT_FALSE(nl_->DeleteIpv4Route(idx_, Ip(10, 0, 0, 0), 33).ok());
}

TEST(NetlinkPool, ReusesReturnedSockets) {
  NetlinkPool pool;
  auto a = pool.Take();
  ASSERT_TRUE(a.ok()) << a.error();
  Netlink* raw = a->get();
  pool.Give(std::move(*a));
  auto b = pool.Take();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->get(), raw);
  auto c = pool.Take();  // none free: a new one
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->get(), raw);
}

}  // namespace
}  // namespace mlppp::os
