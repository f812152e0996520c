// `open`/`close` of one network layer of a live session (mpd5 console:
// IpcpOpenCmd/IpcpCloseCmd, CcpCloseCmd, IfaceOpenCmd/IfaceCloseCmd), on two
// whole PPP stacks back to back: what goes on the wire (RFC 1661 §4.3 Close
// and Open), what the rest of the session keeps doing, and when the session
// ends (mpd5 bund.c BundNcpsFinish, crypt-reqd).
#include <gtest/gtest.h>

#include "aaa/internal_backend.h"
#include "aaa/secrets.h"
#include "bundle/session_fakes.h"
#include "ppp/protocol.h"

namespace mlppp {
namespace {

using bundle::Ncp;
using ppp::FsmState;
using stack_test::FakeDriver;
using stack_test::FakeIface;
using stack_test::Ip;
using stack_test::Side;
using std::chrono::seconds;

constexpr uint16_t kIpv4 = static_cast<uint16_t>(ppp::Proto::kIpv4);
constexpr uint16_t kIpcp = static_cast<uint16_t>(ppp::Proto::kIpcp);
constexpr uint16_t kCcp = static_cast<uint16_t>(ppp::Proto::kCcp);
constexpr uint16_t kCompressed = static_cast<uint16_t>(ppp::Proto::kCompressed);
constexpr uint8_t kConfReq = static_cast<uint8_t>(ppp::CpCode::kConfReq);
constexpr uint8_t kTermReq = static_cast<uint8_t>(ppp::CpCode::kTermReq);
constexpr uint8_t kTermAck = static_cast<uint8_t>(ppp::CpCode::kTermAck);

const std::vector<uint8_t> kV4Packet = {0x45, 0, 0,  20, 1, 2,   3,  4, 64, 17,
                                        0,    0, 10, 0,  0, 100, 10, 0, 0,  1};
// Long and repetitive: Deflate sends it compressed (a short one goes as it
// is, RFC 1979 §2.1).
std::vector<uint8_t> CompressibleV4() {
  std::vector<uint8_t> p = kV4Packet;
  p.resize(400, 0x5a);
  return p;
}
std::vector<uint8_t> V6Packet() {
  std::vector<uint8_t> p(40, 0);
  p[0] = 0x60;
  return p;
}

struct Options {
  bool ipv6 = true;
  bool deflate = false;  // CCP with Deflate both ways
  bool mppe = false;     // MS-CHAPv2, CCP with MPPE 128, server crypt-reqd
};

class NcpAdmin : public ::testing::Test {
 protected:
  void Build(const Options& o) {
    auto secrets = aaa::Secrets::Parse("demo \"demo-pass\"\n", "mpd.secret", nullptr);
    backend_ = std::make_unique<aaa::InternalBackend>(std::move(secrets));
    auto d1 = std::make_unique<FakeDriver>(loop_, "server");
    auto d2 = std::make_unique<FakeDriver>(loop_, "client");
    FakeDriver::Connect(*d1, *d2);
    sdrv_ = d1.get();
    cdrv_ = d2.get();
    ppp::AuthType auth = o.mppe ? ppp::AuthType::kChapMsV2 : ppp::AuthType::kChapMd5;

    ppp::LinkConfig slc;
    slc.lcp.require_auth = {auth};
    bundle::BundleConfig sbc;
    sbc.ipv6cp = o.ipv6;
    sbc.ipcp_conf.self = {Ip(10, 0, 0, 1), 32};
    sbc.ipcp_conf.peer = {Ip(10, 0, 0, 100), 32};
    ppp::LinkConfig clc;
    clc.lcp.accept_auth = {auth};
    clc.authname = "demo";
    clc.password = "demo-pass";
    bundle::BundleConfig cbc;
    cbc.ipv6cp = o.ipv6;
    for (bundle::BundleConfig* bc : {&sbc, &cbc}) {
      if (o.deflate) {
        bc->compression = true;
        bc->ccp_conf.deflate = {true, true};
      }
      if (o.mppe) {
        bc->compression = true;
        bc->ccp_conf.mppc = {true, true};
        bc->ccp_conf.e128 = {true, true};
      }
    }
    sbc.crypt_reqd = o.mppe;
    server_ = std::make_unique<Side>(loop_, std::move(d1), slc, sbc, *backend_, 1);
    client_ = std::make_unique<Side>(loop_, std::move(d2), clc, cbc, *backend_, 2);
    server_->link->Open();
    client_->link->Open();
    loop_.Advance(seconds(1));
    ASSERT_TRUE(server_->up);
    ASSERT_TRUE(client_->up);
    sif_ = server_->ifaces.last;
    cif_ = client_->ifaces.last;
  }
  bundle::Bundle& server() { return *server_->bundle; }
  bundle::Bundle& client() { return *client_->bundle; }

