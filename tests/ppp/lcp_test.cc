#include "ppp/lcp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "event/fake_loop.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;
using V = std::vector<uint8_t>;

class EventLog : public LcpEvents {
 public:
  void OnLcpUp(const LcpResult& r) override {
    calls.push_back("up");
    up = r;
  }
  void OnLcpDown() override { calls.push_back("down"); }
  void OnLcpStarted() override { calls.push_back("started"); }
  void OnLcpFinished(std::string_view reason) override {
    calls.push_back("finished");
    finished = std::string(reason);
  }
  void OnEchoTimeout() override { ++echo_timeouts; }
  void OnProtocolRejected(uint16_t protocol) override { rejected.push_back(protocol); }

  std::vector<std::string> calls;
  LcpResult up;
  std::string finished;
  int echo_timeouts = 0;
  std::vector<uint16_t> rejected;
};

V Wire(uint8_t code, uint8_t id, V data = {}) {
  Packet p = SerializeCpPacket(CpPacket{code, id, std::move(data)});
  return V(p.span().begin(), p.span().end());
}

V Cat(V a, const V& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A real pppd Configure-Request: MRU 1492, Magic-Number 0x12345678.
const V kPppdReq = {0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05,
                    0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78};
const V kChapMd5 = {0x03, 0x05, 0xc2, 0x23, 0x05};
const V kPap = {0x03, 0x04, 0xc0, 0x23};

class LcpTest : public ::testing::Test {
 protected:
  LcpTest() { Make({}); }
  void Make(LcpConfig config) {
    lcp_.reset();
    sent_.clear();
    lcp_ = std::make_unique<Lcp>(
        loop_, config,
        [this](uint16_t proto, Packet&& p) {
          EXPECT_EQ(proto, 0xc021);
          auto parsed = ParseCpPacket(p.span());
          ASSERT_TRUE(parsed);
          sent_.push_back(*parsed);
        },
        events_, [this] { return magic_ += 0x01010101; });
  }
  Fsm& fsm() { return lcp_->fsm(); }
  void Start() {
    fsm().Up();
    fsm().Open();
    ASSERT_FALSE(sent_.empty());
  }
  // Our last ConfReq, acked by the peer.
  void AckOurs() {
    CpPacket req;
    for (auto& p : sent_)
      if (p.code == 1) req = p;
    fsm().Input(Wire(2, req.id, req.data));
  }
  void ReachOpened() {
    Start();
    fsm().Input(kPppdReq);
    AckOurs();
    ASSERT_EQ(fsm().state(), FsmState::kOpened);
    sent_.clear();
  }
  const CpPacket& Last() { return sent_.back(); }

  event::FakeLoop loop_;
  EventLog events_;
  std::vector<CpPacket> sent_;
  uint32_t magic_ = 0;
  std::unique_ptr<Lcp> lcp_;
};

TEST_F(LcpTest, OurConfigureRequest) {
  Start();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].code, 1);
  // MRU 1492, Magic 0x01010101 (first random), PFC, ACFC.
  EXPECT_EQ(sent_[0].data, (V{0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x01, 0x01, 0x01, 0x01, 0x07,
                              0x02, 0x08, 0x02}));
  EXPECT_EQ(events_.calls, (std::vector<std::string>{}));
}

TEST_F(LcpTest, MruOf1500IsNotSentAndDisabledFlagsAreNot) {
  LcpConfig c;
  c.mru = 1500;
  c.pfc_enable = c.acfc_enable = c.magic_enable = false;
  c.require_auth = {AuthType::kChapMd5};
  Make(c);
  Start();
  EXPECT_EQ(sent_[0].data, kChapMd5);
}

