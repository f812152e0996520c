#include "bundle/tun_iface.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <future>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/wire.h"
#include "os/fd.h"
#include "os/netns_util.h"
#include "os/tun.h"

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

Ipv4Params V4Params() {
  Ipv4Params p;
  p.local = kLocal;
  p.peer = kPeer;
  p.mtu = 1400;
  p.routes.push_back({Ip(10, 9, 1, 0), 24});
  return p;
}
Ipv6Params V6Params() {
  Ipv6Params p;
  p.local_id = {0, 0, 0, 0, 0, 0, 0, 1};
  p.peer_id = {0, 0, 0, 0, 0, 0, 0, 2};
  return p;
}

// Holds every thread of a WorkerPool in a job until Release() (or the
// destructor), so a test can look at an iface whose open has not run.
class PoolBlocker {
 public:
  PoolBlocker(os::WorkerPool& pool) : released_(promise_.get_future().share()) {
    for (int i = 0; i < pool.threads(); ++i) pool.Run([f = released_] { f.wait(); }, [] {});
  }
  ~PoolBlocker() { Release(); }
  void Release() {
    if (!done_) promise_.set_value();
    done_ = true;
  }

 private:
  std::promise<void> promise_;
  std::shared_future<void> released_;
  bool done_ = false;
};

// A namespace, a loop, a pool and a factory; no iface yet.
class TunEnv : public ::testing::Test {
 protected:
  void Init(int threads) {
    pool_ = std::make_unique<os::WorkerPool>(loop_, threads);
    factory_ = std::make_unique<TunIfaceFactory>(loop_, *pool_);
  }
  std::unique_ptr<TunIface> Create(const std::string& name = "") {
    auto iface = factory_->Create(name);
    EXPECT_TRUE(iface.ok()) << iface.error();
    if (!iface.ok()) return nullptr;
    return std::unique_ptr<TunIface>(static_cast<TunIface*>(iface->release()));
  }
  // Runs op(done) and the loop until done has run.
  Status Await(const std::function<void(std::function<void(Status)>)>& op) {
    std::optional<Status> result;
    op([&](Status s) { result = std::move(s); });
    EXPECT_FALSE(result.has_value());  // never synchronous
    if (!RunUntil(loop_.context(), [&] { return result.has_value(); }))
      return Status::Error("timeout");
    return *result;
  }

  ScopedNetns ns_;  // first: the pool's threads and the TUN live in it
  event::AsioLoop loop_;
  std::unique_ptr<os::WorkerPool> pool_;
  std::unique_ptr<TunIfaceFactory> factory_;
};

class TunIfaceTest : public TunEnv {
 protected:
  void SetUp() override {
    MLPPP_REQUIRE_NETNS(ns_);
    Init(2);
    auto iface = factory_->Create("");
    ASSERT_TRUE(iface.ok()) << iface.error();
    iface_ = std::move(*iface);
    iface_->SetReceiver([this](IpFamily fam, Packet&& p) { rx_.emplace_back(fam, std::move(p)); });
    ASSERT_TRUE(RunUntil(loop_.context(), [&] { return tun().opened(); }));
  }
  TunIface& tun() { return static_cast<TunIface&>(*iface_); }

  Status ConfigureV4() {
    return Await([&](auto done) { iface_->ConfigureV4(V4Params(), std::move(done)); });
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

  // Sends a UDP datagram from the host to dst; the sendto(2) result.
  static ssize_t SendUdp(uint32_t dst) {
    os::Fd sock(::socket(AF_INET, SOCK_DGRAM, 0));
    if (!sock.valid()) return -1;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9999);
    to.sin_addr.s_addr = htonl(dst);
    return ::sendto(sock.get(), "hello", 5, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }

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

TEST_F(TunIfaceTest, RequestsRunInOrderAndEndWithTheLastState) {
  // Issued back to back: with independent jobs the removal could land
  // after the second configure and leave no IPv4 address.
  std::vector<int> order;
  std::vector<Status> results;
  auto note = [&](int i) {
    return [&, i](Status s) {
      order.push_back(i);
      results.push_back(std::move(s));
    };
  };
  iface_->ConfigureV4(V4Params(), note(0));
  iface_->ConfigureV6(V6Params(), note(1));
  iface_->UnconfigureV4(V4Params(), note(2));
  iface_->ConfigureV4(V4Params(), note(3));
  EXPECT_TRUE(order.empty());
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return order.size() == 4; }));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
  std::string v4 = Shell("ip -o -4 addr show dev ppp0");
  EXPECT_NE(v4.find("inet 10.9.0.1 peer 10.9.0.2/32"), std::string::npos) << v4;
  std::string v6 = Shell("ip -o -6 addr show dev ppp0");
  EXPECT_NE(v6.find("inet6 fe80::1/64"), std::string::npos) << v6;
  EXPECT_NE(Shell("ip route show dev ppp0").find("10.9.1.0/24"), std::string::npos);
}

