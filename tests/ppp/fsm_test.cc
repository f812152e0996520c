#include "ppp/fsm.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "event/fake_loop.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;
using V = std::vector<uint8_t>;
using Kind = ConfReqVerdict::Kind;

constexpr uint16_t kLcp = 0xc021;

struct Sent {
  uint16_t protocol;
  CpPacket pkt;
};

// Records the layer actions and answers Configure-Requests as told.
class Recorder : public FsmHandler {
 public:
  std::vector<CpOption> BuildConfReq() override { return request; }
  ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override {
    checked.assign(opts.begin(), opts.end());
    return verdict;
  }
  void OnConfAck(std::span<const CpOption>) override { calls.push_back("ack"); }
  void OnConfNak(std::span<const CpOption>) override { calls.push_back("nak"); }
  void OnConfRej(std::span<const CpOption>) override { calls.push_back("rej"); }
  void ThisLayerUp() override { calls.push_back("tlu"); }
  void ThisLayerDown() override {
    calls.push_back("tld");
    if (on_tld) on_tld();
  }
  void ThisLayerStarted() override { calls.push_back("tls"); }
  void ThisLayerFinished() override { calls.push_back("tlf"); }
  bool OnOtherCode(const CpPacket& p) override {
    other.push_back(p.code);
    return p.code == 12 || p.code == 8;  // Ident and ProtRej "known", the rest unknown
  }
  void ResetOptions() override { ++resets; }

  std::vector<CpOption> request = {{1, {0x05, 0xd4}}};
  ConfReqVerdict verdict;
  std::vector<CpOption> checked;
  std::vector<std::string> calls;
  std::vector<uint8_t> other;
  std::function<void()> on_tld;
  int resets = 0;
};

V Wire(uint8_t code, uint8_t id, V data = {}) {
  Packet p = SerializeCpPacket(CpPacket{code, id, std::move(data)});
  return V(p.span().begin(), p.span().end());
}

class FsmTest : public ::testing::Test {
 protected:
  FsmTest() { Make({}); }
  void Make(FsmConfig config) {
    fsm_.reset();
    fsm_ = std::make_unique<Fsm>(
        loop_, kLcp, "LCP", handler_,
        [this](uint16_t proto, Packet&& p) {
          auto parsed = ParseCpPacket(p.span());
          ASSERT_TRUE(parsed);
          sent_.push_back({proto, *parsed});
        },
        config);
  }
  Fsm& fsm() { return *fsm_; }
  std::vector<uint8_t> SentCodes() const {
    std::vector<uint8_t> c;
    for (const auto& s : sent_) c.push_back(s.pkt.code);
    return c;
  }
  void Clear() {
    sent_.clear();
    handler_.calls.clear();
    handler_.other.clear();
  }
  // Brings a fresh Fsm to `s` with the RFC's own events.
  void Reach(FsmState s) {
    using E = FsmEvent;
    switch (s) {
      case FsmState::kInitial:
        break;
      case FsmState::kStarting:
        fsm().Open();
        break;
      case FsmState::kClosed:
        fsm().Up();
        break;
      case FsmState::kStopped:
        Reach(FsmState::kReqSent);
        fsm().Inject(E::kTOMinus);
        break;
      case FsmState::kClosing:
        Reach(FsmState::kReqSent);
        fsm().Close("test");
        break;
      case FsmState::kStopping:
        Reach(FsmState::kClosing);
        fsm().Open();
        break;
      case FsmState::kReqSent:
        fsm().Up();
        fsm().Open();
        break;
      case FsmState::kAckRcvd:
        Reach(FsmState::kReqSent);
        fsm().Inject(E::kRCA);
        break;
      case FsmState::kAckSent:
        Reach(FsmState::kReqSent);
        fsm().Inject(E::kRCRPlus);
        break;
      case FsmState::kOpened:
        Reach(FsmState::kAckRcvd);
        fsm().Inject(E::kRCRPlus);
        break;
    }
    ASSERT_EQ(fsm().state(), s) << FsmStateName(s);
  }
  // Raises `ev` the way the network would where a packet stands for it.
  void Fire(FsmEvent ev) {
    switch (ev) {
      case FsmEvent::kClose:
        fsm().Close("test");
        break;
      case FsmEvent::kRCRPlus:
        handler_.verdict = {};
        fsm().Input(Wire(1, 0x55, {0x01, 0x04, 0x05, 0xdc}));
        break;
      case FsmEvent::kRCRMinus:
        handler_.verdict = {Kind::kNak, {{1, {0x05, 0xd4}}}};
        fsm().Input(Wire(1, 0x55, {0x01, 0x04, 0x05, 0xdc}));
        break;
      case FsmEvent::kRTR:
        fsm().Input(Wire(5, 0x66));
        break;
      case FsmEvent::kRTA:
        fsm().Input(Wire(6, 0x67));
        break;
      case FsmEvent::kRUC:
        fsm().Input(Wire(0x30, 0x68, {1, 2}));
        break;
      case FsmEvent::kRXJPlus:
        fsm().Input(Wire(7, 0x69, Wire(12, 1)));
        break;
      case FsmEvent::kRXJMinus:
        fsm().Input(Wire(7, 0x6a, Wire(2, 1)));
        break;
      case FsmEvent::kRXR:
        fsm().Input(Wire(9, 0x6b, {0, 0, 0, 0}));
        break;
      default:
        fsm().Inject(ev);
        break;
    }
  }

