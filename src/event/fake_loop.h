#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>

#include "event/loop.h"

namespace mlppp::event {

// A loop with a manual clock for unit tests: nothing happens until the test
// calls RunPending() or Advance(). Timers fire in deadline order.
class FakeLoop : public Loop {
 public:
  FakeLoop();
  ~FakeLoop() override;

  TimePoint Now() const override { return now_; }
  std::unique_ptr<Timer> CreateTimer() override;
  void Post(std::function<void()> fn) override { posted_.push_back(std::move(fn)); }

  // Runs posted callbacks until none are left. Returns how many ran.
  int RunPending();
  // Runs the oldest posted callback, if any (a test stepping through one
  // turn's work). Returns whether one ran.
  bool RunOne();
  // Moves the clock forward by d, firing every timer that falls due (and the
  // callbacks they post) in order.
  void Advance(Duration d);
  size_t ActiveTimers() const { return timers_.size(); }

 private:
  friend class FakeTimer;
  using Key = std::pair<TimePoint, uint64_t>;
  TimePoint now_;
  uint64_t seq_ = 0;
  std::map<Key, std::function<void()>> timers_;
  std::deque<std::function<void()>> posted_;
};

}  // namespace mlppp::event
