#include "ppp/ipv6cp.h"

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

InterfaceId Id(uint64_t v) {
  InterfaceId id{};
  for (int i = 7; i >= 0; --i, v >>= 8) id[i] = static_cast<uint8_t>(v);
  return id;
}
CpOption IdOpt(uint64_t v) {
  auto id = Id(v);
  return CpOption{1, Bytes(id.begin(), id.end())};
}

// Returns the listed values in turn, then repeats the last one.
std::function<uint64_t()> Seq(std::vector<uint64_t> values) {
  auto state = std::make_shared<std::pair<std::vector<uint64_t>, size_t>>(std::move(values), 0);
  return [state] {
    auto& [v, i] = *state;
    uint64_t r = v[std::min(i, v.size() - 1)];
    ++i;
    return r;
  };
}

class Recorder : public Ipv6cpEvents {
 public:
  void OnIpv6cpUp(const Ipv6cpResult& r) override { up = r; }
  void OnIpv6cpDown() override { ++downs; }
  void OnIpv6cpFinished(std::string_view reason) override { finished = std::string(reason); }
  std::optional<Ipv6cpResult> up;
  int downs = 0;
  std::optional<std::string> finished;
};

struct Side {
  Side(event::FakeLoop& loop, Ipv6cpConfig cfg, std::function<uint64_t()> random,
       std::deque<Bytes>* out)
      : v6(
            loop, cfg,
            [out](uint16_t proto, Packet&& p) {
              EXPECT_EQ(proto, 0x8057);
              out->emplace_back(p.span().begin(), p.span().end());
            },
            events, std::move(random)) {}
  Recorder events;
  Ipv6cp v6;
};

class Ipv6cpTest : public ::testing::Test {
 protected:
  event::FakeLoop loop_;
  std::deque<Bytes> sent_;
};

TEST_F(Ipv6cpTest, PicksRandomNonZeroIdAndAcksDistinctPeer) {
  Side s(loop_, {}, Seq({0, 0x1122334455667788}), &sent_);
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(0x1122334455667788)});
  auto v = s.v6.CheckConfReq(std::vector<CpOption>{IdOpt(0xaa)});
  EXPECT_EQ(v.kind, Kind::kAck);
  EXPECT_EQ(s.v6.result().peer_id, Id(0xaa));
}

TEST_F(Ipv6cpTest, ConfiguredIdUsed) {
  Ipv6cpConfig cfg;
  cfg.local_id = Id(0x0200000000000001);
  Side s(loop_, cfg, Seq({7}), &sent_);
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(0x0200000000000001)});
}

TEST_F(Ipv6cpTest, ZeroPeerIdNakedWithRandomDifferentFromOurs) {
  // Our id 5; the next random values are 5 (ours: skipped) and 9.
  Side s(loop_, {}, Seq({5, 5, 9}), &sent_);
  auto v = s.v6.CheckConfReq(std::vector<CpOption>{IdOpt(0)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{IdOpt(9)});
}

TEST_F(Ipv6cpTest, CollisionNakedThenOwnIdChangedIfPersisting) {
  Side s(loop_, {}, Seq({5, 6, 7, 8, 9}), &sent_);
  // First collision: the peer gets a new suggestion; ours stays.
  auto v = s.v6.CheckConfReq(std::vector<CpOption>{IdOpt(5)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{IdOpt(6)});
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(5)});
  // It persists: we move too (RFC 5072 §4.1).
  v = s.v6.CheckConfReq(std::vector<CpOption>{IdOpt(5)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(7)});
  EXPECT_EQ(v.options, std::vector<CpOption>{IdOpt(8)});
}

TEST_F(Ipv6cpTest, NakSuggestionTakenUnlessPeersOwn) {
  Side s(loop_, {}, Seq({5, 0x77}), &sent_);
  EXPECT_EQ(s.v6.CheckConfReq(std::vector<CpOption>{IdOpt(0x42)}).kind, Kind::kAck);
  s.v6.OnConfNak(std::vector<CpOption>{IdOpt(0x33)});
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(0x33)});
  // The suggestion equals the peer's own id: pick a fresh one instead.
  s.v6.OnConfNak(std::vector<CpOption>{IdOpt(0x42)});
  EXPECT_EQ(s.v6.BuildConfReq(), std::vector<CpOption>{IdOpt(0x77)});
  // Zero is never taken.
  s.v6.OnConfNak(std::vector<CpOption>{IdOpt(0)});
  auto req = s.v6.BuildConfReq();
  ASSERT_EQ(req.size(), 1u);
  EXPECT_NE(req[0], IdOpt(0));
  // Bad length: ignored and counted.
  s.v6.OnConfNak(std::vector<CpOption>{CpOption{1, {1, 2, 3}}});
  EXPECT_EQ(s.v6.BuildConfReq(), req);
  EXPECT_EQ(s.v6.peer_errors(), 1u);
}

