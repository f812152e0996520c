// A message about a configuration line: `file:line: message`.
#pragma once

#include <string>

namespace mlppp::config {

struct Diagnostic {
  std::string file;
  int line = 0;       // 0 when the message is about the file as a whole
  bool error = true;  // false: a warning (e.g. "not supported yet")
  std::string message;
  // "file:line: message" ("file: message" when line is 0).
  std::string ToString() const;
};

}  // namespace mlppp::config
