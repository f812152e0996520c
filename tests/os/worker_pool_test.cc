#include "os/worker_pool.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "os/netns_util.h"

namespace mlppp::os {
namespace {

TEST(WorkerPool, RunsWorkOffLoopAndDoneOnLoopThread) {
  event::AsioLoop loop;
  WorkerPool pool(loop, 2);
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id work_thread, done_thread;
  int got = 0;
  pool.Run(
      [&] {
        work_thread = std::this_thread::get_id();
        return 42;
      },
      [&](int v) {
        done_thread = std::this_thread::get_id();
        got = v;
      });
  EXPECT_EQ(got, 0);  // nothing runs until the loop does
  ASSERT_TRUE(testing::RunUntil(loop.context(), [&] { return got != 0; }));
  EXPECT_EQ(got, 42);
  EXPECT_NE(work_thread, loop_thread);
  EXPECT_EQ(done_thread, loop_thread);
}

TEST(WorkerPool, MoveOnlyResultsVoidWorkAndLoopRunsUntilAllDone) {
  event::AsioLoop loop;
  WorkerPool pool(loop, 3);
  int sum = 0, voids = 0;
  for (int i = 1; i <= 10; ++i) {
    pool.Run([i] { return std::make_unique<int>(i); }, [&](std::unique_ptr<int> v) { sum += *v; });
    pool.Run([] {}, [&] { ++voids; });
  }
  // Pending jobs hold work on the io_context: run() returns only after the
  // last done callback.
  loop.Run();
  EXPECT_EQ(sum, 55);
  EXPECT_EQ(voids, 10);
}

}  // namespace
}  // namespace mlppp::os
