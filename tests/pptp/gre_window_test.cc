#include "link/pptp/gre_window.h"

#include <gtest/gtest.h>

#include <vector>

#include "event/fake_loop.h"

namespace mlppp::link::pptp {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Fixture {
  explicit Fixture(GreWindowConfig cfg = {})
      : win(loop, cfg, [this](uint32_t ack) { acks.push_back(ack); }) {}
  event::FakeLoop loop;
  std::vector<uint32_t> acks;
  GreWindow win;
};

TEST(GreWindow, DelayedAckFiresOnceAfterTheDelay) {
  Fixture f;
  // ng_pptpgre: a quarter of the initial 100 ms round-trip guess.
  ASSERT_EQ(f.win.AckDelay(), milliseconds(25));
  ASSERT_TRUE(f.win.AcceptReceived(0));
  EXPECT_TRUE(f.win.ack_pending());
  f.loop.Advance(milliseconds(10));
  ASSERT_TRUE(f.win.AcceptReceived(1));  // does not push the timer back
  f.loop.Advance(milliseconds(15) - microseconds(1));
  EXPECT_TRUE(f.acks.empty());
  f.loop.Advance(microseconds(1));
  EXPECT_EQ(f.acks, (std::vector<uint32_t>{1}));
  f.loop.Advance(seconds(5));
  EXPECT_EQ(f.acks.size(), 1u);
  EXPECT_EQ(f.win.stats().lone_acks, 1u);
  EXPECT_FALSE(f.win.ack_pending());
  EXPECT_EQ(f.win.AckToSend(), std::nullopt);  // nothing new to ack
}

TEST(GreWindow, DataPacketPiggyBacksTheAckAndCancelsTheTimer) {
  Fixture f;
  ASSERT_TRUE(f.win.AcceptReceived(5));
  f.loop.Advance(milliseconds(5));
  auto h = f.win.DataHeader(0x1234);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->call_id, 0x1234);
  EXPECT_EQ(h->seq, 0u);  // §4.2: our numbering starts at 0
  EXPECT_EQ(h->ack, 5u);
  f.loop.Advance(seconds(1));
  EXPECT_TRUE(f.acks.empty());
  EXPECT_EQ(f.loop.ActiveTimers(), 0u);
  // The next data packet has nothing new to acknowledge.
  h = f.win.DataHeader(0x1234);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->seq, 1u);
  EXPECT_FALSE(h->ack.has_value());
}

TEST(GreWindow, AlwaysAckPutsTheLatestAckOnEveryDataPacket) {
  GreWindowConfig cfg;
  cfg.always_ack = true;
  Fixture f(cfg);
  EXPECT_EQ(f.win.AckToSend(), std::nullopt);  // nothing received yet
  ASSERT_TRUE(f.win.AcceptReceived(7));
  EXPECT_EQ(f.win.DataHeader(1)->ack, 7u);
  EXPECT_EQ(f.win.DataHeader(1)->ack, 7u);
  ASSERT_TRUE(f.win.AcceptReceived(8));
  EXPECT_EQ(f.win.DataHeader(1)->ack, 8u);
  f.loop.Advance(seconds(1));
  EXPECT_TRUE(f.acks.empty());
}

TEST(GreWindow, WithoutDelayedAckTheAckGoesOutOnTheNextLoopTurn) {
  GreWindowConfig cfg;
  cfg.delayed_ack = false;
  Fixture f(cfg);
  ASSERT_TRUE(f.win.AcceptReceived(3));
  EXPECT_TRUE(f.acks.empty());  // never from inside AcceptReceived
  f.loop.Advance(microseconds(0));
  EXPECT_EQ(f.acks, (std::vector<uint32_t>{3}));

  // Data sent before the loop turns carries it instead.
  ASSERT_TRUE(f.win.AcceptReceived(4));
  EXPECT_EQ(f.win.DataHeader(9)->ack, 4u);
  f.loop.Advance(milliseconds(1));
  EXPECT_EQ(f.acks.size(), 1u);
}

