// The L2TP UDP socket and PPTP's TCP and raw GRE sockets on loopback.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "event/asio_loop.h"
#include "os/l2tp_udp.h"
#include "os/netns_util.h"
#include "os/pptp_sockets.h"

namespace mlppp::os {
namespace {

using link::l2tp::Endpoint;

TEST(L2tpUdpSocket, BatchOfDatagramsWithTheirSource) {
  event::AsioLoop loop;
  std::vector<std::pair<Endpoint, std::vector<uint8_t>>> got;
  auto a = L2tpUdpSocket::Open(loop.context(), "127.0.0.1", 0, [](const Endpoint&, auto) {});
  ASSERT_TRUE(a.ok()) << a.error();
  auto b = L2tpUdpSocket::Open(loop.context(), "127.0.0.1", 0,
                               [&](const Endpoint& from, std::span<const uint8_t> d) {
                                 got.emplace_back(from, std::vector<uint8_t>(d.begin(), d.end()));
                               });
  ASSERT_TRUE(b.ok()) << b.error();
  // More than one recvmmsg batch, sent before the loop runs.
  for (int i = 0; i < 100; ++i) {
    std::vector<uint8_t> d = {0xc8, 0x02, static_cast<uint8_t>(i)};
    (*a)->SendTo({"127.0.0.1", (*b)->port()}, d);
  }
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return got.size() == 100; }));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(got[i].first, (Endpoint{"127.0.0.1", (*a)->port()}));
    EXPECT_EQ(got[i].second, (std::vector<uint8_t>{0xc8, 0x02, static_cast<uint8_t>(i)}));
  }
  // A bad destination is logged and dropped, not fatal.
  (*a)->SendTo({"not-an-ip", 1701}, got[0].second);
}

TEST(L2tpUdpSocket, Ipv6AndBadAddress) {
  event::AsioLoop loop;
  EXPECT_FALSE(L2tpUdpSocket::Open(loop.context(), "1.2.3", 0, {}).ok());
  int n = 0;
  auto s = L2tpUdpSocket::Open(loop.context(), "::1", 0, [&](const Endpoint& from, auto) {
    EXPECT_EQ(from.addr, "::1");
    ++n;
  });
  if (!s.ok()) GTEST_SKIP() << "no IPv6 loopback: " << s.error();
  std::vector<uint8_t> d = {1};
  (*s)->SendTo({"::1", (*s)->port()}, d);
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return n == 1; }));
}

// Records what a stream delivers.
struct Sink : link::pptp::StreamReceiver {
  std::vector<uint8_t> data;
  bool closed = false;
  void OnStreamData(std::span<const uint8_t> b) override {
    data.insert(data.end(), b.begin(), b.end());
  }
  void OnStreamClosed() override { closed = true; }
};

TEST(PptpTcp, ListenConnectExchangeAndClose) {
  event::AsioLoop loop;
  std::unique_ptr<link::pptp::StreamConn> server_side;
  std::string peer;
  Sink at_server, at_client;
  auto l = TcpListener::Open(loop.context(), "127.0.0.1", 0,
                             [&](std::unique_ptr<link::pptp::StreamConn> s, const std::string& ip) {
                               server_side = std::move(s);
                               server_side->SetReceiver(&at_server);
                               peer = ip;
                             });
  ASSERT_TRUE(l.ok()) << l.error();
  std::unique_ptr<link::pptp::StreamConn> client_side;
  bool connected = false;
  TcpConnector(loop.context())("127.0.0.1", "127.0.0.1", (*l)->port(),
                               [&](std::unique_ptr<link::pptp::StreamConn> s) {
                                 connected = true;
                                 client_side = std::move(s);
                                 if (client_side) client_side->SetReceiver(&at_client);
                               });
  EXPECT_FALSE(connected) << "done runs later, on the loop";
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return client_side && server_side; }));
  EXPECT_EQ(peer, "127.0.0.1");
  std::vector<uint8_t> big(100000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  client_side->Write(big);
  server_side->Write(std::vector<uint8_t>{9, 8, 7});
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] {
    return at_server.data.size() == big.size() && at_client.data.size() == 3;
  }));
  EXPECT_EQ(at_server.data, big);
  // Close sends what was written first, then the peer sees the close.
  client_side->Write(std::vector<uint8_t>{1, 2});
  client_side->Close();
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return at_server.closed; }));
  EXPECT_EQ(at_server.data.size(), big.size() + 2);
  EXPECT_FALSE(at_client.closed) << "no callbacks after our own Close";
}

TEST(PptpTcp, ConnectRefused) {
  event::AsioLoop loop;
  uint16_t port;
  {
    auto l = TcpListener::Open(loop.context(), "127.0.0.1", 0, {});
    ASSERT_TRUE(l.ok());
    port = (*l)->port();
  }
  int calls = 0;
  bool null = false;
  TcpConnector(loop.context())("", "127.0.0.1", port, [&](auto s) {
    ++calls;
    null = s == nullptr;
  });
  TcpConnector(loop.context())("", "bad", port, [&](auto s) {
    ++calls;
    null = null && s == nullptr;
  });
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return calls == 2; }));
  EXPECT_TRUE(null);
}

TEST(PptpGre, RawSocketSendsAndReceivesWithoutTheIpHeader) {
  event::AsioLoop loop;
  std::vector<std::pair<std::string, std::vector<uint8_t>>> got;
  auto s = GreSocket::Open(loop.context(), "127.0.0.1", [&](const std::string& from, Packet&& p) {
    got.emplace_back(from, std::vector<uint8_t>(p.span().begin(), p.span().end()));
  });
  if (!s.ok() && geteuid() != 0) GTEST_SKIP() << "raw sockets need root: " << s.error();
  ASSERT_TRUE(s.ok()) << s.error();
  // An ack-only Enhanced GRE packet (RFC 2637 §4.1).
  std::vector<uint8_t> gre = {0x20, 0x81, 0x88, 0x0b, 0x00, 0x00,
                              0x12, 0x34, 0x00, 0x00, 0x00, 0x05};
  (*s)->SendTo("127.0.0.1", gre);
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return !got.empty(); }));
  EXPECT_EQ(got[0].first, "127.0.0.1");
  EXPECT_EQ(got[0].second, gre);
  EXPECT_FALSE(GreSocket::Open(loop.context(), "::1", {}).ok());
}

}  // namespace
}  // namespace mlppp::os
