#include "os/tun_names.h"

namespace mlppp::os {

TunNames::TunNames(std::string prefix, unsigned limit)
    : prefix_(std::move(prefix)), limit_(limit) {}

std::optional<unsigned> TunNames::Acquire() {
  if (!free_.empty()) {
    unsigned index = *free_.begin();
    free_.erase(free_.begin());
    return index;
  }
  if (next_ >= limit_) return std::nullopt;
  return next_++;
}

void TunNames::Release(unsigned index) {
  if (index >= next_ || free_.count(index)) return;  // not handed out
  free_.insert(index);
  // Keep free_ to the holes below the highest index in use.
  while (!free_.empty() && *free_.rbegin() == next_ - 1) {
    free_.erase(std::prev(free_.end()));
    --next_;
  }
}

}  // namespace mlppp::os
