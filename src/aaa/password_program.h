// mpd.secret external password programs (mpd5 §2.2, auth.c
// AuthGetExternalPassword): an entry whose password is "!/path/prog args"
// gets its password from the program's first line of output.
//
// mpd5 builds "prog args <user>" and hands it to popen(3), so the user name
// (which the peer chose) reaches the shell unquoted. Here the command still
// runs through /bin/sh -c, so the administrator's "prog args" part keeps its
// shell meaning, but the user name is passed as the positional parameter $1
// and appended as "$1": one argument, never parsed by the shell.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace mlppp::aaa {

inline constexpr std::chrono::milliseconds kDefaultPasswordProgramTimeout{10000};

struct PasswordProgramResult {
  std::optional<std::string> password;  // a secret: never logged
  std::string error;                    // why there is none; never holds the output
};

// Blocking: call from RunBlocking work only. Runs `/bin/sh -c '<command>
// "$1"' sh <user>` with an empty stdin; the password is stdout's first line
// without its '\n' (mpd5 fgets). No password when the program cannot be
// started, prints nothing or an empty first line, exits non-zero or by a
// signal, or has not finished within `timeout` (its process group is then
// killed). `command` is the entry's password without the leading '!'.
PasswordProgramResult RunPasswordProgram(const std::string& command, const std::string& user,
                                         std::chrono::milliseconds timeout);

}  // namespace mlppp::aaa
