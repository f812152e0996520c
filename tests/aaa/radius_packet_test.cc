#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aaa/radius/packet.h"
#include "core/hex_bytes.h"

namespace mlppp::aaa::radius {
namespace {

using mlppp::testing::Hex;

Authenticator Auth(std::string_view hex) {
  Authenticator a{};
  auto v = Hex(hex);
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

// RFC 2865 §7.1: PAP Access-Request from NAS 192.168.1.16 port 3, user
// "nemo", password "arctangent", secret "xyzzy5461", and its Access-Accept.
const char* kRfcRequest =
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65 6d 6f"
    "02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03";
const char* kRfcAccept =
    "02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00 00 01"
    "0f 06 00 00 00 00 0e 06 c0 a8 01 03";
const char* kRfcSecret = "xyzzy5461";
const char* kRfcRequestAuth = "0f403f9473978057bd83d5cb98f4227a";

TEST(RadiusPassword, Rfc2865Example) {
  auto hidden = HidePassword("arctangent", kRfcSecret, Auth(kRfcRequestAuth));
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(*hidden, Hex("0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee"));
  auto plain = UnhidePassword(*hidden, kRfcSecret, Auth(kRfcRequestAuth));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "arctangent");
}

// Vector computed independently with Python hashlib (three blocks, each
// chained on the previous cipher block, RFC 2865 §5.2).
TEST(RadiusPassword, MultiBlock) {
  std::string pw = "a-much-longer-password-of-40-characters!";
  auto hidden = HidePassword(pw, kRfcSecret, Auth(kRfcRequestAuth));
  ASSERT_TRUE(hidden.ok());
  EXPECT_EQ(*hidden, Hex("0de17e8c91d259c7308c835a0a077a8f70e5b3c12429422bc9590cd17c6a6f8b"
                         "bf291fd681cc94598cf490e878142d00"));
  EXPECT_EQ(*UnhidePassword(*hidden, kRfcSecret, Auth(kRfcRequestAuth)), pw);
}

TEST(RadiusPassword, LimitsAndBadLengths) {
  EXPECT_EQ(HidePassword("", "s", {})->size(), 16u);
  EXPECT_EQ(HidePassword(std::string(128, 'x'), "s", {})->size(), 128u);
  EXPECT_FALSE(HidePassword(std::string(129, 'x'), "s", {}).ok());
  EXPECT_FALSE(UnhidePassword(Hex("00"), "s", {}).ok());
  EXPECT_FALSE(UnhidePassword({}, "s", {}).ok());
  EXPECT_FALSE(UnhidePassword(std::vector<uint8_t>(144), "s", {}).ok());
}

TEST(RadiusPacket, ParsesRfc2865Request) {
  auto wire = Hex(kRfcRequest);
  auto p = Parse(wire);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->code_enum(), Code::kAccessRequest);
  EXPECT_EQ(p->id, 0);
  EXPECT_EQ(p->authenticator, Auth(kRfcRequestAuth));
  ASSERT_EQ(p->attributes.size(), 4u);
  EXPECT_EQ(p->FindString(Attr::kUserName), "nemo");
  EXPECT_EQ(p->FindU32(Attr::kNasIpAddress), 0xc0a80110u);
  EXPECT_EQ(p->FindU32(Attr::kNasPort), 3u);
  EXPECT_FALSE(p->FindU32(Attr::kUserPassword).has_value());  // 16 octets, not an integer
}

TEST(RadiusPacket, EncodesRfc2865RequestByteForByte) {
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccessRequest);
  p.id = 0;
  p.authenticator = Auth(kRfcRequestAuth);
  ASSERT_TRUE(p.AddString(Attr::kUserName, "nemo"));
  ASSERT_TRUE(p.AddString(Attr::kUserPassword, "arctangent"));  // plaintext: hidden on encode
  ASSERT_TRUE(p.AddIpv4(Attr::kNasIpAddress, 0xc0a80110));
  ASSERT_TRUE(p.AddU32(Attr::kNasPort, 3));
  auto wire = EncodeRequest(p, kRfcSecret);
  ASSERT_TRUE(wire.ok()) << wire.error();
  EXPECT_EQ(*wire, Hex(kRfcRequest));
  EXPECT_EQ(p.FindString(Attr::kUserPassword), "arctangent");  // the caller's copy is untouched
}

