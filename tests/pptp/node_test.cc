// Two PPTP nodes (RFC 2637) on a FakeLoop, joined by fake TCP streams and a
// fake GRE network that can drop chosen packets: control connection, calls
// both ways, data through the link::Driver interface, clearing, keep-alive,
// pptplimit, delayed acks on the wire, and a connection flood.
#include "link/pptp/node.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "event/fake_loop.h"
#include "link/pptp/gre.h"

namespace mlppp::link::pptp {
namespace {

using namespace std::chrono_literals;

constexpr char kPnsIp[] = "192.0.2.1";
constexpr char kPacIp[] = "192.0.2.2";

// Both ends of one fake TCP connection. Writes are delivered through the
// loop, in order, cut into `chunk`-sized pieces when chunk != 0.
class FakeStream;
struct Pipe {
  event::FakeLoop* loop = nullptr;
  FakeStream* end[2] = {nullptr, nullptr};
  bool closed[2] = {false, false};
  bool blackhole = false;  // bytes and FIN vanish (a dead path)
  size_t chunk = 0;
};

class FakeStream : public StreamConn {
 public:
  FakeStream(std::shared_ptr<Pipe> pipe, int side) : pipe_(std::move(pipe)), side_(side) {
    pipe_->end[side_] = this;
  }
  ~FakeStream() override { pipe_->end[side_] = nullptr; }
  void Write(std::span<const uint8_t> bytes) override {
    if (pipe_->closed[side_] || pipe_->blackhole) return;
    std::vector<uint8_t> data(bytes.begin(), bytes.end());
    pipe_->loop->Post([pipe = pipe_, other = 1 - side_, data] {
      size_t step = pipe->chunk ? pipe->chunk : data.size();
      for (size_t at = 0; at < data.size(); at += step) {
        FakeStream* e = pipe->end[other];
        if (e == nullptr || pipe->closed[other]) return;
        e->DeliverData(
            std::span<const uint8_t>(data).subspan(at, std::min(step, data.size() - at)));
      }
    });
  }
  void Close() override {
    if (pipe_->closed[side_]) return;
    pipe_->closed[side_] = true;
    if (pipe_->blackhole) return;
    pipe_->loop->Post([pipe = pipe_, other = 1 - side_] {
      if (FakeStream* e = pipe->end[other]; e != nullptr && !pipe->closed[other])
        e->DeliverClosed();
    });
  }

 private:
  std::shared_ptr<Pipe> pipe_;
  int side_;
};

// Tells both ends the connection broke (a TCP reset).
void Reset(const std::shared_ptr<Pipe>& pipe) {
  for (int side = 0; side < 2; ++side) {
    if (FakeStream* e = pipe->end[side]; e != nullptr && !pipe->closed[side]) e->DeliverClosed();
  }
}

struct GreRecord {
  std::string from, to;
  GreHeader h;
  size_t payload = 0;
};

class FakeGreNet {
 public:
  explicit FakeGreNet(event::FakeLoop& loop) : loop_(loop) {}
  class Port : public GreTransport {
   public:
    Port(FakeGreNet* net, std::string self) : net_(net), self_(std::move(self)) {}
    void SendTo(const std::string& peer_ip, std::span<const uint8_t> pkt) override {
      net_->Carry(self_, peer_ip, pkt);
    }

   private:
    FakeGreNet* net_;
    std::string self_;
  };
  void Attach(const std::string& ip, Node* node) { nodes_[ip] = node; }
  void Carry(const std::string& from, const std::string& to, std::span<const uint8_t> pkt) {
    GreRecord r{from, to, {}, 0};
    std::span<const uint8_t> payload;
    EXPECT_EQ(ParseGre(pkt, &r.h, &payload), GreError::kOk);
    r.payload = payload.size();
    log.push_back(r);
    if (drop && drop(r)) return;
    std::vector<uint8_t> data(pkt.begin(), pkt.end());
    loop_.Post([this, from, to, data] {
      auto it = nodes_.find(to);
      if (it != nodes_.end() && it->second != nullptr) it->second->OnGre(from, Packet::Copy(data));
    });
  }
  std::vector<GreRecord> log;
  std::function<bool(const GreRecord&)> drop;

