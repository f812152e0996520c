#include <gtest/gtest.h>

#include "aaa/mschap.h"
#include "aaa/radius/access.h"

namespace mlppp::aaa::radius {
namespace {

using V = std::vector<uint8_t>;

V Bytes(std::span<const uint8_t> s) { return V(s.begin(), s.end()); }
uint8_t Ms(MsAttr a) { return static_cast<uint8_t>(a); }

AuthRequest Base(AuthProto proto) {
  AuthRequest r;
  r.proto = proto;
  r.user = "alice";
  r.ctx.link = "L-7";
  r.ctx.session_id = "5f3a-7";
  r.ctx.link_type = "pppoe";
  r.ctx.calling_station = "020000000001";
  r.ctx.iface = "eth1";
  r.ctx.nas_port = 7;
  return r;
}

TEST(RadiusAccess, PapRequestCarriesNasAndSessionAttributes) {
  AuthRequest req = Base(AuthProto::kPap);
  req.pap_password = "secret";
  auto p = BuildAccessRequest(req, {"nas1", 0x0a000001});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, static_cast<uint8_t>(Code::kAccessRequest));
  EXPECT_EQ(p->FindString(Attr::kUserName), "alice");
  EXPECT_EQ(p->FindString(Attr::kUserPassword), "secret");  // hidden later by EncodeRequest
  EXPECT_EQ(p->FindU32(Attr::kServiceType), 2u);            // Framed
  EXPECT_EQ(p->FindU32(Attr::kFramedProtocol), 1u);         // PPP
  EXPECT_EQ(p->FindU32(Attr::kNasPortType), 15u);           // Ethernet for PPPoE
  EXPECT_EQ(p->FindU32(Attr::kNasPort), 7u);
  EXPECT_EQ(p->FindU32(Attr::kNasIpAddress), 0x0a000001u);
  EXPECT_EQ(p->FindString(Attr::kNasIdentifier), "nas1");
  EXPECT_EQ(p->FindString(Attr::kAcctSessionId), "5f3a-7");
  EXPECT_EQ(p->FindString(Attr::kCallingStationId), "020000000001");
  EXPECT_EQ(p->FindString(Attr::kNasPortId), "eth1");
  EXPECT_EQ(p->FindVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kLink)), "L-7");
}

TEST(RadiusAccess, ChapAndMsChapLayouts) {
  AuthRequest c = Base(AuthProto::kChapMd5);
  c.chap_id = 0x42;
  c.chap_challenge = V(16, 0xcc);
  c.chap_response = V(16, 0xdd);
  auto p = BuildAccessRequest(c, {});
  ASSERT_TRUE(p);
  V want{0x42};
  want.insert(want.end(), 16, 0xdd);
  EXPECT_EQ(Bytes(*p->Find(Attr::kChapPassword)), want);  // RFC 2865 §5.3
  EXPECT_EQ(Bytes(*p->Find(Attr::kChapChallenge)), V(16, 0xcc));

  // MS-CHAPv2: our 49-octet value is PeerChallenge(16) Reserved(8) NT(24)
  // Flags(1); RFC 2548 §2.3.2 wants Ident Flags PeerChallenge Reserved NT.
  AuthRequest m = Base(AuthProto::kChapMsV2);
  m.chap_id = 9;
  m.chap_challenge = V(16, 0x11);
  m.chap_response = V(16, 0x22);
  m.chap_response.insert(m.chap_response.end(), 8, 0);
  m.chap_response.insert(m.chap_response.end(), 24, 0x33);
  m.chap_response.push_back(0);
  p = BuildAccessRequest(m, {});
  ASSERT_TRUE(p);
  V v2{9, 0};
  v2.insert(v2.end(), 16, 0x22);
  v2.insert(v2.end(), 8, 0);
  v2.insert(v2.end(), 24, 0x33);
  EXPECT_EQ(Bytes(*p->Find(kVendorMicrosoft, Ms(MsAttr::kChap2Response))), v2);
  EXPECT_EQ(Bytes(*p->Find(kVendorMicrosoft, Ms(MsAttr::kChapChallenge))), V(16, 0x11));

  // MS-CHAPv1: LM(24) NT(24) Flags(1) -> Ident Flags LM NT (RFC 2548 §2.3.1).
  AuthRequest m1 = Base(AuthProto::kChapMsV1);
  m1.chap_id = 3;
  m1.chap_challenge = V(8, 0x44);
  m1.chap_response = V(24, 0);
  m1.chap_response.insert(m1.chap_response.end(), 24, 0x55);
  m1.chap_response.push_back(1);
  p = BuildAccessRequest(m1, {});
  ASSERT_TRUE(p);
  V v1{3, 1};
  v1.insert(v1.end(), 24, 0);
  v1.insert(v1.end(), 24, 0x55);
  EXPECT_EQ(Bytes(*p->Find(kVendorMicrosoft, Ms(MsAttr::kChapResponse))), v1);

  m1.chap_response.pop_back();  // wrong size: cannot be expressed
  EXPECT_FALSE(BuildAccessRequest(m1, {}));
}

TEST(RadiusAccess, EapIsSplitAndCarriesState) {
  AuthRequest e = Base(AuthProto::kEap);
  e.eap_message = V(300, 0x77);
  e.state = {1, 2, 3};
  auto p = BuildAccessRequest(e, {});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->FindAll(Attr::kEapMessage).size(), 2u);  // 253 + 47, RFC 3579 §3.1
  EXPECT_EQ(p->Concat(Attr::kEapMessage), e.eap_message);
  EXPECT_EQ(Bytes(*p->Find(Attr::kState)), (V{1, 2, 3}));
}

