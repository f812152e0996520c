#include "ppp/auth/eap.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aaa/chap_digest.h"
#include "ppp/auth_fixture.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;

// Known MD5 vector from tests/aaa/chap_digest_test.cc: id 1, "secret",
// challenge 00..0f.
const Bytes kDigest{0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda, 0x3a, 0x4d,
                    0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d};

// ---------------------------------------------------------------------------
// Codec (RFC 3748 §4, §5.4), byte vectors checked by hand.

TEST(EapCodec, IdentityRequestAndResponse) {
  Bytes req{0x01, 0x10, 0x00, 0x05, 0x01};
  auto p = ParseEapPacket(req);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 1);
  EXPECT_EQ(p->id, 0x10);
  EXPECT_EQ(p->type, 1);
  EXPECT_TRUE(p->data.empty());
  EXPECT_EQ(SerializeEapBytes(*p), req);

  // Length 10 = header 4 + Type 1 + "alice" 5.
  Bytes resp{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'};
  EapPacket want{2, 0x10, 1, Str("alice")};
  auto r = ParseEapPacket(resp);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, want);
  EXPECT_EQ(ToBytes(SerializeEapPacket(want)), resp);
}

TEST(EapCodec, Md5ChallengeAndResponse) {
  // Request id 1, Type 4, Value-Size 16, value 00..0f, no Name: Length 22.
  Bytes req = Cat({0x01, 0x01, 0x00, 0x16, 0x04, 0x10}, Seq(0, 16));
  auto p = ParseEapPacket(req);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, 4);
  auto md5 = ParseEapMd5Data(p->data);
  ASSERT_TRUE(md5);
  EXPECT_EQ(md5->value, Seq(0, 16));
  EXPECT_EQ(md5->name, "");
  EXPECT_EQ(SerializeEapMd5Data(*md5), p->data);

  // Value-Size 2, value aa bb, Name "x".
  auto d = ParseEapMd5Data(Bytes{0x02, 0xaa, 0xbb, 'x'});
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, (EapMd5Data{{0xaa, 0xbb}, "x"}));
  EXPECT_EQ(SerializeEapMd5Data(*d), (Bytes{0x02, 0xaa, 0xbb, 'x'}));
  EXPECT_FALSE(ParseEapMd5Data(Bytes{0x05, 0xaa}));  // Value-Size past the data
  EXPECT_FALSE(ParseEapMd5Data(Bytes{}));            // no Value-Size
}

TEST(EapCodec, SuccessFailureAndPadding) {
  auto s = ParseEapPacket(Bytes{0x03, 0x07, 0x00, 0x04, 0xee, 0xee});  // 2 octets of padding
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, (EapPacket{3, 7, 0, {}}));
  EXPECT_EQ(SerializeEapBytes(*s), (Bytes{0x03, 0x07, 0x00, 0x04}));
  EXPECT_EQ(SerializeEapBytes(EapPacket{4, 9, 0, {}}), (Bytes{0x04, 0x09, 0x00, 0x04}));
  // Padding after a Response is not Type-Data.
  auto n = ParseEapPacket(Bytes{0x02, 0x11, 0x00, 0x06, 0x03, 0x0d, 0x00, 0x00});
  ASSERT_TRUE(n);
  EXPECT_EQ(n->type, 3);
  EXPECT_EQ(n->data, (Bytes{0x0d}));
}

TEST(EapCodec, RejectsMalformed) {
  EXPECT_FALSE(ParseEapPacket(Bytes{0x01, 0x01, 0x00, 0x04}));        // Request without Type
  EXPECT_FALSE(ParseEapPacket(Bytes{0x02, 0x01, 0x00, 0x04, 0x01}));  // Type outside Length
  EXPECT_FALSE(ParseEapPacket(Bytes{0x01, 0x01, 0x00, 0x06, 0x01}));  // Length past buffer
  EXPECT_FALSE(ParseEapPacket(Bytes{0x03, 0x01, 0x00, 0x03}));        // Length below 4
  EXPECT_FALSE(ParseEapPacket(Bytes{0x05, 0x01, 0x00, 0x04}));        // unknown code
  EXPECT_FALSE(ParseEapPacket(Bytes{0x03, 0x01, 0x00}));
  EXPECT_FALSE(ParseEapPacket(Bytes{}));
}

