// L2TPv2 tunnels and calls end to end (RFC 2661 §5.1, §5.4, §5.7, §6.5,
// §7.2, §7.4): a LAC node and an LNS node joined by a fake network that can
// drop, duplicate and reorder datagrams, on a FakeLoop.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "event/fake_loop.h"
#include "l2tp/l2tp_pair.h"
#include "link/l2tp/avp.h"
#include "link/l2tp/header.h"
#include "link/l2tp/message.h"
#include "link/l2tp/node.h"

namespace mlppp::link::l2tp {
namespace {

using namespace std::chrono_literals;

using namespace l2tp_test;

TEST(L2tpTunnel, IncomingCallUpAndFramesBothWays) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  ASSERT_EQ(p.incoming.size(), 1u);
  EXPECT_EQ(p.incoming[0].events->up, 1);
  ASSERT_EQ(p.lac.tunnel_count(), 1u);
  ASSERT_EQ(p.lns.tunnel_count(), 1u);
  Tunnel* lt = p.lac.tunnels()[0];
  EXPECT_EQ(lt->state(), Tunnel::State::kEstablished);
  EXPECT_EQ(lt->peer_host_name(), "lns");
  EXPECT_EQ(p.lns.tunnels()[0]->peer_host_name(), "lac");
  EXPECT_EQ(p.net.CountSent(MessageType::kSCCRQ, kLacAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kSCCRP, kLnsAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kSCCCN, kLacAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kICRQ, kLacAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kICRP, kLnsAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kICCN, kLacAddr.addr), 1);

  PeerInfo ci = c.driver->Info();
  EXPECT_EQ(ci.type, "l2tp");
  EXPECT_EQ(ci.peer_addr, kLnsAddr.addr);
  EXPECT_NE(ci.session_id, 0u);
  EXPECT_EQ(c.driver->MaxMru(), 1456);
  EXPECT_TRUE(c.driver->WantsAddressControl());
  EXPECT_EQ(p.incoming[0].driver->Info().peer_addr, kLacAddr.addr);

  c.driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04}));
  p.incoming[0].driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x02, 0x01, 0x00, 0x04}));
  p.Settle(100ms);
  ASSERT_EQ(p.incoming[0].events->frames.size(), 1u);
  EXPECT_EQ(p.incoming[0].events->frames[0],
            (Bytes{0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04}));
  ASSERT_EQ(c.events->frames.size(), 1u);
  EXPECT_EQ(c.events->frames[0], (Bytes{0xff, 0x03, 0xc0, 0x21, 0x02, 0x01, 0x00, 0x04}));
}

// Data header options (§3.1 L bit, §5.4 Ns/Nr) as configured, seen on the
// wire.
class L2tpDataOptions : public ::testing::TestWithParam<std::pair<bool, bool>> {};

TEST_P(L2tpDataOptions, FramesCarryConfiguredHeader) {
  auto [length, dataseq] = GetParam();
  ServerConfig server;
  server.session.length = length;
  server.session.dataseq = dataseq;
  L2tpPair p({}, server);
  ClientConfig cc;
  cc.session.length = length;
  cc.session.dataseq = dataseq;
  Call& c = p.Dial(cc);
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  ASSERT_EQ(p.incoming.size(), 1u);
  size_t before = p.net.sent().size();
  for (int i = 0; i < 3; ++i) {
    c.driver->Send(Frame({0xff, 0x03, 0x00, 0x21, static_cast<uint8_t>(i)}));
    p.incoming[0].driver->Send(Frame({0xff, 0x03, 0x00, 0x21, static_cast<uint8_t>(0x10 + i)}));
  }
  p.Settle(100ms);
  ASSERT_EQ(p.incoming[0].events->frames.size(), 3u);
  ASSERT_EQ(c.events->frames.size(), 3u);
  EXPECT_EQ(c.events->frames[2], (Bytes{0xff, 0x03, 0x00, 0x21, 0x12}));
  int data = 0;
  for (size_t i = before; i < p.net.sent().size(); ++i) {
    ParsedHeader h;
    ASSERT_EQ(ParseHeader(p.net.sent()[i].data, &h), HeaderError::kOk);
    if (h.header.control) continue;
    ++data;
    EXPECT_EQ(h.header.has_length, length);
    EXPECT_EQ(h.header.has_sequence, dataseq);
  }
  EXPECT_EQ(data, 6);
}