  event::FakeLoop loop_;
  Recorder handler_;
  std::vector<Sent> sent_;
  std::unique_ptr<Fsm> fsm_;
};

// RFC 1661 §4.1, typed in from the RFC text (rows: events, columns: states
// 0..9). "-" is an illegal event; r/x/p footnotes are kept as written.
// clang-format off
const char* const kRfcTable[16][10] = {
/* Up   */ {"2", "irc,scr/6", "-", "-", "-", "-", "-", "-", "-", "-"},
/* Down */ {"-", "-", "0", "tls/1", "0", "1", "1", "1", "1", "tld/1"},
/* Open */ {"tls/1", "1", "irc,scr/6", "3r", "5r", "5r", "6", "7", "8", "9r"},
/* Close*/ {"0", "tlf/0", "2", "2", "4", "4", "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4"},
/* TO+  */ {"-", "-", "-", "-", "str/4", "str/5", "scr/6", "scr/6", "scr/8", "-"},
/* TO-  */ {"-", "-", "-", "-", "tlf/2", "tlf/3", "tlf/3p", "tlf/3p", "tlf/3p", "-"},
/* RCR+ */ {"-", "-", "sta/2", "irc,scr,sca/8", "4", "5", "sca/8", "sca,tlu/9", "sca/8", "tld,scr,sca/8"},
/* RCR- */ {"-", "-", "sta/2", "irc,scr,scn/6", "4", "5", "scn/6", "scn/7", "scn/6", "tld,scr,scn/6"},
/* RCA  */ {"-", "-", "sta/2", "sta/3", "4", "5", "irc/7", "scr/6x", "irc,tlu/9", "tld,scr/6x"},
/* RCN  */ {"-", "-", "sta/2", "sta/3", "4", "5", "irc,scr/6", "scr/6x", "irc,scr/8", "tld,scr/6x"},
/* RTR  */ {"-", "-", "sta/2", "sta/3", "sta/4", "sta/5", "sta/6", "sta/6", "sta/6", "tld,zrc,sta/5"},
/* RTA  */ {"-", "-", "2", "3", "tlf/2", "tlf/3", "6", "6", "8", "tld,scr/6"},
/* RUC  */ {"-", "-", "scj/2", "scj/3", "scj/4", "scj/5", "scj/6", "scj/7", "scj/8", "scj/9"},
/* RXJ+ */ {"-", "-", "2", "3", "4", "5", "6", "6", "8", "9"},
/* RXJ- */ {"-", "-", "tlf/2", "tlf/3", "tlf/2", "tlf/3", "tlf/3", "tlf/3", "tlf/3", "tld,irc,str/5"},
/* RXR  */ {"-", "-", "2", "3", "4", "5", "6", "7", "8", "ser/9"},
};
// clang-format on