  // A packet from each host; returns how many reached the other host.
  size_t V4FromClient(const std::vector<uint8_t>& pkt = kV4Packet) {
    size_t before = sif_->delivered.size();
    cif_->FromHost(bundle::IpFamily::kV4, pkt);
    loop_.RunPending();
    return sif_->delivered.size() - before;
  }
  size_t V4FromServer() {
    size_t before = cif_->delivered.size();
    sif_->FromHost(bundle::IpFamily::kV4, kV4Packet);
    loop_.RunPending();
    return cif_->delivered.size() - before;
  }
  size_t V6FromClient() {
    size_t before = sif_->delivered.size();
    cif_->FromHost(bundle::IpFamily::kV6, V6Packet());
    loop_.RunPending();
    return sif_->delivered.size() - before;
  }

  event::FakeLoop loop_;
  std::unique_ptr<aaa::InternalBackend> backend_;
  FakeDriver* sdrv_ = nullptr;
  FakeDriver* cdrv_ = nullptr;
  std::unique_ptr<Side> server_, client_;
  FakeIface* sif_ = nullptr;
  FakeIface* cif_ = nullptr;
};

TEST_F(NcpAdmin, CloseIpcpTerminatesOnlyIpcp) {
  Build({});
  sdrv_->ClearLog();
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
  loop_.RunPending();
  EXPECT_EQ(sdrv_->Count(kIpcp, kTermReq), 1u);
  loop_.Advance(seconds(5));

  EXPECT_EQ(server().ipcp()->fsm().state(), FsmState::kClosed);
  EXPECT_TRUE(server().ncp_admin_closed(Ncp::kIpcp));
  EXPECT_EQ(server().ipcp_result(), nullptr);
  // The rest of the session carries on.
  EXPECT_EQ(server().ipv6cp()->fsm().state(), FsmState::kOpened);
  EXPECT_TRUE(server().up());
  EXPECT_FALSE(server_->bundle_down);
  EXPECT_FALSE(client_->bundle_down);
  EXPECT_EQ(server_->ups, 1);  // not reported up a second time
  EXPECT_FALSE(server_->dead_reason);
  // mpd5 IfaceIpIfaceDown: the IPv4 address goes while IPCP is down.
  EXPECT_EQ(sif_->v4_removed, 1);
  EXPECT_FALSE(sif_->v4);
  EXPECT_EQ(sif_->v6_removed, 0);
  EXPECT_EQ(V4FromClient(), 0u);
  EXPECT_EQ(V4FromServer(), 0u);
  EXPECT_EQ(V6FromClient(), 1u);
}

TEST_F(NcpAdmin, ClosedIpcpAnswersPeerConfigureRequestWithTerminateAck) {
  Build({});
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
  loop_.Advance(seconds(5));
  ASSERT_EQ(client().ipcp()->fsm().state(), FsmState::kStopped);
  sdrv_->ClearLog();
  cdrv_->ClearLog();

  // The peer tries again: RFC 1661 §4.1 Closed + RCR -> sta.
  ASSERT_TRUE(client().OpenNcp(Ncp::kIpcp).ok());
  loop_.Advance(seconds(5));
  EXPECT_GE(cdrv_->Count(kIpcp, kConfReq), 2u);
  EXPECT_EQ(sdrv_->Count(kIpcp, kTermAck), cdrv_->Count(kIpcp, kConfReq));
  EXPECT_EQ(sdrv_->Count(kIpcp, kConfReq), 0u);
  EXPECT_EQ(server().ipcp()->fsm().state(), FsmState::kClosed);
  EXPECT_EQ(V4FromClient(), 0u);
  EXPECT_TRUE(server().up());
}

TEST_F(NcpAdmin, OpenIpcpNegotiatesAgain) {
  Build({});
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
  loop_.Advance(seconds(5));
  ASSERT_EQ(server().ipcp()->fsm().state(), FsmState::kClosed);
  sdrv_->ClearLog();

  ASSERT_TRUE(server().OpenNcp(Ncp::kIpcp).ok());
  loop_.RunPending();
  EXPECT_EQ(sdrv_->Count(kIpcp, kConfReq), 1u);
  EXPECT_FALSE(server().ncp_admin_closed(Ncp::kIpcp));
  loop_.Advance(seconds(5));  // the peer is Stopped: it answers our request

  EXPECT_EQ(server().ipcp()->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(client().ipcp()->fsm().state(), FsmState::kOpened);
  ASSERT_TRUE(sif_->v4);
  EXPECT_EQ(sif_->v4->peer, Ip(10, 0, 0, 100));
  EXPECT_EQ(sif_->v4_applied, 2);
  EXPECT_TRUE(server().up());
  EXPECT_EQ(server_->ups, 1);
  EXPECT_EQ(V4FromClient(), 1u);
  EXPECT_EQ(V4FromServer(), 1u);
}

// IPCP down and up again while the first configure is still queued on the
// pool: that configure's completion is stale and must not make the
// session ready before the second one has run.
TEST_F(NcpAdmin, StaleConfigureCompletionIsIgnored) {
  Build({});
  sif_->hold_v4 = true;
  auto cycle = [&] {
    ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
    loop_.Advance(seconds(5));
    ASSERT_TRUE(server().OpenNcp(Ncp::kIpcp).ok());
    loop_.Advance(seconds(5));
    ASSERT_EQ(server().ipcp()->fsm().state(), FsmState::kOpened);
  };
  cycle();
  cycle();
  ASSERT_EQ(sif_->held_v4.size(), 2u);
  EXPECT_FALSE(server().up());     // IPv4 wanted again, not configured yet
  sif_->held_v4[0](Status::Ok());  // the first, stale
  EXPECT_FALSE(server().up());
  sif_->held_v4[1](Status::Ok());
  EXPECT_TRUE(server().up());
}

TEST_F(NcpAdmin, OpenWhileClosingReopensOnceClosed) {
  Build({});
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
  loop_.RunPending();  // Terminate-Request out; the Ack not yet processed
  ASSERT_TRUE(server().OpenNcp(Ncp::kIpcp).ok());
  loop_.Advance(seconds(10));
  EXPECT_EQ(server().ipcp()->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(client().ipcp()->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(V4FromClient(), 1u);
  EXPECT_FALSE(server_->bundle_down);
}

TEST_F(NcpAdmin, OpenIsANoOpWhileOpenAndAnErrorForADisabledNcp) {
  Build({.ipv6 = false});
  sdrv_->ClearLog();
  EXPECT_TRUE(server().OpenNcp(Ncp::kIpcp).ok());
  loop_.RunPending();
  EXPECT_EQ(sdrv_->Count(kIpcp), 0u);
  Status s = server().CloseNcp(Ncp::kIpv6cp);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("IPV6CP is not enabled"), std::string::npos) << s.message();
  EXPECT_FALSE(server().OpenNcp(Ncp::kCcp).ok());
  EXPECT_FALSE(server().CloseNcp(Ncp::kEcp).ok());
}

// mpd5 bund.c BundNcpsFinish: "No NCPs left. Closing links..." — closing
// the last of IPCP/IPV6CP, by the console or otherwise, ends the session.
TEST_F(NcpAdmin, ClosingEveryIpNcpEndsTheSessionAsMpd5Does) {
  Build({});
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpcp).ok());
  EXPECT_FALSE(server().ip_ncps_gone());
  loop_.Advance(seconds(5));
  EXPECT_FALSE(server_->bundle_down);
  ASSERT_TRUE(server().CloseNcp(Ncp::kIpv6cp).ok());
  // Known at once, before the Terminate-Ack: the daemon marks the link
  // closed by the operator then, so it does not redial.
  EXPECT_TRUE(server().ip_ncps_gone());
  loop_.Advance(seconds(5));
  EXPECT_TRUE(server_->bundle_down);
  EXPECT_FALSE(server().up());
}

TEST_F(NcpAdmin, CloseCcpSendsDataUncompressed) {
  Build({.ipv6 = false, .deflate = true});
  ASSERT_NE(server().ccp(), nullptr);
  ASSERT_TRUE(server().ccp()->opened());
  cdrv_->ClearLog();
  ASSERT_EQ(V4FromClient(CompressibleV4()), 1u);
  EXPECT_EQ(cdrv_->Count(kCompressed), 1u);  // compressed while CCP is open

  sdrv_->ClearLog();
  ASSERT_TRUE(server().CloseNcp(Ncp::kCcp).ok());
  loop_.RunPending();
  EXPECT_EQ(sdrv_->Count(kCcp, kTermReq), 1u);
  loop_.Advance(seconds(5));
  EXPECT_EQ(server().ccp()->fsm().state(), FsmState::kClosed);
  EXPECT_TRUE(server().up());
  EXPECT_FALSE(server_->bundle_down);

  cdrv_->ClearLog();
  sdrv_->ClearLog();
  EXPECT_EQ(V4FromClient(CompressibleV4()), 1u);
  EXPECT_EQ(V4FromServer(), 1u);
  EXPECT_EQ(cdrv_->Count(kIpv4), 1u);
  EXPECT_EQ(sdrv_->Count(kIpv4), 1u);
  EXPECT_EQ(cdrv_->Count(kCompressed) + sdrv_->Count(kCompressed), 0u);

  // open ccp: compressed again.
  ASSERT_TRUE(server().OpenNcp(Ncp::kCcp).ok());
  loop_.Advance(seconds(5));
  ASSERT_TRUE(server().ccp()->opened());
  cdrv_->ClearLog();
  EXPECT_EQ(V4FromClient(CompressibleV4()), 1u);
  EXPECT_EQ(cdrv_->Count(kCompressed), 1u);
}

// crypt-reqd with MPPE (mpd5 CcpCheckEncryption / bund.c): without CCP
// nothing is encrypted, so the session closes rather than run in the clear.
TEST_F(NcpAdmin, CryptReqdCloseCcpClosesTheSession) {
  Build({.ipv6 = false, .mppe = true});
  ASSERT_TRUE(server().encrypted());
  ASSERT_TRUE(server().CloseNcp(Ncp::kCcp).ok());
  loop_.RunPending();
  EXPECT_FALSE(server().up());
  EXPECT_EQ(V4FromServer(), 0u);  // nothing in the clear meanwhile
  loop_.Advance(seconds(10));
  EXPECT_TRUE(server_->bundle_down);
  EXPECT_NE(server_->down_reason.find("crypt-reqd"), std::string::npos) << server_->down_reason;
}

TEST_F(NcpAdmin, CloseIfaceStopsThePacketsAndOpenRestoresThem) {
  Build({});
  ASSERT_TRUE(server().CloseIface().ok());
  EXPECT_FALSE(server().iface_open());
  EXPECT_FALSE(sif_->admin_up);
  EXPECT_EQ(V4FromClient(), 0u);
  EXPECT_EQ(V6FromClient(), 0u);
  EXPECT_EQ(V4FromServer(), 0u);
  // The session itself is untouched.
  loop_.Advance(seconds(5));
  EXPECT_TRUE(server().up());
  EXPECT_EQ(server().ipcp()->fsm().state(), FsmState::kOpened);
  EXPECT_FALSE(server_->bundle_down);

  ASSERT_TRUE(server().OpenIface().ok());
  loop_.RunPending();
  EXPECT_TRUE(server().iface_open());
  EXPECT_TRUE(sif_->admin_up);
  EXPECT_EQ(sif_->v4_applied, 2);  // addresses applied again
  EXPECT_EQ(V4FromClient(), 1u);
  EXPECT_EQ(V6FromClient(), 1u);
  EXPECT_EQ(V4FromServer(), 1u);
}

}  // namespace
}  // namespace mlppp