TEST_F(LcpTest, AcksPppdRequestAndReachesOpened) {
  Start();
  fsm().Input(kPppdReq);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Last().code, 2);
  EXPECT_EQ(Last().id, 1);
  EXPECT_EQ(Last().data, V(kPppdReq.begin() + 4, kPppdReq.end()));
  AckOurs();
  EXPECT_EQ(fsm().state(), FsmState::kOpened);
  EXPECT_EQ(events_.calls, (std::vector<std::string>{"up"}));
  const LcpResult& r = lcp_->result();
  EXPECT_EQ(r.peer_mru, 1492);
  EXPECT_EQ(r.our_mru, 1492);
  EXPECT_EQ(r.peer_magic, 0x12345678u);
  EXPECT_EQ(r.our_magic, 0x01010101u);
  EXPECT_FALSE(r.send_pfc);
  EXPECT_FALSE(r.send_acfc);
  EXPECT_EQ(r.peer_must_auth, AuthType::kNone);
  EXPECT_EQ(events_.up.peer_magic, 0x12345678u);
}

TEST_F(LcpTest, NaksPeerMruAboveMaxAndAcceptsSmaller) {
  Start();
  // MRU 1500 on a PPPoE link that carries 1492 (RFC 2516 §7).
  fsm().Input(Wire(1, 4, {0x01, 0x04, 0x05, 0xdc, 0x07, 0x02, 0x08, 0x02}));
  EXPECT_EQ(Last().code, 3);
  EXPECT_EQ(Last().id, 4);
  EXPECT_EQ(Last().data, (V{0x01, 0x04, 0x05, 0xd4}));
  fsm().Input(Wire(1, 5, {0x01, 0x04, 0x01, 0x00, 0x07, 0x02, 0x08, 0x02}));  // 256
  EXPECT_EQ(Last().code, 2);
  AckOurs();
  EXPECT_EQ(lcp_->result().peer_mru, 256);
  EXPECT_TRUE(lcp_->result().send_pfc);
  EXPECT_TRUE(lcp_->result().send_acfc);
}

TEST_F(LcpTest, PeerWithoutMruGetsTheLinkLimit) {
  Start();
  fsm().Input(Wire(1, 4, {}));
  AckOurs();
  EXPECT_EQ(lcp_->result().peer_mru, 1492);
}

