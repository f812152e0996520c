// RFC 5176 Dynamic Authorization server: Disconnect-Request and CoA-Request
// handling, against a fake session table.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aaa/radius/dae.h"
#include "aaa/radius/packet.h"
#include "core/hex_bytes.h"
#include "event/fake_loop.h"

namespace mlppp::aaa::radius {
namespace {

using mlppp::testing::Hex;

constexpr const char* kPeer = "192.0.2.10";
constexpr const char* kSecret = "s3cret";
constexpr uint32_t kNasIp = 0xc0000201;  // 192.0.2.1

class FakeTarget : public DaeTarget {
 public:
  struct Session {
    std::string id, user, acct_id, multi_id;
    uint32_t ip = 0;
    uint32_t port = 0;
    std::string link;
  };

  std::vector<std::string> FindSessions(const SessionSelector& sel) override {
    last_selector = sel;
    std::vector<std::string> out;
    for (const auto& s : sessions) {
      if (sel.user_name && *sel.user_name != s.user) continue;
      if (sel.acct_session_id && *sel.acct_session_id != s.acct_id) continue;
      if (sel.acct_multi_session_id && *sel.acct_multi_session_id != s.multi_id) continue;
      if (sel.framed_ip && *sel.framed_ip != s.ip) continue;
      if (sel.nas_port && *sel.nas_port != s.port) continue;
      if (sel.mpd_link && *sel.mpd_link != s.link) continue;
      if (sel.calling_station_id || sel.called_station_id || sel.nas_port_id || sel.mpd_bundle ||
          sel.mpd_iface || sel.mpd_iface_index) {
        continue;  // not modelled: never matches
      }
      out.push_back(s.id);
    }
    return out;
  }
  void Disconnect(const std::string& session) override { disconnected.push_back(session); }
  bool ApplyCoa(const std::string& session, const CoaChanges& c) override {
    coa.emplace_back(session, c);
    return coa_ok;
  }

  std::vector<Session> sessions = {
      {"s1", "alice", "1234567-L1", "1234567-B1", 0x0a000001, 1, "L1"},
      {"s2", "bob", "1234568-L2", "1234568-B2", 0x0a000002, 2, "L2"},
      {"s3", "bob", "1234569-L3", "1234569-B3", 0x0a000003, 3, "L3"},
  };
  std::vector<std::string> disconnected;
  std::vector<std::pair<std::string, CoaChanges>> coa;
  bool coa_ok = true;
  SessionSelector last_selector;
};

class DaeTest : public ::testing::Test {
 protected:
  static DaeConfig Config() {
    DaeConfig c;
    c.peers.push_back({"198.51.100.7", "other-secret"});
    c.peers.push_back({kPeer, kSecret});
    c.nas_ip = kNasIp;
    c.nas_identifier = "mlpppd";
    return c;
  }

  static RadiusPacket Request(Code code, uint8_t id = 1) {
    RadiusPacket p;
    p.code = static_cast<uint8_t>(code);
    p.id = id;
    return p;
  }
  // Encodes `p` (computing the RFC 5176 §2.3 Request Authenticator, stored
  // back into p) and hands it to the server from `from`.
  std::optional<std::vector<uint8_t>> Send(RadiusPacket& p, const std::string& from = kPeer,
                                           std::string_view secret = kSecret) {
    auto wire = EncodeRequest(p, secret);
    EXPECT_TRUE(wire.ok());
    return server_.Handle(*wire, from);
  }
  // Checks the reply's Response Authenticator (RFC 5176 §2.3, over the
  // request's authenticator) and identifier, and parses it.
  RadiusPacket Reply(const std::optional<std::vector<uint8_t>>& wire, const RadiusPacket& req) {
    EXPECT_TRUE(wire.has_value());
    if (!wire) return {};
    EXPECT_TRUE(VerifyResponseAuthenticator(*wire, req.authenticator, kSecret));
    auto p = Parse(*wire);
    EXPECT_TRUE(p.ok());
    if (!p) return {};
    EXPECT_EQ(p->id, req.id);
    return *p;
  }
  static std::optional<uint32_t> Cause(const RadiusPacket& p) {
    return p.FindU32(Attr::kErrorCause);
  }

