// The L2TP node (RFC 2661 §3.1 demultiplexing by Tunnel ID, §5.1 tunnel
// creation per SCCRQ): l2tplimit and l2tptimeout (mpd5), SCCRQ flood limits,
// retransmitted SCCRQs, and peer errors counted rather than fatal.
#include "link/l2tp/node.h"

#include <gtest/gtest.h>

#include <algorithm>
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

namespace mlppp::link::l2tp {
namespace {

using namespace std::chrono_literals;

using namespace l2tp_test;

Bytes Sccrq(uint16_t assigned_tid, uint16_t ns = 0) {
  ControlMessage m;
  m.type = MessageType::kSCCRQ;
  m.protocol_version = ProtocolVersion{1, 0};
  m.host_name = "flooder";
  m.framing_capabilities = kFramingSync;
  m.assigned_tunnel_id = assigned_tid;
  auto body = EncodeControl(m, nullptr, nullptr);
  EXPECT_TRUE(body.ok());
  Bytes out;
  EXPECT_EQ(BuildMessage(ControlHeader(0, 0, ns, 0), *body, &out), HeaderError::kOk);
  return out;
}

TEST(L2tpNode, SessionLimitOpensSecondTunnelAt101) {
  L2tpPair p;
  for (int i = 0; i < 101; ++i) p.Dial();
  p.Settle(5s);
  EXPECT_EQ(p.lac.tunnel_count(), 2u);
  EXPECT_EQ(p.lns.tunnel_count(), 2u);
  ASSERT_EQ(p.incoming.size(), 101u);
  size_t up = 0;
  for (auto& c : p.dialed) up += c.events->up;
  EXPECT_EQ(up, 101u);
  std::vector<size_t> counts;
  for (Tunnel* t : p.lac.tunnels()) counts.push_back(t->session_count());
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<size_t>{1, 100}));
}

TEST(L2tpNode, SmallSessionLimit) {
  NodeConfig cfg;
  cfg.session_limit = 3;
  L2tpPair p(cfg);
  for (int i = 0; i < 7; ++i) p.Dial();
  p.Settle();
  EXPECT_EQ(p.lac.tunnel_count(), 3u);
  EXPECT_EQ(p.incoming.size(), 7u);
  // Sessions are unique per tunnel and non-zero.
  for (Tunnel* t : p.lns.tunnels()) EXPECT_LE(t->session_count(), 3u);
  // A freed slot is reused before a new tunnel is opened.
  p.dialed[0].driver->Close();
  p.Settle();
  p.Dial();
  p.Settle();
  EXPECT_EQ(p.lac.tunnel_count(), 3u);
  EXPECT_EQ(p.dialed.back().events->up, 1);
}

TEST(L2tpNode, DifferentTunnelSettingsDoNotShare) {
  L2tpPair p;
  p.Dial();
  ClientConfig other;
  other.tunnel.hostname = "other";
  p.Dial(other);
  p.Settle();
  EXPECT_EQ(p.lac.tunnel_count(), 2u);
  EXPECT_EQ(p.incoming.size(), 2u);
}

TEST(L2tpNode, IdleTunnelClosedAfterL2tpTimeout) {
  NodeConfig cfg;
  cfg.idle_timeout = 10s;
  L2tpPair p(cfg);
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  c.driver->Close();
  p.Settle(8s);
  EXPECT_EQ(p.lac.tunnel_count(), 1u);
  EXPECT_EQ(p.lac.tunnels()[0]->state(), Tunnel::State::kEstablished);
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, kLacAddr.addr) +
                p.net.CountSent(MessageType::kStopCCN, kLnsAddr.addr),
            0);
  p.Settle(3s);
  // Both ends run the timer; whichever fires first sends the StopCCN.
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, kLacAddr.addr) +
                p.net.CountSent(MessageType::kStopCCN, kLnsAddr.addr),
            1);
  p.Settle(60s);
  EXPECT_EQ(p.lac.tunnel_count(), 0u);
  EXPECT_EQ(p.lns.tunnel_count(), 0u);
  // The next call opens a fresh tunnel.
  Call& c2 = p.Dial();
  p.Settle();
  EXPECT_EQ(c2.events->up, 1);
  EXPECT_EQ(p.lac.counters().tunnels_created, 2u);
}

TEST(L2tpNode, NewCallCancelsIdleTimer) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  c.driver->Close();
  p.Settle(5s);
  Call& c2 = p.Dial();
  p.Settle(30s);
  EXPECT_EQ(c2.events->up, 1);
  EXPECT_EQ(c2.events->down, 0);
  EXPECT_EQ(p.lac.counters().tunnels_created, 1u);
}