 private:
  event::FakeLoop& loop_;
  std::map<std::string, Node*> nodes_;
};

class Events : public DriverEvents {
 public:
  void OnDriverUp() override {
    ++up;
    order.push_back('u');
    if (on_up) on_up();
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
  int up = 0, down = 0;
  std::string reason;
  std::vector<std::vector<uint8_t>> frames;
  std::string order;  // 'u', 'd', 'f' as they came
  std::function<void()> on_up;
};

struct ServerCall {
  std::unique_ptr<link::Driver> driver;
  std::unique_ptr<Events> events = std::make_unique<Events>();
};

class PptpNodeTest : public ::testing::Test {
 protected:
  PptpNodeTest() : net_(loop_), pns_gre_(&net_, kPnsIp), pac_gre_(&net_, kPacIp) {}

  void SetUp() override { Build(); }

  void Build() {
    NodeConfig pns_cfg = base_;
    pns_cfg.self_ip = kPnsIp;
    NodeConfig pac_cfg = base_;
    pac_cfg.self_ip = kPacIp;
    auto rnd = [this] { return seed_ = seed_ * 1103515245u + 12345u; };
    pac_ = std::make_unique<Node>(loop_, pac_cfg, pac_gre_, nullptr, rnd);
    pns_ = std::make_unique<Node>(
        loop_, pns_cfg, pns_gre_,
        [this](const std::string& self, const std::string& peer, uint16_t port, ConnectDone done) {
          EXPECT_EQ(peer, kPacIp);
          EXPECT_EQ(port, kControlPort);
          if (refuse_connect_) {
            loop_.Post([done] { done(nullptr); });
            return;
          }
          auto pipe = std::make_shared<Pipe>();
          pipe->loop = &loop_;
          pipe->chunk = chunk_;
          pipes_.push_back(pipe);
          auto* a = new FakeStream(pipe, 0);
          auto* b = new FakeStream(pipe, 1);
          loop_.Post([this, a, b, self, done] {
            if (!pac_) {
              delete a;
              delete b;
              return;
            }
            pac_->Accept(std::unique_ptr<StreamConn>(b), self);
            done(std::unique_ptr<StreamConn>(a));
          });
        },
        rnd);
    net_.Attach(kPnsIp, pns_.get());
    net_.Attach(kPacIp, pac_.get());
    ASSERT_TRUE(pac_->Listen(server_, [this](std::unique_ptr<link::Driver> d) {
      ServerCall sc;
      sc.driver = std::move(d);
      sc.driver->SetEvents(sc.events.get());
      if (server_sends_on_up_) {
        // The PAC's LCP: a Configure-Request as soon as the call is up.
        sc.events->on_up = [d = sc.driver.get()] {
          d->Send(Packet::Copy(std::vector<uint8_t>{0xff, 0x03, 0xc0, 0x21, 0x01}));
        };
      }
      sc.driver->Open();
      server_calls_.push_back(std::move(sc));
    }));
  }

  void TearDown() override {
    client_.clear();
    server_calls_.clear();
    loop_.RunPending();
    DestroyNodes();
  }

  void DestroyNodes() {
    net_.Attach(kPnsIp, nullptr);
    net_.Attach(kPacIp, nullptr);
    pns_.reset();
    pac_.reset();
    loop_.RunPending();
  }
  void Rebuild() {
    DestroyNodes();
    Build();
  }

  struct Client {
    std::unique_ptr<link::Driver> driver;
    std::unique_ptr<Events> events = std::make_unique<Events>();
  };
  Client& Dial(bool outcall = true, CallOptions opts = {}) {
    ClientConfig cc;
    cc.peer_ip = kPacIp;
    cc.outcall = outcall;
    cc.called_num = "555";
    cc.options = opts;
    Client c;
    c.driver = pns_->Dial(cc);
    c.driver->SetEvents(c.events.get());
    c.driver->Open();
    client_.push_back(std::move(c));
    return client_.back();
  }

  static Packet Frame(std::vector<uint8_t> bytes) { return Packet::Copy(bytes); }