TEST(GreWindow, WindowingClosesAtThePeerWindowAndReopensOnAck) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  cfg.peer_recv_window = 3;
  Fixture f(cfg);
  EXPECT_EQ(f.win.send_window(), 3);
  EXPECT_EQ(f.win.NextSeq(), 0u);
  EXPECT_EQ(f.win.NextSeq(), 1u);
  EXPECT_EQ(f.win.NextSeq(), 2u);
  EXPECT_FALSE(f.win.WindowOpen());
  EXPECT_EQ(f.win.NextSeq(), std::nullopt);
  EXPECT_EQ(f.win.DataHeader(1), std::nullopt);
  EXPECT_EQ(f.win.stats().send_window_drops, 2u);
  EXPECT_EQ(f.win.in_flight(), 3u);

  EXPECT_TRUE(f.win.OnAck(0));
  EXPECT_TRUE(f.win.WindowOpen());
  EXPECT_EQ(f.win.NextSeq(), 3u);  // a dropped packet used no number
  EXPECT_FALSE(f.win.WindowOpen());
  EXPECT_TRUE(f.win.OnAck(3));
  EXPECT_EQ(f.win.in_flight(), 0u);
  EXPECT_EQ(f.win.stats().sent, 4u);
}

TEST(GreWindow, NoWindowingNoLimit) {
  GreWindowConfig cfg;
  cfg.peer_recv_window = 1;
  Fixture f(cfg);
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(f.win.NextSeq(), i);
  EXPECT_EQ(f.win.stats().send_window_drops, 0u);
  EXPECT_EQ(f.loop.ActiveTimers(), 0u);  // no ack timeout without windowing
}

TEST(GreWindow, PeerWindowIsBounded) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  cfg.peer_recv_window = 0;
  Fixture a(cfg);
  EXPECT_EQ(a.win.send_window(), 1);
  cfg.peer_recv_window = 65535;
  Fixture b(cfg);
  EXPECT_EQ(b.win.send_window(), GreWindow::kMaxSendWindow);
}

TEST(GreWindow, BadAndStaleAcks) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  Fixture f(cfg);
  EXPECT_FALSE(f.win.OnAck(0));  // nothing sent yet
  EXPECT_EQ(f.win.stats().bad_acks, 1u);
  f.win.NextSeq();
  f.win.NextSeq();
  EXPECT_FALSE(f.win.OnAck(2));
  EXPECT_EQ(f.win.stats().bad_acks, 2u);
  EXPECT_TRUE(f.win.OnAck(1));
  EXPECT_TRUE(f.win.OnAck(0));  // older than the last: ignored
  EXPECT_TRUE(f.win.OnAck(1));
  EXPECT_EQ(f.win.stats().stale_acks, 2u);
  EXPECT_EQ(f.win.in_flight(), 0u);
}

