#include "aaa/secrets.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mlppp::aaa {
namespace {

constexpr uintmax_t kMaxFileSize = 16u << 20;
constexpr size_t kMaxProgram = 128;  // mpd5: the command must be under 128 characters

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The same word rules as mpd.conf (mpd5 ParseLine): blanks split words,
// double quotes group and decode C escapes.
bool Tokenize(std::string_view s, std::vector<std::string>* out) {
  size_t pos = 0;
  while (true) {
    while (pos < s.size() && IsBlank(s[pos])) ++pos;
    if (pos >= s.size()) return true;
    std::string word;
    while (pos < s.size() && !IsBlank(s[pos])) {
      if (s[pos] != '"') {
        word += s[pos++];
        continue;
      }
      ++pos;
      bool closed = false;
      while (pos < s.size()) {
        char c = s[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c != '\\' || pos >= s.size()) {
          word += c;
          continue;
        }
        c = s[pos++];
        switch (c) {
          case 'a':
            word += '\a';
            break;
          case 'b':
            word += '\b';
            break;
          case 'f':
            word += '\f';
            break;
          case 'n':
            word += '\n';
            break;
          case 'r':
            word += '\r';
            break;
          case 't':
            word += '\t';
            break;
          case 'v':
            word += '\v';
            break;
          case 'x': {
            int v = 0, n = 0;
            while (n < 2 && pos < s.size() && Hex(s[pos]) >= 0) v = v * 16 + Hex(s[pos++]), ++n;
            word += n ? static_cast<char>(v) : 'x';
            break;
          }
          default:
            if (c >= '0' && c <= '7') {
              int v = c - '0', n = 1;
              while (n < 3 && pos < s.size() && s[pos] >= '0' && s[pos] <= '7')
                v = v * 8 + (s[pos++] - '0'), ++n;
              word += static_cast<char>(v & 0xff);
            } else {
              word += c;
            }
        }
      }
      if (!closed) return false;
    }
    out->push_back(std::move(word));
  }
}

std::optional<SecretIpRange> ParseRange(std::string_view s) {
  size_t slash = s.find('/');
  std::string_view a = s.substr(0, slash);
  uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), v);
    size_t used = static_cast<size_t>(p - a.data());
    if (ec != std::errc() || used == 0 || used > 3 || v > 255) return std::nullopt;
    addr = addr << 8 | v;
    a.remove_prefix(used);
    if (i < 3) {
      if (a.empty() || a[0] != '.') return std::nullopt;
      a.remove_prefix(1);
    }
  }
  if (!a.empty()) return std::nullopt;
  int width = 32;
  if (slash != std::string_view::npos) {
    std::string_view w = s.substr(slash + 1);
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
    if (w.empty() || ec != std::errc() || p != w.data() + w.size() || width < 0 || width > 32)
      return std::nullopt;
  }
  return SecretIpRange{addr, static_cast<uint8_t>(width)};
}

}  // namespace

Secrets Secrets::Parse(std::string_view text, const std::string& filename,
                       std::vector<std::string>* diagnostics) {
  Secrets out;
  auto diag = [&](int line, std::string msg) {
    if (diagnostics) diagnostics->push_back(fmt::format("{}:{}: {}", filename, line, msg));
  };
  int lineno = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    size_t nb = 0;
    while (nb < line.size() && IsBlank(line[nb])) ++nb;
    if (nb == line.size() || line[nb] == '#') continue;
    std::vector<std::string> words;
    if (!Tokenize(line, &words)) {
      diag(lineno, "unterminated quoted string; entry ignored");
      continue;
    }
    if (words.size() < 2) {
      diag(lineno, "missing password; entry ignored");
      continue;
    }
    if (words.size() > 3) diag(lineno, "extra words after the address ignored");
    SecretEntry e;
    e.user = std::move(words[0]);
    e.password = std::move(words[1]);
    e.line = lineno;
    if (words.size() >= 3) {
      e.ip = ParseRange(words[2]);
      if (!e.ip) {
        diag(lineno, fmt::format("bad address \"{}\"; entry for \"{}\" ignored", words[2], e.user));
        continue;
      }
    }
    if (e.IsProgram() && e.password.size() >= kMaxProgram) {
      diag(lineno, "password program command too long; entry ignored");
      continue;
    }
    if (e.user == "*" && !e.IsProgram()) {
      diag(lineno, "catch-all \"*\" needs a !program password; entry ignored");
      continue;
    }
    out.entries_.push_back(std::move(e));
  }
  return out;
}

Result<Secrets> Secrets::Load(const std::string& path, std::vector<std::string>* diagnostics) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Result<Secrets>::Error(fmt::format("{}: not a readable file", path));
  if (std::filesystem::file_size(path, ec) > kMaxFileSize || ec)
    return Result<Secrets>::Error(fmt::format("{}: too large", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Result<Secrets>::Error(fmt::format("{}: cannot open", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path, diagnostics);
}

const SecretEntry* Secrets::Find(std::string_view user) const {
  const SecretEntry* star = nullptr;
  for (const auto& e : entries_) {
    if (e.user == user) return &e;
    if (!star && e.user == "*") star = &e;
  }
  return star;
}

}  // namespace mlppp::aaa