TEST_F(TunIfaceTest, AdminDownStopsHostTrafficAndUpRestoresIt) {
  ASSERT_TRUE(ConfigureV4().ok());
  Status s = Await([&](auto done) { iface_->SetAdminUp(false, std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  std::string link = Shell("ip -o link show dev ppp0");
  EXPECT_EQ(link.find(",UP"), std::string::npos) << link;
  // The kernel dropped the link's routes: the host cannot send into it.
  EXPECT_LT(SendUdp(kPeer), 0);
  loop_.context().poll();
  EXPECT_EQ(tun().counters().rx_packets, 0u);
  // A configure while `close iface` is in force keeps the link down.
  ASSERT_TRUE(ConfigureV4().ok());
  link = Shell("ip -o link show dev ppp0");
  EXPECT_EQ(link.find(",UP"), std::string::npos) << link;
  EXPECT_NE(Shell("ip -o -4 addr show dev ppp0").find("inet 10.9.0.1"), std::string::npos);

  s = Await([&](auto done) { iface_->SetAdminUp(true, std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  link = Shell("ip -o link show dev ppp0");
  EXPECT_NE(link.find(",UP"), std::string::npos) << link;
  ASSERT_TRUE(ConfigureV4().ok());  // what the bundle does after `open iface`
  ASSERT_EQ(SendUdp(Ip(10, 9, 1, 5)), 5);
  EXPECT_TRUE(WaitV4([](const Ipv4Header& h) { return h.dst == Ip(10, 9, 1, 5); }).has_value());
}

TEST_F(TunIfaceTest, UnconfigureRemovesAddressesAndRoutes) {
  ASSERT_TRUE(ConfigureV4().ok());
  Status s = Await([&](auto done) { iface_->ConfigureV6(V6Params(), std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  s = Await([&](auto done) { iface_->UnconfigureV4(V4Params(), std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  std::string addrs = Shell("ip -o addr show dev ppp0");
  EXPECT_EQ(addrs.find("inet 10.9.0.1"), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("inet6 fe80::1/64"), std::string::npos) << addrs;
  EXPECT_EQ(Shell("ip -4 route show dev ppp0"), "");
  s = Await([&](auto done) { iface_->UnconfigureV6(V6Params(), std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Shell("ip -o addr show dev ppp0"), "");
  // IPv6 off again, as after the open, until the next ConfigureV6.
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/ppp0/disable_ipv6"), "1\n");
  // Again, with nothing left to remove: still success.
  s = Await([&](auto done) { iface_->UnconfigureV4(V4Params(), std::move(done)); });
  EXPECT_TRUE(s.ok()) << s.message();
  s = Await([&](auto done) { iface_->UnconfigureV6(V6Params(), std::move(done)); });
  EXPECT_TRUE(s.ok()) << s.message();
}

// The open on the pool. One worker thread, so pool jobs run in the order
// they were posted and a test can tell when an iface's job has run.
class TunIfaceOpenTest : public TunEnv {
 protected:
  void SetUp() override {
    MLPPP_REQUIRE_NETNS(ns_);
    Init(1);
  }
  // Runs the loop until every pool job posted so far has finished and its
  // completion has run.
  void Drain() {
    bool done = false;
    pool_->Run([] {}, [&] { done = true; });
    ASSERT_TRUE(RunUntil(loop_.context(), [&] { return done; }));
  }
};

TEST_F(TunIfaceOpenTest, CreateReturnsBeforeTheDeviceExists) {
  PoolBlocker block(*pool_);
  auto tun = Create();
  ASSERT_TRUE(tun);
  EXPECT_EQ(tun->name(), "ppp0");  // known from the start
  EXPECT_EQ(tun->ifindex(), 0);
  EXPECT_FALSE(tun->opened());
  EXPECT_EQ(if_nametoindex("ppp0"), 0u);
  EXPECT_EQ(factory_->names().in_use(), 1u);
  tun->Deliver(IpFamily::kV4, Packet::Copy(IcmpEcho(kPeer, kLocal, 1, 1)));
  EXPECT_EQ(tun->counters().tx_drops, 1u);
  std::vector<Packet> rx;
  tun->SetReceiver([&](IpFamily, Packet&& p) { rx.push_back(std::move(p)); });
  std::optional<Status> configured;
  tun->ConfigureV4(V4Params(), [&](Status s) { configured = std::move(s); });

  block.Release();
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return tun->opened(); }));
  EXPECT_EQ(static_cast<int>(if_nametoindex("ppp0")), tun->ifindex());
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/ppp0/disable_ipv6"), "1\n");
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return configured.has_value(); }));
  ASSERT_TRUE(configured->ok()) << configured->message();
  // The receiver set before the open gets the host's traffic.
  os::Fd sock(::socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9999);
  to.sin_addr.s_addr = htonl(kPeer);
  ASSERT_EQ(::sendto(sock.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 1);
  EXPECT_TRUE(RunUntil(loop_.context(), [&] { return !rx.empty(); }));
}

TEST_F(TunIfaceOpenTest, NameHeldByAnotherTunIsSkipped) {
  auto foreign = os::OpenTun("ppp0");  // another program's device
  ASSERT_TRUE(foreign.ok()) << foreign.error();
  auto tun = Create();
  ASSERT_TRUE(tun);
  EXPECT_EQ(tun->name(), "ppp0");  // our first choice, not yet tried
  std::optional<Status> configured;
  tun->ConfigureV4(V4Params(), [&](Status s) { configured = std::move(s); });
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return configured.has_value(); }));
  ASSERT_TRUE(configured->ok()) << configured->message();
  EXPECT_EQ(tun->name(), "ppp1");
  EXPECT_EQ(static_cast<int>(if_nametoindex("ppp1")), tun->ifindex());
  EXPECT_NE(Shell("ip -o addr show dev ppp1").find("inet 10.9.0.1"), std::string::npos);
  EXPECT_EQ(factory_->names().in_use(), 1u);  // ppp0 went back once ppp1 worked
  auto next = Create();
  EXPECT_EQ(next->name(), "ppp0");
}

TEST_F(TunIfaceOpenTest, DestroyBeforeTheOpenRunsLeavesNoDeviceAndNoLease) {
  PoolBlocker block(*pool_);
  auto tun = Create();
  ASSERT_TRUE(tun);
  bool done_ran = false;
  tun->ConfigureV4(V4Params(), [&](Status) { done_ran = true; });
  tun.reset();
  EXPECT_EQ(factory_->names().in_use(), 0u);
  block.Release();
  Drain();
  EXPECT_EQ(if_nametoindex("ppp0"), 0u);
  EXPECT_FALSE(done_ran);
}

TEST_F(TunIfaceOpenTest, DestroyWhileTheOpenCompletesClosesTheDevice) {
  auto tun = Create();
  ASSERT_TRUE(tun);
  // The loop does not run: the device appears, its completion waits.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (if_nametoindex("ppp0") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  ASSERT_NE(if_nametoindex("ppp0"), 0u);
  tun.reset();
  EXPECT_EQ(factory_->names().in_use(), 0u);
  EXPECT_TRUE(RunUntil(loop_.context(), [] { return if_nametoindex("ppp0") == 0; }));
  Drain();
  EXPECT_EQ(if_nametoindex("ppp0"), 0u);
}

TEST_F(TunIfaceOpenTest, FailedOpenFailsEveryConfigure) {
  auto tun = Create("lo");  // a device of another kind holds the name
  ASSERT_TRUE(tun);
  EXPECT_EQ(tun->name(), "lo");
  std::vector<Status> results;
  tun->ConfigureV4(V4Params(), [&](Status s) { results.push_back(std::move(s)); });
  tun->ConfigureV6(V6Params(), [&](Status s) { results.push_back(std::move(s)); });
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return results.size() == 2; }));
  EXPECT_FALSE(tun->open_error().ok());
  for (const Status& s : results) EXPECT_FALSE(s.ok());
  // Requested after the failure: fails too, and not synchronously.
  Status later = Await([&](auto done) { tun->SetAdminUp(true, std::move(done)); });
  EXPECT_FALSE(later.ok());
  EXPECT_NE(later.message().find("TUNSETIFF"), std::string::npos) << later.message();
  tun->Deliver(IpFamily::kV4, Packet::Copy(IcmpEcho(kPeer, kLocal, 1, 1)));
  EXPECT_EQ(tun->counters().tx_drops, 1u);
}

// `set iface name X` may name an administrator's persistent TUN, which
// outlives the session: its IPv6 setting is not ours to change.
TEST_F(TunIfaceOpenTest, PersistentTunOfAConfiguredNameKeepsItsIpv6Setting) {
  ASSERT_EQ(Shell("ip tuntap add name admtun mode tun && echo ok"), "ok\n");
  ASSERT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/disable_ipv6"), "0\n");
  auto tun = Create("admtun");
  ASSERT_TRUE(tun);
  ASSERT_TRUE(RunUntil(loop_.context(), [&] { return tun->opened(); }));
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/disable_ipv6"), "0\n");
  EXPECT_TRUE(Await([&](auto done) { tun->UnconfigureV6(V6Params(), std::move(done)); }).ok());
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/disable_ipv6"), "0\n");
  tun.reset();
  Drain();
  Shell("ip tuntap del name admtun mode tun");
}

// IPV6CP up on an administrator's device: our fe80::<id> is added, but its
// IPv6 switches (disable_ipv6, addr_gen_mode) stay the administrator's, as
// at the open and at UnconfigureV6.
TEST_F(TunIfaceOpenTest, ConfigureV6LeavesAnAdministratorsIpv6SettingsAlone) {
  ASSERT_EQ(Shell("ip tuntap add name admtun mode tun && echo ok"), "ok\n");
  // The administrator's choice: random (3), not our "none" (1). (The
  // kernel's default eui64 turns into random by itself on a TUN's up.)
  ASSERT_EQ(Shell("ip link set admtun addrgenmode random && echo ok"), "ok\n");
  const std::string gen_mode = Shell("cat /proc/sys/net/ipv6/conf/admtun/addr_gen_mode");
  ASSERT_EQ(gen_mode, "3\n");
  auto tun = Create("admtun");
  ASSERT_TRUE(tun);
  Status s = Await([&](auto done) { tun->ConfigureV6(V6Params(), std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(Shell("ip -o addr show dev admtun").find("inet6 fe80::1/64"), std::string::npos);
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/addr_gen_mode"), gen_mode);
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/disable_ipv6"), "0\n");
  tun.reset();
  Drain();
  Shell("ip tuntap del name admtun mode tun");
}

// An administrator who turned IPv6 off on the device: it stays off, and
// the configure fails saying why rather than turning it on.
TEST_F(TunIfaceOpenTest, ConfigureV6KeepsIpv6OffOnAnAdministratorsDevice) {
  ASSERT_EQ(Shell("ip tuntap add name admtun mode tun && echo ok"), "ok\n");
  ASSERT_EQ(Shell("echo 1 > /proc/sys/net/ipv6/conf/admtun/disable_ipv6 && echo ok"), "ok\n");
  auto tun = Create("admtun");
  ASSERT_TRUE(tun);
  Status s = Await([&](auto done) { tun->ConfigureV6(V6Params(), std::move(done)); });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("administrator's device"), std::string::npos) << s.message();
  EXPECT_EQ(Shell("cat /proc/sys/net/ipv6/conf/admtun/disable_ipv6"), "1\n");
  EXPECT_EQ(Shell("ip -o addr show dev admtun").find("inet6"), std::string::npos);
  tun.reset();
  Drain();
  Shell("ip tuntap del name admtun mode tun");
}

TEST_F(TunIfaceOpenTest, TooLongNameFailsAtCreate) {
  EXPECT_FALSE(factory_->Create("a-name-longer-than-ifnamsiz").ok());
}

}  // namespace
}  // namespace mlppp::bundle
