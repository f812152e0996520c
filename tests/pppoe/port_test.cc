#include "link/pppoe/port.h"

#include <gtest/gtest.h>

#include <set>

#include "event/fake_loop.h"
#include "link/pppoe/client.h"
#include "link/pppoe/discovery.h"
#include "pppoe/fake_ether.h"

namespace mlppp::link::pppoe {
namespace {

using B = std::vector<uint8_t>;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeLan;

const os::MacAddr kServerMac = {0x02, 0, 0, 0, 0, 0x01};
const os::MacAddr kPeerMac = {0x02, 0, 0, 0, 0, 0x02};

// Deterministic "random" bytes for tests.
RandomFill CountingRandom() {
  auto n = std::make_shared<uint8_t>(0);
  return [n](std::span<uint8_t> out) {
    for (auto& b : out) b = ++*n;
  };
}

struct Events : DriverEvents {
  int ups = 0;
  std::vector<std::string> downs;
  std::vector<B> frames;
  void OnDriverUp() override { ++ups; }
  void OnDriverDown(std::string_view reason) override { downs.emplace_back(reason); }
  void OnFrame(Packet&& f) override { frames.emplace_back(f.span().begin(), f.span().end()); }
};

Discovery Parse(const FakeLan::Frame& f) {
  Discovery d;
  EXPECT_EQ(ParseDiscovery(f.payload, &d), ParseError::kOk);
  return d;
}

B Serialize(const Discovery& d) {
  B out;
  EXPECT_EQ(SerializeDiscovery(d, &out), ParseError::kOk);
  return out;
}

// Config builders (designated initializers trip -Wmissing-field-initializers).
PppoeServerConfig Srv(std::string service = "*", std::string ac_name = "", uint16_t max_payload = 0,
                      size_t max_sessions = 65000) {
  PppoeServerConfig c;
  c.iface = "eth0";
  c.service = std::move(service);
  c.ac_name = std::move(ac_name);
  c.max_payload = max_payload;
  c.max_sessions = max_sessions;
  return c;
}
PppoeClientConfig Cli(std::string iface, std::string service = "", std::string ac_wanted = "",
                      uint16_t max_payload = 0) {
  PppoeClientConfig c;
  c.iface = std::move(iface);
  c.service = std::move(service);
  c.ac_name_wanted = std::move(ac_wanted);
  c.max_payload = max_payload;
  return c;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest()
      : lan_(loop_),
        port_(loop_, lan_.Open(kServerMac, kEtherTypeDiscovery),
              lan_.Open(kServerMac, kEtherTypeSession), CountingRandom()) {}

  void Listen(PppoeServerConfig cfg = {}) {
    cfg.iface = "eth0";
    if (cfg.ac_name.empty()) cfg.ac_name = "test-ac";
    ASSERT_TRUE(
        port_.Listen(cfg, [this](std::unique_ptr<Driver> d) { incoming_.push_back(std::move(d)); })
            .ok());
  }

  // The last Discovery packet the server sent, or nullopt.
  std::optional<Discovery> LastFromServer() {
    auto frames = lan_.SentBy(kServerMac, kEtherTypeDiscovery);
    if (frames.empty()) return std::nullopt;
    return Parse(frames.back());
  }
  size_t ServerDiscoveryCount() { return lan_.SentBy(kServerMac, kEtherTypeDiscovery).size(); }

  void SendPadi(const os::MacAddr& from, std::string service, B host_uniq,
                std::optional<uint16_t> max_payload = std::nullopt) {
    Discovery d;
    d.code = Code::kPADI;
    d.service_name = std::move(service);
    d.host_uniq = std::move(host_uniq);
    d.relay_session_id = B{0x77};
    d.ppp_max_payload = max_payload;
    lan_.Inject(from, os::kBroadcastMac, kEtherTypeDiscovery, Serialize(d));
    loop_.RunPending();
  }
  void SendPadr(const os::MacAddr& from, std::string service, B host_uniq, std::optional<B> cookie,
                std::optional<uint16_t> max_payload = std::nullopt) {
    Discovery d;
    d.code = Code::kPADR;
    d.service_name = std::move(service);
    d.host_uniq = std::move(host_uniq);
    d.ac_cookie = std::move(cookie);
    d.ppp_max_payload = max_payload;
    lan_.Inject(from, kServerMac, kEtherTypeDiscovery, Serialize(d));
    loop_.RunPending();
  }
  // PADI + PADR for one peer; returns the PADS.
  Discovery Connect(const os::MacAddr& peer, B uniq = {1, 2, 3, 4},
                    std::optional<uint16_t> max_payload = std::nullopt) {
    SendPadi(peer, "", uniq, max_payload);
    auto pado = LastFromServer();
    EXPECT_TRUE(pado && pado->code == Code::kPADO);
    SendPadr(peer, "", uniq, pado->ac_cookie, max_payload);
    auto pads = LastFromServer();
    EXPECT_TRUE(pads && pads->code == Code::kPADS);
    return *pads;
  }

  event::FakeLoop loop_;
  FakeLan lan_;
  PppoePort port_;
  std::vector<std::unique_ptr<Driver>> incoming_;
};

TEST_F(ServerTest, AnswersPadiWithPadoEchoingTags) {
  Listen();
  SendPadi(kPeerMac, "", {0xca, 0xfe});
  auto frames = lan_.SentBy(kServerMac, kEtherTypeDiscovery);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].dst, kPeerMac);
  Discovery pado = Parse(frames[0]);
  EXPECT_EQ(pado.code, Code::kPADO);
  EXPECT_EQ(pado.session_id, 0);
  EXPECT_EQ(pado.ac_name, "test-ac");
  EXPECT_EQ(pado.service_name, "");
  EXPECT_EQ(pado.host_uniq, B({0xca, 0xfe}));
  EXPECT_EQ(pado.relay_session_id, B({0x77}));
  ASSERT_TRUE(pado.ac_cookie.has_value());
  EXPECT_EQ(pado.ac_cookie->size(), 16u);
  EXPECT_FALSE(pado.ppp_max_payload.has_value());
  EXPECT_EQ(port_.counters().pado_tx, 1u);
}

