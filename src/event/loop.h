// event/: the event loop as protocol code sees it — a clock, timers, Post()
// and DeferDelete(). Implemented over asio's io_context (asio_loop.h) and by
// a manual-clock fake for tests (fake_loop.h). Protocol code holds a Loop&
// and never touches a clock or an fd itself (ARCHITECTURE.md rule 6).
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace mlppp::event {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

// A one-shot timer. Destroying it cancels it: its callback never runs after
// the destructor returns. Start() on a running timer re-arms it.
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void Start(Duration after, std::function<void()> fn) = 0;
  virtual void Stop() = 0;
  virtual bool Running() const = 0;
};

class Loop {
 public:
  virtual ~Loop() = default;
  virtual TimePoint Now() const = 0;
  virtual std::unique_ptr<Timer> CreateTimer() = 0;
  // Runs fn later on the loop thread, after the current callback returns.
  // Layer events go through here so no layer re-enters another (rule 7).
  virtual void Post(std::function<void()> fn) = 0;
  // Destroys the object after the current callback returns, so an object
  // may ask for its own deletion from inside its own callback.
  template <class T>
  void DeferDelete(std::unique_ptr<T> obj) {
    auto holder = std::make_shared<std::unique_ptr<T>>(std::move(obj));
    Post([holder] { holder->reset(); });
  }
};

}  // namespace mlppp::event
