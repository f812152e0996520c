#include "aaa/ippool.h"

#include <fmt/format.h>

namespace mlppp::aaa {

Status IpPool::AddRange(uint32_t first, uint32_t last) {
  if (first > last) return Status::Error("first address after last");
  if (Overlaps(first, last)) return Status::Error("overlapping range");
  ranges_.push_back({first, last});
  size_ += uint64_t{last} - first + 1;
  return Status::Ok();
}

bool IpPool::Overlaps(uint32_t first, uint32_t last) const {
  for (const Range& r : ranges_)
    if (first <= r.last && r.first <= last) return true;
  return false;
}

bool IpPool::Contains(uint32_t addr) const {
  for (const Range& r : ranges_)
    if (addr >= r.first && addr <= r.last) return true;
  return false;
}

std::optional<uint32_t> IpPool::Allocate() {
  while (!free_.empty()) {
    uint32_t a = free_.back();
    free_.pop_back();
    in_free_.erase(a);
    if (used_.insert(a).second) return a;
  }
  while (cursor_range_ < ranges_.size()) {
    const Range& r = ranges_[cursor_range_];
    uint64_t span = uint64_t{r.last} - r.first + 1;
    if (cursor_offset_ >= span) {
      ++cursor_range_;
      cursor_offset_ = 0;
      continue;
    }
    uint32_t a = static_cast<uint32_t>(r.first + cursor_offset_++);
    if (used_.insert(a).second) return a;  // skips addresses taken by Reserve
  }
  return std::nullopt;
}

bool IpPool::Reserve(uint32_t addr) {
  if (!Contains(addr)) return false;
  return used_.insert(addr).second;
}

bool IpPool::Release(uint32_t addr) {
  if (used_.erase(addr) == 0) return false;
  if (in_free_.insert(addr).second) free_.push_back(addr);
  return true;
}

Status IpPools::Add(const std::string& name, uint32_t first, uint32_t last) {
  for (const auto& [n, p] : pools_) {
    if (n != name && p.Overlaps(first, last))
      return Status::Error(fmt::format("range overlaps pool \"{}\"", n));
  }
  return pools_[name].AddRange(first, last);
}

IpPool* IpPools::Find(const std::string& name) {
  auto it = pools_.find(name);
  return it == pools_.end() ? nullptr : &it->second;
}

}  // namespace mlppp::aaa