TEST(EapCodec, Names) {
  EXPECT_EQ(EapCodeName(1), "Request");
  EXPECT_EQ(EapCodeName(4), "Failure");
  EXPECT_EQ(EapCodeName(0), "unknown");
  EXPECT_EQ(EapTypeName(1), "Identity");
  EXPECT_EQ(EapTypeName(3), "Nak");
  EXPECT_EQ(EapTypeName(4), "MD5-Challenge");
  EXPECT_EQ(EapTypeName(25), "PEAP");
  EXPECT_EQ(EapTypeName(200), "unknown");
}

// ---------------------------------------------------------------------------
// Both roles on a fake loop.

class EapTest : public AuthPairTest<EapAuthenticator, EapPeer> {
 protected:
  EapTest() : AuthPairTest(0xc227) {}
  void Make(std::string user, std::string pw, AuthTiming t = {}, EapOptions o = {}) {
    auth_ =
        std::make_unique<EapAuthenticator>(loop_, ToPeer(), backend_, Counter(), t, o, AuthDone());
    peer_ = std::make_unique<EapPeer>(loop_, ToAuth(), user, pw, t, PeerDone());
  }
};

TEST_F(EapTest, Md5Success) {
  Make("alice", "secret");
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_EQ(seen_by_peer_.size(), 3u);
  // Identity Request with the first random octet as id.
  EXPECT_EQ(seen_by_peer_[0], (Bytes{0x01, 0x10, 0x00, 0x05, 0x01}));
  // MD5-Challenge: id + 1, 16 random octets 0x11..0x20, empty Name.
  EXPECT_EQ(seen_by_peer_[1], Cat({0x01, 0x11, 0x00, 0x16, 0x04, 0x10}, Seq(0x11, 16)));
  EXPECT_EQ(seen_by_peer_[2], (Bytes{0x03, 0x11, 0x00, 0x04}));  // Success, last id
  ASSERT_EQ(seen_by_auth_.size(), 2u);
  EXPECT_EQ(seen_by_auth_[0], (Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'}));
  ASSERT_EQ(backend_.requests.size(), 1u);
  const auto& req = backend_.requests[0];
  EXPECT_EQ(req.proto, aaa::AuthProto::kChapMd5);
  EXPECT_EQ(req.user, "alice");
  EXPECT_EQ(req.chap_id, 0x11);
  EXPECT_EQ(req.chap_challenge, Seq(0x11, 16));
  auto want = aaa::ChapMd5Response(0x11, "secret", Seq(0x11, 16));
  EXPECT_EQ(req.chap_response, Bytes(want.begin(), want.end()));
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "alice");
  EXPECT_EQ(auth_done_->message, "EAP-MD5: Welcome");
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  loop_.Advance(seconds(100));
  EXPECT_EQ(auth_calls_, 1);
  EXPECT_EQ(peer_calls_, 1);
  EXPECT_TRUE(to_peer_.empty());
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(EapTest, WrongPasswordFails) {
  Make("alice", "guess");
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "alice");
  EXPECT_EQ(seen_by_peer_.back(), (Bytes{0x04, 0x11, 0x00, 0x04}));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
}

TEST_F(EapTest, NakOfMd5Fails) {
  Make("alice", "secret");
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'});
  ASSERT_EQ(to_peer_.size(), 2u);
  // Legacy Nak (RFC 3748 §5.3.1) wanting TLS (13).
  auth_->Input(Bytes{0x02, 0x11, 0x00, 0x06, 0x03, 0x0d});
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_NE(auth_done_->message.find("TLS(13)"), std::string::npos);
  ASSERT_EQ(to_peer_.size(), 3u);
  EXPECT_EQ(to_peer_[2], (Bytes{0x04, 0x11, 0x00, 0x04}));
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(EapTest, Md5DisabledFailsAfterIdentity) {
  EapOptions o;
  o.md5 = false;
  Make("alice", "secret", {}, o);
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(seen_by_peer_.back(), (Bytes{0x04, 0x10, 0x00, 0x04}));
  EXPECT_TRUE(backend_.requests.empty());
}

TEST_F(EapTest, ShortMd5ValueFailsWithoutBackend) {
  Make("alice", "secret");
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x05, 0x01});  // empty identity
  auth_->Input(Bytes{0x02, 0x11, 0x00, 0x08, 0x04, 0x02, 0xaa, 0xbb});
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_TRUE(backend_.requests.empty());
  EXPECT_EQ(to_peer_.back(), (Bytes{0x04, 0x11, 0x00, 0x04}));
}

