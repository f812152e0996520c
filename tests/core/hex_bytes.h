// Octet strings written as hex in tests (RFC test vectors, captured
// packets): one parser for every test binary.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace mlppp::testing {

// "8B7C dc14" -> {0x8b, 0x7c, 0xdc, 0x14}. Spaces are skipped; any other
// non-hex character, or an odd digit count, fails the calling test.
inline std::vector<uint8_t> Hex(std::string_view s) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : s) {
    if (c == ' ') continue;
    int d = digit(c);
    if (d < 0) {
      ADD_FAILURE() << "not hex: " << s;
      return {};
    }
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) ADD_FAILURE() << "odd number of hex digits: " << s;
  return out;
}

}  // namespace mlppp::testing
