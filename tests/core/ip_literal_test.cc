#include "core/ip_literal.h"

#include <gtest/gtest.h>

#include <string>

namespace mlppp {
namespace {

TEST(IpLiteral, Ipv4) {
  EXPECT_TRUE(IsIpv4Literal("10.0.0.1"));
  EXPECT_TRUE(IsIpv4Literal("255.255.255.255"));
  EXPECT_TRUE(IsIpv4Literal("0.0.0.0"));
  EXPECT_FALSE(IsIpv4Literal("256.0.0.1"));
  EXPECT_FALSE(IsIpv4Literal("10.1"));  // inet_aton shorthand is not a literal here
  EXPECT_FALSE(IsIpv4Literal("10.0.0.1 "));
  EXPECT_FALSE(IsIpv4Literal("::1"));
  EXPECT_FALSE(IsIpv4Literal(""));
  EXPECT_FALSE(IsIpv4Literal("radius.example.net"));
}

TEST(IpLiteral, Ipv6) {
  EXPECT_TRUE(IsIpv6Literal("::1"));
  EXPECT_TRUE(IsIpv6Literal("::"));
  EXPECT_TRUE(IsIpv6Literal("fe80::2"));
  EXPECT_TRUE(IsIpv6Literal("2001:db8:0:0:0:0:0:1"));
  EXPECT_TRUE(IsIpv6Literal("::ffff:10.0.0.1"));  // RFC 4291 §2.2 form 3
  EXPECT_FALSE(IsIpv6Literal("fe80::2%eth0"));
  EXPECT_FALSE(IsIpv6Literal("[::1]"));
  EXPECT_FALSE(IsIpv6Literal("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(IsIpv6Literal("10.0.0.1"));
  EXPECT_FALSE(IsIpv6Literal(""));
}

TEST(IpLiteral, Either) {
  EXPECT_TRUE(IsIpLiteral("192.0.2.7"));
  EXPECT_TRUE(IsIpLiteral("2001:db8::7"));
  EXPECT_FALSE(IsIpLiteral("localhost"));
  EXPECT_FALSE(IsIpLiteral("1.2.3"));
  // A view into a longer buffer reads only its own characters.
  std::string buf = "10.0.0.12";
  EXPECT_TRUE(IsIpLiteral(std::string_view(buf).substr(0, 8)));
  EXPECT_FALSE(IsIpLiteral(std::string_view(buf).substr(0, 7)));
}

}  // namespace
}  // namespace mlppp
