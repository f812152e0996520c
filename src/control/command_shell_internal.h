// Private to the command shell: one command's call (its words and output)
// and mpd5's error reporting (command.c DoCommand).
#pragma once

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "control/command_shell.h"

namespace mlppp::control {

struct CommandShell::Call {
  std::vector<std::string> words;  // the whole line, first word canonical
  Args args;                       // the words after the command's name
  std::string text;                // the line for messages, secrets masked
  std::string* out = nullptr;

  // mpd5 DoCommand's messages; each prints its line and returns its result.
  CommandResult Unknown() const;
  CommandResult Ambiguous() const;
  CommandResult NoContext() const;
  CommandResult Error(const std::string& msg) const;
  // mpd5 HelpCommand for a wrong argument count: "Usage: link {name}".
  CommandResult Usage(const std::string& usage_line) const;
  // Appends one line.
  template <class... A>
  void Print(fmt::format_string<A...> f, A&&... a) const {
    fmt::format_to(std::back_inserter(*out), f, std::forward<A>(a)...);
    out->push_back('\n');
  }
};

// The line as mpd5 echoes it in errors, with the secret of `set user`,
// `set auth password`, `set radius server`, `set radsrv peer`, `set l2tp
// secret` and `set ecp key` replaced by "********".
std::string MaskedLine(const std::vector<std::string>& words);

// mpd5 HelpCommand's listing of a menu (command.c): two entries a line, each
// " %-9s: %-20s", the first of a pair followed by a tab. Rows are (name,
// description).
void PrintListing(const CommandShell::Call& c,
                  const std::vector<std::pair<std::string, std::string>>& rows);

}  // namespace mlppp::control
