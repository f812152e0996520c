// IP address pools (mpd5 ippool.c; reference §1.14): `set ippool add NAME
// FIRST LAST`, used by `set ipcp ranges ... ippool NAME`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/result.h"

namespace mlppp::aaa {

// A pool of IPv4 addresses (host order) made of inclusive ranges.
// Allocation is O(1) amortised: released addresses are reused first (free
// list), then a cursor hands out addresses never used, so memory grows with
// the addresses in use, not with the size of the pool.
class IpPool {
 public:
  // REQUIRES: nothing; returns an error if first > last or the range
  // overlaps one already added.
  Status AddRange(uint32_t first, uint32_t last);

  std::optional<uint32_t> Allocate();
  // Takes a specific address (e.g. from the secrets file or RADIUS).
  // Returns false if it is outside the pool or already in use.
  bool Reserve(uint32_t addr);
  // Returns false if the address was not in use.
  bool Release(uint32_t addr);

  bool Contains(uint32_t addr) const;
  bool Overlaps(uint32_t first, uint32_t last) const;
  bool InUse(uint32_t addr) const { return used_.count(addr) != 0; }
  uint64_t Size() const { return size_; }
  size_t Used() const { return used_.size(); }

 private:
  struct Range {
    uint32_t first, last;
  };
  std::vector<Range> ranges_;
  uint64_t size_ = 0;
  // Cursor over addresses never handed out: ranges_[cursor_range_] from
  // cursor_offset_ on.
  size_t cursor_range_ = 0;
  uint64_t cursor_offset_ = 0;
  std::vector<uint32_t> free_;            // released; an entry reserved since is skipped
  std::unordered_set<uint32_t> in_free_;  // keeps free_ free of duplicates
  std::unordered_set<uint32_t> used_;
};

class IpPools {
 public:
  // Adds a range to pool `name`, creating it.
  Status Add(const std::string& name, uint32_t first, uint32_t last);
  IpPool* Find(const std::string& name);

 private:
  std::map<std::string, IpPool> pools_;
};

}  // namespace mlppp::aaa
