#include "config/reader.h"

#include <fmt/format.h>

namespace mlppp::config {

std::string Diagnostic::ToString() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}: {}", file, line, message);
}

const std::vector<Line>* ConfigFile::Find(const std::string& label) const {
  auto it = labels.find(label);
  return it == labels.end() ? nullptr : &it->second;
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one escape starting after the backslash at s[*pos]; advances *pos.
char DecodeEscape(std::string_view s, size_t* pos) {
  char c = s[(*pos)++];
  switch (c) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case 'x': {
      int v = 0, digits = 0;
      while (digits < 2 && *pos < s.size() && HexValue(s[*pos]) >= 0) {
        v = v * 16 + HexValue(s[(*pos)++]);
        ++digits;
      }
      return digits ? static_cast<char>(v) : 'x';
    }
    default:
      if (c >= '0' && c <= '7') {
        int v = c - '0', digits = 1;
        while (digits < 3 && *pos < s.size() && s[*pos] >= '0' && s[*pos] <= '7') {
          v = v * 8 + (s[(*pos)++] - '0');
          ++digits;
        }
        return static_cast<char>(v & 0xff);
      }
      return c;  // \" \\ \' and any other character stand for themselves
  }
}

}  // namespace

bool TokenizeLine(std::string_view s, std::vector<std::string>* out, std::string* error) {
  size_t pos = 0;
  while (true) {
    while (pos < s.size() && (IsBlank(s[pos]) || s[pos] == '\n')) ++pos;
    if (pos >= s.size()) return true;
    std::string word;
    while (pos < s.size() && !IsBlank(s[pos]) && s[pos] != '\n') {
      if (s[pos] != '"') {
        word += s[pos++];
        continue;
      }
      ++pos;  // opening quote
      bool closed = false;
      while (pos < s.size()) {
        char c = s[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && pos < s.size())
          word += DecodeEscape(s, &pos);
        else
          word += c;
      }
      if (!closed) {
        *error = "unterminated quoted string";
        return false;
      }
    }
    out->push_back(std::move(word));
  }
}

ConfigFile ParseConfigFile(std::string_view text, const std::string& name,
                           std::vector<Diagnostic>* diags) {
  ConfigFile file;
  file.name = name;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  auto strip_cr = [](std::string_view l) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
  };

  std::vector<Line>* current = nullptr;  // null: before any label
  bool skipping = false;                 // inside a duplicate or empty label
  for (size_t i = 0; i < lines.size();) {
    const int lineno = static_cast<int>(i) + 1;
    std::string_view first = strip_cr(lines[i++]);
    size_t nb = 0;
    while (nb < first.size() && IsBlank(first[nb])) ++nb;
    // A '#' as the first non-blank character makes the line a comment; there
    // are no trailing comments (mpd5 §2.1).
    if (nb == first.size() || first[nb] == '#') continue;
    std::string joined(first);
    while (!joined.empty() && joined.back() == '\\') {
      joined.pop_back();
      if (i >= lines.size()) break;
      joined += strip_cr(lines[i++]);
    }
    if (nb == 0) {
      // A label: the first word, cut at blanks or ':' (mpd5 uses strtok).
      size_t end = joined.find_first_of(" \t\f:");
      std::string label = joined.substr(0, end);
      if (label.empty()) {
        diags->push_back({name, lineno, true, "empty label"});
        current = nullptr;
        skipping = true;
        continue;
      }
      auto [it, inserted] = file.labels.try_emplace(label);
      if (!inserted) {
        // mpd5 finds the first occurrence; later blocks are unreachable.
        diags->push_back(
            {name, lineno, false, fmt::format("duplicate label \"{}\" ignored", label)});
        current = nullptr;
        skipping = true;
        continue;
      }
      current = &it->second;
      skipping = false;
      continue;
    }
    if (skipping) continue;
    Line line{name, lineno, {}};
    std::string error;
    if (!TokenizeLine(joined, &line.args, &error)) {
      diags->push_back({name, lineno, true, error});
      continue;
    }
    if (line.args.empty()) continue;
    if (!current) {
      diags->push_back({name, lineno, false, "command outside a label ignored"});
      continue;
    }
    current->push_back(std::move(line));
  }
  return file;
}

}  // namespace mlppp::config