TEST(L2tpNode, SccrqFloodDoesNotStarveEstablishedTunnel) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  const Endpoint attacker{"198.51.100.9", 40000};
  for (uint16_t i = 1; i <= 100; ++i) p.lns.OnDatagram(attacker, Sccrq(i));
  p.loop.RunPending();
  EXPECT_EQ(p.lns.half_open(), 16u);
  EXPECT_EQ(p.lns.counters().sccrq_flood_dropped, 84u);
  EXPECT_EQ(p.lns.tunnel_count(), 17u);
  // Retransmitted SCCRQs reach their tunnel, no new one.
  p.lns.OnDatagram(attacker, Sccrq(1));
  p.lns.OnDatagram(attacker, Sccrq(2));
  EXPECT_EQ(p.lns.counters().sccrq_retransmits, 2u);
  EXPECT_EQ(p.lns.tunnel_count(), 17u);
  // Other sources are limited in total.
  for (int src = 0; src < 20; ++src) {
    Endpoint e{fmt::format("203.0.113.{}", src), 1701};
    for (uint16_t i = 1; i <= 20; ++i) p.lns.OnDatagram(e, Sccrq(i));
  }
  EXPECT_EQ(p.lns.half_open(), 256u);
  // The established tunnel keeps carrying frames and calls.
  c.driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x09}));
  Call& c2 = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 2u);
  EXPECT_EQ(p.incoming[0].events->frames.size(), 1u);
  EXPECT_EQ(c2.events->up, 1);
  // Half-open tunnels die with their retry limit and free the slots.
  p.Settle(60s);
  EXPECT_EQ(p.lns.half_open(), 0u);
  EXPECT_EQ(p.lns.tunnel_count(), 1u);
  p.lns.OnDatagram(attacker, Sccrq(500));
  EXPECT_EQ(p.lns.half_open(), 1u);
}

TEST(L2tpNode, DataForUnknownSessionDroppedAndCounted) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  Tunnel* t = p.lns.tunnels()[0];
  Packet f = Frame({0xff, 0x03, 0xc0, 0x21});
  ASSERT_EQ(PrependHeader(DataHeader(t->local_id(), 0x4242, false), f), HeaderError::kOk);
  Bytes wire(f.span().begin(), f.span().end());
  p.lns.OnDatagram(kLacAddr, wire);
  EXPECT_EQ(p.lns.counters().unknown_session_data, 1u);
  // Right tunnel, wrong source: dropped too.
  p.lns.OnDatagram({"192.0.2.99", 1701}, wire);
  EXPECT_EQ(p.lns.counters().unknown_tunnel_data, 1u);
  Packet g = Frame({0xff, 0x03});
  ASSERT_EQ(PrependHeader(DataHeader(0x7777, 1, false), g), HeaderError::kOk);
  Bytes wire2(g.span().begin(), g.span().end());
  p.lns.OnDatagram(kLacAddr, wire2);
  EXPECT_EQ(p.lns.counters().unknown_tunnel_data, 2u);
  EXPECT_EQ(p.incoming[0].events->frames.size(), 0u);
}

TEST(L2tpNode, GarbageIsCountedNotFatal) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  p.lns.OnDatagram(kLacAddr, Bytes{0x01});
  p.lns.OnDatagram(kLacAddr, Bytes{0xc8, 0x03, 0x00, 0x0c});  // L2TPv3
  EXPECT_EQ(p.lns.counters().bad_header, 2u);
  Bytes zlb;
  ASSERT_EQ(BuildMessage(ControlHeader(0, 0, 0, 0), {}, &zlb), HeaderError::kOk);
  p.lns.OnDatagram(kLacAddr, zlb);
  EXPECT_EQ(p.lns.counters().bad_sccrq, 1u);
  Bytes ctl;
  ASSERT_EQ(BuildMessage(ControlHeader(0x9999, 0, 0, 0), {}, &ctl), HeaderError::kOk);
  p.lns.OnDatagram(kLacAddr, ctl);
  EXPECT_EQ(p.lns.counters().unknown_tunnel, 1u);
  p.Settle();
  EXPECT_EQ(c.events->down, 0);
}

TEST(L2tpNode, NotListeningDropsSccrq) {
  L2tpPair p;
  p.lns.StopListening();
  p.lns.OnDatagram({"198.51.100.1", 1701}, Sccrq(7));
  EXPECT_EQ(p.lns.counters().not_listening, 1u);
  EXPECT_EQ(p.lns.tunnel_count(), 0u);
}