TEST_F(FsmTest, EveryCellOfTheRfc1661StateTable) {
  for (int e = 0; e < 16; ++e) {
    for (int s = 0; s < 10; ++s) {
      const auto ev = static_cast<FsmEvent>(e);
      const auto st = static_cast<FsmState>(s);
      SCOPED_TRACE(::testing::Message()
                   << FsmEventName(ev) << " in " << FsmStateName(st) << ": " << kRfcTable[e][s]);
      Make({});
      Reach(st);
      Clear();
      const uint64_t illegal_before = fsm().counters().illegal_events;
      Fire(ev);

      std::string cell = kRfcTable[e][s];
      if (cell == "-") {
        EXPECT_EQ(fsm().state(), st);
        EXPECT_TRUE(sent_.empty());
        EXPECT_TRUE(handler_.calls.empty());
        EXPECT_EQ(fsm().counters().illegal_events, illegal_before + 1);
        continue;
      }
      // Expected next state and effects, from the RFC's action names.
      std::string actions;
      int next = cell.back() - '0';
      if (cell.back() == 'r' || cell.back() == 'x' || cell.back() == 'p')
        next = cell[cell.size() - 2] - '0';
      if (auto slash = cell.find('/'); slash != std::string::npos) {
        actions = cell.substr(0, slash);
        next = cell[slash + 1] - '0';
      }
      std::vector<uint8_t> codes;
      std::vector<std::string> calls;
      bool ser = false;
      std::stringstream ss(actions);
      for (std::string a; std::getline(ss, a, ',');) {
        if (a == "scr") codes.push_back(1);
        if (a == "sca") codes.push_back(2);
        if (a == "scn") codes.push_back(3);
        if (a == "str") codes.push_back(5);
        if (a == "sta") codes.push_back(6);
        if (a == "scj") codes.push_back(7);
        if (a == "ser") ser = true;
        if (a == "tlu" || a == "tld" || a == "tls" || a == "tlf") calls.push_back(a);
      }
      EXPECT_EQ(fsm().state(), static_cast<FsmState>(next));
      EXPECT_EQ(SentCodes(), codes);
      // Only the layer actions count here; the option callbacks (ack/nak/rej)
      // are tested below.
      std::vector<std::string> tl;
      for (auto& c : handler_.calls)
        if (c.rfind("tl", 0) == 0) tl.push_back(c);
      EXPECT_EQ(tl, calls);
      // ser hands Echo-Request to the handler (LCP answers with its magic).
      bool echo_seen =
          std::find(handler_.other.begin(), handler_.other.end(), 9) != handler_.other.end();
      EXPECT_EQ(echo_seen, ser);
      // Replies echo the Identifier of what they answer.
      for (const auto& p : sent_) {
        EXPECT_EQ(p.protocol, kLcp);
        if (p.pkt.code == 2 || p.pkt.code == 3) {
          EXPECT_EQ(p.pkt.id, 0x55);
        }
        if (p.pkt.code == 6 && ev == FsmEvent::kRTR) {
          EXPECT_EQ(p.pkt.id, 0x66);
        }
      }
    }
  }
}

TEST_F(FsmTest, NakAndAckCarryTheRightOptions) {
  Reach(FsmState::kReqSent);
  Clear();
  handler_.verdict = {Kind::kNak, {{1, {0x05, 0xd4}}}};
  fsm().Input(Wire(1, 9, {0x01, 0x04, 0x05, 0xdc}));
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].pkt.code, 3);
  EXPECT_EQ(sent_[0].pkt.id, 9);
  EXPECT_EQ(sent_[0].pkt.data, (V{0x01, 0x04, 0x05, 0xd4}));
  EXPECT_EQ(handler_.checked, (std::vector<CpOption>{{1, {0x05, 0xdc}}}));
  handler_.verdict = {};
  fsm().Input(Wire(1, 10, {0x01, 0x04, 0x05, 0xd4}));
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].pkt.code, 2);
  EXPECT_EQ(sent_[1].pkt.data, (V{0x01, 0x04, 0x05, 0xd4}));
  EXPECT_EQ(fsm().state(), FsmState::kAckSent);
}