  event::FakeLoop loop_;
  FakeGreNet net_;
  FakeGreNet::Port pns_gre_, pac_gre_;
  NodeConfig base_;
  ServerConfig server_;
  uint32_t seed_ = 7;
  size_t chunk_ = 0;
  bool refuse_connect_ = false;
  bool server_sends_on_up_ = false;
  std::vector<std::shared_ptr<Pipe>> pipes_;
  std::unique_ptr<Node> pns_, pac_;
  std::vector<ServerCall> server_calls_;
  std::deque<Client> client_;
};

TEST_F(PptpNodeTest, OutgoingCallComesUpOnBothSides) {
  Client& c = Dial();
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 1);
  ASSERT_EQ(server_calls_.size(), 1u);
  EXPECT_EQ(server_calls_[0].events->up, 1);
  EXPECT_EQ(pns_->conn_count(), 1u);
  EXPECT_EQ(pac_->conn_count(), 1u);
  EXPECT_EQ(pac_->half_open(), 0u);

  auto* cc = static_cast<PptpCall*>(c.driver.get());
  auto* sc = static_cast<PptpCall*>(server_calls_[0].driver.get());
  EXPECT_EQ(cc->role(), CallRole::kPns);
  EXPECT_EQ(sc->role(), CallRole::kPac);
  EXPECT_EQ(cc->peer_call_id(), sc->call_id());
  EXPECT_EQ(sc->peer_call_id(), cc->call_id());
  PeerInfo info = c.driver->Info();
  EXPECT_EQ(info.type, "pptp");
  EXPECT_EQ(info.peer_addr, kPacIp);
  EXPECT_EQ(info.self_addr, kPnsIp);
  EXPECT_EQ(info.session_id, cc->call_id());
  EXPECT_EQ(c.driver->MaxMru(), 1460);
  EXPECT_TRUE(c.driver->WantsAddressControl());
  EXPECT_EQ(server_calls_[0].driver->Info().peer_addr, kPnsIp);
}

TEST_F(PptpNodeTest, PppFramesBothWays) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  c.driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04}));
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21, 0x02}));
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21, 0x03}));
  loop_.RunPending();
  ASSERT_EQ(server_calls_[0].events->frames.size(), 1u);
  EXPECT_EQ(server_calls_[0].events->frames[0],
            (std::vector<uint8_t>{0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04}));
  ASSERT_EQ(c.events->frames.size(), 2u);
  EXPECT_EQ(c.events->frames[1], (std::vector<uint8_t>{0xff, 0x03, 0x80, 0x21, 0x03}));
  // §4.1: data packets carry the receiver's Call ID and sequence numbers
  // from 0.
  auto* sc = static_cast<PptpCall*>(server_calls_[0].driver.get());
  ASSERT_GE(net_.log.size(), 3u);
  EXPECT_EQ(net_.log[0].h.call_id, sc->call_id());
  EXPECT_EQ(net_.log[0].h.seq, 0u);
  EXPECT_EQ(net_.log[2].h.seq, 1u);
}

// The PAC's LCP sends as soon as its call is up; on the PNS that frame
// comes after the PNS's own up. (On a real loop the GRE read can run
// between the Outgoing-Call-Reply's TCP read and the up that read posted;
// link/up_gate.h reports the up first then, tested in tests/link.)
TEST_F(PptpNodeTest, PacFrameSentOnItsUpReachesThePnsAfterItsUp) {
  server_sends_on_up_ = true;
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  EXPECT_EQ(server_calls_[0].events->up, 1);
  EXPECT_EQ(c.events->order, "uf");
  EXPECT_EQ(c.events->frames.size(), 1u);
}

TEST_F(PptpNodeTest, IncomingCallIcrqIcrpIccn) {
  Client& c = Dial(/*outcall=*/false);
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 1);
  ASSERT_EQ(server_calls_.size(), 1u);
  EXPECT_EQ(server_calls_[0].events->up, 1);
  auto* cc = static_cast<PptpCall*>(c.driver.get());
  auto* sc = static_cast<PptpCall*>(server_calls_[0].driver.get());
  EXPECT_EQ(cc->role(), CallRole::kPac);
  EXPECT_EQ(sc->role(), CallRole::kPns);
  EXPECT_EQ(sc->state(), CallState::kEstablished);
  c.driver->Send(Frame({0xff, 0x03, 0xc0, 0x21}));
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0xc0, 0x23}));
  loop_.RunPending();
  EXPECT_EQ(server_calls_[0].events->frames.size(), 1u);
  EXPECT_EQ(c.events->frames.size(), 1u);
}