INSTANTIATE_TEST_SUITE_P(All, L2tpDataOptions,
                         ::testing::Values(std::make_pair(false, false),
                                           std::make_pair(true, false), std::make_pair(false, true),
                                           std::make_pair(true, true)));

TEST(L2tpTunnel, SequencingRequiredFromPeerIsHonoured) {
  ServerConfig server;
  server.session.dataseq = false;
  L2tpPair p({}, server);
  ClientConfig cc;
  cc.session.dataseq = true;  // our ICCN carries Sequencing Required
  Call& c = p.Dial(cc);
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  auto* s = dynamic_cast<L2tpSession*>(p.incoming[0].driver.get());
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->sends_sequence());
  (void)c;
}

TEST(L2tpTunnel, StaleSequencedDataIsDropped) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  auto* lns_s = dynamic_cast<L2tpSession*>(p.incoming[0].driver.get());
  auto* lac_s = dynamic_cast<L2tpSession*>(c.driver.get());
  // Replay an Ns already seen: §5.4 drops it.
  Packet f = Frame({0xff, 0x03, 0x00, 0x21, 0x01});
  Header h = DataHeader(p.lns.tunnels()[0]->local_id(), lns_s->local_id(), false, true, 0, 0);
  ASSERT_EQ(PrependHeader(h, f), HeaderError::kOk);
  Bytes wire(f.span().begin(), f.span().end());
  p.lns.OnDatagram(kLacAddr, wire);
  p.lns.OnDatagram(kLacAddr, wire);
  EXPECT_EQ(p.incoming[0].events->frames.size(), 1u);
  EXPECT_EQ(lns_s->counters().data_out_of_order, 1u);
  (void)lac_s;
}

TEST(L2tpTunnel, OutgoingCall) {
  L2tpPair p;
  ClientConfig cc;
  cc.outcall = true;
  Call& c = p.Dial(cc);
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  ASSERT_EQ(p.incoming.size(), 1u);
  EXPECT_EQ(p.incoming[0].events->up, 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kOCRQ, kLacAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kOCRP, kLnsAddr.addr), 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kOCCN, kLnsAddr.addr), 1);
  EXPECT_EQ(dynamic_cast<L2tpSession*>(c.driver.get())->kind(), L2tpSession::Kind::kLnsOutgoing);
  EXPECT_EQ(dynamic_cast<L2tpSession*>(p.incoming[0].driver.get())->kind(),
            L2tpSession::Kind::kLacOutgoing);
  c.driver->Send(Frame({0xff, 0x03, 0x80, 0x21, 0x01}));
  p.incoming[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21, 0x02}));
  p.Settle(100ms);
  EXPECT_EQ(p.incoming[0].events->frames.size(), 1u);
  EXPECT_EQ(c.events->frames.size(), 1u);
}

TEST(L2tpTunnel, AuthenticationSucceedsWithSharedSecret) {
  ServerConfig server;
  server.tunnel.secret = "s3cret";
  L2tpPair p({}, server);
  ClientConfig cc;
  cc.tunnel.secret = "s3cret";
  Call& c = p.Dial(cc);
  p.Settle();
  EXPECT_EQ(c.events->up, 1);
  EXPECT_EQ(p.incoming.size(), 1u);
  EXPECT_EQ(p.lac.tunnels()[0]->counters().auth_failures, 0u);
}

TEST(L2tpTunnel, WrongSecretStopsTunnelNotAuthorized) {
  ServerConfig server;
  server.tunnel.secret = "s3cret";
  L2tpPair p({}, server);
  ClientConfig cc;
  cc.tunnel.secret = "wrong";
  Call& c = p.Dial(cc);
  p.Settle();
  EXPECT_EQ(c.events->up, 0);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_NE(c.events->reason.find("not-authorized"), std::string::npos) << c.events->reason;
  EXPECT_TRUE(p.incoming.empty());
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, kLacAddr.addr, "wrong"), 1);
  ASSERT_EQ(p.lac.tunnel_count(), 1u);
  EXPECT_EQ(p.lac.tunnels()[0]->counters().auth_failures, 1u);
  p.Settle(60s);  // §5.7 hold, then gone on both sides
  EXPECT_EQ(p.lac.tunnel_count(), 0u);
  EXPECT_EQ(p.lns.tunnel_count(), 0u);
}

