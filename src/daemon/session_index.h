// Indexes over the established sessions, so the per-login and per-request
// lookups stay O(1) at 10,000 sessions: logins per user name (mpd5 `set
// auth max-logins N [CI]`, checked at every login) and the session by its
// Acct-Session-Id (radsrv Disconnect/CoA, RFC 5176).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mlppp::daemon {

// Lower-cases ASCII letters only, as mpd5's strcasecmp does for CI.
std::string FoldCase(std::string_view s);

template <class Session>
class SessionIndex {
 public:
  // REQUIRES: session_id not indexed yet. An empty user is not counted.
  void Add(Session* s, const std::string& user, const std::string& session_id) {
    by_id_[session_id] = s;
    if (user.empty()) return;
    ++exact_[user];
    ++folded_[FoldCase(user)];
  }
  // With the same user and session_id as Add. Unknown ids are ignored.
  void Remove(const std::string& user, const std::string& session_id) {
    if (by_id_.erase(session_id) == 0 || user.empty()) return;
    Decrement(exact_, user);
    Decrement(folded_, FoldCase(user));
  }
  size_t Logins(const std::string& user, bool case_insensitive) const {
    const auto& m = case_insensitive ? folded_ : exact_;
    auto it = m.find(case_insensitive ? FoldCase(user) : user);
    return it == m.end() ? 0 : it->second;
  }
  Session* Find(const std::string& session_id) const {
    auto it = by_id_.find(session_id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  size_t size() const { return by_id_.size(); }

 private:
  static void Decrement(std::unordered_map<std::string, size_t>& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) return;
    if (--it->second == 0) m.erase(it);
  }

  std::unordered_map<std::string, Session*> by_id_;
  std::unordered_map<std::string, size_t> exact_;
  std::unordered_map<std::string, size_t> folded_;
};

}  // namespace mlppp::daemon