TEST_F(PptpNodeTest, ServerRefusesIcrqWhenDisabled) {
  server_.accept_incoming = false;
  Rebuild();
  Client& c = Dial(/*outcall=*/false);
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 0);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_NE(c.events->reason.find("ICRP"), std::string::npos);
  EXPECT_EQ(pac_->counters().calls_refused, 1u);
}

TEST_F(PptpNodeTest, CallClearRequestFromPnsAnsweredWithCdn) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  c.driver->Close();
  loop_.RunPending();
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(server_calls_[0].events->reason, "peer CCRQ");
  EXPECT_EQ(c.events->down, 1);
  EXPECT_NE(c.events->reason.find("CDN"), std::string::npos);
  EXPECT_EQ(pac_->registered_calls(), 0u);
  EXPECT_EQ(pns_->registered_calls(), 0u);
  // The connection stays for pptptimeout, then the PNS stops it.
  EXPECT_EQ(pns_->conn_count(), 1u);
  loop_.Advance(base_.idle_timeout);
  loop_.RunPending();
  EXPECT_EQ(pns_->conn_count(), 0u);
  EXPECT_EQ(pac_->conn_count(), 0u);
}

TEST_F(PptpNodeTest, CdnFromPacTakesClientDown) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  server_calls_[0].driver->Close();
  loop_.RunPending();
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(c.events->reason, "CDN: Admin Shutdown");
  // Frames after the call is down go nowhere and are counted.
  c.driver->Send(Frame({0xff, 0x03}));
  EXPECT_EQ(static_cast<PptpCall*>(c.driver.get())->stats().tx_dropped, 1u);
}

TEST_F(PptpNodeTest, StopCcrqFromPnsTakesAllCallsDown) {
  Client& a = Dial();
  Client& b = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 2u);
  pns_->Shutdown();
  loop_.RunPending();
  EXPECT_EQ(a.events->down, 1);
  EXPECT_EQ(b.events->down, 1);
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(server_calls_[1].events->down, 1);
  EXPECT_NE(server_calls_[0].events->reason.find("StopCCRQ"), std::string::npos);
  EXPECT_EQ(pns_->conn_count(), 0u);
  EXPECT_EQ(pac_->conn_count(), 0u);
}

TEST_F(PptpNodeTest, StopCcrqFromPacTakesAllCallsDown) {
  Client& a = Dial();
  Client& b = Dial(false);
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 2u);
  pac_->Shutdown();
  loop_.RunPending();
  EXPECT_EQ(a.events->down, 1);
  EXPECT_EQ(b.events->down, 1);
  EXPECT_NE(a.events->reason.find("StopCCRQ"), std::string::npos);
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(pns_->conn_count(), 0u);
  EXPECT_EQ(pac_->conn_count(), 0u);
}

TEST_F(PptpNodeTest, EchoTimeoutTakesConnectionDown) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(c.events->up, 1);
  // The PAC goes silent but TCP stays up.
  pipes_[0]->blackhole = true;
  loop_.Advance(60s);  // silence: Echo-Request
  EXPECT_EQ(c.events->down, 0);
  loop_.Advance(60s);  // no Echo-Reply
  loop_.RunPending();
  EXPECT_EQ(c.events->down, 1);
  EXPECT_NE(c.events->reason.find("Echo-Reply timeout"), std::string::npos);
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(pns_->conn_count(), 0u);
  EXPECT_EQ(pac_->conn_count(), 0u);
}

TEST_F(PptpNodeTest, EchoKeepsQuietConnectionUp) {
  Client& c = Dial();
  loop_.RunPending();
  loop_.Advance(10min);
  loop_.RunPending();
  EXPECT_EQ(c.events->down, 0);
  EXPECT_EQ(server_calls_[0].events->down, 0);
}

TEST_F(PptpNodeTest, StreamClosedByPeerTakesCallsDown) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  Reset(pipes_[0]);
  loop_.RunPending();
  EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_NE(c.events->reason.find("closed by peer"), std::string::npos);
}

