#include "link/pppoe/discovery.h"

#include <gtest/gtest.h>

#include "link/pppoe/cookie.h"

namespace mlppp::link::pppoe {
namespace {

using B = std::vector<uint8_t>;

TEST(Discovery, ParsesMinimalPadi) {
  // RFC 2516 §5.1: PADI, SESSION_ID 0, LENGTH 4, one empty Service-Name.
  const B frame = {0x11, 0x09, 0x00, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x00};
  Discovery d;
  ASSERT_EQ(ParseDiscovery(frame, &d), ParseError::kOk);
  EXPECT_EQ(d.code, Code::kPADI);
  EXPECT_EQ(d.session_id, 0);
  ASSERT_TRUE(d.service_name.has_value());
  EXPECT_EQ(*d.service_name, "");
  EXPECT_FALSE(d.host_uniq.has_value());
  B out;
  ASSERT_EQ(SerializeDiscovery(d, &out), ParseError::kOk);
  EXPECT_EQ(out, frame);
}

TEST(Discovery, SerializesPadoInTagOrder) {
  Discovery d;
  d.code = Code::kPADO;
  d.service_name = "";
  d.ac_name = "ac";
  d.host_uniq = B{0xde, 0xad};
  d.ac_cookie = B{1, 2, 3, 4};
  B out;
  ASSERT_EQ(SerializeDiscovery(d, &out), ParseError::kOk);
  const B want = {0x11, 0x07, 0x00, 0x00, 0x00, 0x18,               // header, LENGTH 24
                  0x01, 0x01, 0x00, 0x00,                           // Service-Name ""
                  0x01, 0x02, 0x00, 0x02, 'a',  'c',                // AC-Name "ac"
                  0x01, 0x03, 0x00, 0x02, 0xde, 0xad,               // Host-Uniq
                  0x01, 0x04, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04};  // AC-Cookie
  EXPECT_EQ(out, want);
  Discovery back;
  ASSERT_EQ(ParseDiscovery(out, &back), ParseError::kOk);
  EXPECT_EQ(back, d);
}

TEST(Discovery, PadrWithRelayIdAndMaxPayload) {
  const B frame = {0x11, 0x19, 0x00, 0x00, 0x00, 0x10,  // PADR, LENGTH 16
                   0x01, 0x10, 0x00, 0x02, 0xaa, 0xbb,  // Relay-Session-Id
                   0x01, 0x20, 0x00, 0x02, 0x05, 0xdc,  // PPP-Max-Payload 1500
                   0x01, 0x01, 0x00, 0x00};             // Service-Name ""
  Discovery d;
  ASSERT_EQ(ParseDiscovery(frame, &d), ParseError::kOk);
  EXPECT_EQ(d.code, Code::kPADR);
  EXPECT_EQ(d.relay_session_id, B({0xaa, 0xbb}));
  EXPECT_EQ(d.ppp_max_payload, 1500);
  EXPECT_EQ(d.service_name, "");
}

TEST(Discovery, PadsWithErrorAndPadt) {
  const B pads = {0x11, 0x65, 0x00, 0x00, 0x00, 0x07, 0x02, 0x01, 0x00, 0x03, 'n', 'o', 'p'};
  Discovery d;
  ASSERT_EQ(ParseDiscovery(pads, &d), ParseError::kOk);
  EXPECT_EQ(d.code, Code::kPADS);
  EXPECT_EQ(d.service_name_error, "nop");
  EXPECT_EQ(d.ErrorText(), "Service-Name-Error: nop");

  Discovery t;
  t.code = Code::kPADT;
  t.session_id = 0x1234;
  B out;
  ASSERT_EQ(SerializeDiscovery(t, &out), ParseError::kOk);
  EXPECT_EQ(out, B({0x11, 0xa7, 0x12, 0x34, 0x00, 0x00}));
}

TEST(Discovery, RejectsBadHeaders) {
  Discovery d;
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x09, 0x00}, &d), ParseError::kShortHeader);
  EXPECT_EQ(ParseDiscovery(B{0x21, 0x09, 0, 0, 0, 0}, &d), ParseError::kBadVersionType);
  EXPECT_EQ(ParseDiscovery(B{0x12, 0x09, 0, 0, 0, 0}, &d), ParseError::kBadVersionType);
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x42, 0, 0, 0, 0}, &d), ParseError::kBadCode);
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x00, 0, 0, 0, 0}, &d), ParseError::kBadCode);
  // LENGTH 8 but only 4 payload bytes.
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x09, 0, 0, 0, 8, 1, 1, 0, 0}, &d), ParseError::kLengthOverrun);
}

TEST(Discovery, RejectsTagOverruns) {
  Discovery d;
  // TAG_LENGTH 5 runs past LENGTH 4.
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 5}, &d), ParseError::kTagOverrun);
  // The value would fit in the frame but not in LENGTH: LENGTH bounds TAGs.
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 2, 'a', 'b'}, &d),
            ParseError::kTagOverrun);
  // Half a TAG header.
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x09, 0, 0, 0, 2, 1, 1}, &d), ParseError::kTagOverrun);
  // PPP-Max-Payload must be 2 bytes (RFC 4638 §4).
  EXPECT_EQ(ParseDiscovery(B{0x11, 0x19, 0, 0, 0, 5, 1, 0x20, 0, 1, 5}, &d),
            ParseError::kBadTagLength);
}