// Two automata back to back, each one's sender posting into the other's
// Input, as two links would (ARCHITECTURE.md rule 7).
TEST(FsmBackToBack, NegotiatesToOpenedAndTerminates) {
  event::FakeLoop loop;
  Recorder ha, hb;
  std::unique_ptr<Fsm> a, b;
  auto to = [&loop](std::unique_ptr<Fsm>* peer) {
    return [&loop, peer](uint16_t, Packet&& p) {
      auto bytes = std::make_shared<V>(p.span().begin(), p.span().end());
      loop.Post([peer, bytes] { (*peer)->Input(*bytes); });
    };
  };
  a = std::make_unique<Fsm>(loop, kLcp, "LCP", ha, to(&b));
  b = std::make_unique<Fsm>(loop, kLcp, "LCP", hb, to(&a));
  a->Open();
  b->Open();
  a->Up();
  b->Up();
  loop.RunPending();
  EXPECT_EQ(a->state(), FsmState::kOpened);
  EXPECT_EQ(b->state(), FsmState::kOpened);
  EXPECT_EQ(std::count(ha.calls.begin(), ha.calls.end(), "tlu"), 1);
  EXPECT_EQ(std::count(hb.calls.begin(), hb.calls.end(), "tlu"), 1);
  EXPECT_EQ(std::count(ha.calls.begin(), ha.calls.end(), "ack"), 1);
  EXPECT_EQ(loop.ActiveTimers(), 0u) << "no restart timer in Opened";

  a->Close("admin");
  loop.RunPending();
  EXPECT_EQ(a->state(), FsmState::kClosed);
  EXPECT_EQ(b->state(), FsmState::kStopping);
  EXPECT_EQ(a->failure_reason(), "admin");
  EXPECT_EQ(b->failure_reason(), "terminated by peer");
  loop.Advance(seconds(2));  // b waits one restart period after zrc (§4.4)
  EXPECT_EQ(b->state(), FsmState::kStopped);
  EXPECT_EQ(hb.calls.back(), "tlf");
}

TEST(FsmBackToBack, NakRoundConverges) {
  event::FakeLoop loop;
  // b insists on MRU 1400; a asks 1492 first and takes the Nak's value.
  struct Adapting : Recorder {
    void OnConfNak(std::span<const CpOption> opts) override {
      Recorder::OnConfNak(opts);
      request = {opts.begin(), opts.end()};
    }
  } ha;
  struct Insisting : Recorder {
    ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override {
      CpOption want{1, {0x05, 0x78}};
      if (opts.size() == 1 && opts[0] == want) return {};
      return {Kind::kNak, {want}};
    }
  } hb;
  std::unique_ptr<Fsm> a, b;
  auto to = [&loop](std::unique_ptr<Fsm>* peer) {
    return [&loop, peer](uint16_t, Packet&& p) {
      auto bytes = std::make_shared<V>(p.span().begin(), p.span().end());
      loop.Post([peer, bytes] { (*peer)->Input(*bytes); });
    };
  };
  a = std::make_unique<Fsm>(loop, kLcp, "LCP", ha, to(&b));
  b = std::make_unique<Fsm>(loop, kLcp, "LCP", hb, to(&a));
  a->Up();
  b->Up();
  a->Open();
  b->Open();
  loop.RunPending();
  EXPECT_EQ(a->state(), FsmState::kOpened);
  EXPECT_EQ(b->state(), FsmState::kOpened);
  EXPECT_EQ(ha.request, (std::vector<CpOption>{{1, {0x05, 0x78}}}));
}

