// link::UpGate: a driver's up is reported before its frames; frames that
// come before any up are held (a few) and handed up right after it.
#include "link/up_gate.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "event/fake_loop.h"

namespace mlppp::link {
namespace {

// Records the order of what reaches the layer above.
struct Recorder : DriverEvents {
  void OnDriverUp() override {
    log.push_back("up");
    if (on_up) on_up();
  }
  void OnDriverDown(std::string_view) override { log.push_back("down"); }
  void OnFrame(Packet&& f) override {
    log.push_back("frame " + std::to_string(f.span().empty() ? -1 : f.span()[0]));
    if (on_frame) on_frame();
  }
  std::vector<std::string> log;
  std::function<void()> on_up;
  std::function<void()> on_frame;
};

Packet Frame(uint8_t tag) {
  std::vector<uint8_t> v{tag, 0x21};
  return Packet::Copy(v);
}

class UpGateTest : public ::testing::Test {
 protected:
  event::FakeLoop loop_;
  Recorder rec_;
  DriverEvents* events_ = &rec_;
};

TEST_F(UpGateTest, PostedUpRunsThroughTheLoop) {
  UpGate gate(loop_, events_);
  gate.PostUp();
  gate.PostUp();  // once per open
  EXPECT_TRUE(rec_.log.empty());
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up"}));
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1"}));
}

TEST_F(UpGateTest, FrameBeforeThePostedUpRunsReportsTheUpFirst) {
  UpGate gate(loop_, events_);
  gate.PostUp();
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1"}));
  loop_.RunPending();  // the post finds the up reported already
  EXPECT_EQ(rec_.log.size(), 2u);
}

TEST_F(UpGateTest, FramesBeforeAnyUpAreHeldThenReplayedInOrder) {
  // A listener's call: no owner yet, so no events and no up.
  events_ = nullptr;
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_TRUE(gate.Deliver(Frame(2)));
  loop_.RunPending();
  EXPECT_TRUE(rec_.log.empty());
  // The daemon takes the call and opens it.
  events_ = &rec_;
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1", "frame 2"}));
}

TEST_F(UpGateTest, HoldsAtMostKMaxEarlyFrames) {
  UpGate gate(loop_, events_);
  for (size_t i = 0; i < UpGate::kMaxEarlyFrames; ++i)
    EXPECT_TRUE(gate.Deliver(Frame(static_cast<uint8_t>(i))));
  EXPECT_FALSE(gate.Deliver(Frame(99)));  // dropped: the caller counts it
  gate.PostUp();
  loop_.RunPending();
  ASSERT_EQ(rec_.log.size(), 1 + UpGate::kMaxEarlyFrames);
  EXPECT_EQ(rec_.log.back(), "frame 7");
}

TEST_F(UpGateTest, ResetForgetsHeldFramesAndCancelsAPostedUp) {
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  gate.PostUp();
  gate.Reset();  // a new open before the post ran
  loop_.RunPending();
  EXPECT_TRUE(rec_.log.empty());
  EXPECT_FALSE(gate.up_posted());
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up"}));
}

TEST_F(UpGateTest, TheUpMayDestroyTheDriverBeforeHeldFrames) {
  auto gate = std::make_unique<UpGate>(loop_, events_);
  EXPECT_TRUE(gate->Deliver(Frame(1)));
  EXPECT_TRUE(gate->Deliver(Frame(2)));
  rec_.on_up = [&] { gate.reset(); };  // the up ends the call and its driver
  gate->PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up"}));
  EXPECT_EQ(gate, nullptr);
}

TEST_F(UpGateTest, AFrameMayDestroyTheDriverDuringTheReplay) {
  auto gate = std::make_unique<UpGate>(loop_, events_);
  EXPECT_TRUE(gate->Deliver(Frame(1)));
  EXPECT_TRUE(gate->Deliver(Frame(2)));
  rec_.on_frame = [&] { gate.reset(); };
  gate->PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1"}));
}

TEST_F(UpGateTest, AResetInTheUpStopsTheReplayOfTheOldFrames) {
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_TRUE(gate.Deliver(Frame(2)));
  // The up closes and reopens the link: a new open, whose first frame
  // comes before its own up.
  rec_.on_up = [&] {
    rec_.on_up = nullptr;
    gate.Reset();
    EXPECT_TRUE(gate.Deliver(Frame(3)));
  };
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up"}));
  gate.PostUp();  // the new open's up
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "up", "frame 3"}));
}

TEST_F(UpGateTest, AResetInAReplayedFrameStopsTheReplay) {
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_TRUE(gate.Deliver(Frame(2)));
  rec_.on_frame = [&] {
    rec_.on_frame = nullptr;
    gate.Reset();
  };
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1"}));
  EXPECT_FALSE(gate.up_posted());
}

TEST_F(UpGateTest, AFrameDeliveredInTheUpQueuesBehindTheHeldFrames) {
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_TRUE(gate.Deliver(Frame(2)));
  rec_.on_up = [&] { EXPECT_TRUE(gate.Deliver(Frame(3))); };
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1", "frame 2", "frame 3"}));
  // After the replay, frames go straight up again.
  rec_.on_up = nullptr;
  EXPECT_TRUE(gate.Deliver(Frame(4)));
  EXPECT_EQ(rec_.log.back(), "frame 4");
}

TEST_F(UpGateTest, AFrameDeliveredDuringTheReplayQueuesBehindTheRest) {
  UpGate gate(loop_, events_);
  EXPECT_TRUE(gate.Deliver(Frame(1)));
  EXPECT_TRUE(gate.Deliver(Frame(2)));
  rec_.on_frame = [&] {
    rec_.on_frame = nullptr;
    EXPECT_TRUE(gate.Deliver(Frame(3)));
  };
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1", "frame 2", "frame 3"}));
}

TEST_F(UpGateTest, APostedUpWithNoOwnerIsPostedAgainLater) {
  // The owner cleared its events before the posted up ran.
  events_ = nullptr;
  UpGate gate(loop_, events_);
  gate.PostUp();
  loop_.RunPending();
  EXPECT_TRUE(rec_.log.empty());
  EXPECT_FALSE(gate.up_posted());
  EXPECT_TRUE(gate.Deliver(Frame(1)));  // held for the up to come
  events_ = &rec_;
  gate.PostUp();
  loop_.RunPending();
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"up", "frame 1"}));
}

}  // namespace
}  // namespace mlppp::link
