#include "link/l2tp/avp.h"

#include <gtest/gtest.h>

#include <string_view>

namespace mlppp::link::l2tp {
namespace {

using B = std::vector<uint8_t>;

std::span<const uint8_t> S(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

B Rv() {
  B rv(16);
  for (size_t i = 0; i < rv.size(); ++i) rv[i] = static_cast<uint8_t>(i);
  return rv;
}

TEST(L2tpAvp, ParsesTwoAvps) {
  const B body = {
      0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,       // M, len 8, Message Type = SCCRQ
      0x00, 0x09, 0x00, 0x00, 0x00, 0x08, 'm',  'p',  'd',  // len 9, Vendor Name "mpd"
  };
  std::vector<Avp> avps;
  ASSERT_EQ(ParseAvps(body, &avps), AvpError::kOk);
  ASSERT_EQ(avps.size(), 2u);
  EXPECT_TRUE(avps[0].mandatory);
  EXPECT_FALSE(avps[0].hidden);
  EXPECT_EQ(avps[0].type, 0);
  EXPECT_EQ(avps[0].value, B({0x00, 0x01}));
  EXPECT_FALSE(avps[1].mandatory);
  EXPECT_EQ(avps[1].vendor_id, 0);
  EXPECT_EQ(avps[1].type, static_cast<uint16_t>(AvpType::kVendorName));
  EXPECT_EQ(avps[1].value, B({'m', 'p', 'd'}));

  B out;
  for (const Avp& a : avps) ASSERT_EQ(EncodeAvp(a, &out), AvpError::kOk);
  EXPECT_EQ(out, body);
}

TEST(L2tpAvp, FlagsVendorAndReservedBits) {
  // H set, a reserved bit (0x0800) set, vendor 311, type 0x1234, empty value.
  const B body = {0x48, 0x06, 0x01, 0x37, 0x12, 0x34};
  std::vector<Avp> avps;
  ASSERT_EQ(ParseAvps(body, &avps), AvpError::kOk);
  ASSERT_EQ(avps.size(), 1u);
  EXPECT_FALSE(avps[0].mandatory);
  EXPECT_TRUE(avps[0].hidden);
  EXPECT_EQ(avps[0].reserved_bits, 0x0800);
  EXPECT_EQ(avps[0].vendor_id, 311);
  EXPECT_EQ(avps[0].type, 0x1234);
  EXPECT_TRUE(avps[0].value.empty());
  B out;
  ASSERT_EQ(EncodeAvp(avps[0], &out), AvpError::kOk);
  EXPECT_EQ(out, body);
}

TEST(L2tpAvp, ParseErrors) {
  std::vector<Avp> avps;
  // Header cut short.
  EXPECT_EQ(ParseAvps(B({0x80, 0x08, 0x00, 0x00, 0x00}), &avps), AvpError::kShortHeader);
  // Length 5 < 6 (§4.1), and Length 0.
  EXPECT_EQ(ParseAvps(B({0x80, 0x05, 0x00, 0x00, 0x00, 0x00}), &avps), AvpError::kBadLength);
  EXPECT_EQ(ParseAvps(B({0x80, 0x00, 0x00, 0x00, 0x00, 0x00}), &avps), AvpError::kBadLength);
  // Length 9 with only 8 octets.
  EXPECT_EQ(ParseAvps(B({0x80, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}), &avps),
            AvpError::kOverrun);
  // The good AVP before the bad one is kept.
  EXPECT_EQ(ParseAvps(B({0x80, 0x08, 0, 0, 0, 0, 0, 1, 0x00, 0x0a, 0, 0, 0, 7, 'a'}), &avps),
            AvpError::kOverrun);
  EXPECT_EQ(avps.size(), 1u);
  // An empty body is no AVPs.
  EXPECT_EQ(ParseAvps(B{}, &avps), AvpError::kOk);
  EXPECT_TRUE(avps.empty());
}

TEST(L2tpAvp, EncodeTooLong) {
  Avp a;
  a.type = 7;
  a.value.assign(kMaxAvpValue, 'x');
  B out;
  ASSERT_EQ(EncodeAvp(a, &out), AvpError::kOk);
  EXPECT_EQ(out[0], 0x03);  // Length 1023
  EXPECT_EQ(out[1], 0xff);
  a.value.push_back('x');
  out.clear();
  EXPECT_EQ(EncodeAvp(a, &out), AvpError::kTooLong);
  EXPECT_TRUE(out.empty());
}

TEST(L2tpAvp, NameTable) {
  EXPECT_EQ(AvpTypeName(0), "Message Type");
  EXPECT_EQ(AvpTypeName(36), "Random Vector");
  EXPECT_EQ(AvpTypeName(39), "Sequencing Required");
  EXPECT_EQ(AvpTypeName(20), "Packet Processing Delay");
  EXPECT_EQ(AvpTypeName(40), "unknown-avp");
  // Every IETF type 0..39 is known, none beyond.
  for (uint16_t t = 0; t <= 39; ++t) EXPECT_NE(FindAvpInfo(kVendorIetf, t), nullptr) << t;
  EXPECT_EQ(FindAvpInfo(kVendorIetf, 40), nullptr);
  EXPECT_EQ(FindAvpInfo(311, 7), nullptr);
  EXPECT_FALSE(FindAvpInfo(0, 7)->may_hide);   // §4.4.2 Host Name
  EXPECT_TRUE(FindAvpInfo(0, 14)->may_hide);   // §4.4.4 Assigned Session ID
  EXPECT_FALSE(FindAvpInfo(0, 5)->mandatory);  // Tie Breaker
}

TEST(L2tpAvp, Md5Known) {
  // RFC 1321 test suite: MD5("abc").
  auto d = Md5({S("a"), S("bc")});
  EXPECT_EQ(B(d.begin(), d.end()), B({0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0, 0xd6, 0x96,
                                      0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72}));
}

TEST(L2tpAvp, HideSingleBlockVector) {
  // Computed independently (python3 hashlib): Assigned Session ID (14)
  // value 0x1234, secret "secret", Random Vector 00..0f:
  // MD5(00 0e | "secret" | rv) XOR (00 02 12 34).
  const B want = {0x3b, 0x5b, 0xf1, 0x6b};
  const B value = {0x12, 0x34};
  EXPECT_EQ(HideValue(14, value, S("secret"), Rv()), want);
  B back;
  ASSERT_EQ(UnhideValue(14, want, S("secret"), Rv(), &back), AvpError::kOk);
  EXPECT_EQ(back, value);
}

TEST(L2tpAvp, HideTwoBlockVector) {
  // 22 octets: the second block uses MD5(secret + first ciphertext block).
  // Calling Number (22) "12345678901234567890", same secret and vector.
  const B want = {0x75, 0xd1, 0x36, 0xc4, 0xa1, 0x1c, 0x80, 0x7d, 0x7f, 0xdd, 0x4e,
                  0x26, 0x2e, 0x53, 0x2a, 0xc0, 0xed, 0x84, 0xc7, 0x76, 0x00, 0xc6};
  EXPECT_EQ(HideValue(22, S("12345678901234567890"), S("secret"), Rv()), want);
  B back;
  ASSERT_EQ(UnhideValue(22, want, S("secret"), Rv(), &back), AvpError::kOk);
  EXPECT_EQ(std::string(back.begin(), back.end()), "12345678901234567890");
}

TEST(L2tpAvp, HideUnhideRoundTripWithPadding) {
  const B rv = {0xde, 0xad, 0xbe, 0xef, 0x01};
  for (size_t n : {0u, 1u, 14u, 15u, 16u, 30u, 31u, 32u, 100u}) {
    B value(n);
    for (size_t i = 0; i < n; ++i) value[i] = static_cast<uint8_t>(i * 7 + 1);
    const B padding(static_cast<size_t>(n % 5), 0x5a);
    B hidden = HideValue(30, value, S("s3cr3t"), rv, padding);
    EXPECT_EQ(hidden.size(), 2 + n + padding.size());
    B back;
    ASSERT_EQ(UnhideValue(30, hidden, S("s3cr3t"), rv, &back), AvpError::kOk) << n;
    EXPECT_EQ(back, value) << n;
    // The attribute type is part of the key.
    if (n > 0) {
      B other;
      if (UnhideValue(31, hidden, S("s3cr3t"), rv, &other) == AvpError::kOk) {
        EXPECT_NE(other, value);
      }
    }
  }
}

TEST(L2tpAvp, UnhideErrors) {
  B out;
  EXPECT_EQ(UnhideValue(14, B({0x01}), S("secret"), Rv(), &out), AvpError::kHiddenTooShort);
  // A wrong secret gives garbage; here the recovered length exceeds the value.
  const B hidden = {0x3b, 0x5b, 0xf1, 0x6b};
  EXPECT_EQ(UnhideValue(14, hidden, S("wrong"), Rv(), &out), AvpError::kHiddenBadLength);
}

}  // namespace
}  // namespace mlppp::link::l2tp
