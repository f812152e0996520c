#include "bundle/tun_iface.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
#include <utility>
#include <vector>

#include "core/wire.h"
#include "os/fd.h"
#include "os/netns_util.h"

namespace mlppp::bundle {
namespace {

using mlppp::testing::RunUntil;
using mlppp::testing::ScopedNetns;
using mlppp::testing::Shell;

constexpr uint32_t Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}
constexpr uint32_t kLocal = Ip(10, 9, 0, 1);
constexpr uint32_t kPeer = Ip(10, 9, 0, 2);
constexpr uint8_t kIcmp = 1, kUdp = 17;

// RFC 1071 Internet checksum.
uint16_t Checksum(std::span<const uint8_t> bytes) {
  WireReader r(bytes);
  uint32_t sum = 0;
  while (r.remaining() >= 2) sum += r.U16();
  if (r.remaining() == 1) sum += uint32_t{r.U8()} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// An IPv4 header (RFC 791 s. 3.1) plus ICMP echo (RFC 792) as the peer
// would send it: src = peer, dst = local.
std::vector<uint8_t> IcmpEcho(uint32_t src, uint32_t dst, uint16_t id, uint16_t seq) {
  std::vector<uint8_t> icmp;
  WireWriter w(icmp);
  w.U8(8);  // echo request
  w.U8(0);
  size_t csum = w.Reserve16();
  w.U16(id);
  w.U16(seq);
  w.String("mlppp-ping");
  w.Patch16(csum, Checksum(icmp));

  std::vector<uint8_t> ip;
  WireWriter h(ip);
  h.U8(0x45);
  h.U8(0);
  h.U16(static_cast<uint16_t>(20 + icmp.size()));
  h.U16(0x4242);  // identification
  h.U16(0);       // fragment offset
  h.U8(64);       // TTL
  h.U8(kIcmp);
  size_t hsum = h.Reserve16();
  h.U32(src);
  h.U32(dst);
  h.Patch16(hsum, Checksum(ip));
  h.Bytes(icmp);
  return ip;
}

struct Ipv4Header {
  uint8_t version = 0;
  uint8_t protocol = 0;
  uint32_t src = 0, dst = 0;
  std::span<const uint8_t> payload;
};
std::optional<Ipv4Header> ParseIpv4(std::span<const uint8_t> pkt) {
  WireReader r(pkt);
  uint8_t vihl = r.U8();
  Ipv4Header h;
  h.version = vihl >> 4;
  size_t ihl = (vihl & 0xf) * 4u;
  r.Skip(1);
  uint16_t total = r.U16();
  r.Skip(5);
  h.protocol = r.U8();
  r.Skip(2);
  h.src = r.U32();
  h.dst = r.U32();
  if (!r.ok() || ihl < 20 || total < ihl || total > pkt.size()) return std::nullopt;
  WireReader body(pkt.subspan(ihl, total - ihl));
  h.payload = body.Rest();
  return h;
}

class TunIfaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MLPPP_REQUIRE_NETNS(ns_);
    pool_ = std::make_unique<os::WorkerPool>(loop_, 2);
    factory_ = std::make_unique<TunIfaceFactory>(loop_, *pool_);
    auto iface = factory_->Create("");
    ASSERT_TRUE(iface.ok()) << iface.error();
    iface_ = std::move(*iface);
    iface_->SetReceiver([this](IpFamily fam, Packet&& p) { rx_.emplace_back(fam, std::move(p)); });
  }
  TunIface& tun() { return static_cast<TunIface&>(*iface_); }

  Status ConfigureV4() {
    Ipv4Params p;
    p.local = kLocal;
    p.peer = kPeer;
    p.mtu = 1400;
    p.routes.push_back({Ip(10, 9, 1, 0), 24});
    std::optional<Status> result;
    iface_->ConfigureV4(p, [&](Status s) { result = std::move(s); });
    EXPECT_FALSE(result.has_value());  // never synchronous
    if (!RunUntil(loop_.context(), [&] { return result.has_value(); })) {
      return Status::Error("timeout");
    }
    return *result;
  }

