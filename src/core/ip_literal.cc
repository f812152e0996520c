#include "core/ip_literal.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <string>

namespace mlppp {
namespace {

// inet_pton wants a NUL-terminated string; it is a pure conversion (no
// syscall), so protocol and config code may use it.
bool Parses(int family, std::string_view s) {
  unsigned char buf[16];
  return inet_pton(family, std::string(s).c_str(), buf) == 1;
}

}  // namespace

bool IsIpv4Literal(std::string_view s) { return Parses(AF_INET, s); }

bool IsIpv6Literal(std::string_view s) { return Parses(AF_INET6, s); }

bool IsIpLiteral(std::string_view s) { return IsIpv4Literal(s) || IsIpv6Literal(s); }

std::string Ipv4ToString(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

}  // namespace mlppp