TEST_F(ServerTest, NoAnswerWhenNotListeningOrServiceNotOffered) {
  SendPadi(kPeerMac, "", {1});
  EXPECT_EQ(ServerDiscoveryCount(), 0u);
  Listen(Srv("isp"));
  SendPadi(kPeerMac, "other", {1});
  EXPECT_EQ(ServerDiscoveryCount(), 0u);
  EXPECT_EQ(port_.counters().service_refused, 1u);
  SendPadi(kPeerMac, "isp", {1});
  EXPECT_EQ(ServerDiscoveryCount(), 1u);
  SendPadi(kPeerMac, "", {1});  // empty = any service, always offered
  EXPECT_EQ(ServerDiscoveryCount(), 2u);
}

TEST_F(ServerTest, PadrWithValidCookieCreatesSession) {
  Listen();
  Discovery pads = Connect(kPeerMac);
  EXPECT_NE(pads.session_id, 0);
  EXPECT_NE(pads.session_id, 0xffff);
  EXPECT_EQ(pads.host_uniq, B({1, 2, 3, 4}));
  EXPECT_EQ(port_.session_count(), 1u);
  ASSERT_EQ(incoming_.size(), 1u);  // posted, RunPending delivered it
  PeerInfo info = incoming_[0]->Info();
  EXPECT_EQ(info.type, "pppoe");
  EXPECT_EQ(info.iface, "eth0");
  EXPECT_EQ(info.peer_addr, "02:00:00:00:00:02");
  EXPECT_EQ(info.self_addr, "02:00:00:00:00:01");
  EXPECT_EQ(info.session_id, pads.session_id);
  EXPECT_EQ(incoming_[0]->MaxMru(), 1492);
  EXPECT_FALSE(incoming_[0]->WantsAddressControl());

  Events ev;
  incoming_[0]->SetEvents(&ev);
  incoming_[0]->Open();
  EXPECT_EQ(ev.ups, 0);  // through the loop
  loop_.RunPending();
  EXPECT_EQ(ev.ups, 1);
  incoming_[0]->SetEvents(nullptr);
}

TEST_F(ServerTest, ForgedOrExpiredCookieIsDropped) {
  Listen();
  SendPadi(kPeerMac, "", {9});
  auto pado = LastFromServer();
  B forged = *pado->ac_cookie;
  forged[0] ^= 1;
  SendPadr(kPeerMac, "", {9}, forged);
  SendPadr(kPeerMac, "", {9}, std::nullopt);
  SendPadr(kPeerMac, "", {8}, pado->ac_cookie);  // other Host-Uniq
  const os::MacAddr other = {0x02, 0, 0, 0, 0, 0x99};
  SendPadr(other, "", {9}, pado->ac_cookie);  // other MAC
  EXPECT_EQ(port_.counters().bad_cookie, 4u);
  EXPECT_EQ(ServerDiscoveryCount(), 1u);  // only the PADO
  EXPECT_EQ(port_.session_count(), 0u);

  // The FakeLoop clock starts on a 60 s boundary: the cookie is good for
  // the rest of its slot and the next (119 s), and dead at 120 s.
  loop_.Advance(seconds(120));
  SendPadr(kPeerMac, "", {9}, pado->ac_cookie);
  EXPECT_EQ(port_.counters().bad_cookie, 5u);
  EXPECT_EQ(port_.session_count(), 0u);
}