TEST(L2tpNode, WenAndSliAreNotFatal) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  auto* lac_s = dynamic_cast<L2tpSession*>(c.driver.get());
  auto* lns_s = dynamic_cast<L2tpSession*>(p.incoming[0].driver.get());
  ControlMessage sli;
  sli.type = MessageType::kSLI;
  sli.accm = Accm{0x000a0000, 0};
  lac_s->tunnel()->SendSessionMessage(lns_s->local_id(), sli);
  ControlMessage wen;
  wen.type = MessageType::kWEN;
  wen.call_errors = CallErrors{1, 2, 3, 4, 5, 6};
  lac_s->tunnel()->SendSessionMessage(lns_s->local_id(), wen);
  p.Settle();
  EXPECT_EQ(lns_s->counters().sli_received, 1u);
  EXPECT_EQ(lns_s->counters().wen_received, 1u);
  EXPECT_EQ(lns_s->peer_accm().send, 0x000a0000u);
  EXPECT_EQ(lns_s->state(), L2tpSession::State::kEstablished);
  EXPECT_EQ(p.incoming[0].events->down, 0);
}

TEST(L2tpNode, UnexpectedSessionMessageEndsOnlyThatCall) {
  L2tpPair p;
  Call& c1 = p.Dial();
  Call& c2 = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 2u);
  auto* lac_s = dynamic_cast<L2tpSession*>(c1.driver.get());
  // An ICRP to an LNS call is out of place (§7.4): CDN for that call only.
  ControlMessage icrp;
  icrp.type = MessageType::kICRP;
  icrp.assigned_session_id = 99;
  auto* target = dynamic_cast<L2tpSession*>(p.incoming[0].driver.get());
  lac_s->tunnel()->SendSessionMessage(target->local_id(), icrp);
  p.Settle();
  EXPECT_EQ(target->counters().unexpected_messages, 1u);
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_EQ(p.incoming[1].events->down, 0);
  // The LAC end of that call got the CDN; the other call is untouched.
  EXPECT_EQ(c1.events->down + c2.events->down, 1);
  EXPECT_EQ(p.lns.tunnels()[0]->state(), Tunnel::State::kEstablished);
}

TEST(L2tpNode, DestroyedDriverHangsUp) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  c.driver.reset();
  p.Settle();
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kCDN, kLacAddr.addr), 1);
}

TEST(L2tpNode, NodeDestroyedWithLiveDrivers) {
  auto loop = std::make_unique<event::FakeLoop>();
  std::deque<Call> dialed;
  std::deque<Call> incoming;
  {
    FakeNet net(*loop);
    FakeNet::Port a(net, kLacAddr), b(net, kLnsAddr);
    Node lac(*loop, a, kLacAddr.addr, {}, SeededRandom(3));
    Node lns(*loop, b, kLnsAddr.addr, {}, SeededRandom(4));
    net.Attach(kLacAddr, &lac);
    net.Attach(kLnsAddr, &lns);
    ASSERT_TRUE(lns.Listen({},
                           [&](std::unique_ptr<link::Driver> d) {
                             Call c;
                             c.driver = std::move(d);
                             c.driver->SetEvents(c.events.get());
                             c.driver->Open();
                             incoming.push_back(std::move(c));
                           })
                    .ok());
    Call c;
    c.driver = lac.Dial({kLnsAddr, {}, {}, false});
    c.driver->SetEvents(c.events.get());
    c.driver->Open();
    dialed.push_back(std::move(c));
    loop->RunPending();
    for (int i = 0; i < 20; ++i) loop->Advance(50ms);
    ASSERT_EQ(incoming.size(), 1u);
  }
  loop->RunPending();
  EXPECT_EQ(dialed[0].events->down, 1);
  EXPECT_EQ(incoming[0].events->down, 1);
  // Drivers outliving the node are inert.
  dialed[0].driver->Send(Frame({0xff, 0x03}));
  dialed[0].driver->Open();
  dialed[0].driver->Close();
  loop->RunPending();
}