  event::FakeLoop loop_;
  FakeTarget target_;
  DaeServer server_{loop_, target_, Config()};
};

// A Disconnect-Request built by hand and its Disconnect-ACK, both computed
// independently with Python's hashlib: MD5(Code+Id+Length+16 zeros+
// Attributes+secret) for the request, MD5(Code+Id+Length+RequestAuth+
// secret) for the reply (RFC 5176 §2.3, RFC 2866 §3, RFC 2865 §3).
TEST_F(DaeTest, HandBuiltDisconnectByUserName) {
  auto req =
      Hex("28 07 00 1b b4 18 02 71 90 a4 d8 c6 3b ac 28 d3 3f c2 13 e1 01 07 61 6c 69 63 65");
  auto reply = server_.Handle(req, kPeer);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(*reply, Hex("29 07 00 14 e8 1e 90 85 60 53 a9 11 45 0d 5c 0d 4b 85 95 27"));
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s1"});
  EXPECT_EQ(server_.counters().acks, 1u);
  EXPECT_EQ(server_.counters().sessions_disconnected, 1u);
}

TEST_F(DaeTest, DisconnectByUserNameDisconnectsEverySessionOfTheUser) {
  auto req = Request(Code::kDisconnectRequest, 9);
  req.AddString(Attr::kUserName, "bob");
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectAck);
  EXPECT_FALSE(Cause(reply).has_value());
  EXPECT_EQ(target_.disconnected, (std::vector<std::string>{"s2", "s3"}));
}

TEST_F(DaeTest, DisconnectByAcctSessionId) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kAcctSessionId, "1234568-L2");
  EXPECT_EQ(Reply(Send(req), req).code_enum(), Code::kDisconnectAck);
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s2"});
  EXPECT_EQ(target_.last_selector.acct_session_id, "1234568-L2");
  EXPECT_FALSE(target_.last_selector.user_name.has_value());
}

TEST_F(DaeTest, DisconnectByFramedIpAddress) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddIpv4(Attr::kFramedIpAddress, 0x0a000003);
  req.AddIpv4(Attr::kNasIpAddress, kNasIp);  // ours: accepted
  EXPECT_EQ(Reply(Send(req), req).code_enum(), Code::kDisconnectAck);
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s3"});
  EXPECT_EQ(target_.last_selector.framed_ip, 0x0a000003u);
}

TEST_F(DaeTest, SelectorCarriesMpdVendorAttributesAndNasPort) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddU32(Attr::kNasPort, 2);
  req.AddVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kLink), "L2");
  EXPECT_EQ(Reply(Send(req), req).code_enum(), Code::kDisconnectAck);
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s2"});
  EXPECT_EQ(target_.last_selector.mpd_link, "L2");
  EXPECT_EQ(target_.last_selector.nas_port, 2u);
}

TEST_F(DaeTest, EveryAttributePresentMustMatch) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddIpv4(Attr::kFramedIpAddress, 0x0a000002);  // bob's address
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectNak);
  EXPECT_EQ(Cause(reply), static_cast<uint32_t>(ErrorCause::kSessionContextNotFound));
  EXPECT_TRUE(target_.disconnected.empty());
}

TEST_F(DaeTest, UnknownSessionIsNak503) {
  auto req = Request(Code::kDisconnectRequest, 42);
  req.AddString(Attr::kUserName, "mallory");
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectNak);
  EXPECT_EQ(Cause(reply), 503u);
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_EQ(server_.counters().naks, 1u);
}

TEST_F(DaeTest, UnknownClientIsIgnored) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  EXPECT_FALSE(Send(req, "203.0.113.5").has_value());
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_EQ(server_.counters().unknown_client, 1u);
  EXPECT_EQ(server_.counters().requests, 0u);
}

TEST_F(DaeTest, WrongSecretIsIgnored) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  EXPECT_FALSE(Send(req, kPeer, "not-the-secret").has_value());
  // The other peer's secret does not work from this peer's address either.
  EXPECT_FALSE(Send(req, kPeer, "other-secret").has_value());
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_EQ(server_.counters().bad_authenticator, 2u);
}

TEST_F(DaeTest, EachPeerUsesItsOwnSecret) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  auto wire = EncodeRequest(req, "other-secret");
  ASSERT_TRUE(wire.ok());
  auto reply = server_.Handle(*wire, "198.51.100.7");
  ASSERT_TRUE(reply.has_value());
  EXPECT_TRUE(VerifyResponseAuthenticator(*reply, req.authenticator, "other-secret"));
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s1"});
}