TEST_F(FsmTest, RestartTimerRetransmitsThenGivesUpAfterMaxConfigure) {
  Reach(FsmState::kReqSent);
  ASSERT_EQ(sent_.size(), 1u);
  const uint8_t first_id = sent_[0].pkt.id;
  loop_.Advance(std::chrono::milliseconds(1999));
  EXPECT_EQ(sent_.size(), 1u);
  loop_.Advance(std::chrono::milliseconds(1));
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].pkt.code, 1);
  EXPECT_EQ(sent_[1].pkt.id, first_id) << "a retransmission keeps its Identifier (§5.1)";
  loop_.Advance(seconds(2 * 8));
  EXPECT_EQ(sent_.size(), 10u);  // Max-Configure = 10 requests
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
  EXPECT_TRUE(handler_.calls.empty());
  loop_.Advance(seconds(2));
  EXPECT_EQ(sent_.size(), 10u);
  EXPECT_EQ(fsm().state(), FsmState::kStopped);
  EXPECT_EQ(handler_.calls, (std::vector<std::string>{"tlf"}));
  EXPECT_EQ(fsm().failure_reason(), "max-configure exceeded");
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(FsmTest, TerminateRetransmitsMaxTerminateTimes) {
  Reach(FsmState::kOpened);
  Clear();
  fsm().Close("bye");
  EXPECT_EQ(SentCodes(), (V{5}));
  EXPECT_TRUE(sent_[0].pkt.data.empty()) << "Terminate-Request carries no data";
  loop_.Advance(seconds(2));
  EXPECT_EQ(SentCodes(), (V{5, 5}));
  EXPECT_NE(sent_[0].pkt.id, sent_[1].pkt.id);
  loop_.Advance(seconds(2));
  EXPECT_EQ(fsm().state(), FsmState::kClosed);
  EXPECT_EQ(handler_.calls, (std::vector<std::string>{"tld", "tlf"}));
  EXPECT_EQ(fsm().failure_reason(), "bye");
}

TEST_F(FsmTest, AckCancelsRetransmission) {
  Reach(FsmState::kReqSent);
  fsm().Input(Wire(2, sent_[0].pkt.id, sent_[0].pkt.data));
  EXPECT_EQ(fsm().state(), FsmState::kAckRcvd);
  EXPECT_EQ(handler_.calls, (std::vector<std::string>{"ack"}));
  // Ack-Rcvd keeps the timer: the peer's request is still due (§4.2).
  loop_.Advance(seconds(2));
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_NE(sent_[1].pkt.id, sent_[0].pkt.id) << "new Identifier after a valid reply";
}

TEST_F(FsmTest, StaleOrAlteredAckIsDiscarded) {
  Reach(FsmState::kReqSent);
  const CpPacket req = sent_[0].pkt;
  fsm().Input(Wire(2, static_cast<uint8_t>(req.id + 1), req.data));
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
  EXPECT_EQ(fsm().counters().stale_replies, 1u);
  fsm().Input(Wire(2, req.id, {0x01, 0x04, 0x05, 0xdc}));
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
  EXPECT_EQ(fsm().counters().bad_acks, 1u);
  fsm().Input(Wire(3, static_cast<uint8_t>(req.id - 1), {}));
  EXPECT_EQ(fsm().counters().stale_replies, 2u);
  EXPECT_TRUE(handler_.calls.empty());
  fsm().Input(Wire(2, req.id, req.data));
  EXPECT_EQ(fsm().state(), FsmState::kAckRcvd);
  // A duplicate of the same Ack is stale now (one reply per request).
  fsm().Input(Wire(2, req.id, req.data));
  EXPECT_EQ(fsm().state(), FsmState::kAckRcvd);
  EXPECT_EQ(fsm().counters().stale_replies, 3u);
}