TEST_F(ServerTest, CookieStillValidInNextSlot) {
  Listen();
  SendPadi(kPeerMac, "", {9});
  auto pado = LastFromServer();
  loop_.Advance(seconds(119));
  SendPadr(kPeerMac, "", {9}, pado->ac_cookie);
  EXPECT_EQ(port_.session_count(), 1u);
  EXPECT_EQ(port_.counters().bad_cookie, 0u);
}

TEST_F(ServerTest, DuplicatePadrResendsSamePads) {
  Listen();
  SendPadi(kPeerMac, "", {5});
  auto pado = LastFromServer();
  SendPadr(kPeerMac, "", {5}, pado->ac_cookie);
  auto first = LastFromServer();
  SendPadr(kPeerMac, "", {5}, pado->ac_cookie);
  auto second = LastFromServer();
  EXPECT_EQ(ServerDiscoveryCount(), 3u);
  EXPECT_EQ(first->session_id, second->session_id);
  EXPECT_EQ(port_.session_count(), 1u);
  EXPECT_EQ(incoming_.size(), 1u);
}

TEST_F(ServerTest, PadtFromPeerReportsDown) {
  Listen();
  Discovery pads = Connect(kPeerMac);
  Events ev;
  incoming_[0]->SetEvents(&ev);
  Discovery padt;
  padt.code = Code::kPADT;
  padt.session_id = pads.session_id;
  // A PADT from another MAC for the same id does nothing (key is MAC+id).
  lan_.Inject({0x02, 0, 0, 0, 0, 0x55}, kServerMac, kEtherTypeDiscovery, Serialize(padt));
  loop_.RunPending();
  EXPECT_TRUE(ev.downs.empty());
  lan_.Inject(kPeerMac, kServerMac, kEtherTypeDiscovery, Serialize(padt));
  loop_.RunPending();
  ASSERT_EQ(ev.downs.size(), 1u);
  EXPECT_EQ(ev.downs[0], "PADT received");
  EXPECT_EQ(port_.session_count(), 0u);
  size_t sent = ServerDiscoveryCount();
  incoming_.clear();  // no PADT back: the peer already ended it
  EXPECT_EQ(ServerDiscoveryCount(), sent);
}

TEST_F(ServerTest, CloseSendsPadtAndDestroySendsPadt) {
  Listen();
  Discovery s1 = Connect(kPeerMac, {1});
  const os::MacAddr peer2 = {0x02, 0, 0, 0, 0, 0x03};
  Discovery s2 = Connect(peer2, {2});
  ASSERT_EQ(incoming_.size(), 2u);
  Events ev;
  incoming_[0]->SetEvents(&ev);
  incoming_[0]->Close();
  auto padt = LastFromServer();
  EXPECT_EQ(padt->code, Code::kPADT);
  EXPECT_EQ(padt->session_id, s1.session_id);
  EXPECT_EQ(lan_.SentBy(kServerMac, kEtherTypeDiscovery).back().dst, kPeerMac);
  loop_.RunPending();
  ASSERT_EQ(ev.downs.size(), 1u);
  incoming_[0].reset();

  incoming_[1].reset();  // destroyed while up
  padt = LastFromServer();
  EXPECT_EQ(padt->code, Code::kPADT);
  EXPECT_EQ(padt->session_id, s2.session_id);
  EXPECT_EQ(port_.session_count(), 0u);
  EXPECT_EQ(port_.counters().padt_tx, 2u);
}