TEST(RadiusAccess, AcceptAppliesAttributesAndDecryptsMppeKeys) {
  AuthRequest req = Base(AuthProto::kChapMsV2);
  RadiusPacket request;
  request.authenticator.fill(0x5a);
  RadiusPacket reply;
  reply.code = static_cast<uint8_t>(Code::kAccessAccept);
  reply.AddIpv4(Attr::kFramedIpAddress, 0x0a090005);
  reply.AddU32(Attr::kSessionTimeout, 60);
  reply.AddU32(Attr::kIdleTimeout, 30);
  reply.AddU32(Attr::kAcctInterimInterval, 300);
  reply.AddU32(Attr::kFramedMtu, 1400);
  reply.AddString(Attr::kFramedPool, "p1");
  reply.AddString(Attr::kFramedRoute, "10.1.0.0/16 0.0.0.0 1");
  reply.AddString(Attr::kClass, "abc");
  reply.AddVendorU32(kVendorMicrosoft, Ms(MsAttr::kMppeEncryptionPolicy), 2);
  reply.AddVendorU32(kVendorMicrosoft, Ms(MsAttr::kMppeEncryptionTypes), 4);
  std::string success = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
  V s{7};
  s.insert(s.end(), success.begin(), success.end());
  reply.AddVendor(kVendorMicrosoft, Ms(MsAttr::kChap2Success), s);
  V send_key(16, 0x01), recv_key(16, 0x02);
  reply.AddVendor(kVendorMicrosoft, Ms(MsAttr::kMppeSendKey),
                  EncryptMppeKey(send_key, 0x8001, "xyzzy", request.authenticator));
  reply.AddVendor(kVendorMicrosoft, Ms(MsAttr::kMppeRecvKey),
                  EncryptMppeKey(recv_key, 0x8002, "xyzzy", request.authenticator));
  AuthResult r = ReadAccessReply(reply, request, req, "xyzzy");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.framed_ip, 0x0a090005u);
  EXPECT_EQ(r.session_timeout, 60u);
  EXPECT_EQ(r.idle_timeout, 30u);
  EXPECT_EQ(r.acct_interim, 300u);
  EXPECT_EQ(r.framed_mtu, 1400);
  EXPECT_EQ(r.framed_pool, "p1");
  EXPECT_EQ(r.framed_routes, (std::vector<std::string>{"10.1.0.0/16 0.0.0.0 1"}));
  ASSERT_EQ(r.radius_class.size(), 1u);
  EXPECT_EQ(r.radius_class[0], (V{'a', 'b', 'c'}));
  EXPECT_EQ(r.mschap_success, success);
  EXPECT_EQ(r.mppe_policy, 2u);  // required
  EXPECT_EQ(r.mppe_types, 4u);   // 128-bit
  ASSERT_TRUE(r.mppe);
  EXPECT_EQ(V(r.mppe->send.begin(), r.mppe->send.end()), send_key);
  EXPECT_EQ(V(r.mppe->recv.begin(), r.mppe->recv.end()), recv_key);

  // The wrong secret yields other keys, never the right ones.
  AuthResult bad = ReadAccessReply(reply, request, req, "other");
  EXPECT_TRUE(!bad.mppe || V(bad.mppe->send.begin(), bad.mppe->send.end()) != send_key);
}

TEST(RadiusAccess, MsChapV2AcceptWithoutSuccessIsRefused) {
  AuthRequest req = Base(AuthProto::kChapMsV2);
  RadiusPacket reply;
  reply.code = static_cast<uint8_t>(Code::kAccessAccept);
  AuthResult r = ReadAccessReply(reply, RadiusPacket{}, req, "s");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.undecided);
}

TEST(RadiusAccess, RejectChallengeAndOddCodes) {
  AuthRequest req = Base(AuthProto::kChapMsV2);
  RadiusPacket rej;
  rej.code = static_cast<uint8_t>(Code::kAccessReject);
  std::string err = "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=nope";
  V e{1};
  e.insert(e.end(), err.begin(), err.end());
  rej.AddVendor(kVendorMicrosoft, Ms(MsAttr::kChapError), e);
  rej.AddString(Attr::kReplyMessage, "go away");
  AuthResult r = ReadAccessReply(rej, RadiusPacket{}, req, "s");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.undecided);
  EXPECT_EQ(r.mschap_error, err);
  EXPECT_EQ(r.message, "go away");

  RadiusPacket ch;
  ch.code = static_cast<uint8_t>(Code::kAccessChallenge);
  ch.AddBytes(Attr::kEapMessage, V{1, 2, 0, 6, 4, 0});
  ch.AddBytes(Attr::kState, V{9, 9});
  r = ReadAccessReply(ch, RadiusPacket{}, Base(AuthProto::kEap), "s");
  EXPECT_TRUE(r.challenge);
  EXPECT_EQ(r.eap_message, (V{1, 2, 0, 6, 4, 0}));
  EXPECT_EQ(r.state, (V{9, 9}));

  RadiusPacket odd;
  odd.code = static_cast<uint8_t>(Code::kAccountingResponse);
  r = ReadAccessReply(odd, RadiusPacket{}, req, "s");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.undecided);

  RadiusPacket anyip;  // 0xFFFFFFFE: the NAS picks (RFC 2865 §5.8)
  anyip.code = static_cast<uint8_t>(Code::kAccessAccept);
  anyip.AddIpv4(Attr::kFramedIpAddress, 0xFFFFFFFE);
  r = ReadAccessReply(anyip, RadiusPacket{}, Base(AuthProto::kPap), "s");
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.framed_ip);
}

}  // namespace
}  // namespace mlppp::aaa::radius
