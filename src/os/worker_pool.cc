#include "os/worker_pool.h"

namespace mlppp::os {

WorkerPool::WorkerPool(event::AsioLoop& loop, int threads)
    : io_(loop.context()),
      threads_(threads < 1 ? 1 : threads),
      pool_(static_cast<size_t>(threads_)) {}

WorkerPool::~WorkerPool() {
  pool_.stop();
  pool_.join();
}

}  // namespace mlppp::os