TEST_F(ServerTest, SessionFramesBothWays) {
  Listen();
  Discovery pads = Connect(kPeerMac);
  Events ev;
  incoming_[0]->SetEvents(&ev);
  incoming_[0]->Open();  // as the daemon does: frames are handed over once up
  // LCP ConfReq-ish payload with Ethernet padding after LENGTH.
  B frame = {0x11,
             0x00,
             static_cast<uint8_t>(pads.session_id >> 8),
             static_cast<uint8_t>(pads.session_id),
             0x00,
             0x03,
             0xc0,
             0x21,
             0x01,
             0,
             0,
             0};
  lan_.Inject(kPeerMac, kServerMac, kEtherTypeSession, frame);
  loop_.RunPending();
  ASSERT_EQ(ev.frames.size(), 1u);
  EXPECT_EQ(ev.frames[0], B({0xc0, 0x21, 0x01}));

  // Wrong session id: counted, not delivered.
  frame[3] ^= 0x40;
  lan_.Inject(kPeerMac, kServerMac, kEtherTypeSession, frame);
  loop_.RunPending();
  EXPECT_EQ(ev.frames.size(), 1u);
  EXPECT_EQ(port_.counters().sess_unknown, 1u);

  incoming_[0]->Send(Packet::Copy(B{0x00, 0x21, 0x45}));
  auto out = lan_.SentBy(kServerMac, kEtherTypeSession);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dst, kPeerMac);
  EXPECT_EQ(out[0].payload,
            B({0x11, 0x00, static_cast<uint8_t>(pads.session_id >> 8),
               static_cast<uint8_t>(pads.session_id), 0x00, 0x03, 0x00, 0x21, 0x45}));
  incoming_[0]->SetEvents(nullptr);
}

TEST_F(ServerTest, HundredSessionsGetDistinctIdsAndRouteByMacAndId) {
  Listen();
  std::set<uint16_t> ids;
  std::vector<Events> evs(100);
  for (int i = 0; i < 100; ++i) {
    os::MacAddr mac = {0x02, 0x10, 0, 0, 0, static_cast<uint8_t>(i)};
    Discovery pads = Connect(mac, {static_cast<uint8_t>(i)});
    ids.insert(pads.session_id);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(ids.count(0), 0u);
  EXPECT_EQ(port_.session_count(), 100u);
  ASSERT_EQ(incoming_.size(), 100u);
  // Each peer's frame reaches exactly its own driver.
  for (int i = 0; i < 100; ++i) {
    incoming_[i]->SetEvents(&evs[i]);
    incoming_[i]->Open();
  }
  for (int i = 0; i < 100; ++i) {
    PeerInfo info = incoming_[i]->Info();
    os::MacAddr mac = {0x02, 0x10, 0, 0, 0, static_cast<uint8_t>(i)};
    B f = {0x11,
           0x00,
           static_cast<uint8_t>(info.session_id >> 8),
           static_cast<uint8_t>(info.session_id),
           0x00,
           0x02,
           0xc0,
           static_cast<uint8_t>(i)};
    lan_.Inject(mac, kServerMac, kEtherTypeSession, f);
  }
  loop_.RunPending();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(evs[i].frames.size(), 1u) << i;
    EXPECT_EQ(evs[i].frames[0][1], i);
  }
  EXPECT_EQ(port_.counters().sess_unknown, 0u);
  for (auto& d : incoming_) d->SetEvents(nullptr);
}

TEST_F(ServerTest, FreedSessionIdIsNotReusedAtOnce) {
  Listen();
  Discovery first = Connect(kPeerMac, {1});
  incoming_.clear();  // frees the id
  Discovery second = Connect(kPeerMac, {2});
  EXPECT_NE(second.session_id, first.session_id);
  EXPECT_NE(second.session_id, 0);
}

TEST_F(ServerTest, SessionLimitRefusesWithAcSystemError) {
  Listen(Srv("*", "", 0, 1));
  Connect(kPeerMac, {1});
  const os::MacAddr peer2 = {0x02, 0, 0, 0, 0, 0x03};
  // PADI is not answered at the limit.
  SendPadi(peer2, "", {2});
  EXPECT_EQ(LastFromServer()->code, Code::kPADS);
  EXPECT_EQ(port_.counters().session_limit, 1u);
  // After one session ends, there is room again.
  incoming_.clear();
  Discovery pads = Connect(peer2, {2});
  EXPECT_NE(pads.session_id, 0);
  EXPECT_EQ(port_.session_count(), 1u);
}

TEST_F(ServerTest, PadrRefusedWhenServiceNoLongerOffered) {
  Listen(Srv("isp"));
  SendPadi(kPeerMac, "isp", {1});
  auto pado = LastFromServer();
  Listen(Srv("other"));
  SendPadr(kPeerMac, "isp", {1}, pado->ac_cookie);
  auto pads = LastFromServer();
  EXPECT_EQ(pads->code, Code::kPADS);
  EXPECT_EQ(pads->session_id, 0);
  EXPECT_TRUE(pads->service_name_error.has_value());
  EXPECT_EQ(port_.session_count(), 0u);
}

