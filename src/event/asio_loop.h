#pragma once

#include <asio/io_context.hpp>

#include "event/loop.h"

namespace mlppp::event {

// The production loop: one asio io_context run on one thread. os/ code that
// owns sockets gets the io_context from here.
class AsioLoop : public Loop {
 public:
  AsioLoop() = default;
  TimePoint Now() const override { return Clock::now(); }
  std::unique_ptr<Timer> CreateTimer() override;
  void Post(std::function<void()> fn) override;

  asio::io_context& context() { return io_; }
  void Run() { io_.run(); }
  void Stop() { io_.stop(); }

 private:
  asio::io_context io_;
};

}  // namespace mlppp::event