TEST_F(PptpNodeTest, ConnectFailureTakesCallDown) {
  refuse_connect_ = true;
  Client& c = Dial();
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 0);
  EXPECT_EQ(c.events->down, 1);
  EXPECT_EQ(pns_->counters().connect_failures, 1u);
  EXPECT_EQ(pns_->conn_count(), 0u);
}

TEST_F(PptpNodeTest, PptpLimitOpensSecondConnection) {
  base_.calls_per_conn = 2;
  Rebuild();
  Client& a = Dial();
  Client& b = Dial();
  Client& c = Dial();
  loop_.RunPending();
  EXPECT_EQ(a.events->up + b.events->up + c.events->up, 3);
  EXPECT_EQ(pns_->counters().connects, 2u);
  EXPECT_EQ(pac_->conn_count(), 2u);
  ASSERT_EQ(server_calls_.size(), 3u);
  // All three carry data on their own Call IDs.
  a.driver->Send(Frame({0xff, 0x03, 1}));
  b.driver->Send(Frame({0xff, 0x03, 2}));
  c.driver->Send(Frame({0xff, 0x03, 3}));
  loop_.RunPending();
  for (auto& sc : server_calls_) EXPECT_EQ(sc.events->frames.size(), 1u);
  // A call placed once the first is gone reuses a connection.
  a.driver->Close();
  loop_.RunPending();
  Client& d = Dial();
  loop_.RunPending();
  EXPECT_EQ(d.events->up, 1);
  EXPECT_EQ(pns_->counters().connects, 2u);
}

TEST_F(PptpNodeTest, DelayedAckOnTheWire) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  net_.log.clear();
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21}));
  loop_.RunPending();
  ASSERT_EQ(net_.log.size(), 1u);
  // delayed-ack: nothing yet; the ack waits for data to ride on.
  loop_.Advance(1ms);
  EXPECT_EQ(net_.log.size(), 1u);
  auto* cc = static_cast<PptpCall*>(c.driver.get());
  loop_.Advance(std::chrono::duration_cast<event::Duration>(cc->window()->AckDelay()));
  loop_.RunPending();
  ASSERT_EQ(net_.log.size(), 2u);
  // §4.1: an ack-only packet: A set, no S, no payload.
  EXPECT_EQ(net_.log[1].from, kPnsIp);
  EXPECT_FALSE(net_.log[1].h.seq.has_value());
  EXPECT_EQ(net_.log[1].h.ack, 0u);
  EXPECT_EQ(net_.log[1].payload, 0u);

  // Data sent before the delay carries the ack instead.
  net_.log.clear();
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21}));
  loop_.RunPending();
  c.driver->Send(Frame({0xff, 0x03, 0x80, 0x21}));
  loop_.Advance(1s);
  ASSERT_GE(net_.log.size(), 2u);
  EXPECT_EQ(net_.log[1].h.seq, 0u);
  EXPECT_EQ(net_.log[1].h.ack, 1u);
  int from_pns = 0;
  for (const auto& r : net_.log) from_pns += r.from == kPnsIp;
  EXPECT_EQ(from_pns, 1);  // no lone ack from the client
}

TEST_F(PptpNodeTest, WithoutDelayedAckTheAckGoesAtOnce) {
  CallOptions opts;
  opts.delayed_ack = false;
  Dial(true, opts);
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  net_.log.clear();
  server_calls_[0].driver->Send(Frame({0xff, 0x03, 0x80, 0x21}));
  loop_.RunPending();
  loop_.Advance(0s);  // a zero-delay timer, no waiting
  ASSERT_EQ(net_.log.size(), 2u);
  EXPECT_FALSE(net_.log[1].h.seq.has_value());
  EXPECT_EQ(net_.log[1].h.ack, 0u);
}

