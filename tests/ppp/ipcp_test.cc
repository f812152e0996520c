#include "ppp/ipcp.h"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "event/fake_loop.h"

namespace mlppp::ppp {
namespace {

using Bytes = std::vector<uint8_t>;
using Kind = ConfReqVerdict::Kind;

constexpr uint32_t Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

CpOption Opt(uint8_t type, uint32_t addr) {
  return CpOption{type,
                  {static_cast<uint8_t>(addr >> 24), static_cast<uint8_t>(addr >> 16),
                   static_cast<uint8_t>(addr >> 8), static_cast<uint8_t>(addr)}};
}

class Recorder : public IpcpEvents {
 public:
  void OnIpcpUp(const IpcpResult& r) override { up = r; }
  void OnIpcpDown() override { ++downs; }
  void OnIpcpFinished(std::string_view reason) override { finished = std::string(reason); }
  std::optional<IpcpResult> up;
  int downs = 0;
  std::optional<std::string> finished;
};

struct Side {
  Side(event::FakeLoop& loop, IpcpConfig cfg, std::deque<Bytes>* out)
      : ipcp(
            loop, cfg,
            [out](uint16_t proto, Packet&& p) {
              EXPECT_EQ(proto, 0x8021);
              out->emplace_back(p.span().begin(), p.span().end());
            },
            events) {}
  Recorder events;
  Ipcp ipcp;
};

// Handler-level tests call the FsmHandler methods directly.
class IpcpHandlerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Side> Make(IpcpConfig cfg) { return std::make_unique<Side>(loop_, cfg, &sent_); }
  event::FakeLoop loop_;
  std::deque<Bytes> sent_;
};

TEST_F(IpcpHandlerTest, ServerAssignsFromPeerRange) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 32};
  cfg.peer = {Ip(10, 0, 0, 2), 32};
  auto s = Make(cfg);
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 1))});
  // RFC 1332 §3.3: the client asks for 0.0.0.0 and is Nak'ed with its address.
  auto v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, 0)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2))});
  // An address outside the range is Nak'ed the same way.
  v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(192, 168, 1, 1))});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2))});
  v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2))});
  EXPECT_EQ(v.kind, Kind::kAck);
  EXPECT_EQ(s->ipcp.result().peer, Ip(10, 0, 0, 2));
}

TEST_F(IpcpHandlerTest, ServerAcceptsAnyAddressInsideWiderRange) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 32};
  cfg.peer = {Ip(10, 0, 0, 2), 24};
  auto s = Make(cfg);
  EXPECT_EQ(s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 77))}).kind, Kind::kAck);
  EXPECT_EQ(s->ipcp.result().peer, Ip(10, 0, 0, 77));
  // Our own address is not the peer's to take.
  auto v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 1))});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2))});
}

TEST_F(IpcpHandlerTest, ServerNaksMissingAddressOnce) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 32};
  cfg.peer = {Ip(10, 0, 0, 2), 32};
  auto s = Make(cfg);
  auto v = s->ipcp.CheckConfReq({});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2))});
  EXPECT_EQ(s->ipcp.CheckConfReq({}).kind, Kind::kAck);
  EXPECT_EQ(s->ipcp.result().peer, Ip(10, 0, 0, 2));
}

TEST_F(IpcpHandlerTest, ClientRequestsZeroAndTakesNak) {
  IpcpConfig cfg;  // self 0/0: ask to be assigned; peer 0/0: accept anything
  auto s = Make(cfg);
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, 0)});
  s->ipcp.OnConfNak(std::vector<CpOption>{Opt(3, Ip(100, 64, 0, 9))});
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, Ip(100, 64, 0, 9))});
  s->ipcp.OnConfAck(std::vector<CpOption>{Opt(3, Ip(100, 64, 0, 9))});
  EXPECT_EQ(s->ipcp.result().local, Ip(100, 64, 0, 9));
  // The client accepts whatever non-zero address the server has.
  EXPECT_EQ(s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(100, 64, 0, 1))}).kind,
            Kind::kAck);
  EXPECT_EQ(s->ipcp.result().peer, Ip(100, 64, 0, 1));
  // A server asking us for an address gets rejected: we have none to give.
  auto v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, 0)});
  EXPECT_EQ(v.kind, Kind::kRej);
}

TEST_F(IpcpHandlerTest, NakOutsideOwnRangeIgnored) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 24};
  auto s = Make(cfg);
  s->ipcp.OnConfNak(std::vector<CpOption>{Opt(3, Ip(172, 16, 0, 1))});
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 1))});
  s->ipcp.OnConfNak(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 50))});
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 50))});
  s->ipcp.OnConfNak(std::vector<CpOption>{CpOption{3, {1, 2}}});  // bad length: ignored
  EXPECT_EQ(s->ipcp.BuildConfReq(), std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 50))});
  EXPECT_EQ(s->ipcp.peer_errors(), 1u);
}

