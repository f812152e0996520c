// The telnet console's sessions (mpd5 `set console open`): the daemon's
// TCP listener hands each accepted connection to Accept(); the server owns
// the sessions and drops each one when its stream closes. `show console`
// lists them through Sessions().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "control/command_session.h"
#include "control/console/console_session.h"
#include "control/console_sessions.h"
#include "event/loop.h"
#include "event/stream_conn.h"

namespace mlppp::control::console {

struct SessionInfo {
  std::string user;  // "" while logging in
  std::string peer_addr;
  Privilege privilege = Privilege::kUser;
  event::TimePoint since;  // when the connection was accepted (loop clock)
  bool logged_in = false;
};

class ConsoleServer : public ConsoleSessionList {
 public:
  // More connections than this are told so and closed.
  static constexpr size_t kMaxSessions = 64;
  static constexpr std::string_view kTooManyMessage = "Too many console sessions\r\n";

  // REQUIRES: loop outlives the server; check set when auth is on.
  // `version` and `pid` are printed after login ("mlpppd pid N, version V").
  ConsoleServer(event::Loop& loop, bool auth, LoginCheck check, CommandSessionFactory factory,
                std::string version, int pid);
  // Closes every session.
  ~ConsoleServer() override;
  ConsoleServer(const ConsoleServer&) = delete;
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // Takes one accepted connection and starts its session (banner, telnet
  // options, login).
  void Accept(std::unique_ptr<event::StreamConn> conn, const std::string& peer_addr);
  // `set console enable|disable auth`: applies to sessions accepted later.
  void SetAuth(bool auth);

  size_t session_count() const { return sessions_.size(); }
  std::vector<SessionInfo> Sessions() const;
  // ConsoleSessionList, for `show console` in the sessions' shells.
  std::vector<ConsoleSessionView> ConsoleSessions() const override;

 private:
  void Remove(ConsoleSession* session);

  event::Loop& loop_;
  std::shared_ptr<const ConsoleConfig> config_;
  std::vector<std::unique_ptr<ConsoleSession>> sessions_;
};

}  // namespace mlppp::control::console