TEST_F(PptpNodeTest, WindowingBoundsUnackedPackets) {
  // The PAC announces a receive window of 4 (§2.8); the PNS with windowing
  // keeps at most 4 unacknowledged packets in flight (§4.2).
  server_.options.recv_window = 4;
  Rebuild();
  CallOptions opts;
  opts.windowing = true;
  Client& c = Dial(true, opts);
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  net_.drop = [](const GreRecord& r) { return r.from == kPacIp; };  // no acks come back
  for (uint8_t i = 0; i < 10; ++i) c.driver->Send(Frame({0xff, 0x03, i}));
  loop_.RunPending();
  auto* cc = static_cast<PptpCall*>(c.driver.get());
  EXPECT_EQ(cc->stats().tx_frames, 4u);
  EXPECT_EQ(cc->stats().tx_dropped, 6u);
  EXPECT_EQ(server_calls_[0].events->frames.size(), 4u);
  EXPECT_EQ(cc->window()->in_flight(), 4u);
  // The PAC's delayed ack (sent once the drop is lifted) reopens it.
  net_.drop = nullptr;
  loop_.Advance(1s);
  EXPECT_EQ(cc->window()->in_flight(), 0u);
  EXPECT_EQ(cc->window()->stats().ack_timeouts, 0u);
  c.driver->Send(Frame({0xff, 0x03, 42}));
  loop_.RunPending();
  EXPECT_EQ(cc->stats().tx_frames, 5u);
  EXPECT_EQ(server_calls_[0].events->frames.size(), 5u);
}

TEST_F(PptpNodeTest, LostGrePacketsAreSkippedInOrder) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  int n = 0;
  net_.drop = [&n](const GreRecord& r) { return r.payload > 0 && n++ == 1; };
  for (uint8_t i = 0; i < 3; ++i) server_calls_[0].driver->Send(Frame({0xff, 0x03, i}));
  loop_.RunPending();
  ASSERT_EQ(c.events->frames.size(), 2u);
  EXPECT_EQ(c.events->frames[1][2], 2);
  EXPECT_EQ(static_cast<PptpCall*>(c.driver.get())->window()->stats().lost, 1u);
}

TEST_F(PptpNodeTest, GreFromWrongAddressOrUnknownCallIsDropped) {
  Client& c = Dial();
  loop_.RunPending();
  auto* cc = static_cast<PptpCall*>(c.driver.get());
  std::vector<uint8_t> pkt;
  GreHeader h;
  h.call_id = cc->call_id();
  h.seq = 0;
  h.payload_length = 2;
  EncodeGre(h, &pkt);
  pkt.push_back(0xff);
  pkt.push_back(0x03);
  pns_->OnGre("198.51.100.9", Packet::Copy(pkt));  // right call, wrong peer
  h.call_id = static_cast<uint16_t>(cc->call_id() + 1);
  pkt.clear();
  EncodeGre(h, &pkt);
  pkt.push_back(0xff);
  pkt.push_back(0x03);
  pns_->OnGre(kPacIp, Packet::Copy(pkt));
  pns_->OnGre(kPacIp, Packet::Copy(std::vector<uint8_t>{0x30, 0x81}));  // truncated
  EXPECT_EQ(c.events->frames.size(), 0u);
  EXPECT_EQ(pns_->counters().gre_unknown_call, 2u);
  EXPECT_EQ(pns_->counters().gre_malformed, 1u);
}

TEST_F(PptpNodeTest, ConnectionFloodDoesNotStarveEstablishedCall) {
  Client& c = Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  // 500 connections from one source, half of them sending SCCRQ, the rest
  // silent; the attacker keeps its ends open.
  std::vector<std::unique_ptr<FakeStream>> attacker;
  StartCtrlConnRequest rq;
  const Bytes sccrq = Encode(rq);
  for (int i = 0; i < 500; ++i) {
    auto pipe = std::make_shared<Pipe>();
    pipe->loop = &loop_;
    attacker.push_back(std::make_unique<FakeStream>(pipe, 0));
    pac_->Accept(std::make_unique<FakeStream>(pipe, 1), "203.0.113.66");
    if (i % 2 == 0) attacker.back()->Write(sccrq);
    // Data keeps flowing on the established call.
    c.driver->Send(Frame({0xff, 0x03, static_cast<uint8_t>(i)}));
    loop_.RunPending();
  }
  EXPECT_EQ(server_calls_[0].events->frames.size(), 500u);
  EXPECT_EQ(pac_->counters().accepted, 1u + base_.max_conns_per_source);
  EXPECT_EQ(pac_->counters().refused_per_source, 500u - base_.max_conns_per_source);
  EXPECT_LE(pac_->conn_count(), 1u + base_.max_conns_per_source);
  // Silent half-open ones are closed after the setup timeout.
  loop_.Advance(base_.setup_timeout);
  EXPECT_EQ(pac_->half_open(), 0u);
  EXPECT_EQ(pac_->counters().setup_timeouts, base_.max_conns_per_source / 2);
  EXPECT_EQ(c.events->down, 0);
  EXPECT_EQ(server_calls_[0].events->down, 0);
}