TEST_F(EapTest, PeerMd5VectorAndRepeatedRequest) {
  Make("alice", "secret");
  peer_->Start();
  Bytes challenge = Cat({0x01, 0x01, 0x00, 0x16, 0x04, 0x10}, Seq(0, 16));
  peer_->Input(challenge);
  // Length 27 = 4 + Type + Value-Size + 16 + "alice".
  Bytes want = Cat(Cat({0x02, 0x01, 0x00, 0x1b, 0x04, 0x10}, kDigest), Str("alice"));
  ASSERT_EQ(to_auth_.size(), 1u);
  EXPECT_EQ(to_auth_[0], want);
  peer_->Input(challenge);  // retransmitted: same Response
  ASSERT_EQ(to_auth_.size(), 2u);
  EXPECT_EQ(to_auth_[1], want);
  EXPECT_EQ(peer_->dropped(), 0u);
  ExpectSuccessOnlyFor(0x01, 0x05);
}

TEST_F(EapTest, PeerAcceptsPppdSuccessWithNextId) {
  // Debian's pppd sends Success with our Response's Identifier plus one
  // (RFC 2284 practice); seen in tests/interop/test_auth_pppd_server.sh.
  Make("alice", "secret");
  peer_->Start();
  peer_->Input(Cat({0x01, 0x7d, 0x00, 0x16, 0x04, 0x10}, Seq(0, 16)));
  ASSERT_EQ(to_auth_.size(), 1u);
  peer_->Input(Bytes{0x03, 0x7e, 0x00, 0x04});
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(EapTest, PeerAnswersIdentityNotificationAndNaksOthers) {
  Make("bob", "pw");
  peer_->Start();
  peer_->Input(Bytes{0x01, 0x05, 0x00, 0x08, 0x01, 'h', 'i', 0x00});  // display text
  peer_->Input(Bytes{0x01, 0x06, 0x00, 0x07, 0x02, 'o', 'k'});
  peer_->Input(Bytes{0x01, 0x07, 0x00, 0x06, 0x0d, 0x20});                 // TLS start
  peer_->Input(Bytes{0x01, 0x08, 0x00, 0x0c, 0xfe, 0, 0, 9, 0, 0, 0, 1});  // Expanded
  peer_->Input(Bytes{0x01, 0x09, 0x00, 0x06, 0x03, 0x04});  // Nak in a Request: invalid
  peer_->Input(Bytes{0x02, 0x0a, 0x00, 0x05, 0x01});        // a Response: not for us
  ASSERT_EQ(to_auth_.size(), 4u);
  EXPECT_EQ(to_auth_[0], (Bytes{0x02, 0x05, 0x00, 0x08, 0x01, 'b', 'o', 'b'}));
  EXPECT_EQ(to_auth_[1], (Bytes{0x02, 0x06, 0x00, 0x05, 0x02}));
  EXPECT_EQ(to_auth_[2], (Bytes{0x02, 0x07, 0x00, 0x06, 0x03, 0x04}));  // legacy Nak: MD5
  // Expanded Nak (RFC 3748 §5.3.2): 254, Vendor-Id 0, Vendor-Type 3, then
  // 254, 0, 4 (MD5). Length 4 + 1 + 7 + 8 = 20.
  EXPECT_EQ(to_auth_[3],
            (Bytes{0x02, 0x08, 0x00, 0x14, 0xfe, 0, 0, 0, 0, 0, 0, 3, 0xfe, 0, 0, 0, 0, 0, 0, 4}));
  EXPECT_EQ(peer_->dropped(), 2u);
  EXPECT_FALSE(peer_ok_);
}

TEST_F(EapTest, PeerTimesOutAndDropsEarlyFailure) {
  AuthTiming t;
  t.overall = seconds(5);
  Make("alice", "secret", t);
  peer_->Start();
  peer_->Input(Bytes{0x04, 0x01, 0x00, 0x04});  // Failure before any Response
  EXPECT_FALSE(peer_ok_);
  EXPECT_EQ(peer_->dropped(), 1u);
  loop_.Advance(seconds(5));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "EAP: authentication timeout");
}

TEST_F(EapTest, RequestRetransmittedThenGivesUp) {
  Make("alice", "secret", RetryTiming());
  ExpectResentThenGivesUp();  // RFC 3748 §4.1: the same Identifier each time
}

TEST_F(EapTest, ChallengeRetransmittedAndLateAnswerWorks) {
  Make("alice", "secret");
  peer_->Start();
  auth_->Start();
  peer_->Input(to_peer_.front());
  to_peer_.clear();
  auth_->Input(to_auth_.front());
  to_auth_.clear();
  ASSERT_EQ(to_peer_.size(), 1u);
  Bytes challenge = to_peer_.front();
  to_peer_.clear();  // the MD5-Challenge is lost
  loop_.Advance(seconds(3));
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_.front(), challenge);
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
}

