// How aaa/ back ends run blocking work (PAM, crypt(3), external scripts)
// without depending on asio or os/: the daemon passes a function that hands
// the work to os::WorkerPool and brings `done` back on the loop thread;
// tests pass a synchronous fake.
#pragma once

#include <functional>

namespace mlppp::aaa {

// Runs `work` on a worker thread, then `done` on the loop thread. `work`
// must not touch loop-owned state; `done` may. The daemon adapts
// WorkerPool::Run:
//   [&pool](auto work, auto done) { pool.Run(std::move(work), std::move(done)); }
using RunBlocking = std::function<void(std::function<void()> work, std::function<void()> done)>;

// Runs both at once on the calling thread (tests, tools).
inline RunBlocking SynchronousRunBlocking() {
  return [](std::function<void()> work, std::function<void()> done) {
    work();
    done();
  };
}

}  // namespace mlppp::aaa
