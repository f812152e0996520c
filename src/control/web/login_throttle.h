// Slows down password guessing on the web interface: each failed HTTP Basic
// login from a client address opens a back-off window (1 s, 2 s, 4 s, ...
// up to 30 s, doubling per consecutive failure) during which that address's
// requests are answered 429 Too Many Requests without the password being
// checked. A successful login resets the address. This is the web's
// counterpart of the console's doubling login delay (console_session.cc);
// mpd5's web.c has none.
//
// The table is bounded: past kMaxEntries addresses the one that failed
// longest ago is forgotten, so a flood of source addresses costs memory
// O(kMaxEntries) and at worst lets an evicted address guess sooner.
// Passive: the caller passes the loop's time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

#include "event/loop.h"

namespace mlppp::control::web {

class LoginThrottle {
 public:
  static constexpr size_t kMaxEntries = 1024;
  static constexpr event::Duration kFirstDelay = std::chrono::seconds(1);
  static constexpr event::Duration kMaxDelay = std::chrono::seconds(30);
  // An address that has not failed for this long starts again at 1 s.
  static constexpr event::Duration kForgetAfter = std::chrono::minutes(10);

  explicit LoginThrottle(size_t max_entries = kMaxEntries) : max_entries_(max_entries) {}

  // Whether `peer` may have credentials checked at `now`; when not,
  // *retry_after (if given) gets the time left in its window.
  bool Allowed(const std::string& peer, event::TimePoint now,
               event::Duration* retry_after = nullptr) const;
  // A failed login from `peer` as `user`: opens (or lengthens) its window.
  void Failed(const std::string& peer, event::TimePoint now, const std::string& user = "");
  // A good login from `peer` as `user`: forgets its failures, but only when
  // the last failure was for the same user. Otherwise anyone with a
  // low-privilege account could clear the window between guesses at
  // another user's password.
  void Succeeded(const std::string& peer, const std::string& user = "");

  // Consecutive failures remembered for `peer` (0 when none).
  uint32_t failures(const std::string& peer) const;
  size_t size() const { return index_.size(); }

 private:
  struct Entry {
    std::string peer;
    std::string user;  // of the last failure
    uint32_t failures = 0;
    event::TimePoint last_failure;
    event::TimePoint until;  // end of the back-off window
  };
  using List = std::list<Entry>;  // most recent failure first

  size_t max_entries_;
  List entries_;
  std::unordered_map<std::string, List::iterator> index_;
};

}  // namespace mlppp::control::web
