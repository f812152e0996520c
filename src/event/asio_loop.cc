#include "event/asio_loop.h"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

namespace mlppp::event {
namespace {

// asio keeps timers in a heap per io_context, so arming one is O(log n) and
// no tick scans all sessions.
class AsioTimer : public Timer {
 public:
  explicit AsioTimer(asio::io_context& io) : timer_(io) {}
  ~AsioTimer() override {
    *alive_ = false;
    Stop();
  }
  void Start(Duration after, std::function<void()> fn) override {
    Stop();
    uint64_t gen = ++generation_;
    running_ = true;
    timer_.expires_after(after);
    // The generation check makes a cancelled or re-armed wait a no-op even
    // if its completion was already queued.
    timer_.async_wait([this, gen, fn = std::move(fn), alive = alive_](const std::error_code& ec) {
      if (ec || !*alive || gen != generation_) return;
      running_ = false;
      fn();
    });
  }
  void Stop() override {
    if (running_) {
      ++generation_;
      running_ = false;
      timer_.cancel();
    }
  }
  bool Running() const override { return running_; }

 private:
  asio::steady_timer timer_;
  uint64_t generation_ = 0;
  bool running_ = false;
  // Shared with queued completions, cleared by the destructor: a completion
  // already queued when the timer dies must not touch it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

std::unique_ptr<Timer> AsioLoop::CreateTimer() { return std::make_unique<AsioTimer>(io_); }

void AsioLoop::Post(std::function<void()> fn) { asio::post(io_, std::move(fn)); }

}  // namespace mlppp::event