TEST_F(ServerTest, Rfc4638MaxPayload) {
  Listen(Srv("*", "", 1500));
  Discovery pads = Connect(kPeerMac, {1}, 1508);
  EXPECT_EQ(pads.ppp_max_payload, 1500);  // what both sides can do
  ASSERT_EQ(incoming_.size(), 1u);
  EXPECT_EQ(incoming_[0]->MaxMru(), 1500);
}

TEST_F(ServerTest, Rfc4638NotConfiguredMeans1492) {
  Listen();
  Discovery pads = Connect(kPeerMac, {1}, 1500);
  EXPECT_FALSE(pads.ppp_max_payload.has_value());
  EXPECT_EQ(incoming_[0]->MaxMru(), 1492);
}

TEST_F(ServerTest, MalformedAndMisaddressedFramesAreCounted) {
  Listen();
  lan_.Inject(kPeerMac, os::kBroadcastMac, kEtherTypeDiscovery, {0x11, 0x09, 0, 0, 0, 9});
  lan_.Inject(kPeerMac, kServerMac, kEtherTypeSession, {0x11, 0x00});
  // A PADR sent to the broadcast address, and a PADI from a group MAC.
  Discovery d;
  d.code = Code::kPADR;
  lan_.Inject(kPeerMac, os::kBroadcastMac, kEtherTypeDiscovery, Serialize(d));
  d.code = Code::kPADI;
  lan_.Inject({0x03, 0, 0, 0, 0, 1}, os::kBroadcastMac, kEtherTypeDiscovery, Serialize(d));
  loop_.RunPending();
  EXPECT_EQ(port_.counters().disc_malformed, 1u);
  EXPECT_EQ(port_.counters().sess_malformed, 1u);
  EXPECT_EQ(port_.counters().disc_ignored, 2u);
  EXPECT_EQ(ServerDiscoveryCount(), 0u);
}

// --- client ---

class ClientTest : public ServerTest {
 protected:
  ClientTest()
      : client_port_(loop_, lan_.Open(kPeerMac, kEtherTypeDiscovery),
                     lan_.Open(kPeerMac, kEtherTypeSession), CountingRandom()) {}
  PppoePort client_port_;
};

