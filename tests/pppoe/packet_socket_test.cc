// OpenPacketSocket against the kernel: a veth pair in a private network
// namespace (root only; skipped otherwise).
#include "os/packet_socket.h"

#include <gtest/gtest.h>

#include "event/asio_loop.h"
#include "link/pppoe/port.h"
#include "os/netns_util.h"

namespace mlppp::os {
namespace {

using B = std::vector<uint8_t>;

struct Rx {
  MacAddr src{}, dst{};
  B payload;
};

class PacketSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MLPPP_REQUIRE_NETNS(ns_);
    testing::Shell(
        "ip link add va type veth peer name vb && ip link set va up && ip link set vb up");
  }
  testing::ScopedNetns ns_;
  asio::io_context io_;
};

TEST_F(PacketSocketTest, SendsAndReceivesBetweenVethEnds) {
  auto a = OpenPacketSocket(io_, "va", 0x8863);
  auto b = OpenPacketSocket(io_, "vb", 0x8863);
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_NE((*a)->local_mac(), (*b)->local_mac());
  std::vector<Rx> at_a, at_b;
  (*a)->SetReceiver([&](const MacAddr& s, const MacAddr& d, Packet&& p) {
    at_a.push_back({s, d, B(p.span().begin(), p.span().end())});
  });
  (*b)->SetReceiver([&](const MacAddr& s, const MacAddr& d, Packet&& p) {
    at_b.push_back({s, d, B(p.span().begin(), p.span().end())});
  });
  const B padi = {0x11, 0x09, 0x00, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x00};
  (*a)->Send(kBroadcastMac, Packet::Copy(padi));
  ASSERT_TRUE(testing::RunUntil(io_, [&] { return !at_b.empty(); }));
  EXPECT_EQ(at_b[0].src, (*a)->local_mac());
  EXPECT_EQ(at_b[0].dst, kBroadcastMac);
  // Short frames may be padded to 60 bytes on some paths; the PPPoE LENGTH
  // field handles that, so compare the prefix.
  ASSERT_GE(at_b[0].payload.size(), padi.size());
  EXPECT_TRUE(std::equal(padi.begin(), padi.end(), at_b[0].payload.begin()));

  // The reply is the first frame `a` sees: its own outgoing frame was not
  // delivered to it.
  (*b)->Send((*a)->local_mac(), Packet::Copy(B{0x11, 0x07, 0, 0, 0, 0}));
  ASSERT_TRUE(testing::RunUntil(io_, [&] { return !at_a.empty(); }));
  EXPECT_EQ(at_a.size(), 1u);
  EXPECT_EQ(at_a[0].src, (*b)->local_mac());
  EXPECT_EQ(at_a[0].payload[1], 0x07);
}

TEST_F(PacketSocketTest, DrainsManyFramesInBatches) {
  auto a = OpenPacketSocket(io_, "va", 0x8864);
  auto b = OpenPacketSocket(io_, "vb", 0x8864);
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<uint8_t> seen;
  (*b)->SetReceiver(
      [&](const MacAddr&, const MacAddr&, Packet&& p) { seen.push_back(p.data()[6]); });
  for (int i = 0; i < 200; ++i) {
    (*a)->Send((*b)->local_mac(), Packet::Copy(B{0x11, 0, 0, 1, 0, 1, static_cast<uint8_t>(i)}));
  }
  ASSERT_TRUE(testing::RunUntil(io_, [&] { return seen.size() == 200; }));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(seen[i], static_cast<uint8_t>(i));
}

TEST_F(PacketSocketTest, ReportsMissingInterface) {
  auto s = OpenPacketSocket(io_, "nosuchif0", 0x8863);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("nosuchif0"), std::string::npos);
}

TEST_F(PacketSocketTest, PppoeClientAndServerOverVeth) {
  event::AsioLoop loop;
  auto& io = loop.context();
  auto open = [&](const char* ifname) {
    auto d = OpenPacketSocket(io, ifname, link::pppoe::kEtherTypeDiscovery);
    auto s = OpenPacketSocket(io, ifname, link::pppoe::kEtherTypeSession);
    EXPECT_TRUE(d.ok() && s.ok());
    return std::make_pair(std::move(*d), std::move(*s));
  };
  uint8_t seed = 0;
  auto random = [&seed](std::span<uint8_t> out) {
    for (auto& b : out) b = ++seed;
  };
  auto [sd, ss] = open("vb");
  auto [cd, cs] = open("va");
  link::pppoe::PppoePort server(loop, std::move(sd), std::move(ss), random);
  link::pppoe::PppoePort client_port(loop, std::move(cd), std::move(cs), random);
  std::unique_ptr<link::Driver> incoming;
  link::pppoe::PppoeServerConfig scfg;
  scfg.iface = "vb";
  ASSERT_TRUE(server.Listen(scfg, [&](auto d) { incoming = std::move(d); }).ok());
  link::pppoe::PppoeClientConfig ccfg;
  ccfg.iface = "va";
  auto client = client_port.MakeClient(ccfg);
  struct Ev : link::DriverEvents {
    bool up = false;
    B frame;
    void OnDriverUp() override { up = true; }
    void OnDriverDown(std::string_view) override {}
    void OnFrame(Packet&& f) override { frame.assign(f.span().begin(), f.span().end()); }
  } cev;
  client->SetEvents(&cev);
  client->Open();
  ASSERT_TRUE(testing::RunUntil(io, [&] { return cev.up && incoming != nullptr; }));
  EXPECT_EQ(incoming->Info().session_id, client->Info().session_id);
  incoming->Send(Packet::Copy(B{0xc0, 0x21, 0x09}));
  ASSERT_TRUE(testing::RunUntil(io, [&] { return !cev.frame.empty(); }));
  EXPECT_EQ(cev.frame, B({0xc0, 0x21, 0x09}));  // padding trimmed by LENGTH
  client->SetEvents(nullptr);
  client.reset();
  incoming.reset();
}

}  // namespace
}  // namespace mlppp::os