TEST(RadiusPacket, Rfc2865AcceptResponseAuthenticator) {
  auto wire = Hex(kRfcAccept);
  EXPECT_TRUE(VerifyResponseAuthenticator(wire, Auth(kRfcRequestAuth), kRfcSecret));
  EXPECT_FALSE(VerifyResponseAuthenticator(wire, Auth(kRfcRequestAuth), "xyzzy5462"));
  auto tampered = wire;
  tampered.back() ^= 1;
  EXPECT_FALSE(VerifyResponseAuthenticator(tampered, Auth(kRfcRequestAuth), kRfcSecret));
  auto p = Parse(wire);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->FindU32(Attr::kServiceType), 1u);  // Login
  EXPECT_EQ(p->FindU32(Attr::kLoginIpHost), 0xc0a80103u);
  // Re-encoding the parsed reply computes the same authenticator.
  auto again = EncodeResponse(*p, Auth(kRfcRequestAuth), kRfcSecret);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, wire);
}

// Python: md5(04 07 00 1f + 16 zero + attrs + "s3cret"), RFC 2866 §3.
TEST(RadiusPacket, AccountingRequestAuthenticator) {
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccountingRequest);
  p.id = 7;
  p.authenticator.fill(0xaa);  // ignored: computed
  p.AddU32(Attr::kAcctStatusType, static_cast<uint32_t>(AcctStatusType::kStart));
  p.AddString(Attr::kAcctSessionId, "abc");
  auto wire = EncodeRequest(p, "s3cret");
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(*wire, Hex("04 07 00 1f 60dcbf569fca55e4bf50290a9b2307a9 28 06 00000001 2c 05 616263"));
  EXPECT_EQ(p.authenticator, Auth("60dcbf569fca55e4bf50290a9b2307a9"));
  EXPECT_TRUE(VerifyRequestAuthenticator(*wire, "s3cret"));
  EXPECT_FALSE(VerifyRequestAuthenticator(*wire, "s3creT"));
}

// Python hmac: HMAC-MD5("s3cret", packet with the MA value zeroed),
// RFC 3579 §3.2; the response's is keyed over the REQUEST authenticator.
TEST(RadiusPacket, MessageAuthenticatorRequestAndResponse) {
  Authenticator ra{};
  for (int i = 0; i < 16; ++i) ra[i] = static_cast<uint8_t>(i);
  RadiusPacket req;
  req.code = 1;
  req.id = 9;
  req.authenticator = ra;
  req.AddString(Attr::kUserName, "bob");
  AddMessageAuthenticator(req);
  ASSERT_EQ(req.attributes.front().type, static_cast<uint8_t>(Attr::kMessageAuthenticator));
  auto wire = EncodeRequest(req, "s3cret");
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(std::vector<uint8_t>(wire->begin() + 22, wire->begin() + 38),
            Hex("4639e87dddb33035c11fc585b0f32076"));
  EXPECT_TRUE(VerifyMessageAuthenticator(*wire, ra, "s3cret"));
  EXPECT_FALSE(VerifyMessageAuthenticator(*wire, ra, "other"));
  // Every covered octet matters: code, id, the MA header and the other
  // attributes. (The authenticator field is replaced by `ra`; Length changes
  // the framing.)
  for (size_t i = 0; i < wire->size(); ++i) {
    if ((i >= 2 && i < 20) || (i >= 22 && i < 38)) continue;
    auto t = *wire;
    t[i] ^= 0x01;
    EXPECT_FALSE(VerifyMessageAuthenticator(t, ra, "s3cret")) << "byte " << i;
  }
  auto t = *wire;
  t[30] ^= 0x80;
  EXPECT_FALSE(VerifyMessageAuthenticator(t, ra, "s3cret"));

  RadiusPacket resp;
  resp.code = 2;
  resp.id = 9;
  resp.AddString(Attr::kReplyMessage, "hi");
  AddMessageAuthenticator(resp);
  auto rwire = EncodeResponse(resp, ra, "s3cret");
  ASSERT_TRUE(rwire.ok());
  EXPECT_EQ(*rwire, Hex("02 09 00 2a 5831edddb89a493ed8ce8cc5503a2c89"
                        "50 12 a3770d4bb44ea85ea9ac56c54854dcf4 12 04 6869"));
  EXPECT_TRUE(VerifyMessageAuthenticator(*rwire, ra, "s3cret"));
  EXPECT_TRUE(VerifyResponseAuthenticator(*rwire, ra, "s3cret"));
  Authenticator other = ra;
  other[0] ^= 1;
  EXPECT_FALSE(VerifyMessageAuthenticator(*rwire, other, "s3cret"));
}