  // Waits for a received IPv4 packet matching pred.
  std::optional<Ipv4Header> WaitV4(const std::function<bool(const Ipv4Header&)>& pred) {
    std::optional<Ipv4Header> found;
    RunUntil(loop_.context(), [&] {
      for (auto& [fam, pkt] : rx_) {
        auto h = ParseIpv4(pkt.span());
        if (fam == IpFamily::kV4 && h && pred(*h)) found = h;
      }
      return found.has_value();
    });
    return found;
  }

  ScopedNetns ns_;  // first: the pool's threads and the TUN live in it
  event::AsioLoop loop_;
  std::unique_ptr<os::WorkerPool> pool_;
  std::unique_ptr<TunIfaceFactory> factory_;
  std::unique_ptr<Iface> iface_;
  std::vector<std::pair<IpFamily, Packet>> rx_;
};

TEST_F(TunIfaceTest, ConfigureV4AppliesAddressesRoutesAndMtu) {
  EXPECT_EQ(iface_->name(), "ppp0");
  Status s = ConfigureV4();
  ASSERT_TRUE(s.ok()) << s.message();
  std::string addrs = Shell("ip -o addr show dev ppp0");
  EXPECT_NE(addrs.find("inet 10.9.0.1 peer 10.9.0.2/32"), std::string::npos) << addrs;
  EXPECT_EQ(addrs.find("inet6"), std::string::npos) << addrs;  // no kernel link-local
  EXPECT_NE(Shell("ip -o link show dev ppp0").find("mtu 1400"), std::string::npos);
  EXPECT_NE(Shell("ip route show dev ppp0").find("10.9.1.0/24"), std::string::npos);
  // IPv6 is off until IPV6CP: no per-session multicast or fe80::/64 route
  // for the kernel's MTU-change walk (rt6_mtu_change) to visit.
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/ppp0/disable_ipv6"), "1\n");
  EXPECT_EQ(Shell("ip -6 route show table all dev ppp0"), "");
}

TEST_F(TunIfaceTest, DualStackTurnsIpv6BackOnAfterIpv4) {
  ASSERT_TRUE(ConfigureV4().ok());
  Ipv6Params p;
  p.local_id = {0, 0, 0, 0, 0, 0, 0, 1};
  std::optional<Status> result;
  iface_->ConfigureV6(p, [&](Status s) { result = std::move(s); });
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return result.has_value(); }));
  ASSERT_TRUE(result->ok()) << result->message();
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/ppp0/disable_ipv6"), "0\n");
  std::string addrs = Shell("ip -o addr show dev ppp0");
  EXPECT_NE(addrs.find("inet 10.9.0.1 peer 10.9.0.2/32"), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("inet6 fe80::1/64"), std::string::npos) << addrs;
}

