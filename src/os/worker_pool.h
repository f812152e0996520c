#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "event/asio_loop.h"

namespace mlppp::os {

// Runs blocking work (netlink requests, PAM, crypt) on a few threads and
// hands each result back on the loop thread, so the loop never blocks
// (ARCHITECTURE.md: "blocking work goes to a worker pool and comes back
// through Post").
//
// Jobs run in any order and concurrently; work must not touch loop-owned
// state. done always runs on the loop thread. A pending job keeps the loop's
// io_context from running out of work. Destroying the pool drops jobs that
// have not started and waits for running ones; their done callbacks still
// arrive on the loop, so done must guard itself against a dead owner.
class WorkerPool {
 public:
  // REQUIRES: threads >= 1.
  WorkerPool(event::AsioLoop& loop, int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs work() on a worker thread, then done(result) on the loop thread.
  // Work and Done may be move-only callables.
  template <class Work, class Done>
  void Run(Work work, Done done) {
    using R = std::invoke_result_t<Work&>;
    auto guard = asio::make_work_guard(io_);
    asio::post(pool_, [this, work = std::move(work), done = std::move(done),
                       guard = std::move(guard)]() mutable {
      if constexpr (std::is_void_v<R>) {
        work();
        asio::post(io_, [done = std::move(done), guard = std::move(guard)]() mutable { done(); });
      } else {
        R result = work();
        asio::post(io_, [done = std::move(done), result = std::move(result),
                         guard = std::move(guard)]() mutable { done(std::move(result)); });
      }
    });
  }

  int threads() const { return threads_; }

 private:
  asio::io_context& io_;
  int threads_;
  asio::thread_pool pool_;
};

}  // namespace mlppp::os
