// Fakes for running two whole PPP stacks back to back on a FakeLoop: a
// driver pair that hands frames across through the loop (and records what
// each side sent), an interface that records what the bundle applied, and
// one side's link + bundle owner.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "aaa/auth_backend.h"
#include "bundle/bundle.h"
#include "core/wire.h"
#include "event/fake_loop.h"
#include "link/driver.h"
#include "ppp/frame.h"
#include "ppp/link.h"

namespace mlppp::stack_test {

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
    Record(frame);
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

  // What this side put on the wire: the PPP protocol of each frame and the
  // first octet of its information field (the Code of a control packet).
  struct Sent {
    uint16_t protocol = 0;
    uint8_t code = 0;
  };
  const std::vector<Sent>& log() const { return log_; }
  void ClearLog() { log_.clear(); }
  size_t Count(uint16_t protocol, std::optional<uint8_t> code = std::nullopt) const {
    size_t n = 0;
    for (const Sent& s : log_)
      if (s.protocol == protocol && (!code || s.code == *code)) ++n;
    return n;
  }

 private:
  event::Loop& loop_;
  std::string name_;
  FakeDriver* peer_ = nullptr;
  link::DriverEvents* events_ = nullptr;
  bool closed_ = false, cut_ = false;
  int sent_ = 0;
  std::vector<Sent> log_;

  void Record(const Packet& frame) {
    Packet copy = frame.Clone();
    auto protocol = ppp::DecodeFrame(copy);
    if (!protocol) return;
    WireReader r(copy.span());
    log_.push_back({*protocol, r.PeekU8().value_or(0)});
  }
};

class FakeIface : public bundle::Iface {
 public:
  explicit FakeIface(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  void SetReceiver(std::function<void(bundle::IpFamily, Packet&&)> rx) override { rx_ = rx; }
  void ConfigureV4(const bundle::Ipv4Params& p, std::function<void(Status)> done) override {
    v4 = p;
    ++v4_applied;
    if (hold_v4) {
      held_v4.push_back(std::move(done));  // a slow pool: completed by the test
      return;
    }
    done(Status::Ok());
  }
  void ConfigureV6(const bundle::Ipv6Params& p, std::function<void(Status)> done) override {
    v6 = p;
    done(Status::Ok());
  }
  void Deliver(bundle::IpFamily fam, Packet&& pkt) override {
    delivered.push_back({fam, std::vector<uint8_t>(pkt.span().begin(), pkt.span().end())});
  }
  void SetAdminUp(bool up, std::function<void(Status)> done) override {
    admin_up = up;
    done(Status::Ok());
  }
  void UnconfigureV4(const bundle::Ipv4Params&, std::function<void(Status)> done) override {
    v4.reset();
    ++v4_removed;
    done(Status::Ok());
  }
  void UnconfigureV6(const bundle::Ipv6Params&, std::function<void(Status)> done) override {
    v6.reset();
    ++v6_removed;
    done(Status::Ok());
  }
  void FromHost(bundle::IpFamily fam, std::vector<uint8_t> bytes) { rx_(fam, Packet::Copy(bytes)); }

  std::optional<bundle::Ipv4Params> v4;
  std::optional<bundle::Ipv6Params> v6;
  std::vector<std::pair<bundle::IpFamily, std::vector<uint8_t>>> delivered;
  bool admin_up = true;
  int v4_applied = 0, v4_removed = 0, v6_removed = 0;
  bool hold_v4 = false;
  std::vector<std::function<void(Status)>> held_v4;

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
    bundle->UseDataBatch(batch);
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
  void OnBundleUp(bundle::Bundle&) override {
    up = true;
    ++ups;
  }
  void OnBundleDown(bundle::Bundle&, std::string_view reason) override {
    bundle_down = true;
    down_reason = reason;
  }

  FakeIfaces ifaces;
  bundle::DataBatch* batch = nullptr;  // given to the bundle when it is made
  std::unique_ptr<ppp::Link> link;
  std::unique_ptr<bundle::Bundle> bundle;
  bool up = false, bundle_down = false;
  int ups = 0;  // OnBundleUp calls
  std::string down_reason;
  std::optional<std::string> dead_reason;

 private:
  event::FakeLoop& loop_;
  std::mt19937 rng_;
  bundle::BundleConfig bc_;
};

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a << 24 | b << 16 | c << 8 | d);
}

}  // namespace mlppp::stack_test
