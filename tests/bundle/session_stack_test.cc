// Two whole PPP stacks back to back on a fake loop: ppp::Link (LCP, auth)
// and bundle::Bundle (IPCP, IPV6CP, iface) on each side, joined by a fake
// driver pair. Proves the layers fit: negotiation, authentication, addresses,
// data both ways, hang-up and keep-alive, all on a manual clock.
#include <gtest/gtest.h>

#include "aaa/internal_backend.h"
#include "aaa/secrets.h"
#include "bundle/session_fakes.h"

namespace mlppp {
namespace {

using stack_test::FakeDriver;
using stack_test::FakeIface;
using stack_test::Ip;
using stack_test::Side;
using std::chrono::seconds;

class SessionStack : public ::testing::Test {
 protected:
  void Build(const std::string& client_password, bool ipv6 = true) {
    auto secrets = aaa::Secrets::Parse("demo \"demo-pass\"\n", "mpd.secret", nullptr);
    backend_ = std::make_unique<aaa::InternalBackend>(std::move(secrets));
    auto d1 = std::make_unique<FakeDriver>(loop_, "server");
    auto d2 = std::make_unique<FakeDriver>(loop_, "client");
    FakeDriver::Connect(*d1, *d2);
    server_driver_ = d1.get();
    client_driver_ = d2.get();

    ppp::LinkConfig slc;
    slc.lcp.require_auth = {ppp::AuthType::kChapMd5};
    slc.lcp.echo_interval = seconds(1);
    slc.lcp.echo_max = seconds(3);
    bundle::BundleConfig sbc;
    sbc.ipv6cp = ipv6;
    sbc.ipcp_conf.self = {Ip(10, 0, 0, 1), 32};
    sbc.ipcp_conf.peer = {Ip(10, 0, 0, 100), 32};
    sbc.ipcp_conf.dns1 = Ip(10, 0, 0, 53);
    server_ = std::make_unique<Side>(loop_, std::move(d1), slc, sbc, *backend_, 1);

    ppp::LinkConfig clc;
    clc.lcp.accept_auth = {ppp::AuthType::kChapMd5, ppp::AuthType::kPap};
    clc.authname = "demo";
    clc.password = client_password;
    bundle::BundleConfig cbc;
    cbc.ipv6cp = ipv6;
    cbc.ipcp_conf.request_dns = true;
    client_ = std::make_unique<Side>(loop_, std::move(d2), clc, cbc, *backend_, 2);
  }

  event::FakeLoop loop_;
  std::unique_ptr<aaa::InternalBackend> backend_;
  FakeDriver* server_driver_ = nullptr;
  FakeDriver* client_driver_ = nullptr;
  std::unique_ptr<Side> server_, client_;
};

TEST_F(SessionStack, ComesUpWithAddressesAndCarriesIpBothWays) {
  Build("demo-pass");
  server_->link->Open();
  client_->link->Open();
  loop_.Advance(seconds(1));
  ASSERT_TRUE(server_->up);
  ASSERT_TRUE(client_->up);
  EXPECT_EQ(server_->link->peer_authname(), "demo");

  FakeIface* cif = client_->ifaces.last;
  FakeIface* sif = server_->ifaces.last;
  ASSERT_TRUE(cif->v4 && sif->v4 && cif->v6 && sif->v6);
  EXPECT_EQ(cif->v4->local, Ip(10, 0, 0, 100));
  EXPECT_EQ(cif->v4->peer, Ip(10, 0, 0, 1));
  EXPECT_EQ(sif->v4->peer, Ip(10, 0, 0, 100));
  EXPECT_EQ(client_->bundle->ipcp_result()->dns1, Ip(10, 0, 0, 53));
  EXPECT_EQ(cif->v6->local_id, sif->v6->peer_id);
  EXPECT_EQ(cif->v6->peer_id, sif->v6->local_id);
  EXPECT_NE(cif->v6->local_id, cif->v6->peer_id);

  std::vector<uint8_t> v4pkt = {0x45, 0, 0,  20, 1, 2,   3,  4, 64, 17,
                                0,    0, 10, 0,  0, 100, 10, 0, 0,  1};
  cif->FromHost(bundle::IpFamily::kV4, v4pkt);
  std::vector<uint8_t> v6pkt(40, 0);
  v6pkt[0] = 0x60;
  sif->FromHost(bundle::IpFamily::kV6, v6pkt);
  loop_.RunPending();
  ASSERT_EQ(sif->delivered.size(), 1u);
  EXPECT_EQ(sif->delivered[0].first, bundle::IpFamily::kV4);
  EXPECT_EQ(sif->delivered[0].second, v4pkt);
  ASSERT_EQ(cif->delivered.size(), 1u);
  EXPECT_EQ(cif->delivered[0].first, bundle::IpFamily::kV6);
  EXPECT_EQ(cif->delivered[0].second, v6pkt);
}

TEST_F(SessionStack, WrongPasswordNeverReachesNetworkPhase) {
  Build("wrong");
  server_->link->Open();
  client_->link->Open();
  loop_.Advance(seconds(30));
  EXPECT_FALSE(server_->up);
  EXPECT_FALSE(server_->bundle);
  ASSERT_TRUE(server_->dead_reason);
  EXPECT_EQ(*server_->dead_reason, "authentication failed");
  ASSERT_TRUE(client_->dead_reason);
}

TEST_F(SessionStack, HangUpTearsDownBothSidesAndTheirInterfaces) {
  Build("demo-pass", /*ipv6=*/false);
  server_->link->Open();
  client_->link->Open();
  loop_.Advance(seconds(1));
  ASSERT_TRUE(client_->up);
  client_->link->Close("user request");
  loop_.Advance(seconds(10));
  ASSERT_TRUE(client_->dead_reason);
  EXPECT_EQ(*client_->dead_reason, "user request");
  ASSERT_TRUE(server_->dead_reason);
  EXPECT_TRUE(server_->bundle_down);
  EXPECT_TRUE(client_->bundle_down);
}

TEST_F(SessionStack, KeepAliveDetectsAVanishedPeer) {
  Build("demo-pass", /*ipv6=*/false);
  server_->link->Open();
  client_->link->Open();
  loop_.Advance(seconds(1));
  ASSERT_TRUE(server_->up);
  client_driver_->Cut();
  server_driver_->Cut();
  loop_.Advance(seconds(2));
  EXPECT_FALSE(server_->dead_reason);  // echo_max is 3 s
  loop_.Advance(seconds(3));
  ASSERT_TRUE(server_->dead_reason);
  EXPECT_EQ(*server_->dead_reason, "keep-alive timeout");
  EXPECT_TRUE(server_->bundle_down);
}

}  // namespace
}  // namespace mlppp
