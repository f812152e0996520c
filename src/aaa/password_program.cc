#include "aaa/password_program.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "aaa/ext_backend.h"

namespace mlppp::aaa {

PasswordProgramResult RunPasswordProgram(const std::string& command, const std::string& user,
                                         std::chrono::milliseconds timeout) {
  PasswordProgramResult r;
  if (command.empty()) {
    r.error = "empty command";
    return r;
  }
  // argv cannot carry a NUL; a shorter name would fetch another user's
  // password.
  if (user.empty() || user.find('\0') != std::string::npos) {
    r.error = "user name not passable to a program";
    return r;
  }
  // "$1" is expanded by the shell as one word whatever it holds.
  auto out = RunScript("/bin/sh", {"-c", command + " \"$1\"", "sh", user}, {}, timeout);
  if (!out.ok()) {
    r.error = out.error();
    return r;
  }
  std::string& text = out->out;
  if (out->timed_out) {
    r.error = fmt::format("no answer within {} ms; killed", timeout.count());
  } else if (out->exit_status != 0) {
    r.error = out->exit_status < 0 ? std::string("killed by a signal")
                                   : fmt::format("exit status {}", out->exit_status);
  } else {
    size_t nl = text.find('\n');
    if (nl == 0 || text.empty()) {
      r.error = "no password in its output";
    } else {
      r.password.emplace(text, 0, nl);
    }
  }
  OPENSSL_cleanse(text.data(), text.size());
  return r;
}

}  // namespace mlppp::aaa