TEST_F(FsmTest, RejectMustNameOptionsWeSent) {
  Reach(FsmState::kReqSent);
  const CpPacket req = sent_[0].pkt;
  fsm().Input(Wire(4, req.id, {0x07, 0x02}));  // PFC, never requested
  EXPECT_EQ(fsm().counters().bad_packets, 1u);
  EXPECT_TRUE(handler_.calls.empty());
  fsm().Input(Wire(4, req.id, req.data));
  EXPECT_EQ(handler_.calls, (std::vector<std::string>{"rej"}));
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(FsmTest, NaksTurnIntoRejectsAfterMaxFailure) {  // RFC 1661 §4.6
  Reach(FsmState::kReqSent);
  Clear();
  handler_.verdict = {Kind::kNak, {{1, {0x05, 0xd4}}, {3, {0xc0, 0x23}}}};
  const V req = {0x01, 0x04, 0x05, 0xdc, 0x05, 0x06, 1, 2, 3, 4};
  for (uint8_t id = 1; id <= 6; ++id) fsm().Input(Wire(1, id, req));
  ASSERT_EQ(sent_.size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sent_[i].pkt.code, 3) << i;
  EXPECT_EQ(sent_[5].pkt.code, 4);
  // Only the offending option, as received; the hint (type 3) is dropped.
  EXPECT_EQ(sent_[5].pkt.data, (V{0x01, 0x04, 0x05, 0xdc}));
  EXPECT_EQ(fsm().counters().naks_converted, 1u);
  // An Ack resets the count.
  handler_.verdict = {};
  fsm().Input(Wire(7, 7, req));
  fsm().Input(Wire(1, 8, req));
  handler_.verdict = {Kind::kNak, {{1, {0x05, 0xd4}}}};
  fsm().Input(Wire(1, 9, req));
  EXPECT_EQ(sent_.back().pkt.code, 3);
}

TEST_F(FsmTest, ResetOptionsOnlyWhenANewNegotiationStarts) {
  Reach(FsmState::kReqSent);
  EXPECT_EQ(handler_.resets, 1);
  fsm().Input(Wire(3, sent_[0].pkt.id, {}));  // RCN: irc,scr in Req-Sent keeps options
  EXPECT_EQ(handler_.resets, 1);
  fsm().Inject(FsmEvent::kRCA);
  fsm().Inject(FsmEvent::kRCRPlus);
  ASSERT_EQ(fsm().state(), FsmState::kOpened);
  fsm().Inject(FsmEvent::kRTA);  // renegotiation from Opened
  EXPECT_EQ(handler_.resets, 2);
}

TEST_F(FsmTest, HandlerMayCloseFromInsideThisLayerDown) {
  Reach(FsmState::kOpened);
  Clear();
  handler_.on_tld = [this] {
    // Re-entry is queued: the state is already the table's next state.
    fsm().Close("closed from tld");
    EXPECT_EQ(fsm().state(), FsmState::kStarting);
  };
  fsm().Down();
  EXPECT_EQ(fsm().state(), FsmState::kInitial);
  EXPECT_EQ(handler_.calls, (std::vector<std::string>{"tld", "tlf"}));
  EXPECT_EQ(fsm().failure_reason(), "closed from tld");
}

TEST_F(FsmTest, RenegotiationInOpenedMayCloseFromTld) {
  Reach(FsmState::kOpened);
  Clear();
  handler_.on_tld = [this] { fsm().Close("no renegotiation"); };
  fsm().Input(Wire(1, 0x20, {}));  // RCR+ in Opened: tld,scr,sca/8, then Close
  EXPECT_EQ(SentCodes(), (V{1, 2, 5}));
  EXPECT_EQ(fsm().state(), FsmState::kClosing);
}

TEST_F(FsmTest, PassiveWaitsInStoppedForThePeer) {
  FsmConfig c;
  c.passive = true;
  Make(c);
  fsm().Up();
  fsm().Open();
  EXPECT_EQ(fsm().state(), FsmState::kStopped);
  EXPECT_TRUE(sent_.empty());
  loop_.Advance(seconds(60));
  EXPECT_TRUE(sent_.empty());
  fsm().Input(Wire(1, 1, {}));
  EXPECT_EQ(fsm().state(), FsmState::kAckSent);
  EXPECT_EQ(SentCodes(), (V{1, 2}));
  // Open-then-Up takes the same path.
  Make(c);
  fsm().Open();
  fsm().Up();
  EXPECT_EQ(fsm().state(), FsmState::kStopped);
}

TEST_F(FsmTest, UnknownCodeIsCodeRejectedAndTruncated) {
  Reach(FsmState::kOpened);
  Clear();
  fsm().Input(Wire(0x40, 3, {0xaa, 0xbb}));
  ASSERT_EQ(SentCodes(), (V{7}));
  EXPECT_EQ(sent_[0].pkt.data, (V{0x40, 0x03, 0x00, 0x06, 0xaa, 0xbb}));
  Clear();
  fsm().Input(Wire(0x40, 4, V(3000, 0x11)));
  ASSERT_EQ(SentCodes(), (V{7}));
  EXPECT_EQ(sent_[0].pkt.data.size(), 1496u);
  EXPECT_EQ(sent_[0].pkt.data[3], 0xbc) << "rejected packet starts at its Code";
  // A code the handler knows (Ident) is not rejected.
  Clear();
  fsm().Input(Wire(12, 5, {0, 0, 0, 0}));
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(handler_.other, (V{12}));
}

TEST_F(FsmTest, CodeRejectOfMandatoryCodeFinishes) {
  Reach(FsmState::kAckSent);
  fsm().Input(Wire(7, 1, Wire(1, 9)));
  EXPECT_EQ(fsm().state(), FsmState::kStopped);
  EXPECT_EQ(fsm().failure_reason(), "peer rejected mandatory code");
  EXPECT_EQ(handler_.calls.back(), "tlf");
}

TEST_F(FsmTest, ProtocolRejectOfLcpItselfIsRxjMinus) {
  Reach(FsmState::kOpened);
  Clear();
  fsm().Input(Wire(8, 1, {0x80, 0x21, 1, 1, 0, 4}));  // rejects IPCP: RXJ+
  EXPECT_EQ(fsm().state(), FsmState::kOpened);
  EXPECT_EQ(handler_.other, (V{8}));
  fsm().Input(Wire(8, 2, {0xc0, 0x21}));  // rejects LCP: RXJ-
  EXPECT_EQ(fsm().state(), FsmState::kStopping);
  EXPECT_EQ(SentCodes(), (V{5}));
  EXPECT_EQ(fsm().failure_reason(), "peer rejected protocol");
}

TEST_F(FsmTest, EchoOutsideOpenedNeverReachesTheHandler) {  // RFC 1661 §5.8
  Reach(FsmState::kAckSent);
  fsm().Input(Wire(9, 1, {0, 0, 0, 0}));
  EXPECT_TRUE(handler_.other.empty());
  EXPECT_EQ(fsm().state(), FsmState::kAckSent);
}

TEST_F(FsmTest, MalformedInputIsCountedAndDropped) {
  Reach(FsmState::kReqSent);
  Clear();
  fsm().Input(V{1, 2, 0});
  fsm().Input(V{1, 2, 0, 9, 0});
  fsm().Input(Wire(1, 2, {0x01, 0x09}));  // option runs past the end
  EXPECT_EQ(fsm().counters().bad_packets, 3u);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(fsm().state(), FsmState::kReqSent);
}

TEST_F(FsmTest, NonLcpProtocolCodeRejectsEcho) {
  Recorder h;
  std::vector<uint8_t> codes;
  Fsm ipcp(loop_, 0x8021, "IPCP", h, [&](uint16_t proto, Packet&& p) {
    EXPECT_EQ(proto, 0x8021);
    codes.push_back(p.span()[0]);
  });
  ipcp.Up();
  ipcp.Open();
  ipcp.Input(Wire(9, 1, {0, 0, 0, 0}));  // Echo means nothing to IPCP: RUC
  EXPECT_EQ(codes, (V{1, 7}));
}

TEST(FsmNames, StatesAndEvents) {
  EXPECT_EQ(FsmStateName(FsmState::kAckRcvd), "Ack-Rcvd");
  EXPECT_EQ(FsmEventName(FsmEvent::kRXJMinus), "RXJ-");
}

}  // namespace
}  // namespace mlppp::ppp
