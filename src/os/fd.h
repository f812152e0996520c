// os/: the only code that makes syscalls — TUN devices, netlink, sockets and
// the worker pool for blocking calls. Everything above talks to these through
// narrow interfaces so it runs on a fake loop in tests (ARCHITECTURE.md rule 6).
#pragma once

#include <unistd.h>

#include <utility>

namespace mlppp::os {

// Owns one file descriptor; closes it when destroyed. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) Reset(other.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership; the caller closes the returned descriptor.
  int release() { return std::exchange(fd_, -1); }
  // Closes the current descriptor (if any) and takes ownership of fd.
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace mlppp::os