TEST(L2tpTunnel, MissingResponseStopsTunnel) {
  // The LNS challenges; a LAC without a secret cannot answer.
  ServerConfig server;
  server.tunnel.secret = "s3cret";
  L2tpPair p({}, server);
  Call& c = p.Dial();
  p.Settle();
  EXPECT_EQ(c.events->up, 0);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_TRUE(p.incoming.empty());
}

TEST(L2tpTunnel, PmaskMismatchStops) {
  ServerConfig server;
  server.tunnel.pmask = "pop-*";
  L2tpPair p({}, server);
  Call& c = p.Dial();
  p.Settle();
  EXPECT_EQ(c.events->down, 1);
  EXPECT_TRUE(p.incoming.empty());
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, kLnsAddr.addr), 1);
}

TEST(L2tpTunnel, PmaskMatchAccepts) {
  ServerConfig server;
  server.tunnel.pmask = "l?c";
  L2tpPair p({}, server);
  Call& c = p.Dial();
  p.Settle();
  EXPECT_EQ(c.events->up, 1);
}

TEST(L2tpTunnel, HiddenAvps) {
  ServerConfig server;
  server.tunnel.secret = "hide me";
  server.tunnel.hidden = true;
  L2tpPair p({}, server);
  ClientConfig cc;
  cc.tunnel.secret = "hide me";
  cc.tunnel.hidden = true;
  Call& c = p.Dial(cc);
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  ASSERT_EQ(p.incoming.size(), 1u);
  // The SCCRQ on the wire carries a Random Vector and hidden AVPs (§4.3).
  const Bytes& sccrq = p.net.sent().front().data;
  ParsedHeader h;
  ASSERT_EQ(ParseHeader(sccrq, &h), HeaderError::kOk);
  std::vector<Avp> avps;
  ASSERT_EQ(ParseAvps(h.payload, &avps), AvpError::kOk);
  bool rv = false, hidden = false;
  for (const Avp& a : avps) {
    rv |= a.type == static_cast<uint16_t>(AvpType::kRandomVector);
    hidden |= a.hidden;
  }
  EXPECT_TRUE(rv);
  EXPECT_TRUE(hidden);
  // Without the secret, the hidden SCCRQ does not decode.
  ControlMessage m;
  EXPECT_FALSE(DecodeControl(h.payload, nullptr, &m).ok());
}

TEST(L2tpTunnel, CdnFromLac) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  c.driver->Close();
  p.Settle();
  EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_NE(p.incoming[0].events->reason.find("CDN from peer"), std::string::npos);
  EXPECT_EQ(p.net.CountSent(MessageType::kCDN, kLacAddr.addr), 1);
  EXPECT_EQ(p.lns.tunnels()[0]->session_count(), 0u);
  EXPECT_EQ(p.lac.tunnels()[0]->state(), Tunnel::State::kEstablished);
}

TEST(L2tpTunnel, CdnFromLns) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  p.incoming[0].driver->Close();
  p.Settle();
  EXPECT_EQ(c.events->down, 1);
  EXPECT_NE(c.events->reason.find("administrative"), std::string::npos) << c.events->reason;
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_EQ(p.lac.tunnels()[0]->session_count(), 0u);
  // Frames after the call ended are dropped and counted.
  c.driver->Send(Frame({0xff, 0x03, 0xc0, 0x21}));
  EXPECT_EQ(dynamic_cast<L2tpSession*>(c.driver.get())->counters().dropped_not_up, 1u);
}