TEST_F(EapTest, OverallTimeoutWhileBackendThinks) {
  AuthTiming t;
  t.overall = seconds(10);
  Make("alice", "secret", t);
  backend_.deferred = true;
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_EQ(backend_.pending.size(), 1u);
  EXPECT_FALSE(auth_done_);
  loop_.Advance(seconds(10));
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  size_t sent = seen_by_peer_.size();
  backend_.pending[0]();  // a late verdict changes nothing
  EXPECT_EQ(auth_calls_, 1);
  EXPECT_TRUE(to_peer_.empty());
  EXPECT_EQ(seen_by_peer_.size(), sent);
}

TEST_F(EapTest, WrongIdAndMalformedIgnoredDuplicatesNotRequeried) {
  Make("alice", "secret");
  backend_.deferred = true;
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x33, 0x00, 0x05, 0x01});        // wrong id
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x30, 0x01});        // Length past buffer
  auth_->Input(Bytes{0x01, 0x10, 0x00, 0x05, 0x01});        // a Request
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x06, 0x04, 0x00});  // MD5 answer to Identity
  EXPECT_EQ(auth_->dropped(), 4u);
  EXPECT_EQ(to_peer_.size(), 1u);
  Bytes identity{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'};
  auth_->Input(identity);
  auth_->Input(identity);  // duplicate: stale now, the challenge is not sent twice
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(auth_->dropped(), 5u);
  Bytes challenge = to_peer_.back();
  Bytes mdata(challenge.begin() + 6, challenge.end());
  auto digest = aaa::ChapMd5Response(0x11, "secret", mdata);
  Bytes resp = Cat(Cat({0x02, 0x11, 0x00, 0x1b, 0x04, 0x10}, Bytes(digest.begin(), digest.end())),
                   Str("alice"));
  auth_->Input(Bytes{0x02, 0x11, 0x00, 0x07, 0x04, 0x05, 0x00});  // Value-Size past data
  EXPECT_EQ(auth_->dropped(), 6u);
  auth_->Input(resp);
  auth_->Input(resp);  // duplicate while the back end is asked
  EXPECT_EQ(backend_.requests.size(), 1u);
  EXPECT_EQ(auth_->backend_queries(), 1u);
  ASSERT_EQ(backend_.pending.size(), 1u);
  backend_.pending[0]();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(to_peer_.back(), (Bytes{0x03, 0x11, 0x00, 0x04}));
  auth_->Input(resp);  // after the verdict: dropped, not re-asked
  EXPECT_EQ(backend_.requests.size(), 1u);
  EXPECT_EQ(auth_calls_, 1);
}

TEST_F(EapTest, BackendAnswerAfterDestructionIgnored) {
  Make("alice", "secret");
  backend_.deferred = true;
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_EQ(backend_.pending.size(), 1u);
  auth_.reset();
  backend_.pending[0]();  // must not touch the freed authenticator
  EXPECT_EQ(auth_calls_, 0);
}