TEST_F(LcpTest, AcceptsAccmAndRejectsUnknownOptions) {
  Start();
  fsm().Input(Wire(1, 4, {0x02, 0x06, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(Last().code, 2);
  // Callback (13) and MRRU (17) are not ours: Rej them, exactly as received.
  fsm().Input(Wire(1, 5, {0x01, 0x04, 0x05, 0xd4, 0x0d, 0x03, 0x06, 0x11, 0x04, 0x05, 0xd4}));
  EXPECT_EQ(Last().code, 4);
  EXPECT_EQ(Last().data, (V{0x0d, 0x03, 0x06, 0x11, 0x04, 0x05, 0xd4}));
  // Malformed lengths of known options are rejected too.
  fsm().Input(Wire(1, 6, {0x01, 0x03, 0x05, 0x07, 0x03, 0x01}));
  EXPECT_EQ(Last().code, 4);
  EXPECT_EQ(Last().data, (V{0x01, 0x03, 0x05, 0x07, 0x03, 0x01}));
}

TEST_F(LcpTest, AccmRejectedWhereTheLinkForbidsIt) {
  // RFC 2516 §7: ACCM MUST NOT be used on PPPoE.
  LcpConfig c;
  c.accm_accept = false;
  Make(c);
  Start();
  fsm().Input(Wire(1, 4, {0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x05, 0xd4}));
  EXPECT_EQ(Last().code, 4);
  EXPECT_EQ(Last().data, (V{0x02, 0x06, 0x00, 0x00, 0x00, 0x00}));
}

TEST_F(LcpTest, PfcAcfcRejectedWhenNotAccepted) {
  LcpConfig c;
  c.pfc_accept = false;
  c.acfc_accept = false;
  Make(c);
  Start();
  fsm().Input(Wire(1, 4, {0x07, 0x02, 0x08, 0x02}));
  EXPECT_EQ(Last().code, 4);
  EXPECT_EQ(Last().data, (V{0x07, 0x02, 0x08, 0x02}));
}

TEST_F(LcpTest, PeerAuthProtocolAckedNakedOrRejected) {
  LcpConfig c;
  c.accept_auth = {AuthType::kChapMd5};
  Make(c);
  Start();
  fsm().Input(Wire(1, 4, Cat(V{0x01, 0x04, 0x05, 0xd4}, kChapMd5)));
  EXPECT_EQ(Last().code, 2);
  AckOurs();
  EXPECT_EQ(lcp_->result().we_must_auth, AuthType::kChapMd5);

  // We only accept PAP: Nak CHAP (and MS-CHAPv2, algorithm 0x81) with PAP.
  c.accept_auth = {AuthType::kPap};
  Make(c);
  Start();
  fsm().Input(Wire(1, 4, kChapMd5));
  EXPECT_EQ(Last().code, 3);
  EXPECT_EQ(Last().data, kPap);
  fsm().Input(Wire(1, 5, {0x03, 0x05, 0xc2, 0x23, 0x81}));
  EXPECT_EQ(Last().code, 3);
  EXPECT_EQ(Last().data, kPap);

  // We accept nothing: Rej.
  Make({});
  Start();
  fsm().Input(Wire(1, 4, kChapMd5));
  EXPECT_EQ(Last().code, 4);
  EXPECT_EQ(Last().data, kChapMd5);
}

TEST_F(LcpTest, OurAuthProtocolNakedToAnotherWeRequire) {
  LcpConfig c;
  c.require_auth = {AuthType::kChapMd5, AuthType::kPap};
  c.magic_enable = c.pfc_enable = c.acfc_enable = false;
  Make(c);
  Start();
  EXPECT_EQ(Last().data, Cat(V{0x01, 0x04, 0x05, 0xd4}, kChapMd5));
  fsm().Input(Wire(3, Last().id, kPap));
  EXPECT_EQ(Last().code, 1);
  EXPECT_EQ(Last().data, Cat(V{0x01, 0x04, 0x05, 0xd4}, kPap));
  AckOurs();
  fsm().Input(Wire(1, 9, {}));
  EXPECT_EQ(fsm().state(), FsmState::kOpened);
  EXPECT_EQ(lcp_->result().peer_must_auth, AuthType::kPap);
}

TEST_F(LcpTest, GivesUpWhenPeerRefusesAuthentication) {
  LcpConfig c;
  c.require_auth = {AuthType::kChapMd5, AuthType::kPap};
  Make(c);
  Start();
  fsm().Input(Wire(3, Last().id, kPap));      // try PAP
  fsm().Input(Wire(3, Last().id, kChapMd5));  // CHAP again: already refused
  EXPECT_EQ(fsm().state(), FsmState::kClosing);
  EXPECT_EQ(Last().code, 5);
  EXPECT_EQ(fsm().failure_reason(), "peer refused authentication");
  fsm().Input(Wire(6, Last().id));
  EXPECT_EQ(events_.finished, "peer refused authentication");

  Make(c);
  Start();
  fsm().Input(Wire(4, Last().id, kChapMd5));  // Rej of Auth-Protocol
  EXPECT_EQ(fsm().state(), FsmState::kClosing);
  EXPECT_EQ(fsm().failure_reason(), "peer refused authentication");
}

TEST_F(LcpTest, OurMruNakedDownIsTakenUpIsNot) {
  Start();
  fsm().Input(Wire(3, Last().id, {0x01, 0x04, 0x05, 0x78}));  // 1400
  EXPECT_EQ(Last().code, 1);
  EXPECT_EQ(V(Last().data.begin(), Last().data.begin() + 4), (V{0x01, 0x04, 0x05, 0x78}));
  fsm().Input(Wire(3, Last().id, {0x01, 0x04, 0x05, 0xdc}));  // 1500: cannot receive that
  EXPECT_EQ(V(Last().data.begin(), Last().data.begin() + 4), (V{0x01, 0x04, 0x05, 0x78}));
  // Rej of MRU, PFC and ACFC: stop asking.
  fsm().Input(Wire(4, Last().id, {0x01, 0x04, 0x05, 0x78, 0x07, 0x02, 0x08, 0x02}));
  EXPECT_EQ(Last().data.size(), 6u);
  EXPECT_EQ(Last().data[0], 0x05);
}

TEST_F(LcpTest, MagicNakGetsANewMagic) {
  Start();
  V first = Last().data;
  fsm().Input(Wire(3, Last().id, {0x05, 0x06, 0x01, 0x01, 0x01, 0x01}));
  EXPECT_EQ(Last().code, 1);
  EXPECT_NE(Last().data, first);
  EXPECT_EQ(V(Last().data.begin() + 4, Last().data.begin() + 10),
            (V{0x05, 0x06, 0x02, 0x02, 0x02, 0x02}));
  // A zero magic from the peer is always Nak'd (RFC 1661 §6.4).
  fsm().Input(Wire(1, 7, {0x05, 0x06, 0, 0, 0, 0}));
  EXPECT_EQ(Last().code, 3);
  EXPECT_EQ(Last().data.size(), 6u);
  EXPECT_NE(Last().data, (V{0x05, 0x06, 0, 0, 0, 0}));
}

TEST_F(LcpTest, LoopedBackLinkIsDetected) {
  // The sender feeds our own Input: every packet comes back to us.
  lcp_.reset();
  lcp_ = std::make_unique<Lcp>(
      loop_, LcpConfig{},
      [this](uint16_t, Packet&& p) {
        auto bytes = std::make_shared<V>(p.span().begin(), p.span().end());
        auto parsed = ParseCpPacket(p.span());
        sent_.push_back(*parsed);
        loop_.Post([this, bytes] { lcp_->fsm().Input(*bytes); });
      },
      events_, [this] { return magic_ += 0x01010101; });
  Start();
  loop_.RunPending();
  EXPECT_EQ(events_.finished, "loopback detected");
  EXPECT_EQ(fsm().state(), FsmState::kClosed);
  EXPECT_EQ(std::count_if(sent_.begin(), sent_.end(), [](auto& p) { return p.code == 3; }), 5);
  EXPECT_EQ(std::find(events_.calls.begin(), events_.calls.end(), "up"), events_.calls.end());
}

TEST_F(LcpTest, EchoRequestAnsweredWithOurMagicOnlyInOpened) {
  Start();
  fsm().Input(kPppdReq);
  const size_t before = sent_.size();
  fsm().Input(Wire(9, 7, {0x12, 0x34, 0x56, 0x78, 0xaa}));  // Ack-Sent: ignored (§5.8)
  EXPECT_EQ(sent_.size(), before);
  AckOurs();
  sent_.clear();
  fsm().Input(Wire(9, 7, {0x12, 0x34, 0x56, 0x78, 0xaa}));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(Last().code, 10);
  EXPECT_EQ(Last().id, 7);
  EXPECT_EQ(Last().data, (V{0x01, 0x01, 0x01, 0x01, 0xaa}));
  // Our own magic in a request: looped, not answered.
  fsm().Input(Wire(9, 8, {0x01, 0x01, 0x01, 0x01}));
  EXPECT_EQ(sent_.size(), 1u);
  EXPECT_EQ(lcp_->counters().bad_magic, 1u);
  fsm().Input(Wire(9, 9, {0x01}));  // too short
  EXPECT_EQ(lcp_->counters().bad_packets, 1u);
}

TEST_F(LcpTest, EchoKeepAliveAndDeadPeer) {
  ReachOpened();
  loop_.Advance(seconds(5));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(Last().code, 9);
  EXPECT_EQ(Last().data, (V{0x01, 0x01, 0x01, 0x01}));
  // Replies with the peer's magic keep it alive; a wrong magic does not count.
  for (int i = 0; i < 20; ++i) {
    fsm().Input(Wire(10, Last().id, {0x12, 0x34, 0x56, 0x78}));
    loop_.Advance(seconds(5));
  }
  EXPECT_EQ(events_.echo_timeouts, 0);
  EXPECT_EQ(lcp_->counters().echo_replies, 20u);
  fsm().Input(Wire(10, Last().id, {0xde, 0xad, 0xbe, 0xef}));
  EXPECT_EQ(lcp_->counters().bad_magic, 1u);
  // Silence: dead after echo_max (40 s) without a word from the peer.
  loop_.Advance(seconds(34));
  EXPECT_EQ(events_.echo_timeouts, 0);
  loop_.Advance(seconds(1));
  EXPECT_EQ(events_.echo_timeouts, 1);
  const size_t echoes = sent_.size();
  loop_.Advance(seconds(100));
  EXPECT_EQ(events_.echo_timeouts, 1) << "reported once";
  EXPECT_EQ(sent_.size(), echoes);
  EXPECT_EQ(lcp_->counters().echo_sent, echoes);
}

TEST_F(LcpTest, EchoRoundTripTimesAreRecorded) {
  ReachOpened();
  loop_.Advance(seconds(5));
  ASSERT_EQ(Last().code, 9);
  loop_.Advance(std::chrono::milliseconds(3));
  fsm().Input(Wire(10, Last().id, {0x12, 0x34, 0x56, 0x78}));
  // A second reply to the same request, or one to an older id, is not timed.
  fsm().Input(Wire(10, Last().id, {0x12, 0x34, 0x56, 0x78}));
  fsm().Input(Wire(10, static_cast<uint8_t>(Last().id - 1), {0x12, 0x34, 0x56, 0x78}));
  EXPECT_EQ(lcp_->counters().echo_replies, 3u);
  ASSERT_EQ(lcp_->echo_rtt().count(), 1u);
  EXPECT_EQ(lcp_->echo_rtt().max_us(), 3000u);
  EXPECT_EQ(lcp_->echo_rtt().QuantileUs(0.99), 3000u);
}

TEST_F(LcpTest, AnyFrameCountsAsLiveness) {
  ReachOpened();
  for (int i = 0; i < 30; ++i) {
    loop_.Advance(seconds(5));
    lcp_->NoteFrameReceived();
  }
  EXPECT_EQ(events_.echo_timeouts, 0);
}

TEST_F(LcpTest, KeepAliveOffAndTimersStopWhenNotOpened) {
  LcpConfig c;
  c.echo_interval = event::Duration::zero();
  Make(c);
  ReachOpened();
  loop_.Advance(seconds(300));
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(events_.echo_timeouts, 0);

  Make({});
  ReachOpened();
  fsm().Down();
  EXPECT_EQ(events_.calls.back(), "down");
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(LcpTest, ProtocolRejectBothWays) {
  Start();
  fsm().Input(Wire(1, 1, {0x01, 0x04, 0x00, 0x64}));  // peer MRU 100
  AckOurs();
  ASSERT_EQ(fsm().state(), FsmState::kOpened);
  sent_.clear();
  fsm().Input(Wire(8, 3, {0x80, 0x57, 0x01, 0x01, 0x00, 0x04}));
  EXPECT_EQ(events_.rejected, (std::vector<uint16_t>{0x8057}));
  EXPECT_EQ(fsm().state(), FsmState::kOpened);
  EXPECT_TRUE(sent_.empty());

  lcp_->SendProtocolReject(0x8281, V{1, 2, 3});
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(Last().code, 8);
  EXPECT_EQ(Last().data, (V{0x82, 0x81, 1, 2, 3}));
  lcp_->SendProtocolReject(0x8281, V(300, 0x55));
  EXPECT_EQ(Last().data.size(), 96u) << "fits the peer MRU with the LCP header";
  // Not in other states (RFC 1661 §5.7).
  fsm().Close("x");
  sent_.clear();
  lcp_->SendProtocolReject(0x8281, V{1});
  EXPECT_TRUE(sent_.empty());
}

TEST_F(LcpTest, DiscardCountedIdentIgnored) {
  ReachOpened();
  fsm().Input(Wire(11, 1, {0, 0, 0, 0}));
  EXPECT_EQ(lcp_->counters().discard, 1u);
  fsm().Input(Wire(12, 2, {0x12, 0x34, 0x56, 0x78, 'h', 'i'}));
  fsm().Input(Wire(13, 3, {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 60}));
  EXPECT_TRUE(sent_.empty()) << "no Code-Reject for Identification / Time-Remaining";
  fsm().Input(Wire(14, 4, {}));  // Reset-Request means nothing to LCP
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(Last().code, 7);
}

TEST_F(LcpTest, FinishedReportsMaxConfigure) {
  Start();
  loop_.Advance(seconds(60));
  EXPECT_EQ(fsm().state(), FsmState::kStopped);
  EXPECT_EQ(events_.finished, "max-configure exceeded");
}

// Two LCPs back to back through the loop, as a client and a server would.
class LcpPair : public ::testing::Test {
 protected:
  void Run(LcpConfig ca, LcpConfig cb) {
    auto to = [this](std::unique_ptr<Lcp>* peer) {
      return [this, peer](uint16_t, Packet&& p) {
        auto bytes = std::make_shared<V>(p.span().begin(), p.span().end());
        loop_.Post([peer, bytes] { (*peer)->fsm().Input(*bytes); });
      };
    };
    a_ = std::make_unique<Lcp>(loop_, ca, to(&b_), ea_, [this] { return ra_ += 0x11; });
    b_ = std::make_unique<Lcp>(loop_, cb, to(&a_), eb_, [this] { return rb_ += 0x22; });
    a_->fsm().Up();
    b_->fsm().Up();
    a_->fsm().Open();
    b_->fsm().Open();
    loop_.RunPending();
  }
  event::FakeLoop loop_;
  EventLog ea_, eb_;
  uint32_t ra_ = 0x1000, rb_ = 0x2000;
  std::unique_ptr<Lcp> a_, b_;
};

TEST_F(LcpPair, OpensWithoutAuth) {
  Run({}, {});
  ASSERT_EQ(a_->fsm().state(), FsmState::kOpened);
  ASSERT_EQ(b_->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(a_->result().peer_magic, b_->result().our_magic);
  EXPECT_EQ(b_->result().peer_magic, a_->result().our_magic);
  EXPECT_EQ(a_->result().peer_mru, 1492);
  EXPECT_TRUE(a_->result().send_pfc);
  EXPECT_TRUE(b_->result().send_acfc);
  EXPECT_EQ(ea_.calls, (std::vector<std::string>{"up"}));
  // Keep-alive runs both ways with no dead peer.
  loop_.Advance(seconds(120));
  EXPECT_GT(a_->counters().echo_replies, 20u);
  EXPECT_EQ(ea_.echo_timeouts + eb_.echo_timeouts, 0);
  EXPECT_EQ(a_->counters().bad_magic + b_->counters().bad_magic, 0u);
}

TEST_F(LcpPair, OpensWithChapServerSide) {
  LcpConfig server, client;
  server.require_auth = {AuthType::kChapMd5};
  client.accept_auth = {AuthType::kPap, AuthType::kChapMd5};
  Run(server, client);
  ASSERT_EQ(a_->fsm().state(), FsmState::kOpened);
  ASSERT_EQ(b_->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(a_->result().peer_must_auth, AuthType::kChapMd5);
  EXPECT_EQ(b_->result().we_must_auth, AuthType::kChapMd5);
  EXPECT_EQ(a_->result().we_must_auth, AuthType::kNone);
}

TEST_F(LcpPair, ClientNaksChapToPap) {
  LcpConfig server, client;
  server.require_auth = {AuthType::kChapMd5, AuthType::kPap};
  client.accept_auth = {AuthType::kPap};
  Run(server, client);
  ASSERT_EQ(a_->fsm().state(), FsmState::kOpened);
  EXPECT_EQ(a_->result().peer_must_auth, AuthType::kPap);
  EXPECT_EQ(b_->result().we_must_auth, AuthType::kPap);
}

TEST_F(LcpPair, ClientAcceptingNoAuthFailsTheServer) {
  LcpConfig server;
  server.require_auth = {AuthType::kChapMd5};
  Run(server, {});
  EXPECT_EQ(ea_.finished, "peer refused authentication");
  EXPECT_EQ(a_->fsm().state(), FsmState::kClosed);
  EXPECT_EQ(std::count(eb_.calls.begin(), eb_.calls.end(), "up"), 0);
}

}  // namespace
}  // namespace mlppp::ppp