TEST(GreWindow, AdaptiveTimeoutFromRoundTripSamples) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  Fixture f(cfg);
  EXPECT_EQ(f.win.rtt(), milliseconds(100));
  EXPECT_EQ(f.win.ack_timeout(), seconds(3));
  f.win.NextSeq();
  f.loop.Advance(milliseconds(40));
  ASSERT_TRUE(f.win.OnAck(0));
  // §4.4: diff = 40 - 100 = -60 ms; rtt += diff/8; dev += (|diff| - dev)/4;
  // ato = rtt + 4 dev.
  EXPECT_EQ(f.win.rtt(), microseconds(92'500));
  EXPECT_EQ(f.win.ack_timeout(), microseconds(92'500 + 4 * 15'000));
  EXPECT_EQ(f.win.AckDelay(), microseconds(23'125));
}

TEST(GreWindow, AckTimeoutShrinksTheWindowAndGivesUpOnThePackets) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  cfg.peer_recv_window = 4;
  Fixture f(cfg);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(f.win.NextSeq());
  EXPECT_FALSE(f.win.WindowOpen());
  f.loop.Advance(seconds(3) - microseconds(1));
  EXPECT_EQ(f.win.stats().ack_timeouts, 0u);
  f.loop.Advance(microseconds(1));
  EXPECT_EQ(f.win.stats().ack_timeouts, 1u);
  EXPECT_EQ(f.win.send_window(), 2);
  EXPECT_EQ(f.win.in_flight(), 0u);
  EXPECT_EQ(f.win.rtt(), microseconds(200'001));
  // A late ack for the abandoned packets is stale, not bad.
  EXPECT_TRUE(f.win.OnAck(2));
  EXPECT_EQ(f.win.stats().stale_acks, 1u);

  EXPECT_EQ(f.win.NextSeq(), 4u);
  EXPECT_EQ(f.win.NextSeq(), 5u);
  EXPECT_EQ(f.win.NextSeq(), std::nullopt);
  // A whole window acked: the window grows by one, up to the peer's.
  ASSERT_TRUE(f.win.OnAck(5));
  EXPECT_EQ(f.win.send_window(), 3);
  EXPECT_EQ(f.loop.ActiveTimers(), 0u);  // nothing in flight, no timer
}

TEST(GreWindow, ReceiverDropsDuplicatesAndLatePacketsAndCountsGaps) {
  Fixture f;
  EXPECT_EQ(f.win.last_received(), std::nullopt);
  EXPECT_TRUE(f.win.AcceptReceived(10));  // the first is always taken
  EXPECT_TRUE(f.win.AcceptReceived(11));
  EXPECT_FALSE(f.win.AcceptReceived(11));
  EXPECT_FALSE(f.win.AcceptReceived(9));
  EXPECT_TRUE(f.win.AcceptReceived(15));
  EXPECT_FALSE(f.win.AcceptReceived(12));  // arrived after 15: late
  EXPECT_EQ(f.win.stats().received, 3u);
  EXPECT_EQ(f.win.stats().duplicates, 1u);
  EXPECT_EQ(f.win.stats().late, 2u);
  EXPECT_EQ(f.win.stats().lost, 3u);
  EXPECT_EQ(f.win.last_received(), 15u);
}

TEST(GreWindow, SequenceNumbersWrapAround) {
  Fixture f;
  EXPECT_TRUE(f.win.AcceptReceived(0xfffffffe));
  EXPECT_TRUE(f.win.AcceptReceived(0xffffffff));
  EXPECT_TRUE(f.win.AcceptReceived(0));
  EXPECT_TRUE(f.win.AcceptReceived(2));
  EXPECT_FALSE(f.win.AcceptReceived(0xffffffff));
  EXPECT_FALSE(f.win.AcceptReceived(0x80000002));  // half the space away: old
  EXPECT_TRUE(f.win.AcceptReceived(0x80000001));
  EXPECT_EQ(f.win.stats().lost, 1u + 0x7ffffffeu);
  EXPECT_EQ(f.win.stats().late, 2u);
  f.loop.Advance(seconds(1));
  EXPECT_EQ(f.acks, (std::vector<uint32_t>{0x80000001}));
}

TEST(GreWindow, OnReceiveTakesTheAckThenTheSeq) {
  GreWindowConfig cfg;
  cfg.windowing = true;
  cfg.peer_recv_window = 1;
  Fixture f(cfg);
  ASSERT_EQ(f.win.NextSeq(), 0u);
  EXPECT_FALSE(f.win.WindowOpen());
  GreHeader h;
  h.seq = 100;
  h.ack = 0;
  EXPECT_TRUE(f.win.OnReceive(h));
  EXPECT_TRUE(f.win.WindowOpen());
  EXPECT_FALSE(f.win.OnReceive(h));  // same seq again
  GreHeader ack_only;
  ack_only.ack = 0;
  EXPECT_FALSE(f.win.OnReceive(ack_only));  // nothing to deliver
  EXPECT_EQ(f.win.stats().duplicates, 1u);
}

TEST(GreWindow, PeerProcessingDelayScalesTheInitialRoundTrip) {
  GreWindowConfig cfg;
  cfg.peer_ppd = 30;  // 3 s
  Fixture f(cfg);
  EXPECT_EQ(f.win.rtt(), seconds(3));
  EXPECT_EQ(f.win.AckDelay(), GreWindow::kMaxAckDelay);
}

TEST(GreWindow, DestroyingTheWindowCancelsItsTimers) {
  event::FakeLoop loop;
  int acks = 0;
  {
    GreWindowConfig cfg;
    cfg.windowing = true;
    GreWindow w(loop, cfg, [&](uint32_t) { ++acks; });
    w.AcceptReceived(1);
    w.NextSeq();
    EXPECT_EQ(loop.ActiveTimers(), 2u);
  }
  EXPECT_EQ(loop.ActiveTimers(), 0u);
  loop.Advance(seconds(10));
  EXPECT_EQ(acks, 0);
}

}  // namespace
}  // namespace mlppp::link::pptp