// radius-proxy: a scripted server answers the Identity with an
// Access-Challenge carrying its own MD5 Request (id 0x42) and a State, then
// accepts with an EAP Success.
TEST_F(EapTest, ProxyChallengeThenAccept) {
  EapOptions o;
  o.radius_proxy = true;
  Make("alice", "secret", {}, o);
  Bytes server_req = Cat({0x01, 0x42, 0x00, 0x19, 0x04, 0x10}, Cat(Seq(0, 16), Str("srv")));
  aaa::AuthResult c;
  c.challenge = true;
  c.eap_message = server_req;
  c.state = Str("S1");
  aaa::AuthResult a;
  a.ok = true;
  a.eap_message = {0x03, 0x42, 0x00, 0x04};
  a.framed_ip = 0x0a000002;
  backend_.proxy_answers = {c, a};
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_EQ(backend_.requests.size(), 2u);
  const auto& r1 = backend_.requests[0];
  EXPECT_EQ(r1.proto, aaa::AuthProto::kEap);
  EXPECT_EQ(r1.user, "alice");
  EXPECT_EQ(r1.eap_message, (Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'}));
  EXPECT_TRUE(r1.state.empty());
  const auto& r2 = backend_.requests[1];
  EXPECT_EQ(r2.proto, aaa::AuthProto::kEap);
  EXPECT_EQ(r2.user, "alice");
  // The peer's MD5 answer to the server's Request, byte for byte.
  Bytes peer_resp = Cat(Cat({0x02, 0x42, 0x00, 0x1b, 0x04, 0x10},
                            [] {
                              auto d = aaa::ChapMd5Response(0x42, "secret", Seq(0, 16));
                              return Bytes(d.begin(), d.end());
                            }()),
                        Str("alice"));
  EXPECT_EQ(r2.eap_message, peer_resp);
  EXPECT_EQ(r2.state, Str("S1"));  // State round trip (RFC 3579 §2.1)
  ASSERT_EQ(seen_by_peer_.size(), 3u);
  EXPECT_EQ(seen_by_peer_[1], server_req);  // forwarded verbatim
  EXPECT_EQ(seen_by_peer_[2], (Bytes{0x03, 0x42, 0x00, 0x04}));
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "alice");
  EXPECT_EQ(auth_done_->result.framed_ip, 0x0a000002u);
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(EapTest, ProxyRequestsRetransmittedWithServerId) {
  EapOptions o;
  o.radius_proxy = true;
  Make("alice", "secret", {}, o);
  Bytes server_req{0x01, 0x77, 0x00, 0x06, 0x0d, 0x20};  // TLS start
  aaa::AuthResult c;
  c.challenge = true;
  c.eap_message = server_req;
  backend_.proxy_answers = {c};
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'});
  ASSERT_EQ(to_peer_.back(), server_req);
  loop_.Advance(seconds(3));
  EXPECT_EQ(to_peer_.back(), server_req);
  EXPECT_EQ(to_peer_.size(), 3u);
  // The Nak to the server's Request goes to the server too (not judged here),
  // and an answer with the old id is stale.
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x05, 0x01});
  EXPECT_EQ(backend_.requests.size(), 1u);
  auth_->Input(Bytes{0x02, 0x77, 0x00, 0x06, 0x03, 0x04});
  ASSERT_EQ(backend_.requests.size(), 2u);
  EXPECT_EQ(backend_.requests[1].eap_message, (Bytes{0x02, 0x77, 0x00, 0x06, 0x03, 0x04}));
  // No scripted answer left: a reject; we build the Failure with id 0x77.
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(to_peer_.back(), (Bytes{0x04, 0x77, 0x00, 0x04}));
}

TEST_F(EapTest, ProxyAcceptWithoutSuccessAndBadChallenge) {
  EapOptions o;
  o.radius_proxy = true;
  Make("alice", "secret", {}, o);
  aaa::AuthResult a;
  a.ok = true;  // no EAP-Message: we build the Success
  backend_.proxy_answers = {a};
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'});
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(to_peer_.back(), (Bytes{0x03, 0x10, 0x00, 0x04}));

  to_peer_.clear();
  auth_done_.reset();
  Make("alice", "secret", {}, o);
  aaa::AuthResult c;
  c.challenge = true;
  c.eap_message = {0x03, 0x10, 0x00, 0x04};  // not a Request
  backend_.proxy_answers = {c};
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'});
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(to_peer_.back(), (Bytes{0x04, 0x10, 0x00, 0x04}));
}

TEST(EapFactory, MakesBothRoles) {
  event::FakeLoop loop;
  FakeAuthBackend backend;
  int sent = 0;
  ControlSender send = [&](uint16_t proto, Packet&&) {
    EXPECT_EQ(proto, 0xc227);
    ++sent;
  };
  EapOptions proxy;
  proxy.radius_proxy = true;
  auto a = MakeAuthenticator(AuthType::kEap, loop, send, backend, Counter(), {}, proxy,
                             [](AuthOutcome) {});
  auto p =
      MakeAuthPeer(AuthType::kEap, loop, send, "alice", "secret", {}, {}, [](bool, std::string) {});
  ASSERT_NE(dynamic_cast<EapAuthenticator*>(a.get()), nullptr);
  ASSERT_NE(dynamic_cast<EapPeer*>(p.get()), nullptr);
  a->Start();
  EXPECT_EQ(sent, 1);
  // The options reach the authenticator: in radius-proxy mode the Identity
  // Response goes to the back end as kEap (RFC 3579 §2.1), not as local MD5.
  a->Input(Bytes{0x02, 0x10, 0x00, 0x0a, 0x01, 'a', 'l', 'i', 'c', 'e'});
  ASSERT_EQ(backend.requests.size(), 1u);
  EXPECT_EQ(backend.requests[0].proto, aaa::AuthProto::kEap);
}

}  // namespace
}  // namespace mlppp::ppp