TEST_F(PptpNodeTest, HalfOpenLimitAcrossSources) {
  base_.max_half_open = 4;
  Rebuild();
  std::vector<std::unique_ptr<FakeStream>> attacker;
  for (int i = 0; i < 10; ++i) {
    auto pipe = std::make_shared<Pipe>();
    pipe->loop = &loop_;
    attacker.push_back(std::make_unique<FakeStream>(pipe, 0));
    pac_->Accept(std::make_unique<FakeStream>(pipe, 1), "203.0.113." + std::to_string(i));
  }
  EXPECT_EQ(pac_->half_open(), 4u);
  EXPECT_EQ(pac_->counters().refused_half_open, 6u);
  // A legitimate client still gets in once the half-open ones time out.
  loop_.Advance(base_.setup_timeout);
  EXPECT_EQ(pac_->half_open(), 0u);
  Client& c = Dial();
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 1);
}

TEST_F(PptpNodeTest, StreamSplitAtOddBoundaries) {
  chunk_ = 3;
  Client& c = Dial();
  Client& d = Dial(false);
  loop_.RunPending();
  EXPECT_EQ(c.events->up, 1);
  EXPECT_EQ(d.events->up, 1);
  ASSERT_EQ(server_calls_.size(), 2u);
  c.driver->Close();
  loop_.RunPending();
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(c.events->down, 1);
}

TEST_F(PptpNodeTest, DriverDestroyedWhileUpClearsCall) {
  Dial();
  loop_.RunPending();
  ASSERT_EQ(server_calls_.size(), 1u);
  client_.clear();
  loop_.RunPending();
  EXPECT_EQ(server_calls_[0].events->down, 1);
  EXPECT_EQ(pns_->registered_calls(), 0u);
}

TEST_F(PptpNodeTest, NodeDestroyedFirstLeavesDriversHarmless) {
  Client& c = Dial();
  loop_.RunPending();
  net_.Attach(kPnsIp, nullptr);
  pns_.reset();
  loop_.RunPending();
  EXPECT_EQ(c.events->down, 1);
  c.driver->Send(Frame({0xff, 0x03}));
  c.driver->Close();
  c.driver->Open();
  loop_.RunPending();
  EXPECT_EQ(c.events->down, 1);
}

// What `show pptp` lists: each connection, its role, state and calls.
TEST_F(PptpNodeTest, ConnectionsListsEachWithItsCalls) {
  EXPECT_TRUE(pns_->connections().empty());
  base_.calls_per_conn = 2;
  Rebuild();
  Dial();
  Dial();
  Dial();
  // Dialled, the TCP connects not done yet.
  auto conns = pns_->connections();
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[0]->state(), ConnState::kConnecting);
  loop_.RunPending();
  conns = pns_->connections();
  ASSERT_EQ(conns.size(), 2u);
  for (const ControlConn* c : conns) {
    EXPECT_EQ(c->role(), ControlConn::Role::kOriginator);
    EXPECT_EQ(c->state(), ConnState::kEstablished);
    EXPECT_EQ(c->peer_ip(), kPacIp);
  }
  EXPECT_EQ(conns[0]->call_count(), 2u);
  EXPECT_EQ(conns[1]->call_count(), 1u);
  auto accepted = pac_->connections();
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_EQ(accepted[0]->role(), ControlConn::Role::kAnswerer);
  EXPECT_EQ(accepted[0]->peer_ip(), kPnsIp);
  EXPECT_EQ(accepted[0]->call_count() + accepted[1]->call_count(), 3u);
  // A connection whose calls are gone is still listed until pptptimeout.
  client_.pop_back();
  loop_.RunPending();
  conns = pns_->connections();
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[1]->call_count(), 0u);
}

}  // namespace
}  // namespace mlppp::link::pptp
