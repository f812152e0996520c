#include "link/l2tp/control_channel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "event/fake_loop.h"

namespace mlppp::link::l2tp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Packet Msg(std::string_view s) {
  return Packet::Copy({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

// One control message as it crossed the test wire.
struct Frame {
  uint16_t ns;
  uint16_t nr;
  std::string body;  // empty: ZLB
  event::TimePoint at;
  bool Zlb() const { return body.empty(); }
};

// One side of the tunnel: its channel, what it put on the wire, what is in
// transit from it to the other side, and what it delivered upwards.
struct End {
  std::unique_ptr<ControlChannel> ch;
  std::vector<Frame> log;
  std::deque<Frame> wire;
  std::vector<std::string> got;
  int failed = 0;
  std::function<void(const std::string&)> on_deliver;
};

class ControlChannelTest : public ::testing::Test {
 protected:
  static ControlChannelOptions Plain() {
    ControlChannelOptions o;
    o.congestion_control = false;
    return o;
  }

  void Make(End& e, ControlChannelOptions o) {
    ControlChannel::Hooks h;
    h.send = [this, &e](uint16_t ns, uint16_t nr, std::span<const uint8_t> body) {
      Frame f{ns, nr, std::string(body.begin(), body.end()), loop_.Now()};
      e.log.push_back(f);
      if (on_wire_) {
        on_wire_(e, std::move(f));
      } else {
        e.wire.push_back(std::move(f));
      }
    };
    h.deliver = [&e](Packet&& p) {
      std::string s(p.span().begin(), p.span().end());
      e.got.push_back(s);
      if (e.on_deliver) e.on_deliver(s);
    };
    h.failed = [&e] { ++e.failed; };
    e.ch = std::make_unique<ControlChannel>(loop_, o, std::move(h));
  }

  static void Receive(End& to, const Frame& f) { to.ch->OnReceive(f.ns, f.nr, Msg(f.body)); }
  // Delivers everything in transit from `from` to `to`, oldest first.
  static void Pass(End& from, End& to) {
    while (!from.wire.empty()) {
      Frame f = std::move(from.wire.front());
      from.wire.pop_front();
      Receive(to, f);
    }
  }
  // Delivers the frame in transit at index i (and only it).
  static void PassAt(End& from, End& to, size_t i) {
    Frame f = from.wire.at(i);
    from.wire.erase(from.wire.begin() + static_cast<long>(i));
    Receive(to, f);
  }

  event::FakeLoop loop_;
  std::function<void(End&, Frame)> on_wire_;
  End a_, b_;
};

TEST(SeqBeforeTest, SerialArithmetic) {
  EXPECT_TRUE(ControlChannel::SeqBefore(0, 1));
  EXPECT_FALSE(ControlChannel::SeqBefore(1, 0));
  EXPECT_FALSE(ControlChannel::SeqBefore(5, 5));
  EXPECT_TRUE(ControlChannel::SeqBefore(65535, 0));
  EXPECT_FALSE(ControlChannel::SeqBefore(0, 65535));
  EXPECT_TRUE(ControlChannel::SeqBefore(1, 32768));   // 32767 before
  EXPECT_FALSE(ControlChannel::SeqBefore(0, 32768));  // exactly half: neither
  EXPECT_FALSE(ControlChannel::SeqBefore(32768, 0));
}

TEST_F(ControlChannelTest, InOrderDeliveryAndZlbAck) {
  Make(a_, Plain());
  Make(b_, Plain());
  for (auto s : {"m0", "m1", "m2"}) EXPECT_TRUE(a_.ch->Send(Msg(s)));
  ASSERT_EQ(a_.log.size(), 3u);
  for (uint16_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a_.log[i].ns, i);
    EXPECT_EQ(a_.log[i].nr, 0);
  }
  EXPECT_FALSE(a_.ch->Idle());
  Pass(a_, b_);
  EXPECT_EQ(b_.got, (std::vector<std::string>{"m0", "m1", "m2"}));
  EXPECT_EQ(b_.ch->nr(), 3);
  EXPECT_TRUE(b_.log.empty());  // the ack waits for a reply to ride on

  loop_.Advance(milliseconds(100));
  ASSERT_EQ(b_.log.size(), 1u);
  EXPECT_TRUE(b_.log[0].Zlb());
  EXPECT_EQ(b_.log[0].ns, 0);  // a ZLB does not consume Ns
  EXPECT_EQ(b_.log[0].nr, 3);
  EXPECT_EQ(b_.ch->counters().zlb_sent, 1u);
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_TRUE(a_.got.empty());  // a ZLB is never delivered

  // Nothing is retransmitted once acked, and the ZLB is never resent.
  loop_.Advance(seconds(60));
  EXPECT_EQ(a_.log.size(), 3u);
  EXPECT_EQ(b_.log.size(), 1u);
  EXPECT_EQ(a_.ch->counters().retransmits, 0u);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(ControlChannelTest, EmptyBodyRejected) {
  Make(a_, Plain());
  EXPECT_FALSE(a_.ch->Send(Packet()));
  EXPECT_TRUE(a_.log.empty());
  EXPECT_TRUE(a_.ch->Idle());
}

TEST_F(ControlChannelTest, LostMessageRetransmittedWithBackoffAndCurrentNr) {
  Make(a_, Plain());
  Make(b_, Plain());
  auto t0 = loop_.Now();
  a_.ch->Send(Msg("m0"));
  a_.wire.clear();  // lost

  // Meanwhile b sends a message, which a receives: the retransmission must
  // carry a's updated Nr (§5.8).
  b_.ch->Send(Msg("r0"));
  Pass(b_, a_);
  EXPECT_EQ(a_.got, std::vector<std::string>{"r0"});

  loop_.Advance(milliseconds(999));
  // Only the 100 ms ZLB for r0 went out so far.
  ASSERT_EQ(a_.log.size(), 2u);
  EXPECT_TRUE(a_.log[1].Zlb());
  EXPECT_EQ(a_.log[1].at - t0, milliseconds(100));
  EXPECT_EQ(a_.log[1].ns, 1);  // next Ns, not consumed
  a_.wire.clear();

  loop_.Advance(milliseconds(1));
  ASSERT_EQ(a_.log.size(), 3u);
  EXPECT_EQ(a_.log[2].at - t0, seconds(1));
  EXPECT_EQ(a_.log[2].ns, 0);
  EXPECT_EQ(a_.log[2].nr, 1);
  EXPECT_EQ(a_.log[2].body, "m0");
  a_.wire.clear();

  loop_.Advance(seconds(2));
  ASSERT_EQ(a_.log.size(), 4u);
  EXPECT_EQ(a_.log[3].at - t0, seconds(3));  // +2 s
  a_.wire.clear();
  loop_.Advance(seconds(4));
  ASSERT_EQ(a_.log.size(), 5u);
  EXPECT_EQ(a_.log[4].at - t0, seconds(7));  // +4 s
  a_.wire.clear();
  loop_.Advance(seconds(8));
  ASSERT_EQ(a_.log.size(), 6u);
  EXPECT_EQ(a_.log[5].at - t0, seconds(15));  // +8 s
  loop_.Advance(seconds(8));
  ASSERT_EQ(a_.log.size(), 7u);
  EXPECT_EQ(a_.log[6].at - t0, seconds(23));  // capped at 8 s
  EXPECT_EQ(a_.ch->counters().retransmits, 5u);

  // This one arrives: b delivers m0 once, duplicates are re-acked.
  Pass(a_, b_);
  EXPECT_EQ(b_.got, std::vector<std::string>{"m0"});
  EXPECT_EQ(b_.ch->counters().duplicates, 1u);  // the copy from 15 s
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_EQ(a_.failed, 0);
}

TEST_F(ControlChannelTest, AckResetsBackoff) {
  Make(a_, Plain());
  Make(b_, Plain());
  a_.ch->Send(Msg("m0"));
  a_.wire.clear();
  loop_.Advance(seconds(3));  // retransmitted at 1 s and 3 s
  ASSERT_EQ(a_.log.size(), 3u);
  a_.ch->Send(Msg("m1"));
  ASSERT_EQ(a_.log.size(), 4u);
  // b gets m0 (the 3 s copy) and acks it; m1 is lost.
  PassAt(a_, b_, a_.wire.size() - 2);
  a_.wire.clear();
  auto t_ack = loop_.Now();
  b_.ch->Send(Msg("r0"));  // piggy-backs Nr 1
  Pass(b_, a_);
  EXPECT_EQ(a_.ch->InFlight(), 1u);
  // m1 is the oldest now; its timer restarts at the initial 1 s.
  loop_.Advance(milliseconds(999));
  size_t before = a_.log.size();
  loop_.Advance(milliseconds(1));
  ASSERT_EQ(a_.log.size(), before + 1);
  EXPECT_EQ(a_.log.back().body, "m1");
  EXPECT_EQ(a_.log.back().at - t_ack, seconds(1));
}

TEST_F(ControlChannelTest, LostAckDuplicateReackedAtOnce) {
  Make(a_, Plain());
  Make(b_, Plain());
  a_.ch->Send(Msg("m0"));
  Pass(a_, b_);
  EXPECT_EQ(b_.got.size(), 1u);
  loop_.Advance(milliseconds(100));
  ASSERT_EQ(b_.log.size(), 1u);
  b_.wire.clear();  // the ZLB ack is lost

  loop_.Advance(milliseconds(900));  // a retransmits at 1 s
  ASSERT_EQ(a_.log.size(), 2u);
  Pass(a_, b_);
  // The duplicate is not delivered again but acked at once, not after 100 ms.
  EXPECT_EQ(b_.got.size(), 1u);
  EXPECT_EQ(b_.ch->counters().duplicates, 1u);
  ASSERT_EQ(b_.log.size(), 2u);
  EXPECT_TRUE(b_.log[1].Zlb());
  EXPECT_EQ(b_.log[1].nr, 1);
  EXPECT_EQ(b_.log[1].at, loop_.Now());
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
  loop_.Advance(seconds(60));
  EXPECT_EQ(a_.log.size(), 2u);  // retransmission stopped
  EXPECT_EQ(a_.failed, 0);
}

TEST_F(ControlChannelTest, ReorderedWithinWindowDeliveredInOrderOnce) {
  ControlChannelOptions o = Plain();
  o.peer_window = 8;
  Make(a_, o);
  Make(b_, Plain());
  for (auto s : {"m0", "m1", "m2", "m3"}) a_.ch->Send(Msg(s));
  ASSERT_EQ(a_.wire.size(), 4u);
  std::deque<Frame> copy = a_.wire;
  // Arrival order 2, 3, 0, 1 with m3 duplicated before the gap fills.
  a_.wire = {copy[2], copy[3], copy[3], copy[0], copy[1]};
  PassAt(a_, b_, 0);
  PassAt(a_, b_, 0);
  EXPECT_TRUE(b_.got.empty());
  EXPECT_EQ(b_.ch->counters().out_of_order_buffered, 2u);
  PassAt(a_, b_, 0);  // m3 again, still held
  EXPECT_EQ(b_.ch->counters().duplicates, 1u);
  PassAt(a_, b_, 0);  // m0: delivers m0 only (m1 missing)
  EXPECT_EQ(b_.got, std::vector<std::string>{"m0"});
  PassAt(a_, b_, 0);  // m1 fills the gap: m1, m2, m3 follow
  EXPECT_EQ(b_.got, (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
  EXPECT_EQ(b_.ch->nr(), 4);
  // Late copies of all of them: none delivered again.
  for (auto& f : copy) Receive(b_, f);
  EXPECT_EQ(b_.got.size(), 4u);
  loop_.Advance(milliseconds(100));
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
}

TEST_F(ControlChannelTest, BeyondWindowDropped) {
  ControlChannelOptions oa = Plain();
  oa.peer_window = 8;  // a ignores b's window: b must protect itself
  ControlChannelOptions ob = Plain();
  ob.local_window = 2;
  Make(a_, oa);
  Make(b_, ob);
  for (auto s : {"m0", "m1", "m2", "m3"}) a_.ch->Send(Msg(s));
  std::deque<Frame> copy = a_.wire;
  a_.wire.clear();
  Receive(b_, copy[3]);  // 3 ahead
  Receive(b_, copy[2]);  // 2 ahead: window 2 holds m0 and m1 only
  EXPECT_EQ(b_.ch->counters().out_of_window, 2u);
  Receive(b_, copy[1]);  // 1 ahead: held
  EXPECT_EQ(b_.ch->counters().out_of_order_buffered, 1u);
  Receive(b_, copy[0]);
  EXPECT_EQ(b_.got, (std::vector<std::string>{"m0", "m1"}));
  // a retransmits what was dropped after b's ack; all arrive in the end.
  for (int i = 0; i < 20 && !a_.ch->Idle(); ++i) {
    loop_.Advance(milliseconds(100));
    Pass(a_, b_);
    Pass(b_, a_);
  }
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_EQ(b_.got, (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
}

TEST_F(ControlChannelTest, PeerWindowLimitsInFlight) {
  ControlChannelOptions o = Plain();
  o.peer_window = 2;
  Make(a_, o);
  Make(b_, Plain());
  for (int i = 0; i < 5; ++i) a_.ch->Send(Msg("m" + std::to_string(i)));
  EXPECT_EQ(a_.log.size(), 2u);
  EXPECT_EQ(a_.ch->InFlight(), 2u);
  EXPECT_EQ(a_.ch->Queued(), 3u);
  EXPECT_EQ(a_.ch->next_ns(), 5);

  PassAt(a_, b_, 0);  // b gets m0 and replies at once: the reply acks m0
  b_.ch->Send(Msg("r0"));
  EXPECT_EQ(b_.log.back().nr, 1);
  Pass(b_, a_);
  // One slot opened: m2 goes, carrying the ack of r0.
  ASSERT_EQ(a_.log.size(), 3u);
  EXPECT_EQ(a_.log[2].ns, 2);
  EXPECT_EQ(a_.log[2].nr, 1);
  EXPECT_EQ(a_.ch->InFlight(), 2u);

  // The peer announces a larger window (its SCCRP): the rest goes at once.
  a_.ch->SetPeerWindow(4);
  EXPECT_EQ(a_.log.size(), 5u);
  EXPECT_EQ(a_.ch->Queued(), 0u);
  Pass(a_, b_);
  EXPECT_EQ(b_.got.size(), 5u);
  loop_.Advance(milliseconds(100));
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
}

TEST_F(ControlChannelTest, PeerWindowZeroTakenAsOne) {
  Make(a_, Plain());
  a_.ch->SetPeerWindow(0);
  EXPECT_EQ(a_.ch->peer_window(), 1);
  a_.ch->Send(Msg("m0"));
  a_.ch->Send(Msg("m1"));
  EXPECT_EQ(a_.log.size(), 1u);
  a_.ch->SetPeerWindow(65535);
  EXPECT_EQ(a_.ch->peer_window(), 32767);
  EXPECT_EQ(a_.log.size(), 2u);
}

TEST_F(ControlChannelTest, SlowStartAndCongestionAvoidance) {
  ControlChannelOptions o;  // congestion control on
  o.peer_window = 8;
  Make(a_, o);
  Make(b_, Plain());
  for (int i = 0; i < 40; ++i) a_.ch->Send(Msg("m" + std::to_string(i)));
  // Appendix A: CWND starts at 1, +1 per ack up to SSTHRESH (= peer RWS).
  EXPECT_EQ(a_.ch->cwnd(), 1);
  EXPECT_EQ(a_.ch->InFlight(), 1u);
  std::vector<size_t> in_flight;
  for (int round = 0; round < 4; ++round) {
    Pass(a_, b_);
    loop_.Advance(milliseconds(100));
    Pass(b_, a_);
    in_flight.push_back(a_.ch->InFlight());
  }
  // Each round trip acks the whole flight: 1 -> 2 -> 4 -> 8 (capped).
  EXPECT_EQ(in_flight, (std::vector<size_t>{2, 4, 8, 8}));
  EXPECT_EQ(a_.ch->cwnd(), 8);

  // A timeout: SSTHRESH = CWND / 2 = 4, CWND = 1.
  a_.wire.clear();
  loop_.Advance(seconds(1));
  EXPECT_EQ(a_.ch->cwnd(), 1);
  EXPECT_EQ(a_.ch->counters().retransmits, 1u);
  // The whole flight was lost: b gets the retransmitted oldest only, whose
  // ack covers one message: slow start, CWND 2, and the next two unacked
  // messages are resent at once (go-back-N), not one per timeout.
  Pass(a_, b_);
  loop_.Advance(milliseconds(100));
  size_t before = a_.log.size();
  Pass(b_, a_);
  EXPECT_EQ(a_.ch->cwnd(), 2);
  ASSERT_EQ(a_.log.size(), before + 2);
  EXPECT_EQ(a_.log[before].body, "m16");
  EXPECT_EQ(a_.log[before + 1].body, "m17");
  // Keep going until everything is through; above SSTHRESH CWND grows by
  // one per CWND acks, and never beyond the peer's window.
  for (int i = 0; i < 400 && !a_.ch->Idle(); ++i) {
    loop_.Advance(milliseconds(100));
    Pass(a_, b_);
    Pass(b_, a_);
    EXPECT_LE(a_.ch->cwnd(), 8);
  }
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_EQ(b_.got.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(b_.got[i], "m" + std::to_string(i));
}

TEST_F(ControlChannelTest, SequenceWrapAround) {
  ControlChannelOptions oa = Plain();
  oa.initial_ns = 65534;
  oa.initial_nr = 65533;
  ControlChannelOptions ob = Plain();
  ob.initial_ns = 65533;
  ob.initial_nr = 65534;
  Make(a_, oa);
  Make(b_, ob);
  for (auto s : {"m0", "m1", "m2", "m3"}) a_.ch->Send(Msg(s));
  ASSERT_EQ(a_.log.size(), 4u);
  EXPECT_EQ(a_.log[0].ns, 65534);
  EXPECT_EQ(a_.log[1].ns, 65535);
  EXPECT_EQ(a_.log[2].ns, 0);
  EXPECT_EQ(a_.log[3].ns, 1);
  // 0 arrives before 65535: held, then delivered in order.
  PassAt(a_, b_, 0);
  PassAt(a_, b_, 1);
  EXPECT_EQ(b_.got, std::vector<std::string>{"m0"});
  EXPECT_EQ(b_.ch->counters().out_of_order_buffered, 1u);
  PassAt(a_, b_, 0);
  EXPECT_EQ(b_.got, (std::vector<std::string>{"m0", "m1", "m2"}));
  // A late copy of 65535 after the wrap is a duplicate, not a new message.
  Receive(b_, a_.log[1]);
  EXPECT_EQ(b_.ch->counters().duplicates, 1u);
  ASSERT_FALSE(b_.log.empty());
  EXPECT_TRUE(b_.log.back().Zlb());
  EXPECT_EQ(b_.log.back().nr, 1);
  b_.wire.clear();
  Pass(a_, b_);
  EXPECT_EQ(b_.ch->nr(), 2);
  EXPECT_EQ(b_.got.size(), 4u);
  // b's reply wraps too; its Nr acks across the wrap.
  b_.ch->Send(Msg("r0"));
  b_.ch->Send(Msg("r1"));
  EXPECT_EQ(b_.log[b_.log.size() - 2].ns, 65533);
  EXPECT_EQ(b_.log.back().nr, 2);
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_EQ(a_.got, (std::vector<std::string>{"r0", "r1"}));
  EXPECT_EQ(a_.ch->nr(), 65535);
}

TEST_F(ControlChannelTest, RfcDuplicateExampleAtHalfSpace) {
  // §5.8: with last received 15, Ns 32784 counts as "less than or equal".
  ControlChannelOptions o = Plain();
  o.initial_nr = 16;
  Make(b_, o);
  b_.ch->OnReceive(32784, 0, Msg("old"));
  EXPECT_EQ(b_.ch->counters().duplicates, 1u);
  EXPECT_TRUE(b_.got.empty());
  b_.ch->OnReceive(32783, 0, Msg("far"));
  EXPECT_EQ(b_.ch->counters().out_of_window, 1u);
}

TEST_F(ControlChannelTest, BogusNrIgnored) {
  Make(a_, Plain());
  a_.ch->Send(Msg("m0"));
  a_.ch->OnReceive(0, 5, Packet());  // acks Ns 0..4, only 0 was sent
  EXPECT_EQ(a_.ch->counters().bad_nr, 1u);
  EXPECT_EQ(a_.ch->InFlight(), 1u);
  a_.ch->OnReceive(0, 65000, Packet());  // stale: silently ignored
  EXPECT_EQ(a_.ch->counters().bad_nr, 1u);
  a_.ch->OnReceive(0, 1, Packet());
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_EQ(a_.ch->counters().zlb_received, 3u);
}

TEST_F(ControlChannelTest, RetryLimitFailsOnceAndGoesQuiet) {
  Make(a_, Plain());
  auto t0 = loop_.Now();
  a_.ch->Send(Msg("m0"));
  a_.ch->Send(Msg("m1"));
  // Sends at 0, retransmissions at 1, 3, 7, 15, 23 s; gives up at 31 s.
  loop_.Advance(seconds(31) - milliseconds(1));
  EXPECT_EQ(a_.log.size(), 2u + 5u);
  EXPECT_EQ(a_.failed, 0);
  EXPECT_FALSE(a_.ch->Failed());
  loop_.Advance(milliseconds(1));
  EXPECT_TRUE(a_.ch->Failed());
  EXPECT_EQ(a_.failed, 1);
  EXPECT_EQ(loop_.Now() - t0, seconds(31));
  EXPECT_EQ(a_.log.size(), 7u);
  EXPECT_FALSE(a_.ch->Send(Msg("m2")));
  a_.ch->OnReceive(0, 0, Msg("late"));
  EXPECT_TRUE(a_.got.empty());
  loop_.Advance(seconds(120));
  EXPECT_EQ(a_.failed, 1);
  EXPECT_EQ(a_.log.size(), 7u);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

// A loop whose Post() holds callbacks until the test runs them, so the
// channel can be destroyed while its failed() call is still pending.
class HoldingLoop : public event::Loop {
 public:
  explicit HoldingLoop(event::FakeLoop& fake) : fake_(fake) {}
  event::TimePoint Now() const override { return fake_.Now(); }
  std::unique_ptr<event::Timer> CreateTimer() override { return fake_.CreateTimer(); }
  void Post(std::function<void()> fn) override { held.push_back(std::move(fn)); }
  std::vector<std::function<void()>> held;

 private:
  event::FakeLoop& fake_;
};

TEST_F(ControlChannelTest, FailedIsPostedAndNotCalledAfterDestruction) {
  HoldingLoop loop(loop_);
  ControlChannelOptions o = Plain();
  o.max_retries = 0;
  int failed = 0;
  int sends = 0;
  ControlChannel::Hooks h;
  h.send = [&](uint16_t, uint16_t, std::span<const uint8_t>) { ++sends; };
  h.failed = [&] { ++failed; };
  auto ch = std::make_unique<ControlChannel>(loop, o, h);
  ch->Send(Msg("m0"));
  loop_.Advance(seconds(1));
  EXPECT_TRUE(ch->Failed());
  EXPECT_EQ(failed, 0);  // not from inside the timer (rule 7)
  ASSERT_EQ(loop.held.size(), 1u);
  ch.reset();
  for (auto& fn : loop.held) fn();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(sends, 1);

  // Same again, but alive: failed() runs from the posted callback.
  ch = std::make_unique<ControlChannel>(loop, o, h);
  loop.held.clear();
  ch->Send(Msg("m0"));
  loop_.Advance(seconds(1));
  ASSERT_EQ(loop.held.size(), 1u);
  loop.held[0]();
  EXPECT_EQ(failed, 1);
}

TEST_F(ControlChannelTest, ZlbOnlyWhenNothingCarriesTheAck) {
  Make(a_, Plain());
  Make(b_, Plain());
  a_.ch->Send(Msg("m0"));
  Pass(a_, b_);
  auto t = loop_.Now();
  loop_.Advance(milliseconds(99));
  EXPECT_TRUE(b_.log.empty());
  loop_.Advance(milliseconds(1));
  ASSERT_EQ(b_.log.size(), 1u);
  EXPECT_TRUE(b_.log[0].Zlb());
  EXPECT_EQ(b_.log[0].at - t, milliseconds(100));
  Pass(b_, a_);

  // Now b answers within the delay: the reply carries the ack, no ZLB.
  a_.ch->Send(Msg("m1"));
  Pass(a_, b_);
  loop_.Advance(milliseconds(50));
  b_.ch->Send(Msg("r0"));
  ASSERT_EQ(b_.log.size(), 2u);
  EXPECT_EQ(b_.log[1].nr, 2);
  EXPECT_EQ(b_.log[1].ns, 0);  // the earlier ZLB did not consume Ns 0
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
  loop_.Advance(milliseconds(50));
  EXPECT_EQ(b_.log.size(), 2u);
  EXPECT_EQ(b_.ch->counters().zlb_sent, 1u);
}

TEST_F(ControlChannelTest, ReplyFromDeliverPiggyBacksAck) {
  Make(a_, Plain());
  Make(b_, Plain());
  b_.on_deliver = [&](const std::string& s) { b_.ch->Send(Msg("re:" + s)); };
  a_.ch->Send(Msg("SCCRQ"));
  Pass(a_, b_);
  ASSERT_EQ(b_.log.size(), 1u);
  EXPECT_EQ(b_.log[0].body, "re:SCCRQ");
  EXPECT_EQ(b_.log[0].nr, 1);
  loop_.Advance(seconds(1) / 2);
  EXPECT_EQ(b_.log.size(), 1u);  // no ZLB
  Pass(b_, a_);
  EXPECT_TRUE(a_.ch->Idle());
}

// Both directions at once over a lossy wire: 20% loss, 10% duplication,
// random delay 1-150 ms (so reordering); every message arrives exactly once
// and in order on both sides.
TEST_F(ControlChannelTest, RandomizedSoak) {
  std::mt19937 rng(20250117);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> delay_ms(1, 150);
  on_wire_ = [&](End& e, Frame f) {
    if (u(rng) < 0.2) return;
    int copies = u(rng) < 0.1 ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      Frame c = f;
      c.at = loop_.Now() + milliseconds(delay_ms(rng));
      e.wire.push_back(std::move(c));
    }
  };
  ControlChannelOptions o;  // congestion control on
  o.peer_window = 8;
  o.local_window = 8;
  // Liveness is not under test here: with 20% loss each way, six lost round
  // trips in a row happen within 2,000 messages.
  o.max_retries = 30;
  Make(a_, o);
  Make(b_, o);
  constexpr int kCount = 1000;
  int a_sent = 0, b_sent = 0;

  auto deliver_due = [&](End& from, End& to) {
    std::vector<Frame> due;
    for (auto it = from.wire.begin(); it != from.wire.end();) {
      if (it->at <= loop_.Now()) {
        due.push_back(std::move(*it));
        it = from.wire.erase(it);
      } else {
        ++it;
      }
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const Frame& x, const Frame& y) { return x.at < y.at; });
    for (auto& f : due) Receive(to, f);
  };

  for (int step = 0; step < 2'000'000; ++step) {
    if (a_sent < kCount && u(rng) < 0.3) a_.ch->Send(Msg("a" + std::to_string(a_sent++)));
    if (b_sent < kCount && u(rng) < 0.3) b_.ch->Send(Msg("b" + std::to_string(b_sent++)));
    loop_.Advance(milliseconds(5));
    deliver_due(a_, b_);
    deliver_due(b_, a_);
    if (a_sent == kCount && b_sent == kCount && a_.ch->Idle() && b_.ch->Idle() &&
        a_.got.size() == kCount && b_.got.size() == kCount)
      break;
  }
  EXPECT_EQ(a_.failed, 0);
  EXPECT_EQ(b_.failed, 0);
  EXPECT_TRUE(a_.ch->Idle());
  EXPECT_TRUE(b_.ch->Idle());
  ASSERT_EQ(b_.got.size(), static_cast<size_t>(kCount));
  ASSERT_EQ(a_.got.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(b_.got[i], "a" + std::to_string(i));
    ASSERT_EQ(a_.got[i], "b" + std::to_string(i));
  }
  // The wire really did misbehave.
  for (End* e : {&a_, &b_}) {
    EXPECT_GT(e->ch->counters().retransmits, 0u);
    EXPECT_GT(e->ch->counters().duplicates, 0u);
    EXPECT_GT(e->ch->counters().out_of_order_buffered, 0u);
    EXPECT_GT(e->ch->counters().zlb_sent, 0u);
  }
}

}  // namespace
}  // namespace mlppp::link::l2tp
