// Tunnels for `show l2tp` / `show pptp`, derived from the snapshot's calls.
#include "daemon/tunnel_views.h"

#include <gtest/gtest.h>

namespace mlppp::daemon {
namespace {

control::LinkView Call(std::string name, std::string conf, std::string type, std::string self,
                       std::string peer, std::string state, bool incoming) {
  control::LinkView l;
  l.name = std::move(name);
  l.conf_name = std::move(conf);
  l.type = std::move(type);
  l.self_addr = std::move(self);
  l.peer_addr = std::move(peer);
  l.state = std::move(state);
  l.incoming = incoming;
  return l;
}

class TunnelViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::LinkConf t;
    t.name = "T";
    t.type = "l2tp";
    t.l2tp.self_port = 1702;
    t.l2tp.peer_port = 1701;
    config_.links.push_back(t);
    config::LinkConf p;
    p.name = "P";
    p.type = "pptp";
    config_.links.push_back(p);
  }

  config::Config config_;
  control::Snapshot snap_;
};

TEST_F(TunnelViewsTest, CallsSharingEndpointsAreOneTunnel) {
  snap_.links.push_back(Call("T-1", "T", "l2tp", "192.0.2.1", "198.51.100.7", "UP", true));
  snap_.links.push_back(Call("T-2", "T", "l2tp", "192.0.2.1", "198.51.100.7", "CONNECTING", true));
  snap_.links.push_back(Call("T-3", "T", "l2tp", "192.0.2.1", "198.51.100.8", "UP", true));
  AddTunnelViews(config_, &snap_);
  ASSERT_EQ(snap_.tunnels.size(), 2u);
  const control::TunnelView& t = snap_.tunnels[0];
  EXPECT_EQ(t.name, "l2tp0");
  EXPECT_EQ(t.peer_addr, "198.51.100.7");
  EXPECT_EQ(t.calls, 2u);
  EXPECT_EQ(t.links, (std::vector<std::string>{"T-1", "T-2"}));
  EXPECT_EQ(t.self_port, 1702);
  EXPECT_EQ(t.peer_port, 1701);
  EXPECT_EQ(t.state, "established");
  EXPECT_EQ(snap_.tunnels[1].name, "l2tp1");
  EXPECT_EQ(snap_.tunnels[1].calls, 1u);
}

TEST_F(TunnelViewsTest, OurCallStillDiallingWaitsForTheReply) {
  snap_.links.push_back(Call("P", "P", "pptp", "192.0.2.1", "203.0.113.9", "CONNECTING", false));
  AddTunnelViews(config_, &snap_);
  ASSERT_EQ(snap_.tunnels.size(), 1u);
  EXPECT_EQ(snap_.tunnels[0].name, "pptp0");
  EXPECT_EQ(snap_.tunnels[0].state, "WAIT_CTL_REPLY");
  EXPECT_EQ(snap_.tunnels[0].self_port, config::kPptpPort);
  // Once the call is up, so is its control connection.
  snap_.tunnels.clear();
  snap_.links[0].state = "UP";
  AddTunnelViews(config_, &snap_);
  EXPECT_EQ(snap_.tunnels[0].state, "ESTABLISHED");
}

TEST_F(TunnelViewsTest, IdleConfigurationsAndPppoeHaveNoTunnel) {
  control::LinkView tmpl = Call("T", "T", "l2tp", "", "", "DOWN", false);
  tmpl.is_template = true;
  snap_.links.push_back(tmpl);
  snap_.links.push_back(Call("P", "P", "pptp", "", "", "DOWN", false));
  snap_.links.push_back(
      Call("L-1", "L", "pppoe", "02:00:00:00:00:01", "02:00:00:00:00:aa", "UP", true));
  AddTunnelViews(config_, &snap_);
  EXPECT_TRUE(snap_.tunnels.empty());
}

}  // namespace
}  // namespace mlppp::daemon