TEST(L2tpNode, ResponderAnswersFromAnotherPort) {
  // §8.1: the LNS may answer from a port of its choosing; the LAC follows.
  event::FakeLoop loop;
  FakeNet net(loop);
  const Endpoint lns_reply{kLnsAddr.addr, 40000};
  FakeNet::Port a(net, kLacAddr), b(net, lns_reply);
  Node lac(loop, a, kLacAddr.addr, {}, SeededRandom(5));
  Node lns(loop, b, kLnsAddr.addr, {}, SeededRandom(6));
  net.Attach(kLacAddr, &lac);
  net.Attach(kLnsAddr, &lns);
  net.Attach(lns_reply, &lns);
  std::deque<std::unique_ptr<link::Driver>> in;
  Events lns_events;
  ASSERT_TRUE(lns.Listen({},
                         [&](std::unique_ptr<link::Driver> d) {
                           d->SetEvents(&lns_events);
                           d->Open();
                           in.push_back(std::move(d));
                         })
                  .ok());
  Events ev;
  auto d = lac.Dial({kLnsAddr, {}, {}, false});
  d->SetEvents(&ev);
  d->Open();
  loop.RunPending();
  for (int i = 0; i < 40; ++i) loop.Advance(50ms);
  EXPECT_EQ(ev.up, 1);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(lac.tunnels()[0]->peer().port, 40000);
  // Once established, the port is fixed: another port is not the peer.
  EXPECT_FALSE(lac.tunnels()[0]->AcceptsSource({kLnsAddr.addr, 1701}));
  d->Send(Frame({0xff, 0x03, 0xc0, 0x21}));
  loop.RunPending();
  EXPECT_EQ(lns_events.frames.size(), 1u);
}

TEST(L2tpNode, ReopenAfterClose) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  c.driver->Close();
  p.Settle();
  EXPECT_EQ(c.events->down, 1);
  c.driver->Open();
  p.Settle();
  EXPECT_EQ(c.events->up, 2);
  EXPECT_EQ(p.incoming.size(), 2u);
  EXPECT_EQ(p.lac.counters().tunnels_created, 1u);
}

TEST(L2tpNode, UndecodableSessionMessageEndsThatCallWithCdn) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(p.incoming.size(), 1u);
  auto* lac_s = dynamic_cast<L2tpSession*>(c.driver.get());
  auto* lns_s = dynamic_cast<L2tpSession*>(p.incoming[0].driver.get());
  // §4.1: an unrecognized AVP with M set in a session message ends the call.
  ControlMessage wen;
  wen.type = MessageType::kWEN;
  wen.call_errors = CallErrors{};
  Avp odd;
  odd.mandatory = true;
  odd.vendor_id = 9;
  odd.type = 1;
  odd.value = {1, 2};
  wen.unknown.push_back(odd);
  lac_s->tunnel()->SendSessionMessage(lns_s->local_id(), wen);
  p.Settle();
  EXPECT_EQ(p.incoming[0].events->down, 1);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(p.net.CountSent(MessageType::kCDN, kLnsAddr.addr), 1);
  EXPECT_EQ(p.lns.tunnels()[0]->counters().decode_errors, 1u);
  EXPECT_EQ(p.lns.tunnels()[0]->state(), Tunnel::State::kEstablished);
}

TEST(L2tpNode, UndecodableTunnelMessageStopsTunnel) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  auto* lac_s = dynamic_cast<L2tpSession*>(c.driver.get());
  ControlMessage hello;
  hello.type = MessageType::kHELLO;
  Avp odd;
  odd.mandatory = true;
  odd.vendor_id = 9;
  odd.type = 1;
  hello.unknown.push_back(odd);
  lac_s->tunnel()->SendSessionMessage(0, hello);
  p.Settle();
  EXPECT_EQ(p.net.CountSent(MessageType::kStopCCN, kLnsAddr.addr), 1);
  EXPECT_EQ(c.events->down, 1);
}

TEST(L2tpNode, CdnBeforeIcrpFindsTheCallByPeerId) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  // A second call: hang up right after the ICRQ, before the ICRP arrives.
  Call& c2 = p.Dial();
  c2.driver->Close();
  p.Settle();
  EXPECT_EQ(c2.events->down, 1);
  EXPECT_EQ(p.lns.tunnels()[0]->session_count(), 1u);
  EXPECT_EQ(p.lns.tunnels()[0]->counters().unknown_session, 0u);
}

TEST(L2tpNode, CallNeverConnectedTimesOut) {
  L2tpPair p;
  Call& c = p.Dial();
  p.Settle();
  ASSERT_EQ(c.events->up, 1);
  // An ICRQ that no ICCN follows: the LNS call waits, then gives up.
  ControlMessage icrq;
  icrq.type = MessageType::kICRQ;
  icrq.assigned_session_id = 777;
  icrq.call_serial_number = 9;
  dynamic_cast<L2tpSession*>(c.driver.get())->tunnel()->SendSessionMessage(0, icrq);
  p.Settle(30s);
  EXPECT_EQ(p.lns.tunnels()[0]->session_count(), 2u);
  p.Settle(31s);
  EXPECT_EQ(p.lns.tunnels()[0]->session_count(), 1u);
  EXPECT_EQ(p.net.CountSent(MessageType::kCDN, kLnsAddr.addr), 1);
  EXPECT_EQ(c.events->down, 0);
  EXPECT_EQ(p.incoming.size(), 1u);
}

}  // namespace
}  // namespace mlppp::link::l2tp
