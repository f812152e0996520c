#include "event/fake_loop.h"

#include <optional>

namespace mlppp::event {

class FakeTimer : public Timer {
 public:
  explicit FakeTimer(FakeLoop* loop) : loop_(loop) {}
  ~FakeTimer() override { Stop(); }
  void Start(Duration after, std::function<void()> fn) override {
    Stop();
    key_ = FakeLoop::Key{loop_->now_ + after, loop_->seq_++};
    // The map entry clears key_ before calling fn, so fn may restart us.
    loop_->timers_.emplace(*key_, [this, fn = std::move(fn)] {
      key_.reset();
      fn();
    });
  }
  void Stop() override {
    if (key_) loop_->timers_.erase(*key_);
    key_.reset();
  }
  bool Running() const override { return key_.has_value(); }

 private:
  FakeLoop* loop_;
  std::optional<FakeLoop::Key> key_;
};

FakeLoop::FakeLoop() : now_(TimePoint{} + std::chrono::hours(1)) {}
FakeLoop::~FakeLoop() = default;

std::unique_ptr<Timer> FakeLoop::CreateTimer() { return std::make_unique<FakeTimer>(this); }

int FakeLoop::RunPending() {
  int n = 0;
  while (!posted_.empty()) {
    auto fn = std::move(posted_.front());
    posted_.pop_front();
    fn();
    ++n;
  }
  return n;
}

bool FakeLoop::RunOne() {
  if (posted_.empty()) return false;
  auto fn = std::move(posted_.front());
  posted_.pop_front();
  fn();
  return true;
}

void FakeLoop::Advance(Duration d) {
  TimePoint end = now_ + d;
  RunPending();
  while (!timers_.empty() && timers_.begin()->first.first <= end) {
    auto it = timers_.begin();
    now_ = it->first.first;
    auto fn = std::move(it->second);
    timers_.erase(it);
    fn();
    RunPending();
  }
  now_ = end;
}

}  // namespace mlppp::event
