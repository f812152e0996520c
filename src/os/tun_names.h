#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace mlppp::os {

// Names for the TUN devices we create when the config names none: pppN
// with the lowest free N, as mpd5 numbers its ngN interfaces. We choose the
// name ourselves because the kernel's own "ppp%d" expansion
// (__dev_alloc_name) formats and parses the name of every device in the
// namespace on each creation, under the RTNL lock: at thousands of sessions
// that scan was the largest single cost of a login. Loop thread only.
class TunNames {
 public:
  explicit TunNames(std::string prefix = "ppp", unsigned limit = 1000000);

  // The lowest index not handed out; nullopt when all `limit` are.
  std::optional<unsigned> Acquire();
  // Returns an index from Acquire; later Acquires may hand it out again.
  void Release(unsigned index);
  std::string Name(unsigned index) const { return prefix_ + std::to_string(index); }
  size_t in_use() const { return next_ - free_.size(); }

 private:
  std::string prefix_;
  unsigned limit_;
  unsigned next_ = 0;        // every index >= next_ is free
  std::set<unsigned> free_;  // released indices below next_
};

// Holds one index of a TunNames and gives it back when destroyed (when the
// interface that carries the name goes away). Move-only.
class TunNameLease {
 public:
  TunNameLease() = default;
  TunNameLease(std::weak_ptr<TunNames> names, unsigned index)
      : names_(std::move(names)), index_(index) {}
  TunNameLease(TunNameLease&& o) noexcept : names_(std::move(o.names_)), index_(o.index_) {
    o.names_.reset();
  }
  TunNameLease& operator=(TunNameLease&& o) noexcept {
    if (this != &o) {
      Reset();
      names_ = std::move(o.names_);
      index_ = o.index_;
      o.names_.reset();
    }
    return *this;
  }
  TunNameLease(const TunNameLease&) = delete;
  TunNameLease& operator=(const TunNameLease&) = delete;
  ~TunNameLease() { Reset(); }

  void Reset() {
    if (auto n = names_.lock()) n->Release(index_);
    names_.reset();
  }

 private:
  std::weak_ptr<TunNames> names_;
  unsigned index_ = 0;
};

}  // namespace mlppp::os
