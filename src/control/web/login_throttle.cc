#include "control/web/login_throttle.h"

#include <algorithm>

namespace mlppp::control::web {

bool LoginThrottle::Allowed(const std::string& peer, event::TimePoint now,
                            event::Duration* retry_after) const {
  auto it = index_.find(peer);
  if (it == index_.end() || now >= it->second->until) return true;
  if (retry_after) *retry_after = it->second->until - now;
  return false;
}

void LoginThrottle::Failed(const std::string& peer, event::TimePoint now, const std::string& user) {
  if (max_entries_ == 0) return;
  auto it = index_.find(peer);
  if (it == index_.end()) {
    if (index_.size() >= max_entries_) {
      // Forget the address whose last failure is oldest.
      index_.erase(entries_.back().peer);
      entries_.pop_back();
    }
    entries_.push_front(Entry{peer, user, 0, now, now});
    it = index_.emplace(peer, entries_.begin()).first;
  } else {
    entries_.splice(entries_.begin(), entries_, it->second);  // now most recent
  }
  Entry& e = *it->second;
  e.user = user;
  if (e.failures > 0 && now - e.last_failure >= kForgetAfter) e.failures = 0;
  e.failures = std::min<uint32_t>(e.failures + 1, 31);
  e.last_failure = now;
  // 1 s << (n - 1), capped: 1, 2, 4, 8, 16, 30, 30, ...
  event::Duration delay = kMaxDelay;
  if (e.failures <= 5) delay = std::min(kMaxDelay, kFirstDelay * (int64_t{1} << (e.failures - 1)));
  e.until = now + delay;
}

void LoginThrottle::Succeeded(const std::string& peer, const std::string& user) {
  auto it = index_.find(peer);
  if (it == index_.end() || it->second->user != user) return;
  entries_.erase(it->second);
  index_.erase(it);
}

uint32_t LoginThrottle::failures(const std::string& peer) const {
  auto it = index_.find(peer);
  return it == index_.end() ? 0 : it->second->failures;
}

}  // namespace mlppp::control::web
