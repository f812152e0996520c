// Test helpers for os/ and bundle/ tests that touch the kernel: each such
// test runs in a fresh network namespace so nothing reaches the host.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

namespace mlppp::testing {

// Moves the calling thread into a new, empty network namespace and back to
// the original one when destroyed. Threads the test thread starts meanwhile
// (worker pools) and processes it runs (ip) inherit the new namespace; the
// namespace disappears with its last thread, socket and device, so cleanup
// needs nothing on failure paths. Declare it before the objects under test.
class ScopedNetns {
 public:
  ScopedNetns() {
    if (geteuid() != 0) return;
    old_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (old_ >= 0 && ::unshare(CLONE_NEWNET) == 0) ok_ = true;
  }
  ~ScopedNetns() {
    if (old_ >= 0) {
      if (ok_) (void)::setns(old_, CLONE_NEWNET);
      ::close(old_);
    }
  }
  ScopedNetns(const ScopedNetns&) = delete;
  ScopedNetns& operator=(const ScopedNetns&) = delete;
  bool ok() const { return ok_; }

 private:
  int old_ = -1;
  bool ok_ = false;
};

// Runs a shell command in the current namespace and returns its stdout.
inline std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

// Runs the io_context until pred() holds; false after `limit` without it.
inline bool RunUntil(asio::io_context& io, const std::function<bool()>& pred,
                     std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace mlppp::testing

// Skips the test unless root with a fresh namespace.
#define MLPPP_REQUIRE_NETNS(ns)                                                 \
  do {                                                                          \
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, TUN)"; \
    if (!(ns).ok()) GTEST_SKIP() << "cannot unshare(CLONE_NEWNET)";             \
  } while (0)