TEST(RadiusPacket, MessageAuthenticatorAbsentMalformedOrDuplicated) {
  Authenticator ra{};
  auto none = Hex("02 01 00 18 00000000000000000000000000000000 12 04 6869");
  EXPECT_FALSE(VerifyMessageAuthenticator(none, ra, "s"));
  std::vector<uint8_t> none_copy = none;
  EXPECT_FALSE(SignMessageAuthenticator(none_copy, ra, "s"));
  // Length 17 instead of 18.
  auto bad =
      Hex("02 01 00 25 00000000000000000000000000000000 50 11 000000000000000000000000000000 00");
  EXPECT_FALSE(VerifyMessageAuthenticator(bad, ra, "s"));
  // Two of them: RFC 3579 §3.2 allows at most one.
  RadiusPacket p;
  p.code = 2;
  AddMessageAuthenticator(p);
  p.attributes.push_back(p.attributes.front());
  auto two = EncodeResponse(p, ra, "s");
  ASSERT_FALSE(two.ok());
  // Truncated header.
  EXPECT_FALSE(VerifyMessageAuthenticator(Hex("02 01 00"), ra, "s"));
  EXPECT_FALSE(VerifyResponseAuthenticator(Hex("02 01 00"), ra, "s"));
}

// Python: salt 0x8123, key 10..1f, secret "s3cret", RA 00..0f (RFC 2548 §2.4.2).
TEST(RadiusMppe, DecryptsIndependentVectorAndRoundTrips) {
  Authenticator ra{};
  for (int i = 0; i < 16; ++i) ra[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> key;
  for (int i = 0x10; i < 0x20; ++i) key.push_back(static_cast<uint8_t>(i));
  auto value = Hex("8123d75fe995f4ae7881ba3825f0ee5f2fc4139b09e5cb42dba696d52c96bcefd2d1");
  EXPECT_EQ(EncryptMppeKey(key, 0x0123, "s3cret", ra), value);  // high bit forced
  auto plain = DecryptMppeKey(value, "s3cret", ra);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, key);
  // Wrong secret: garbage or a length error, never the key.
  auto wrong = DecryptMppeKey(value, "s3creT", ra);
  EXPECT_TRUE(!wrong.ok() || *wrong != key);
  // Bad lengths.
  EXPECT_FALSE(DecryptMppeKey(Hex("8123"), "s3cret", ra).ok());
  EXPECT_FALSE(DecryptMppeKey(std::span(value).first(33), "s3cret", ra).ok());
  // Key-Length larger than the data: encrypt "length 200" by hand.
  std::vector<uint8_t> big(200, 1);
  auto v = EncryptMppeKey(big, 1, "s", ra);
  v.resize(2 + 16);  // cut: the length octet now overruns
  EXPECT_FALSE(DecryptMppeKey(v, "s", ra).ok());
}

TEST(RadiusPacket, VendorAttributesRoundTrip) {
  RadiusPacket p;
  p.code = 2;
  p.id = 3;
  ASSERT_TRUE(p.AddVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kAction), "bundle B"));
  ASSERT_TRUE(p.AddVendorU32(kVendorMicrosoft, static_cast<uint8_t>(MsAttr::kPrimaryDnsServer),
                             0x08080808));
  ASSERT_FALSE(p.AddVendor(kVendorMpd, 1, std::vector<uint8_t>(248)));
  ASSERT_TRUE(p.AddVendor(kVendorMpd, 1, std::vector<uint8_t>(247)));
  auto wire = Serialize(p);
  ASSERT_TRUE(wire.ok());
  // 26, len 16, vendor 12341, type 18, len 10, "bundle B".
  EXPECT_EQ(std::vector<uint8_t>(wire->begin() + 20, wire->begin() + 36),
            Hex("1a 10 00003035 12 0a 62756e646c652042"));
  auto back = Parse(*wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->attributes, p.attributes);
  EXPECT_EQ(back->FindVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kAction)), "bundle B");
  EXPECT_EQ(back->FindVendorU32(kVendorMicrosoft, static_cast<uint8_t>(MsAttr::kPrimaryDnsServer)),
            0x08080808u);
  // One VSA holding two sub-attributes parses into two Attributes.
  auto two =
      Parse(Hex("02 00 00 20 00000000000000000000000000000000"
                "1a 0c 00000137 1c 03 01 1d 03 02"));
  ASSERT_TRUE(two.ok()) << two.error();
  ASSERT_EQ(two->FindAll(kVendorMicrosoft, 0x1c).size(), 1u);
  EXPECT_EQ(two->Find(kVendorMicrosoft, 0x1d)->front(), 2);
}

TEST(RadiusPacket, SplitAndConcatEapMessage) {
  std::vector<uint8_t> eap(600);
  for (size_t i = 0; i < eap.size(); ++i) eap[i] = static_cast<uint8_t>(i);
  RadiusPacket p;
  p.AddSplit(Attr::kEapMessage, eap);
  ASSERT_EQ(p.FindAll(Attr::kEapMessage).size(), 3u);  // 253 + 253 + 94
  EXPECT_EQ(p.FindAll(Attr::kEapMessage)[2].size(), 94u);
  EXPECT_EQ(p.Concat(Attr::kEapMessage), eap);
  p.Remove(Attr::kEapMessage);
  EXPECT_TRUE(p.attributes.empty());
}