TEST(DaeAddress, Canonical) {
  EXPECT_EQ(CanonicalAddress("192.0.2.10"), "192.0.2.10");
  EXPECT_EQ(CanonicalAddress("2001:DB8:0::0:1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("::ffff:192.0.2.10"), "192.0.2.10");
  EXPECT_EQ(CanonicalAddress("not-an-address"), "not-an-address");
}

TEST_F(DaeTest, PeerAddressesCompareCanonically) {
  auto c = Config();
  c.peers.push_back({"2001:DB8::0:7", "v6-secret"});
  server_.Reconfigure(c);
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  ASSERT_TRUE(Send(req, "2001:db8::7", "v6-secret").has_value());
  auto req2 = Request(Code::kDisconnectRequest, 2);
  req2.AddString(Attr::kUserName, "alice");
  ASSERT_TRUE(Send(req2, "::ffff:192.0.2.10").has_value());
  EXPECT_EQ(target_.disconnected.size(), 2u);
}

TEST_F(DaeTest, MessageAuthenticatorVerifiedAndReplySigned) {
  auto req = Request(Code::kDisconnectRequest);
  AddMessageAuthenticator(req);
  req.AddString(Attr::kUserName, "alice");
  auto wire = Send(req);
  ASSERT_TRUE(wire.has_value());
  auto reply = Reply(wire, req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectAck);
  // RFC 5176 §3.1: the reply's Message-Authenticator is over the
  // request's authenticator.
  EXPECT_TRUE(reply.Find(Attr::kMessageAuthenticator).has_value());
  EXPECT_TRUE(VerifyMessageAuthenticator(*wire, req.authenticator, kSecret));
}

TEST_F(DaeTest, UnsignedRequestGetsUnsignedReply) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  auto reply = Reply(Send(req), req);
  EXPECT_FALSE(reply.Find(Attr::kMessageAuthenticator).has_value());
}

TEST_F(DaeTest, BadMessageAuthenticatorIsIgnored) {
  auto req = Request(Code::kDisconnectRequest);
  AddMessageAuthenticator(req);
  req.AddString(Attr::kUserName, "alice");
  auto wire = EncodeRequest(req, kSecret);
  ASSERT_TRUE(wire.ok());
  // Corrupt the Message-Authenticator (first attribute, value at 22) and
  // re-sign the Request Authenticator so only the former is wrong.
  (*wire)[22] ^= 0x01;
  SignAuthenticator(*wire, Authenticator{}, kSecret);
  ASSERT_TRUE(VerifyRequestAuthenticator(*wire, kSecret));
  EXPECT_FALSE(server_.Handle(*wire, kPeer).has_value());
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_EQ(server_.counters().bad_message_authenticator, 1u);
}

TEST_F(DaeTest, MalformedAndWrongCodeAreIgnored) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  auto wire = EncodeRequest(req, kSecret);
  ASSERT_TRUE(wire.ok());
  std::vector<uint8_t> truncated(wire->begin(), wire->end() - 1);
  EXPECT_FALSE(server_.Handle(truncated, kPeer).has_value());
  EXPECT_EQ(server_.counters().malformed, 1u);

  auto acct = Request(Code::kAccountingRequest);
  acct.AddString(Attr::kUserName, "alice");
  EXPECT_FALSE(Send(acct).has_value());
  EXPECT_EQ(server_.counters().bad_code, 1u);
  EXPECT_TRUE(target_.disconnected.empty());
}

TEST_F(DaeTest, DisabledCoaIsNak501) {
  auto c = Config();
  c.coa = false;
  server_.Reconfigure(c);
  auto req = Request(Code::kCoaRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddU32(Attr::kSessionTimeout, 60);
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kCoaNak);
  EXPECT_EQ(Cause(reply), static_cast<uint32_t>(ErrorCause::kAdministrativelyProhibited));
  EXPECT_TRUE(target_.coa.empty());
}

TEST_F(DaeTest, DisabledDisconnectIsNak501) {
  auto c = Config();
  c.disconnect = false;
  server_.Reconfigure(c);
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectNak);
  EXPECT_EQ(Cause(reply), 501u);
  EXPECT_TRUE(target_.disconnected.empty());
}

