// Two whole PPP stacks back to back on a fake loop: ppp::Link (LCP, auth)
// and bundle::Bundle (IPCP, IPV6CP, iface) on each side, joined by a fake
// driver pair. Proves the layers fit: negotiation, authentication, addresses,
// data both ways, hang-up and keep-alive, all on a manual clock.
#include <gtest/gtest.h>

#include <random>

#include "aaa/internal_backend.h"
#include "aaa/secrets.h"
#include "bundle/bundle.h"
#include "event/fake_loop.h"
#include "ppp/link.h"

namespace mlppp {
namespace {

using std::chrono::seconds;

// One end of a point-to-point wire; frames cross through the loop.
class FakeDriver : public link::Driver {
 public:
  FakeDriver(event::Loop& loop, std::string name) : loop_(loop), name_(std::move(name)) {}
  ~FakeDriver() override {
    if (peer_) peer_->peer_ = nullptr;
  }
  static void Connect(FakeDriver& a, FakeDriver& b) {
    a.peer_ = &b;
    b.peer_ = &a;
  }
  void SetEvents(link::DriverEvents* e) override { events_ = e; }
  void Open() override {
    loop_.Post([this] {
      if (events_) events_->OnDriverUp();
    });
  }
  void Close() override {
    closed_ = true;
    if (peer_ && !cut_) {
      FakeDriver* p = peer_;
      loop_.Post([p] {
        if (p->events_) p->events_->OnDriverDown("peer hung up");
      });
    }
    loop_.Post([this] {
      if (events_) events_->OnDriverDown("closed");
    });
  }
  void Send(Packet&& frame) override {
    ++sent_;
    if (!peer_ || cut_) return;
    auto bytes = std::make_shared<Packet>(std::move(frame));
    FakeDriver* p = peer_;
    loop_.Post([p, bytes] {
      if (p->events_ && !p->closed_) p->events_->OnFrame(std::move(*bytes));
    });
  }
  link::PeerInfo Info() const override {
    link::PeerInfo i;
    i.type = "fake";
    i.peer_addr = name_;
    return i;
  }
  uint16_t MaxMru() const override { return 1492; }

  // Simulates the peer vanishing: nothing crosses any more, no down event.
  void Cut() { cut_ = true; }
  int sent() const { return sent_; }

 private:
  event::Loop& loop_;
  std::string name_;
  FakeDriver* peer_ = nullptr;
  link::DriverEvents* events_ = nullptr;
  bool closed_ = false, cut_ = false;
  int sent_ = 0;
};

class FakeIface : public bundle::Iface {
 public:
  explicit FakeIface(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  void SetReceiver(std::function<void(bundle::IpFamily, Packet&&)> rx) override { rx_ = rx; }
  void ConfigureV4(const bundle::Ipv4Params& p, std::function<void(Status)> done) override {
    v4 = p;
    done(Status::Ok());
  }
  void ConfigureV6(const bundle::Ipv6Params& p, std::function<void(Status)> done) override {
    v6 = p;
    done(Status::Ok());
  }
  void Deliver(bundle::IpFamily fam, Packet&& pkt) override {
    delivered.push_back({fam, std::vector<uint8_t>(pkt.span().begin(), pkt.span().end())});
  }
  void FromHost(bundle::IpFamily fam, std::vector<uint8_t> bytes) {
    rx_(fam, Packet::Copy(bytes));
  }

  std::optional<bundle::Ipv4Params> v4;
  std::optional<bundle::Ipv6Params> v6;
  std::vector<std::pair<bundle::IpFamily, std::vector<uint8_t>>> delivered;

 private:
  std::string name_;
  std::function<void(bundle::IpFamily, Packet&&)> rx_;
};

class FakeIfaces : public bundle::IfaceFactory {
 public:
  Result<std::unique_ptr<bundle::Iface>> Create(const std::string& name) override {
    auto i = std::make_unique<FakeIface>(name.empty() ? "ppp" + std::to_string(n_++) : name);
    last = i.get();
    ++live;
    return std::unique_ptr<bundle::Iface>(std::move(i));
  }
  FakeIface* last = nullptr;
  int live = 0;

 private:
  int n_ = 0;
};

// One side: a link, and the bundle it joins when it reaches the network phase.
class Side : public ppp::LinkEvents, public bundle::BundleEvents {
 public:
  Side(event::FakeLoop& loop, std::unique_ptr<FakeDriver> driver, ppp::LinkConfig lc,
       bundle::BundleConfig bc, aaa::AuthBackend& backend, uint32_t seed)
      : loop_(loop), rng_(seed), bc_(std::move(bc)) {
    ppp::Randomness r;
    r.u32 = [this] { return static_cast<uint32_t>(rng_()); };
    r.fill = [this](std::span<uint8_t> out) {
      for (auto& b : out) b = static_cast<uint8_t>(rng_());
    };
    link = std::make_unique<ppp::Link>(loop, "L", std::move(driver), lc, backend, *this, r);
  }
  void OnLinkNetwork(ppp::Link& l) override {
    bundle = std::make_unique<bundle::Bundle>(loop_, "B", bc_, ifaces, *this,
                                              [this] { return uint64_t{rng_()} << 32 | rng_(); });
    ASSERT_TRUE(bundle->Join(l).ok());
  }
  void OnLinkLeftNetwork(ppp::Link& l) override {
    if (bundle) bundle->Leave(l);
  }
  void OnLinkDead(ppp::Link&, std::string_view reason) override { dead_reason = reason; }
  void OnNetworkFrame(ppp::Link& l, uint16_t proto, Packet&& info) override {
    if (bundle) bundle->Input(l, proto, std::move(info));
  }
  void OnProtocolRejected(ppp::Link&, uint16_t proto) override {
    if (bundle) bundle->ProtocolRejected(proto);
  }
  void OnBundleUp(bundle::Bundle&) override { up = true; }
  void OnBundleDown(bundle::Bundle&, std::string_view) override { bundle_down = true; }

  FakeIfaces ifaces;
  std::unique_ptr<ppp::Link> link;
  std::unique_ptr<bundle::Bundle> bundle;
  bool up = false, bundle_down = false;
  std::optional<std::string> dead_reason;

 private:
  event::FakeLoop& loop_;
  std::mt19937 rng_;
  bundle::BundleConfig bc_;
};

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a << 24 | b << 16 | c << 8 | d);
}

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

  std::vector<uint8_t> v4pkt = {0x45, 0, 0, 20, 1, 2, 3, 4, 64, 17, 0, 0, 10, 0, 0, 100, 10, 0, 0, 1};
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