TEST(RadiusPacket, SerializeRefusesOversize) {
  RadiusPacket p;
  EXPECT_FALSE(p.AddBytes(Attr::kClass, std::vector<uint8_t>(254)));
  EXPECT_TRUE(p.attributes.empty());
  p.attributes.push_back(Attribute{25, 0, 0, std::vector<uint8_t>(254)});
  EXPECT_FALSE(Serialize(p).ok());
  // 20 + 15 * 255 + 251 = 4096 exactly; one octet more is refused.
  RadiusPacket big;
  for (int i = 0; i < 15; ++i) big.AddBytes(Attr::kClass, std::vector<uint8_t>(253));
  big.AddBytes(Attr::kClass, std::vector<uint8_t>(249));
  auto max = Serialize(big);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size(), kMaxPacketSize);
  EXPECT_TRUE(Parse(*max).ok());
  big.attributes.back().value.push_back(0);
  EXPECT_FALSE(Serialize(big).ok());
}

struct Malformed {
  const char* name;
  const char* hex;
  ParseError want;
};

TEST(RadiusPacket, ParserRejectsEveryMalformedLength) {
  const std::string z = "00000000000000000000000000000000";
  const Malformed cases[] = {
      {"empty", "", ParseError::kTooShort},
      {"19 octets", "02 00 00 13 000000000000000000000000000000", ParseError::kTooShort},
      {"length 19", "02 00 00 13 00000000000000000000000000000000", ParseError::kLengthMismatch},
      {"length past data", "02 00 00 15 00000000000000000000000000000000",
       ParseError::kLengthMismatch},
      {"length over 4096", "02 00 10 01 00000000000000000000000000000000",
       ParseError::kLengthMismatch},
      {"attribute length 0", "02 00 00 16 00000000000000000000000000000000 01 00",
       ParseError::kAttributeTooShort},
      {"attribute length 1", "02 00 00 16 00000000000000000000000000000000 01 01",
       ParseError::kAttributeTooShort},
      {"attribute overrun", "02 00 00 17 00000000000000000000000000000000 01 04 61",
       ParseError::kAttributeOverrun},
      {"half an attribute header", "02 00 00 15 00000000000000000000000000000000 01",
       ParseError::kAttributeOverrun},
      {"attribute past Length, inside padding",
       "02 00 00 17 00000000000000000000000000000000 01 04 61 62", ParseError::kAttributeOverrun},
      {"VSA without Vendor-Id", "02 00 00 17 00000000000000000000000000000000 1a 03 00",
       ParseError::kVsaMalformed},
      {"VSA with no sub-attribute", "02 00 00 1a 00000000000000000000000000000000 1a 06 00000137",
       ParseError::kVsaMalformed},
      {"VSA sub length 1", "02 00 00 1c 00000000000000000000000000000000 1a 08 00000137 01 01",
       ParseError::kVsaMalformed},
      {"VSA sub overrun", "02 00 00 1c 00000000000000000000000000000000 1a 08 00000137 01 05",
       ParseError::kVsaMalformed},
      {"VSA trailing octet", "02 00 00 1d 00000000000000000000000000000000 1a 09 00000137 01 02 00",
       ParseError::kVsaMalformed},
  };
  for (const auto& c : cases) {
    ParseError why = ParseError::kNone;
    auto r = Parse(Hex(c.hex), &why);
    EXPECT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(why, c.want) << c.name << ": " << ParseErrorName(why);
  }
  // Octets after Length are padding (RFC 2865 §3) and do not count.
  ParseError why = ParseError::kTooShort;
  auto padded = Parse(Hex("02 00 00 14" + z + "ff ff ff"), &why);
  ASSERT_TRUE(padded.ok());
  EXPECT_EQ(why, ParseError::kNone);
  EXPECT_TRUE(padded->attributes.empty());
}

TEST(RadiusDictionary, NamesForLogs) {
  EXPECT_EQ(CodeName(Code::kCoaNak), "CoA-NAK");
  EXPECT_EQ(CodeName(99), "unknown");
  EXPECT_EQ(AttrName(Attr::kMessageAuthenticator), "Message-Authenticator");
  EXPECT_EQ(VendorAttrName(kVendorMicrosoft, 17), "MS-MPPE-Recv-Key");
  EXPECT_EQ(VendorAttrName(kVendorMpd, 154), "mpd-drop-user");
  EXPECT_EQ(VendorAttrName(kVendorDslForum, 1), "ADSL-Agent-Circuit-Id");
  EXPECT_EQ(AcctTerminateCauseName(4), "Idle-Timeout");
  EXPECT_EQ(NasPortTypeName(15), "Ethernet");
  EXPECT_EQ(ErrorCauseName(501), "Administratively-Prohibited");
  EXPECT_EQ(AcctStatusTypeName(3), "Interim-Update");
}

}  // namespace
}  // namespace mlppp::aaa::radius
