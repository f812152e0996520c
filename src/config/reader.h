// The mpd.conf reader (mpd5 main.c ReadFile / util.c ParseLine): labels in
// column 1 ending with ':', indented command lines, '#' comments as the first
// non-blank character only, trailing '\' continuation, double quotes with C
// escapes. Produces, per label, the tokenised command lines.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"

namespace mlppp::config {

struct Line {
  std::string file;
  int line = 0;  // 1-based number of the (first physical) line
  std::vector<std::string> args;
};

// One parsed file; labels are indexed per file (mpd5 `load [file] label`).
struct ConfigFile {
  std::string name;
  std::map<std::string, std::vector<Line>> labels;

  // nullptr when the label is absent.
  const std::vector<Line>* Find(const std::string& label) const;
};

// Splits one command line into words. Double-quoted parts may contain
// blanks and C escapes (\" \\ \n \r \t \a \b \f \v \xNN \NNN); a quoted
// part glued to other characters joins the same word (`a"b c"` = `ab c`).
// Returns false and sets *error on an unterminated quote.
bool TokenizeLine(std::string_view line, std::vector<std::string>* out, std::string* error);

// Parses a whole file. Problems go to *diags (never null) and parsing
// continues with the next line.
ConfigFile ParseConfigFile(std::string_view text, const std::string& name,
                           std::vector<Diagnostic>* diags);

}  // namespace mlppp::config