TEST_F(DaeTest, CoaAppliesSessionTimeoutAndFriends) {
  auto req = Request(Code::kCoaRequest, 77);
  req.AddString(Attr::kAcctSessionId, "1234567-L1");
  req.AddU32(Attr::kSessionTimeout, 3600);
  req.AddU32(Attr::kAcctInterimInterval, 300);
  req.AddString(Attr::kClass, "gold");
  req.AddString(Attr::kState, "st");
  req.AddVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kRule),
                      "1=pipe %1 ip from any to any");
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kCoaAck);
  ASSERT_EQ(target_.coa.size(), 1u);
  EXPECT_EQ(target_.coa[0].first, "s1");
  const CoaChanges& c = target_.coa[0].second;
  EXPECT_EQ(c.session_timeout, 3600u);
  EXPECT_EQ(c.acct_interim, 300u);
  EXPECT_FALSE(c.idle_timeout.has_value());
  ASSERT_EQ(c.classes.size(), 1u);
  EXPECT_EQ(c.classes[0], (std::vector<uint8_t>{'g', 'o', 'l', 'd'}));
  EXPECT_EQ(c.state, (std::vector<uint8_t>{'s', 't'}));
  ASSERT_EQ(c.mpd_acl.size(), 1u);
  EXPECT_EQ(c.mpd_acl[0].first, MpdAttr::kRule);
  EXPECT_EQ(c.mpd_acl[0].second, "1=pipe %1 ip from any to any");
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_EQ(server_.counters().sessions_changed, 1u);
}

TEST_F(DaeTest, CoaRefusedByTargetIsNak506) {
  target_.coa_ok = false;
  auto req = Request(Code::kCoaRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddU32(Attr::kIdleTimeout, 600);
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kCoaNak);
  EXPECT_EQ(Cause(reply), static_cast<uint32_t>(ErrorCause::kResourcesUnavailable));
  ASSERT_EQ(target_.coa.size(), 1u);
  EXPECT_EQ(target_.coa[0].second.idle_timeout, 600u);
}

TEST_F(DaeTest, NasIdentificationMismatchIsNak403) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddIpv4(Attr::kNasIpAddress, 0xc0000202);
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(Cause(reply), static_cast<uint32_t>(ErrorCause::kNasIdentificationMismatch));

  auto req2 = Request(Code::kCoaRequest, 2);
  req2.AddString(Attr::kUserName, "alice");
  req2.AddString(Attr::kNasIdentifier, "someone-else");
  auto reply2 = Reply(Send(req2), req2);
  EXPECT_EQ(reply2.code_enum(), Code::kCoaNak);
  EXPECT_EQ(Cause(reply2), 403u);
  EXPECT_TRUE(target_.disconnected.empty());
  EXPECT_TRUE(target_.coa.empty());
}

TEST_F(DaeTest, NoSessionIdentificationIsNak402) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddIpv4(Attr::kNasIpAddress, kNasIp);
  req.AddString(Attr::kNasIdentifier, "mlpppd");
  auto reply = Reply(Send(req), req);
  EXPECT_EQ(reply.code_enum(), Code::kDisconnectNak);
  EXPECT_EQ(Cause(reply), static_cast<uint32_t>(ErrorCause::kMissingAttribute));
}

TEST_F(DaeTest, UnsupportedAttributesInDisconnectAreNak401) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddU32(Attr::kServiceType, static_cast<uint32_t>(ServiceType::kFramed));
  EXPECT_EQ(Cause(Reply(Send(req), req)), static_cast<uint32_t>(ErrorCause::kUnsupportedAttribute));

  // An authorization change belongs in a CoA-Request, not a Disconnect.
  auto req2 = Request(Code::kDisconnectRequest, 2);
  req2.AddString(Attr::kUserName, "alice");
  req2.AddU32(Attr::kSessionTimeout, 10);
  EXPECT_EQ(Cause(Reply(Send(req2), req2)), 401u);

  // A vendor we do not know.
  auto req3 = Request(Code::kDisconnectRequest, 3);
  req3.AddString(Attr::kUserName, "alice");
  req3.AddVendorString(9, 1, "cisco-avpair");
  EXPECT_EQ(Cause(Reply(Send(req3), req3)), 401u);
  EXPECT_TRUE(target_.disconnected.empty());
}

