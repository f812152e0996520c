// Tunnels for `show l2tp` / `show pptp` from the sites' tunnel records.
#include "daemon/tunnel_views.h"

#include <gtest/gtest.h>

#include <vector>

namespace mlppp::daemon {
namespace {

using L2St = link::l2tp::Tunnel::State;
using PpSt = link::pptp::ConnState;

L2tpTunnelRecord L2tp(std::string self, uint16_t self_port, std::string peer, uint16_t peer_port,
                      L2St state, size_t calls) {
  L2tpTunnelRecord r;
  r.self_addr = std::move(self);
  r.self_port = self_port;
  r.peer = {std::move(peer), peer_port};
  r.state = state;
  r.calls = calls;
  return r;
}

PptpConnRecord Pptp(std::string peer, uint16_t self_port, uint16_t peer_port, PpSt state,
                    size_t calls) {
  PptpConnRecord r;
  r.self_addr = "192.0.2.1";
  r.peer_addr = std::move(peer);
  r.self_port = self_port;
  r.peer_port = peer_port;
  r.state = state;
  r.calls = calls;
  return r;
}

TEST(TunnelViewsTest, EveryTunnelIsOneViewWithItsOwnFigures) {
  std::vector<L2tpTunnelRecord> l2tp = {
      L2tp("192.0.2.1", 1701, "198.51.100.7", 40001, L2St::kEstablished, 2),
      // Two tunnels to one peer (§5.1 allows it) stay two.
      L2tp("192.0.2.1", 1701, "198.51.100.7", 40002, L2St::kEstablished, 1),
      // Without calls (waiting for l2tptimeout) it is still listed.
      L2tp("0.0.0.0", 53124, "203.0.113.9", 1701, L2St::kWaitCtlReply, 0),
  };
  std::vector<PptpConnRecord> pptp = {Pptp("203.0.113.5", 1723, 0, PpSt::kEstablished, 3)};
  control::Snapshot s;
  AddTunnelViews(l2tp, pptp, &s);
  ASSERT_EQ(s.tunnels.size(), 4u);
  const control::TunnelView& t = s.tunnels[0];
  EXPECT_EQ(t.type, "l2tp");
  EXPECT_EQ(t.name, "l2tp0");
  EXPECT_EQ(t.self_addr, "192.0.2.1");
  EXPECT_EQ(t.self_port, 1701);
  EXPECT_EQ(t.peer_addr, "198.51.100.7");
  EXPECT_EQ(t.peer_port, 40001);
  EXPECT_EQ(t.state, "established");
  EXPECT_EQ(t.calls, 2u);
  EXPECT_EQ(s.tunnels[1].name, "l2tp1");
  EXPECT_EQ(s.tunnels[1].peer_port, 40002);
  EXPECT_EQ(s.tunnels[1].calls, 1u);
  EXPECT_EQ(s.tunnels[2].name, "l2tp2");
  EXPECT_EQ(s.tunnels[2].self_port, 53124);
  EXPECT_EQ(s.tunnels[2].state, "wait-ctl-reply");
  EXPECT_EQ(s.tunnels[2].calls, 0u);
  const control::TunnelView& p = s.tunnels[3];
  EXPECT_EQ(p.type, "pptp");
  EXPECT_EQ(p.name, "pptp0");
  EXPECT_EQ(p.self_addr, "192.0.2.1");
  EXPECT_EQ(p.self_port, 1723);
  EXPECT_EQ(p.peer_addr, "203.0.113.5");
  EXPECT_EQ(p.peer_port, 0);
  EXPECT_EQ(p.state, "ESTABLISHED");
  EXPECT_EQ(p.calls, 3u);
}

TEST(TunnelViewsTest, NoTunnelsNoViews) {
  control::Snapshot s;
  AddTunnelViews({}, {}, &s);
  EXPECT_TRUE(s.tunnels.empty());
}

// ppp_l2tp_ctrl.c ppp_l2tp_ctrl_state_str.
TEST(TunnelViewsTest, L2tpStatesUseMpd5Names) {
  EXPECT_EQ(L2tpStateName(L2St::kIdle), "idle");
  EXPECT_EQ(L2tpStateName(L2St::kWaitCtlReply), "wait-ctl-reply");
  EXPECT_EQ(L2tpStateName(L2St::kWaitCtlConn), "wait-ctl-conn");
  EXPECT_EQ(L2tpStateName(L2St::kEstablished), "established");
  EXPECT_EQ(L2tpStateName(L2St::kClosing), "dying");
  EXPECT_EQ(L2tpStateName(L2St::kClosed), "dying");
}

// pptp_ctrl.c gPptpCtrlStates.
TEST(TunnelViewsTest, PptpStatesUseMpd5Names) {
  EXPECT_EQ(PptpStateName(PpSt::kConnecting), "IDLE");
  EXPECT_EQ(PptpStateName(PpSt::kWaitStartRqst), "IDLE");
  EXPECT_EQ(PptpStateName(PpSt::kWaitCtlReply), "WAIT_CTL_REPLY");
  EXPECT_EQ(PptpStateName(PpSt::kEstablished), "ESTABLISHED");
  EXPECT_EQ(PptpStateName(PpSt::kWaitStopReply), "WAIT_STOP_REPLY");
  EXPECT_EQ(PptpStateName(PpSt::kDead), "DYING");
}

}  // namespace
}  // namespace mlppp::daemon
