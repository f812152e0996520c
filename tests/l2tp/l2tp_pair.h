// Test support for the L2TP tunnel and node tests: a fake datagram network
// that can drop, duplicate and reorder, and an L2tpPair — a LAC node and a
// listening LNS node joined by it on a FakeLoop — with the calls each side
// sees.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "event/fake_loop.h"
#include "link/l2tp/node.h"

namespace mlppp::link::l2tp::l2tp_test {

using namespace std::chrono_literals;

class FakeNet {
 public:
  explicit FakeNet(event::FakeLoop& loop) : loop_(loop) {}

  class Port : public DatagramTransport {
   public:
    Port(FakeNet& net, Endpoint self) : net_(net), self_(std::move(self)) {}
    void SendTo(const Endpoint& to, std::span<const uint8_t> d) override {
      net_.Queue(self_, to, Bytes(d.begin(), d.end()));
    }
    const Endpoint& self() const { return self_; }

   private:
    FakeNet& net_;
    Endpoint self_;
  };

  void Attach(const Endpoint& at, Node* n) { nodes_[at] = n; }
  void Queue(const Endpoint& from, const Endpoint& to, Bytes d) {
    sent_.push_back({from, to, d});
    if (drop_all) return;
    bool control = d.size() >= 2 && (d[0] & 0x80);
    bool lossy = control || !control_only_loss;
    if (lossy && loss > 0 && dist_(rng_) < loss) {
      ++dropped;
      return;
    }
    int copies = (lossy && dup > 0 && dist_(rng_) < dup) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      if (reorder && lossy) {
        auto t = loop_.CreateTimer();
        auto delay = std::chrono::milliseconds(static_cast<int>(dist_(rng_) * 50));
        t->Start(delay, [this, from, to, d] { Deliver(from, to, d); });
        timers_.push_back(std::move(t));
      } else {
        loop_.Post([this, from, to, d] { Deliver(from, to, d); });
      }
    }
  }
  void Deliver(const Endpoint& from, const Endpoint& to, const Bytes& d) {
    if (drop_all) return;
    auto it = nodes_.find(to);
    if (it != nodes_.end()) it->second->OnDatagram(from, d);
  }

  struct Sent {
    Endpoint from, to;
    Bytes data;
  };
  // Control messages of `type` sent from `from` (decoded; hidden AVPs need
  // the secret).
  int CountSent(MessageType type, const std::string& from_addr,
                const std::string& secret = "") const {
    int n = 0;
    for (const Sent& s : sent_) {
      if (s.from.addr != from_addr) continue;
      ParsedHeader p;
      if (ParseHeader(s.data, &p) != HeaderError::kOk || !p.header.control) continue;
      if (p.payload.empty()) continue;
      ControlMessage m;
      HidingContext h{secret, false};
      if (!DecodeControl(p.payload, secret.empty() ? nullptr : &h, &m).ok()) continue;
      if (m.type == type) ++n;
    }
    return n;
  }
  const std::vector<Sent>& sent() const { return sent_; }
  void Seed(uint32_t s) { rng_.seed(s); }

  double loss = 0;
  double dup = 0;
  bool reorder = false;
  bool drop_all = false;
  bool control_only_loss = true;
  int dropped = 0;

 private:
  event::FakeLoop& loop_;
  std::map<Endpoint, Node*> nodes_;
  std::vector<Sent> sent_;
  std::vector<std::unique_ptr<event::Timer>> timers_;
  std::mt19937 rng_{1};
  std::uniform_real_distribution<double> dist_{0.0, 1.0};
};

struct Events : DriverEvents {
  void OnDriverUp() override {
    ++up;
    order.push_back('u');
  }
  void OnDriverDown(std::string_view r) override {
    ++down;
    order.push_back('d');
    reason = std::string(r);
  }
  void OnFrame(Packet&& f) override {
    order.push_back('f');
    frames.emplace_back(f.span().begin(), f.span().end());
  }
  int up = 0;
  int down = 0;
  std::string reason;
  std::vector<Bytes> frames;
  std::string order;  // 'u', 'd', 'f' as they came
};

struct Call {
  std::unique_ptr<link::Driver> driver;
  std::unique_ptr<Events> events = std::make_unique<Events>();
};

inline RandomFill SeededRandom(uint32_t seed) {
  auto rng = std::make_shared<std::mt19937>(seed);
  return [rng](std::span<uint8_t> out) {
    for (auto& b : out) b = static_cast<uint8_t>((*rng)());
  };
}

inline const Endpoint kLacAddr{"192.0.2.1", 1701};
inline const Endpoint kLnsAddr{"192.0.2.2", 1701};

class L2tpPair {
 public:
  explicit L2tpPair(NodeConfig cfg = {}, ServerConfig server = {})
      : lac_port(net, kLacAddr),
        lns_port(net, kLnsAddr),
        lac(loop, lac_port, kLacAddr.addr, WithName(cfg, "lac"), SeededRandom(1)),
        lns(loop, lns_port, kLnsAddr.addr, WithName(cfg, "lns"), SeededRandom(2)) {
    net.Attach(kLacAddr, &lac);
    net.Attach(kLnsAddr, &lns);
    EXPECT_TRUE(lns.Listen(std::move(server),
                           [this](std::unique_ptr<link::Driver> d) {
                             Call c;
                             c.driver = std::move(d);
                             c.driver->SetEvents(c.events.get());
                             c.driver->Open();
                             incoming.push_back(std::move(c));
                           })
                    .ok());
  }
  static NodeConfig WithName(NodeConfig c, std::string name) {
    c.hostname = std::move(name);
    return c;
  }

  Call& Dial(ClientConfig c = {}) {
    c.peer = kLnsAddr;
    Call call;
    call.driver = lac.Dial(std::move(c));
    call.driver->SetEvents(call.events.get());
    call.driver->Open();
    dialed.push_back(std::move(call));
    return dialed.back();
  }
  void Settle(event::Duration d = 2s) {
    loop.RunPending();
    for (auto t = event::Duration::zero(); t < d; t += 50ms) loop.Advance(50ms);
    loop.RunPending();
  }

  event::FakeLoop loop;
  FakeNet net{loop};
  FakeNet::Port lac_port;
  FakeNet::Port lns_port;
  Node lac;
  Node lns;
  std::deque<Call> dialed;
  std::deque<Call> incoming;
};

inline Packet Frame(std::initializer_list<uint8_t> b) {
  std::vector<uint8_t> v(b);
  return Packet::Copy(v);
}

}  // namespace mlppp::link::l2tp::l2tp_test
