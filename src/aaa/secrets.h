// The mpd.secret file (mpd5 §2.2): one entry per line,
// `login password [ip[/width]]`, quoted words with C escapes, '#' comments.
// A password "!/path/prog args" names an external password program, stored
// as such here and run by the internal back end (aaa/password_program.h).
// Login `*` is the catch-all, usable only with a program.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mlppp::aaa {

struct SecretIpRange {  // host order
  uint32_t addr = 0;
  uint8_t width = 32;
};

struct SecretEntry {
  std::string user;
  std::string password;  // secret: never logged
  std::optional<SecretIpRange> ip;
  int line = 0;
  bool IsProgram() const { return !password.empty() && password[0] == '!'; }
};

class Secrets {
 public:
  // Reads and parses `path`; lines with problems are dropped (see Parse);
  // an unreadable file is an error.
  static Result<Secrets> Load(const std::string& path,
                              std::vector<std::string>* diagnostics = nullptr);
  // Parses text. Problems go to *diagnostics as "file:line: message" (may
  // be null). Lines with problems are dropped, so a bad address restriction
  // denies the user rather than lifting the restriction.
  static Secrets Parse(std::string_view text, const std::string& filename,
                       std::vector<std::string>* diagnostics);

  // The first entry for `user`, else the `*` program entry; nullptr if none.
  const SecretEntry* Find(std::string_view user) const;
  const std::vector<SecretEntry>& entries() const { return entries_; }

 private:
  std::vector<SecretEntry> entries_;
};

}  // namespace mlppp::aaa
