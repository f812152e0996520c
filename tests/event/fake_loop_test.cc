#include "event/fake_loop.h"

#include <gtest/gtest.h>

#include <vector>

namespace mlppp::event {
namespace {

using std::chrono::seconds;

TEST(FakeLoop, FiresTimersInDeadlineOrderAndHonoursStop) {
  FakeLoop loop;
  std::vector<int> fired;
  auto a = loop.CreateTimer(), b = loop.CreateTimer(), c = loop.CreateTimer();
  a->Start(seconds(3), [&] { fired.push_back(3); });
  b->Start(seconds(1), [&] { fired.push_back(1); });
  c->Start(seconds(2), [&] { fired.push_back(2); });
  c->Stop();
  loop.Advance(seconds(5));
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
  EXPECT_FALSE(a->Running());
}

TEST(FakeLoop, TimerMayRestartItselfAndDestroyCancels) {
  FakeLoop loop;
  int n = 0;
  auto t = loop.CreateTimer();
  std::function<void()> tick = [&] {
    if (++n < 3) t->Start(seconds(1), tick);
  };
  t->Start(seconds(1), tick);
  loop.Advance(seconds(10));
  EXPECT_EQ(n, 3);
  t->Start(seconds(1), [&] { n = 100; });
  t.reset();
  loop.Advance(seconds(2));
  EXPECT_EQ(n, 3);
  EXPECT_EQ(loop.ActiveTimers(), 0u);
}

TEST(FakeLoop, DeferDeleteRunsAfterCurrentCallback) {
  FakeLoop loop;
  struct Obj {
    bool* gone;
    ~Obj() { *gone = true; }
  };
  bool gone = false;
  loop.DeferDelete(std::unique_ptr<Obj>(new Obj{&gone}));
  EXPECT_FALSE(gone);
  loop.RunPending();
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace mlppp::event
