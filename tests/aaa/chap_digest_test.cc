#include "aaa/chap_digest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace mlppp::aaa {
namespace {

// Known vector, computed independently: MD5(0x01 || "secret" || 00 01 .. 0f)
// with `printf '\x01secret\x00\x01...\x0f' | md5sum`.
TEST(ChapMd5, MatchesIndependentlyComputedDigest) {
  std::array<uint8_t, 16> challenge{};
  for (int i = 0; i < 16; ++i) challenge[i] = static_cast<uint8_t>(i);
  auto r = ChapMd5Response(1, "secret", challenge);
  std::string hex;
  for (uint8_t b : r) hex += fmt::format("{:02x}", b);
  EXPECT_EQ(hex, "740e86463bda3a4d7017d6e0fba0699d");
}

}  // namespace
}  // namespace mlppp::aaa