void StopCcnTakesAllDown(bool from_lns) {
  L2tpPair p;
  for (int i = 0; i < 3; ++i) p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 3u);
  ASSERT_EQ(p.lac.tunnel_count(), 1u);
  (from_lns ? p.lns : p.lac).StopAll("test");
  p.Settle();
  for (auto& c : p.dialed) {
    EXPECT_EQ(c.events->down, 1);
    EXPECT_NE(c.events->reason.find("tunnel down"), std::string::npos) << c.events->reason;
  }
  for (auto& c : p.incoming) EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, from_lns ? kLnsAddr.addr : kLacAddr.addr), 1);
  EXPECT_EQ(p.lac.tunnels()[0]->state(), Tunnel::State::kClosing);
  p.Settle(60s);
  EXPECT_EQ(p.lac.tunnel_count(), 0u);
  EXPECT_EQ(p.lns.tunnel_count(), 0u);
  // The StopCCN was acknowledged, never retransmitted.
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, from_lns ? kLnsAddr.addr : kLacAddr.addr), 1);
}

TEST(L2tpTunnel, StopCcnFromLnsTakesAllSessionsDown) { StopCcnTakesAllDown(true); }
TEST(L2tpTunnel, StopCcnFromLacTakesAllSessionsDown) { StopCcnTakesAllDown(false); }

TEST(L2tpTunnel, HelloAfterSilence) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  auto hellos = [&] {
    return p.net.CountSent(MessageType::kHELLO, kLacAddr.addr) +
           p.net.CountSent(MessageType::kHELLO, kLnsAddr.addr);
  };
  EXPECT_EQ(hellos(), 0);
  p.Settle(57s);
  EXPECT_EQ(hellos(), 0);
  p.Settle(3s);
  // §6.5: one side's HELLO also resets the other's silence timer.
  EXPECT_EQ(hellos(), 1);
  p.Settle(60s);
  EXPECT_EQ(hellos(), 2);
  EXPECT_EQ(c.events->down, 0);
  EXPECT_EQ(p.lac.tunnels()[0]->state(), Tunnel::State::kEstablished);
}

TEST(L2tpTunnel, PeerVanishesTunnelAndSessionsDown) {
  L2tpPair p;
  Call& c1 = p.Dial();
  Call& c2 = p.Dial();
  p.Settle();
  ASSERT_EQ(c1.events->up, 1);
  ASSERT_EQ(c2.events->up, 1);
  p.net.drop_all = true;
  p.Settle(60s + 40s);  // HELLO, then 1+2+4+8+8+8 s of retransmissions
  EXPECT_EQ(c1.events->down, 1);
  EXPECT_EQ(c2.events->down, 1);
  EXPECT_NE(c1.events->reason.find("retry limit"), std::string::npos) << c1.events->reason;
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_EQ(p.lac.tunnel_count(), 0u);
  EXPECT_EQ(p.lns.tunnel_count(), 0u);
}

TEST(L2tpTunnel, ControlLossStillCarriesTenSessions) {
  L2tpPair p;
  p.net.Seed(20261126);
  p.net.loss = 0.2;
  p.net.dup = 0.05;
  p.net.reorder = true;
  for (int i = 0; i < 10; ++i) p.Dial();
  p.Settle(60s);
  EXPECT_GT(p.net.dropped, 0);
  ASSERT_EQ(p.incoming.size(), 10u);
  for (auto& c : p.dialed) EXPECT_EQ(c.events->up, 1);
  for (size_t i = 0; i < 10; ++i) {
    p.dialed[i].driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, static_cast<uint8_t>(i)}));
  }
  p.Settle(1s);
  size_t frames = 0;
  for (auto& c : p.incoming) frames += c.events->frames.size();
  EXPECT_EQ(frames, 10u);
  EXPECT_EQ(p.lac.tunnel_count(), 1u);
}

TEST(L2tpTunnel, DuplicateAndReorderedDatagramsHarmless) {
  L2tpPair p;
  p.net.dup = 1.0;
  p.net.reorder = true;
  for (int i = 0; i < 3; ++i) p.Dial();
  p.Settle(5s);
  EXPECT_EQ(p.incoming.size(), 3u);
  EXPECT_EQ(p.lns.counters().tunnels_created, 1u);
}

}  // namespace
}  // namespace mlppp::link::l2tp
