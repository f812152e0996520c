#include "control/web/basic_auth.h"

#include <array>
#include <cstdint>
#include <string>

namespace mlppp::control::web {
namespace {

constexpr size_t kMaxHeader = 4096;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> Base64Decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (size_t i = 0; i < in.size(); i += 4) {
    bool last = i + 4 == in.size();
    std::array<int, 4> v{};
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = in[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

std::optional<BasicCredentials> ParseBasicAuth(std::string_view header_value) {
  if (header_value.size() > kMaxHeader) return std::nullopt;
  std::string_view v = Trim(header_value);
  size_t sp = v.find(' ');
  if (sp == std::string_view::npos || !IEquals(v.substr(0, sp), "basic")) return std::nullopt;
  auto decoded = Base64Decode(Trim(v.substr(sp + 1)));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

HttpResponse Unauthorized() {
  HttpResponse r;
  r.status = 401;
  r.content_type = "text/html";
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Access Restricted\"");
  r.body =
      "<html><head><title>401 "
      "Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>\n";
  return r;
}

HttpResponse TooManyRequests(int retry_after_seconds) {
  HttpResponse r;
  r.status = 429;
  r.content_type = "text/html";
  r.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  r.body =
      "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many "
      "Requests</h1></body></html>\n";
  return r;
}

}  // namespace mlppp::control::web