TEST_F(ClientTest, FullDiscoveryAndDataBothWays) {
  Listen(Srv("isp"));
  auto client = client_port_.MakeClient(Cli("eth1", "isp"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  EXPECT_EQ(cev.ups, 1);
  ASSERT_EQ(incoming_.size(), 1u);
  Events sev;
  incoming_[0]->SetEvents(&sev);
  incoming_[0]->Open();
  loop_.RunPending();
  EXPECT_EQ(sev.ups, 1);

  PeerInfo ci = client->Info();
  PeerInfo si = incoming_[0]->Info();
  EXPECT_EQ(ci.session_id, si.session_id);
  EXPECT_EQ(ci.peer_addr, si.self_addr);
  EXPECT_EQ(ci.self_addr, si.peer_addr);
  EXPECT_EQ(ci.service, "isp");
  EXPECT_EQ(si.service, "isp");
  EXPECT_EQ(ci.iface, "eth1");

  client->Send(Packet::Copy(B{0xc0, 0x21, 1, 2}));
  incoming_[0]->Send(Packet::Copy(B{0xc0, 0x21, 3}));
  loop_.RunPending();
  ASSERT_EQ(sev.frames.size(), 1u);
  EXPECT_EQ(sev.frames[0], B({0xc0, 0x21, 1, 2}));
  ASSERT_EQ(cev.frames.size(), 1u);
  EXPECT_EQ(cev.frames[0], B({0xc0, 0x21, 3}));

  // Client hangs up: PADT reaches the server session.
  client->Close();
  loop_.RunPending();
  ASSERT_EQ(cev.downs.size(), 1u);
  ASSERT_EQ(sev.downs.size(), 1u);
  EXPECT_EQ(sev.downs[0], "PADT received");
  EXPECT_EQ(port_.session_count(), 0u);
  EXPECT_EQ(client_port_.session_count(), 0u);
  incoming_[0]->SetEvents(nullptr);
}

// A server starts LCP as soon as it has sent the PADS (RFC 2516 §5.4 leaves
// nothing between them), so its Configure-Request can reach the client in
// the same receive batch as the PADS, before the posted "up" has run. The
// client must report up first and then deliver the frame, not drop it,
// also when the frame is read first (Discovery and Session frames come
// through two sockets, so their order is not kept): a
// dropped Configure-Request costs a whole LCP restart timer (2 s), as seen
// in a 1,000-login storm.
class ClientRace : public ClientTest, public ::testing::WithParamInterface<bool> {};

TEST_P(ClientRace, ServersFirstFrameAroundThePadsArrivesAfterUp) {
  Listen();
  // Hold the PADS back, then let it and the server's first LCP frame
  // arrive back to back, as one recvmmsg batch would hand them over.
  std::optional<FakeLan::Frame> pads;
  lan_.drop = [&](const FakeLan::Frame& f) {
    if (f.src != kServerMac || f.ethertype != kEtherTypeDiscovery) return false;
    if (Parse(f).code != Code::kPADS) return false;
    pads = f;
    return true;
  };
  struct Ordered : DriverEvents {
    std::vector<std::string> seen;
    void OnDriverUp() override { seen.push_back("up"); }
    void OnDriverDown(std::string_view) override { seen.push_back("down"); }
    void OnFrame(Packet&&) override { seen.push_back("frame"); }
  } cev;
  auto client = client_port_.MakeClient(Cli("eth1"));
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  ASSERT_TRUE(pads.has_value());
  lan_.drop = nullptr;
  const uint16_t sid = Parse(*pads).session_id;
  const std::vector<uint8_t> lcp = {
      0x11, 0x00, static_cast<uint8_t>(sid >> 8), static_cast<uint8_t>(sid), 0, 6, 0xc0, 0x21, 1, 1,
      0,    4};
  if (GetParam()) {
    // The session socket is read first: the frame overtakes the PADS.
    lan_.Inject(kServerMac, kPeerMac, kEtherTypeSession, lcp);
    lan_.Inject(pads->src, pads->dst, pads->ethertype, pads->payload);
  } else {
    lan_.Inject(pads->src, pads->dst, pads->ethertype, pads->payload);
    lan_.Inject(kServerMac, kPeerMac, kEtherTypeSession, lcp);
  }
  loop_.RunPending();
  EXPECT_EQ(cev.seen, (std::vector<std::string>{"up", "frame"}));
  EXPECT_EQ(client_port_.counters().sess_unknown, 0u);
  client->SetEvents(nullptr);
}
INSTANTIATE_TEST_SUITE_P(Order, ClientRace, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "SessionFrameFirst" : "PadsFirst";
                         });

// On the server the peer's first LCP frame can come before the daemon has
// taken the new session (the incoming callback is posted): it is held and
// handed over right after the up, not dropped.
TEST_F(ServerTest, FramesBeforeTheSessionIsOpenedAreHeldUntilUp) {
  Listen();
  Discovery pads = Connect(kPeerMac);
  for (uint8_t id = 1; id <= 10; ++id) {
    lan_.Inject(kPeerMac, kServerMac, kEtherTypeSession,
                {0x11, 0x00, static_cast<uint8_t>(pads.session_id >> 8),
                 static_cast<uint8_t>(pads.session_id), 0, 6, 0xc0, 0x21, 1, id, 0, 4});
  }
  loop_.RunPending();
  ASSERT_EQ(incoming_.size(), 1u);
  struct Ordered : DriverEvents {
    std::vector<std::string> seen;
    void OnDriverUp() override { seen.push_back("up"); }
    void OnDriverDown(std::string_view) override { seen.push_back("down"); }
    void OnFrame(Packet&& f) override { seen.push_back("frame " + std::to_string(f.span()[3])); }
  } sev;
  incoming_[0]->SetEvents(&sev);
  incoming_[0]->Open();
  loop_.RunPending();
  std::vector<std::string> want = {"up"};
  for (int id = 1; id <= 8; ++id) want.push_back("frame " + std::to_string(id));
  EXPECT_EQ(sev.seen, want);  // the first 8 in order; more are counted
  EXPECT_EQ(port_.counters().sess_early_dropped, 2u);
  incoming_[0]->SetEvents(nullptr);
}

TEST_F(ClientTest, ServerCloseBringsClientDown) {
  Listen();
  auto client = client_port_.MakeClient(Cli("eth1", "*"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  ASSERT_EQ(cev.ups, 1);
  ASSERT_EQ(incoming_.size(), 1u);
  incoming_[0]->Close();
  loop_.RunPending();
  ASSERT_EQ(cev.downs.size(), 1u);
  EXPECT_EQ(cev.downs[0], "PADT received");
  // Reopen works with a new session.
  uint32_t old_id = client->Info().session_id;
  client->Open();
  loop_.RunPending();
  EXPECT_EQ(cev.ups, 2);
  EXPECT_NE(client->Info().session_id, old_id);
}

TEST_F(ClientTest, RetransmitsPadiWithBackoffThenGivesUp) {
  // No server listening.
  auto client = client_port_.MakeClient(Cli("eth1"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  auto padis = [&] { return lan_.SentBy(kPeerMac, kEtherTypeDiscovery).size(); };
  EXPECT_EQ(padis(), 1u);
  EXPECT_EQ(lan_.sent.back().dst, os::kBroadcastMac);
  loop_.Advance(milliseconds(999));
  EXPECT_EQ(padis(), 1u);
  loop_.Advance(milliseconds(1));
  EXPECT_EQ(padis(), 2u);
  loop_.Advance(milliseconds(1999));
  EXPECT_EQ(padis(), 2u);
  loop_.Advance(milliseconds(1));
  EXPECT_EQ(padis(), 3u);
  loop_.Advance(seconds(4));
  EXPECT_EQ(padis(), 4u);
  loop_.Advance(seconds(8));
  EXPECT_EQ(padis(), 5u);
  EXPECT_TRUE(cev.downs.empty());
  loop_.Advance(seconds(16));
  EXPECT_EQ(padis(), 5u);
  ASSERT_EQ(cev.downs.size(), 1u);
  EXPECT_EQ(cev.downs[0], "no PADO received (timeout)");
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(ClientTest, LostPadiIsRetransmittedAndConnects) {
  Listen();
  int dropped = 0;
  lan_.drop = [&](const FakeLan::Frame& f) {
    return f.src == kPeerMac && f.ethertype == kEtherTypeDiscovery && dropped++ < 2;
  };
  auto client = client_port_.MakeClient(Cli("eth1"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  EXPECT_EQ(cev.ups, 0);
  loop_.Advance(seconds(3));  // PADIs at 0 s and 1 s lost, the one at 3 s gets through
  EXPECT_EQ(cev.ups, 1);
  EXPECT_EQ(port_.counters().padi_rx, 1u);
}

TEST_F(ClientTest, SelectsAcByNameWithMpd5Syntax) {
  Listen(Srv("*", "first"));
  const os::MacAddr mac2 = {0x02, 0, 0, 0, 0, 0x09};
  PppoePort second(loop_, lan_.Open(mac2, kEtherTypeDiscovery), lan_.Open(mac2, kEtherTypeSession),
                   CountingRandom());
  std::vector<std::unique_ptr<Driver>> second_incoming;
  ASSERT_TRUE(
      second
          .Listen(Srv("*", "second"),
                  [&](std::unique_ptr<Driver> d) { second_incoming.push_back(std::move(d)); })
          .ok());
  auto client = client_port_.MakeClient(Cli("eth1", "second\\isp"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  EXPECT_EQ(cev.ups, 1);
  EXPECT_TRUE(incoming_.empty());
  ASSERT_EQ(second_incoming.size(), 1u);
  EXPECT_EQ(client->Info().peer_addr, os::MacToString(mac2));
  EXPECT_EQ(client->Info().service, "isp");
  client.reset();  // sends PADT
  loop_.RunPending();
  EXPECT_EQ(second.session_count(), 0u);
  second_incoming.clear();
}

TEST_F(ClientTest, PadsErrorBringsClientDown) {
  Listen(Srv("*", "", 0, 1));
  Connect({0x02, 0, 0, 0, 0, 0x44}, {7});  // takes the only slot
  // The PADO is not sent at the limit, so answer the client by hand: inject
  // a PADO, then a refusing PADS.
  auto client = client_port_.MakeClient(Cli("eth1"));
  auto* raw = static_cast<PppoeClient*>(client.get());
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  EXPECT_EQ(raw->state(), PppoeClient::State::kDiscovering);
  Discovery padi = Parse(lan_.SentBy(kPeerMac, kEtherTypeDiscovery).back());
  const os::MacAddr ac = {0x02, 0, 0, 0, 0, 0x66};
  Discovery pado;
  pado.code = Code::kPADO;
  pado.ac_name = "fake";
  pado.service_name = "";
  pado.host_uniq = padi.host_uniq;
  pado.ac_cookie = B{1, 2, 3};
  lan_.Inject(ac, kPeerMac, kEtherTypeDiscovery, Serialize(pado));
  loop_.RunPending();
  EXPECT_EQ(raw->state(), PppoeClient::State::kRequesting);
  Discovery padr = Parse(lan_.SentBy(kPeerMac, kEtherTypeDiscovery).back());
  EXPECT_EQ(padr.code, Code::kPADR);
  EXPECT_EQ(padr.ac_cookie, B({1, 2, 3}));
  EXPECT_EQ(lan_.SentBy(kPeerMac, kEtherTypeDiscovery).back().dst, ac);

  Discovery pads;
  pads.code = Code::kPADS;
  pads.host_uniq = padi.host_uniq;
  pads.ac_system_error = "full";
  lan_.Inject(ac, kPeerMac, kEtherTypeDiscovery, Serialize(pads));
  loop_.RunPending();
  ASSERT_EQ(cev.downs.size(), 1u);
  EXPECT_EQ(cev.downs[0], "PADS refused: AC-System-Error: full");
  EXPECT_EQ(raw->state(), PppoeClient::State::kDown);
}

TEST_F(ClientTest, IgnoresPadoForOtherHostUniq) {
  auto client = client_port_.MakeClient(Cli("eth1"));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  Discovery pado;
  pado.code = Code::kPADO;
  pado.ac_name = "fake";
  pado.host_uniq = B{0xee};
  lan_.Inject({0x02, 0, 0, 0, 0, 0x66}, kPeerMac, kEtherTypeDiscovery, Serialize(pado));
  loop_.RunPending();
  EXPECT_EQ(static_cast<PppoeClient*>(client.get())->state(), PppoeClient::State::kDiscovering);
  EXPECT_EQ(client_port_.counters().disc_ignored, 1u);
}

TEST_F(ClientTest, Rfc4638BothSides) {
  Listen(Srv("*", "", 1500));
  auto client = client_port_.MakeClient(Cli("eth1", "", "", 1500));
  Events cev;
  client->SetEvents(&cev);
  client->Open();
  loop_.RunPending();
  ASSERT_EQ(cev.ups, 1);
  EXPECT_EQ(client->MaxMru(), 1500);
  ASSERT_EQ(incoming_.size(), 1u);
  EXPECT_EQ(incoming_[0]->MaxMru(), 1500);
  Discovery padi = Parse(lan_.SentBy(kPeerMac, kEtherTypeDiscovery).front());
  EXPECT_EQ(padi.ppp_max_payload, 1500);
}

TEST_F(ClientTest, ServerAndClientShareOnePort) {
  // The server port also dials out to another AC on the same interface.
  const os::MacAddr mac2 = {0x02, 0, 0, 0, 0, 0x09};
  PppoePort ac2(loop_, lan_.Open(mac2, kEtherTypeDiscovery), lan_.Open(mac2, kEtherTypeSession),
                CountingRandom());
  std::vector<std::unique_ptr<Driver>> ac2_incoming;
  ASSERT_TRUE(
      ac2.Listen(Srv("*", "ac2"), [&](auto d) { ac2_incoming.push_back(std::move(d)); }).ok());
  Listen(Srv("*", "ac1"));
  auto out = port_.MakeClient(Cli("eth0", "", "ac2"));
  auto in = client_port_.MakeClient(Cli("eth1", "", "ac1"));
  Events oev, iev;
  out->SetEvents(&oev);
  in->SetEvents(&iev);
  out->Open();
  in->Open();
  loop_.RunPending();
  EXPECT_EQ(oev.ups, 1);
  EXPECT_EQ(iev.ups, 1);
  EXPECT_EQ(incoming_.size(), 1u);
  EXPECT_EQ(ac2_incoming.size(), 1u);
  EXPECT_EQ(port_.session_count(), 2u);  // one served, one dialled
  out.reset();
  in.reset();
  ac2_incoming.clear();
}

TEST_F(ClientTest, PortDestroyedBeforeDriversDetachesThem) {
  auto port =
      std::make_unique<PppoePort>(loop_, lan_.Open({0x02, 0, 0, 0, 0, 0x70}, 0x8863),
                                  lan_.Open({0x02, 0, 0, 0, 0, 0x70}, 0x8864), CountingRandom());
  auto client = port->MakeClient(Cli("x"));
  client->Open();
  port.reset();
  loop_.Advance(seconds(60));  // no timer touches the dead port
  client->Send(Packet::Copy(B{1}));
  client->Close();
  client.reset();
  SUCCEED();
}

}  // namespace
}  // namespace mlppp::link::pppoe
