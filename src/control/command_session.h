// One operator's command session, as the console and the web interface
// drive it: a line in, its output and result out, with a current context
// (link / bundle / repeater) that later lines use, as mpd5's console keeps
// one per session. The command shell (command_shell.h) implements it; the
// telnet console runs one per connection, the web interface one per
// /cmd or /bincmd request.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/console_sessions.h"
#include "control/controller.h"

namespace mlppp::control {

// mpd5's command result codes (command.h CMD_ERR_*), printed by /bincmd as
// `RESULT: <code> <message>`.
enum class CommandCode : int {
  kOk = 0,
  kUsage = -1,      // CMD_ERR_USAGE: wrong arguments; the command's help is printed
  kNoContext = -2,  // CMD_ERR_NOCTX: "Incorrect context"
  kUnknown = -3,    // CMD_ERR_UNDEF: unknown or ambiguous command
  kFailed = -4,     // CMD_ERR_OTHER: the command ran and failed
  kDenied = -5,     // privilege too low (mpd5 counts such commands as unknown)
};

struct CommandResult {
  CommandCode code = CommandCode::kOk;
  std::string error;  // the message after "RESULT: code" ("" when ok)
  bool ok() const { return code == CommandCode::kOk; }
};

class CommandSession {
 public:
  virtual ~CommandSession() = default;
  // Runs one command line. Output (and mpd5's error lines) are appended to
  // *out with "\n" line ends; the console turns them into CRLF.
  virtual CommandResult Run(std::string_view line, std::string* out) = 0;
  // mpd5's prompt: "[L1] ", "[B1] ", "[R1] " or "[] ".
  virtual std::string Prompt() const = 0;
  // The command words that complete the last word of `partial` (TAB), in
  // table order; empty when nothing matches.
  virtual std::vector<std::string> Complete(std::string_view partial) const = 0;
  // `exit` was run: the console closes the connection.
  virtual bool ExitRequested() const = 0;
  // The console server running this session tells it where the live
  // console sessions are listed (`show console`). REQUIRES: `list` outlives
  // the session. Sessions without it (the web's) show only the
  // configuration.
  virtual void SetConsoleSessions(const ConsoleSessionList* list) { (void)list; }
};

// Makes a session for a logged-in user with that privilege.
using CommandSessionFactory =
    std::function<std::unique_ptr<CommandSession>(Privilege priv, const std::string& user)>;

// Checks a console/web login (`set user`); the privilege on success. Runs on
// the loop; constant-time comparison of the password.
using LoginCheck =
    std::function<std::optional<Privilege>(const std::string& user, const std::string& password)>;

}  // namespace mlppp::control