TEST_F(IpcpHandlerTest, ClientRequestsDns) {
  IpcpConfig cfg;
  cfg.request_dns = true;
  auto s = Make(cfg);
  EXPECT_EQ(s->ipcp.BuildConfReq(), (std::vector<CpOption>{Opt(3, 0), Opt(129, 0), Opt(131, 0)}));
  s->ipcp.OnConfNak(std::vector<CpOption>{Opt(3, Ip(10, 1, 1, 2)), Opt(129, Ip(8, 8, 8, 8)),
                                          Opt(131, Ip(1, 1, 1, 1))});
  auto req = s->ipcp.BuildConfReq();
  EXPECT_EQ(req, (std::vector<CpOption>{Opt(3, Ip(10, 1, 1, 2)), Opt(129, Ip(8, 8, 8, 8)),
                                        Opt(131, Ip(1, 1, 1, 1))}));
  s->ipcp.OnConfAck(req);
  EXPECT_EQ(s->ipcp.result().dns1, Ip(8, 8, 8, 8));
  EXPECT_EQ(s->ipcp.result().dns2, Ip(1, 1, 1, 1));
}

TEST_F(IpcpHandlerTest, ZeroDnsSuggestionIgnored) {
  IpcpConfig cfg;
  cfg.request_dns = true;
  auto s = Make(cfg);
  s->ipcp.OnConfNak(std::vector<CpOption>{Opt(129, 0), Opt(131, Ip(1, 0, 0, 1))});
  EXPECT_EQ(s->ipcp.BuildConfReq(),
            (std::vector<CpOption>{Opt(3, 0), Opt(129, 0), Opt(131, Ip(1, 0, 0, 1))}));
}

TEST_F(IpcpHandlerTest, ClientDropsRejectedDns) {
  IpcpConfig cfg;
  cfg.request_dns = true;
  auto s = Make(cfg);
  s->ipcp.OnConfRej(std::vector<CpOption>{Opt(131, 0)});
  EXPECT_EQ(s->ipcp.BuildConfReq(), (std::vector<CpOption>{Opt(3, 0), Opt(129, 0)}));
}

TEST_F(IpcpHandlerTest, ServerGivesDnsOrRejects) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 32};
  cfg.peer = {Ip(10, 0, 0, 2), 32};
  cfg.dns1 = Ip(9, 9, 9, 9);
  auto s = Make(cfg);
  auto v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2)), Opt(129, 0)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(129, Ip(9, 9, 9, 9))});
  // No secondary configured: Rej, which wins over Nak (RFC 1661 §5.4).
  v = s->ipcp.CheckConfReq(std::vector<CpOption>{Opt(129, 0), Opt(131, 0)});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, std::vector<CpOption>{Opt(131, 0)});
  v = s->ipcp.CheckConfReq(
      std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 2)), Opt(129, Ip(9, 9, 9, 9))});
  EXPECT_EQ(v.kind, Kind::kAck);
}

TEST_F(IpcpHandlerTest, RejectsVjDeprecatedNbnsAndUnknown) {
  IpcpConfig cfg;
  cfg.peer = {Ip(10, 0, 0, 2), 32};
  auto s = Make(cfg);
  // VJ: 00 2d, max-slot 0f, comp-slot-id 01 (RFC 1332 §4).
  CpOption vj{2, {0x00, 0x2d, 0x0f, 0x01}};
  CpOption addrs{1, {10, 0, 0, 2, 10, 0, 0, 1}};
  CpOption nbns = Opt(130, 0);
  CpOption unknown{77, {}};
  CpOption short_addr{3, {10, 0}};
  auto v = s->ipcp.CheckConfReq(
      std::vector<CpOption>{vj, Opt(3, Ip(10, 0, 0, 2)), addrs, nbns, unknown, short_addr});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, (std::vector<CpOption>{vj, addrs, nbns, unknown, short_addr}));
  EXPECT_EQ(IpcpOptName(2), "IP-Compression-Protocol");
  EXPECT_EQ(IpcpOptName(200), "unknown");
}

TEST_F(IpcpHandlerTest, RejectedAddressKeptWhenWeHaveOne) {
  IpcpConfig cfg;
  cfg.self = {Ip(10, 0, 0, 1), 32};
  auto s = Make(cfg);
  s->ipcp.OnConfRej(std::vector<CpOption>{Opt(3, Ip(10, 0, 0, 1))});
  EXPECT_TRUE(s->ipcp.BuildConfReq().empty());
  s->ipcp.OnConfAck({});
  EXPECT_EQ(s->ipcp.result().local, Ip(10, 0, 0, 1));
  loop_.RunPending();
  EXPECT_FALSE(s->events.finished);
}

