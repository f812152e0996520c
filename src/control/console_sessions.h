// The live telnet console sessions as the command shell sees them, for
// `show console` (mpd5 console.c ConsoleStat: "Active sessions:"). The
// console server implements the list; the shell holds it only through this
// interface, so it runs in tests with a fake and knows nothing of sockets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "control/controller.h"

namespace mlppp::control {

struct ConsoleSessionView {
  std::string peer_addr;  // as the listener gave it: "192.0.2.1" or "192.0.2.1:40001"
  std::string user;       // "" while logging in
  Privilege privilege = Privilege::kUser;
  bool logged_in = false;
  int64_t age_seconds = 0;  // since the connection was accepted
};

class ConsoleSessionList {
 public:
  virtual ~ConsoleSessionList() = default;
  // Every open session, oldest first.
  virtual std::vector<ConsoleSessionView> ConsoleSessions() const = 0;
};

}  // namespace mlppp::control