TEST_F(TunIfaceTest, HostTrafficReachesReceiverAsIpv4) {
  ASSERT_TRUE(ConfigureV4().ok());
  os::Fd sock(::socket(AF_INET, SOCK_DGRAM, 0));
  ASSERT_TRUE(sock.valid());
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9999);
  to.sin_addr.s_addr = htonl(kPeer);
  const char msg[] = "hello";
  ASSERT_EQ(::sendto(sock.get(), msg, 5, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 5);
  to.sin_addr.s_addr = htonl(Ip(10, 9, 1, 5));  // via the configured route
  ASSERT_EQ(::sendto(sock.get(), msg, 5, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 5);

  for (uint32_t dst : {kPeer, Ip(10, 9, 1, 5)}) {
    auto h = WaitV4([&](const Ipv4Header& h) { return h.protocol == kUdp && h.dst == dst; });
    ASSERT_TRUE(h.has_value()) << "no UDP datagram to " << dst;
    EXPECT_EQ(h->version, 4);
    EXPECT_EQ(h->src, kLocal);
    WireReader udp(h->payload);
    udp.Skip(2);
    EXPECT_EQ(udp.U16(), 9999);
    uint16_t len = udp.U16();
    udp.Skip(2);
    EXPECT_EQ(len, 8 + 5);
    EXPECT_EQ(udp.String(5), "hello");
  }
  EXPECT_GE(tun().counters().rx_packets, 2u);
  EXPECT_GE(tun().counters().rx_bytes, 2u * (20 + 8 + 5));
  // Received packets keep headroom for PPP/PPPoE/Ethernet headers.
  for (auto& [fam, pkt] : rx_) EXPECT_GE(pkt.headroom(), Packet::kDefaultHeadroom);
}

TEST_F(TunIfaceTest, DeliveredEchoRequestGetsHostReply) {
  ASSERT_TRUE(ConfigureV4().ok());
  iface_->Deliver(IpFamily::kV4, Packet::Copy(IcmpEcho(kPeer, kLocal, 0x1234, 7)));
  EXPECT_EQ(tun().counters().tx_packets, 1u);
  EXPECT_EQ(tun().counters().tx_drops, 0u);
  auto h = WaitV4([](const Ipv4Header& h) { return h.protocol == kIcmp; });
  ASSERT_TRUE(h.has_value()) << "no echo reply";
  EXPECT_EQ(h->src, kLocal);
  EXPECT_EQ(h->dst, kPeer);
  WireReader icmp(h->payload);
  EXPECT_EQ(icmp.U8(), 0);  // echo reply
  icmp.Skip(3);
  EXPECT_EQ(icmp.U16(), 0x1234);
  EXPECT_EQ(icmp.U16(), 7);
  EXPECT_EQ(icmp.String(10), "mlppp-ping");
}

TEST_F(TunIfaceTest, DeliverOnDownLinkIsCountedDrop) {
  iface_->Deliver(IpFamily::kV4, Packet::Copy(IcmpEcho(kPeer, kLocal, 1, 1)));
  EXPECT_EQ(tun().counters().tx_packets, 0u);
  EXPECT_EQ(tun().counters().tx_drops, 1u);
}

TEST_F(TunIfaceTest, ConfigureV6AddsOnlyOurLinkLocalAndCarriesIpv6) {
  Ipv6Params p;
  p.local_id = {0, 0, 0, 0, 0, 0, 0, 1};
  p.peer_id = {0, 0, 0, 0, 0, 0, 0, 2};
  std::optional<Status> result;
  iface_->ConfigureV6(p, [&](Status s) { result = std::move(s); });
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return result.has_value(); }));
  ASSERT_TRUE(result->ok()) << result->message();
  std::string addrs = Shell("ip -o -6 addr show dev ppp0");
  EXPECT_NE(addrs.find("inet6 fe80::1/64"), std::string::npos) << addrs;
  EXPECT_EQ(addrs.find("inet6 fe80::", addrs.find("fe80::1/64") + 1), std::string::npos) << addrs;

  os::Fd sock(::socket(AF_INET6, SOCK_DGRAM, 0));
  ASSERT_TRUE(sock.valid());
  sockaddr_in6 to{};
  to.sin6_family = AF_INET6;
  to.sin6_port = htons(9999);
  ASSERT_EQ(::inet_pton(AF_INET6, "fe80::2", &to.sin6_addr), 1);
  to.sin6_scope_id = static_cast<uint32_t>(tun().ifindex());
  ASSERT_EQ(::sendto(sock.get(), "v6", 2, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 2);
  bool got = RunUntil(loop_.context(), [&] {
    for (auto& [fam, pkt] : rx_) {
      WireReader r(pkt.span());
      uint8_t version = r.U8() >> 4;
      r.Skip(5);
      if (fam == IpFamily::kV6 && version == 6 && r.U8() == kUdp) return true;
    }
    return false;
  });
  EXPECT_TRUE(got);
}

TEST_F(TunIfaceTest, DestroyRemovesDeviceAndDropsPendingDone) {
  ASSERT_NE(if_nametoindex("ppp0"), 0u);
  bool done_ran = false;
  iface_->ConfigureV4(Ipv4Params{}, [&](Status) { done_ran = true; });
  iface_.reset();
  // The close runs on the pool; the loop gets its (empty) done back.
  EXPECT_TRUE(RunUntil(loop_.context(), [] { return if_nametoindex("ppp0") == 0; }));
  pool_.reset();  // joins: the configure job has finished or was dropped
  loop_.context().restart();
  loop_.context().poll();  // runs any queued done (and read completion)
  EXPECT_FALSE(done_ran);
}

}  // namespace
}  // namespace mlppp::bundle