TEST(InRange, Widths) {
  EXPECT_TRUE(InRange(Ip(1, 2, 3, 4), {0, 0}));
  EXPECT_TRUE(InRange(Ip(10, 0, 0, 9), {Ip(10, 0, 0, 1), 24}));
  EXPECT_FALSE(InRange(Ip(10, 0, 1, 9), {Ip(10, 0, 0, 1), 24}));
  EXPECT_TRUE(InRange(Ip(10, 0, 0, 1), {Ip(10, 0, 0, 1), 32}));
  EXPECT_FALSE(InRange(Ip(10, 0, 0, 2), {Ip(10, 0, 0, 1), 32}));
}

// Two Fsm+Ipcp pairs joined back to back.
class IpcpBackToBack : public ::testing::Test {
 protected:
  void Make(IpcpConfig server, IpcpConfig client) {
    a_ = std::make_unique<Side>(loop_, server, &a_out_);
    b_ = std::make_unique<Side>(loop_, client, &b_out_);
  }
  void Pump() {
    for (int i = 0; i < 100 && (!a_out_.empty() || !b_out_.empty()); ++i) {
      while (!a_out_.empty()) {
        Bytes p = std::move(a_out_.front());
        a_out_.pop_front();
        if (drop_a_to_b_ && drop_a_to_b_(p)) continue;
        b_->ipcp.fsm().Input(p);
      }
      while (!b_out_.empty()) {
        Bytes p = std::move(b_out_.front());
        b_out_.pop_front();
        a_->ipcp.fsm().Input(p);
      }
    }
    loop_.RunPending();
  }
  void Start() {
    for (Side* s : {a_.get(), b_.get()}) {
      s->ipcp.fsm().Open();
      s->ipcp.fsm().Up();
    }
    Pump();
  }

  event::FakeLoop loop_;
  std::deque<Bytes> a_out_, b_out_;
  std::unique_ptr<Side> a_, b_;
  std::function<bool(const Bytes&)> drop_a_to_b_;
};

TEST_F(IpcpBackToBack, ServerAssignsClientAddressAndDns) {
  IpcpConfig server;
  server.self = {Ip(10, 0, 0, 1), 32};
  server.peer = {Ip(10, 0, 0, 2), 32};
  server.dns1 = Ip(10, 0, 0, 53);
  server.dns2 = Ip(10, 0, 0, 54);
  IpcpConfig client;
  client.request_dns = true;
  Make(server, client);
  Start();
  ASSERT_EQ(a_->ipcp.fsm().state(), FsmState::kOpened);
  ASSERT_EQ(b_->ipcp.fsm().state(), FsmState::kOpened);
  ASSERT_TRUE(a_->events.up);
  ASSERT_TRUE(b_->events.up);
  EXPECT_EQ(a_->events.up->local, Ip(10, 0, 0, 1));
  EXPECT_EQ(a_->events.up->peer, Ip(10, 0, 0, 2));
  EXPECT_EQ(b_->events.up->local, Ip(10, 0, 0, 2));
  EXPECT_EQ(b_->events.up->peer, Ip(10, 0, 0, 1));
  EXPECT_EQ(b_->events.up->dns1, Ip(10, 0, 0, 53));
  EXPECT_EQ(b_->events.up->dns2, Ip(10, 0, 0, 54));
  // Closing one side brings the other down too.
  a_->ipcp.fsm().Close("admin");
  Pump();
  loop_.Advance(std::chrono::seconds(10));
  Pump();
  EXPECT_EQ(b_->events.downs, 1);
  EXPECT_EQ(a_->events.downs, 1);
  EXPECT_TRUE(a_->events.finished);
}

TEST_F(IpcpBackToBack, ClientWithoutAddressGivesUpWhenRejected) {
  IpcpConfig server;  // nothing to give: rejects 0.0.0.0
  server.self = {Ip(10, 0, 0, 1), 32};
  IpcpConfig client;
  Make(server, client);
  Start();
  loop_.Advance(std::chrono::seconds(30));
  Pump();
  EXPECT_NE(b_->ipcp.fsm().state(), FsmState::kOpened);
  ASSERT_TRUE(b_->events.finished);
  EXPECT_NE(b_->events.finished->find("rejected IP-Address"), std::string::npos);
  EXPECT_FALSE(b_->events.up);
}

}  // namespace
}  // namespace mlppp::ppp