TEST_F(Ipv6cpTest, RejectsCompressionUnknownAndBadLength) {
  Side s(loop_, {}, Seq({5}), &sent_);
  CpOption comp{2, {0x00, 0x4f}};
  CpOption unknown{9, {1}};
  CpOption short_id{1, {1, 2}};
  auto v = s.v6.CheckConfReq(std::vector<CpOption>{comp, unknown, short_id});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, (std::vector<CpOption>{comp, unknown, short_id}));
  EXPECT_EQ(Ipv6cpOptName(2), "IPv6-Compression-Protocol");
}

TEST_F(Ipv6cpTest, MissingIdNakedOnceAndRejectStopsSending) {
  Side s(loop_, {}, Seq({5, 6}), &sent_);
  auto v = s.v6.CheckConfReq({});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{IdOpt(6)});
  EXPECT_EQ(s.v6.CheckConfReq({}).kind, Kind::kAck);
  s.v6.OnConfRej(std::vector<CpOption>{IdOpt(5)});
  EXPECT_TRUE(s.v6.BuildConfReq().empty());
}

TEST_F(Ipv6cpTest, BrokenRandomStillGivesDistinctNonZeroIds) {
  Side s(
      loop_, {}, [] { return uint64_t{0}; }, &sent_);
  auto req = s.v6.BuildConfReq();
  ASSERT_EQ(req.size(), 1u);
  EXPECT_NE(req[0], IdOpt(0));
  auto v = s.v6.CheckConfReq(req);  // collision
  ASSERT_EQ(v.options.size(), 1u);
  EXPECT_NE(v.options[0], req[0]);
  EXPECT_NE(v.options[0], IdOpt(0));
}

class Ipv6cpBackToBack : public ::testing::Test {
 protected:
  void Pump() {
    for (int i = 0; i < 100 && (!a_out_.empty() || !b_out_.empty()); ++i) {
      while (!a_out_.empty()) {
        Bytes p = std::move(a_out_.front());
        a_out_.pop_front();
        b_->v6.fsm().Input(p);
      }
      while (!b_out_.empty()) {
        Bytes p = std::move(b_out_.front());
        b_out_.pop_front();
        a_->v6.fsm().Input(p);
      }
    }
    loop_.RunPending();
  }
  event::FakeLoop loop_;
  std::deque<Bytes> a_out_, b_out_;
  std::unique_ptr<Side> a_, b_;
};

TEST_F(Ipv6cpBackToBack, SameRandomSourceStillConverges) {
  // Both sides start with the same identifier (a cloned VM, a bad RNG).
  a_ = std::make_unique<Side>(loop_, Ipv6cpConfig{}, Seq({5, 6, 7, 8, 9, 10, 11, 12}), &a_out_);
  b_ = std::make_unique<Side>(loop_, Ipv6cpConfig{}, Seq({5, 16, 17, 18, 19, 20, 21}), &b_out_);
  for (Side* s : {a_.get(), b_.get()}) {
    s->v6.fsm().Open();
    s->v6.fsm().Up();
  }
  Pump();
  ASSERT_EQ(a_->v6.fsm().state(), FsmState::kOpened);
  ASSERT_EQ(b_->v6.fsm().state(), FsmState::kOpened);
  ASSERT_TRUE(a_->events.up);
  ASSERT_TRUE(b_->events.up);
  EXPECT_NE(a_->events.up->local_id, b_->events.up->local_id);
  EXPECT_EQ(a_->events.up->local_id, b_->events.up->peer_id);
  EXPECT_EQ(b_->events.up->local_id, a_->events.up->peer_id);
  EXPECT_NE(a_->events.up->local_id, InterfaceId{});
  EXPECT_NE(b_->events.up->local_id, InterfaceId{});
}

}  // namespace
}  // namespace mlppp::ppp