TEST(Discovery, IgnoresPaddingAndStopsAtEndOfList) {
  // LENGTH 12: Service-Name "", End-Of-List, then a Host-Uniq after EOL;
  // the Host-Uniq and the Ethernet padding after LENGTH are ignored.
  const B frame = {0x11, 0x09, 0, 0, 0, 12, 1, 1, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  Discovery d;
  ASSERT_EQ(ParseDiscovery(frame, &d), ParseError::kOk);
  EXPECT_EQ(d.service_name, "");
  EXPECT_FALSE(d.host_uniq.has_value());
}

TEST(Discovery, KeepsUnknownVendorAndExtraServiceTags) {
  Discovery d;
  d.code = Code::kPADO;
  d.service_name = "a";
  d.more_service_names = {"b", "c"};
  d.ac_name = "x";
  d.vendor_specific = {B{0, 0, 0x0d, 0xe9, 1, 2}, B{9}};
  d.unknown = {{0x0999, B{7, 7}}};
  B out;
  ASSERT_EQ(SerializeDiscovery(d, &out), ParseError::kOk);
  Discovery back;
  ASSERT_EQ(ParseDiscovery(out, &back), ParseError::kOk);
  EXPECT_EQ(back, d);
  // The first duplicate of a single-valued TAG wins.
  const B two_names = {0x11, 0x07, 0, 0, 0, 10, 1, 2, 0, 1, 'p', 1, 2, 0, 1, 'q'};
  ASSERT_EQ(ParseDiscovery(two_names, &back), ParseError::kOk);
  EXPECT_EQ(back.ac_name, "p");
}

TEST(Discovery, SerializeRefusesOversizedPacket) {
  Discovery d;
  d.code = Code::kPADO;
  d.host_uniq = B(1490, 0xab);  // 1490 + 4 = 1494 fits exactly
  B out;
  EXPECT_EQ(SerializeDiscovery(d, &out), ParseError::kOk);
  EXPECT_EQ(out.size(), 1500u);
  d.ac_name = "";
  EXPECT_EQ(SerializeDiscovery(d, &out), ParseError::kTooLarge);
  EXPECT_FALSE(DiscoveryToPacket(d).ok());
}

TEST(Discovery, NameTables) {
  EXPECT_EQ(CodeName(Code::kPADI), "PADI");
  EXPECT_EQ(CodeName(Code::kPADT), "PADT");
  EXPECT_EQ(TagName(0x0101), "Service-Name");
  EXPECT_EQ(TagName(0x0120), "PPP-Max-Payload");
  EXPECT_EQ(TagName(0x9999), "unknown-tag");
  EXPECT_EQ(ParseErrorName(ParseError::kTagOverrun), "tag-overrun");
}

TEST(SessionHeader, ParsesAndTrimsPadding) {
  // LENGTH 2 (PPP protocol 0xc021), then Ethernet padding.
  auto p = Packet::Copy(B{0x11, 0x00, 0x00, 0x05, 0x00, 0x02, 0xc0, 0x21, 0, 0, 0, 0});
  SessionHeader h;
  ASSERT_EQ(ParseSessionHeader(p, &h), ParseError::kOk);
  EXPECT_EQ(h.session_id, 5);
  EXPECT_EQ(h.length, 2);
  EXPECT_EQ(B(p.span().begin(), p.span().end()), B({0xc0, 0x21}));
}

TEST(SessionHeader, RejectsBadFrames) {
  SessionHeader h;
  auto short_frame = Packet::Copy(B{0x11, 0x00, 0x00});
  EXPECT_EQ(ParseSessionHeader(short_frame, &h), ParseError::kShortHeader);
  auto bad_vt = Packet::Copy(B{0x22, 0x00, 0, 1, 0, 0});
  EXPECT_EQ(ParseSessionHeader(bad_vt, &h), ParseError::kBadVersionType);
  auto bad_code = Packet::Copy(B{0x11, 0x09, 0, 1, 0, 0});
  EXPECT_EQ(ParseSessionHeader(bad_code, &h), ParseError::kBadCode);
  auto overrun = Packet::Copy(B{0x11, 0x00, 0, 1, 0, 3, 0xc0, 0x21});
  EXPECT_EQ(ParseSessionHeader(overrun, &h), ParseError::kLengthOverrun);
  EXPECT_EQ(overrun.size(), 8u);  // untouched on error
}

TEST(SessionHeader, Prepends) {
  auto p = Packet::Copy(B{0xc0, 0x21, 0x01});
  PrependSessionHeader(p, 0xbeef);
  EXPECT_EQ(B(p.span().begin(), p.span().end()),
            B({0x11, 0x00, 0xbe, 0xef, 0x00, 0x03, 0xc0, 0x21, 0x01}));
}

TEST(Cookie, ValidForCurrentAndPreviousSlotOnly) {
  std::array<uint8_t, CookieSigner::kSecretSize> secret{};
  secret[0] = 1;
  CookieSigner s(secret);
  const os::MacAddr mac = {2, 0, 0, 0, 0, 1};
  const B uniq = {1, 2, 3};
  auto c = s.Make(mac, "isp", uniq, 100);
  EXPECT_TRUE(s.Verify(c, mac, "isp", uniq, 100));
  EXPECT_TRUE(s.Verify(c, mac, "isp", uniq, 101));
  EXPECT_FALSE(s.Verify(c, mac, "isp", uniq, 102));
  EXPECT_FALSE(s.Verify(c, mac, "isp", uniq, 99));
  EXPECT_FALSE(s.Verify(c, {2, 0, 0, 0, 0, 2}, "isp", uniq, 100));
  EXPECT_FALSE(s.Verify(c, mac, "isq", uniq, 100));
  EXPECT_FALSE(s.Verify(c, mac, "isp", B{1, 2}, 100));
  EXPECT_FALSE(s.Verify(std::span(c).first(15), mac, "isp", uniq, 100));
  // Another secret makes another cookie.
  secret[0] = 2;
  EXPECT_NE(CookieSigner(secret).Make(mac, "isp", uniq, 100), c);
}

}  // namespace
}  // namespace mlppp::link::pppoe