TEST_F(DaeTest, AuthorizeOnlyIsUnsupportedService) {
  auto req = Request(Code::kCoaRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddU32(Attr::kServiceType, static_cast<uint32_t>(ServiceType::kAuthenticateOnly));
  EXPECT_EQ(Cause(Reply(Send(req), req)), static_cast<uint32_t>(ErrorCause::kUnsupportedService));
  EXPECT_TRUE(target_.coa.empty());
}

TEST_F(DaeTest, BadValuesAndRepeatsAreRefused) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddBytes(Attr::kFramedIpAddress, std::vector<uint8_t>{10, 0, 0});
  EXPECT_EQ(Cause(Reply(Send(req), req)),
            static_cast<uint32_t>(ErrorCause::kInvalidAttributeValue));

  auto req2 = Request(Code::kDisconnectRequest, 2);
  req2.AddString(Attr::kUserName, "alice");
  req2.AddString(Attr::kUserName, "bob");
  EXPECT_EQ(Cause(Reply(Send(req2), req2)), static_cast<uint32_t>(ErrorCause::kInvalidRequest));
  EXPECT_TRUE(target_.disconnected.empty());
}

TEST_F(DaeTest, ProxyStateIsEchoedInOrder) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "nobody");
  req.AddString(Attr::kProxyState, "one");
  req.AddString(Attr::kProxyState, "two");
  auto reply = Reply(Send(req), req);
  auto ps = reply.FindAll(Attr::kProxyState);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(std::string(ps[0].begin(), ps[0].end()), "one");
  EXPECT_EQ(std::string(ps[1].begin(), ps[1].end()), "two");
}

TEST_F(DaeTest, RetransmissionGetsTheSameReplyWithoutActingTwice) {
  auto req = Request(Code::kDisconnectRequest, 5);
  req.AddString(Attr::kUserName, "alice");
  auto wire = EncodeRequest(req, kSecret);
  ASSERT_TRUE(wire.ok());
  auto first = server_.Handle(*wire, kPeer);
  ASSERT_TRUE(first.has_value());
  loop_.Advance(std::chrono::seconds(2));
  auto second = server_.Handle(*wire, kPeer);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(target_.disconnected.size(), 1u);
  EXPECT_EQ(server_.counters().duplicates, 1u);

  // After the duplicate window it is a new request.
  loop_.Advance(DaeServer::kDuplicateWindow + std::chrono::seconds(1));
  ASSERT_TRUE(server_.Handle(*wire, kPeer).has_value());
  EXPECT_EQ(target_.disconnected.size(), 2u);

  // Same Identifier, different request: acted on.
  auto other = Request(Code::kDisconnectRequest, 5);
  other.AddString(Attr::kUserName, "bob");
  ASSERT_TRUE(Send(other).has_value());
  EXPECT_EQ(target_.disconnected.size(), 4u);
}

TEST_F(DaeTest, StaleEventTimestampIsIgnored) {
  auto c = Config();
  c.wall_clock = [] { return int64_t{1700000000}; };
  server_.Reconfigure(c);
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  req.AddU32(Attr::kEventTimestamp, 1700000000 - 301);
  EXPECT_FALSE(Send(req).has_value());
  EXPECT_EQ(server_.counters().stale_timestamp, 1u);

  auto fresh = Request(Code::kDisconnectRequest, 2);
  fresh.AddString(Attr::kUserName, "alice");
  fresh.AddU32(Attr::kEventTimestamp, 1700000000 - 10);
  EXPECT_EQ(Reply(Send(fresh), fresh).code_enum(), Code::kDisconnectAck);
  EXPECT_EQ(target_.disconnected, std::vector<std::string>{"s1"});
}

TEST_F(DaeTest, TrailingPaddingIsIgnored) {
  auto req = Request(Code::kDisconnectRequest);
  req.AddString(Attr::kUserName, "alice");
  auto wire = EncodeRequest(req, kSecret);
  ASSERT_TRUE(wire.ok());
  wire->insert(wire->end(), {0, 0, 0});  // RFC 2865 §3: octets past Length
  EXPECT_EQ(Reply(server_.Handle(*wire, kPeer), req).code_enum(), Code::kDisconnectAck);
}

}  // namespace
}  // namespace mlppp::aaa::radius
