#include "ppp/auth/pap.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ppp/auth_fixture.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;

class PapTest : public AuthPairTest<PapAuthenticator, PapPeer> {
 protected:
  PapTest() : AuthPairTest(0xc023) {}
  void MakeAuth(AuthTiming t = {}) {
    auth_ = std::make_unique<PapAuthenticator>(loop_, ToPeer(), backend_, t, AuthDone());
  }
  void MakePeer(std::string user, std::string pw, AuthTiming t = {}) {
    peer_ = std::make_unique<PapPeer>(loop_, ToAuth(), user, pw, t, PeerDone());
  }
};

TEST(PapCodec, ParsesRequestByteVector) {
  // RFC 1334 §2.2.1: code 1, id 1, length 14, "user", "pass".
  Bytes b{0x01, 0x01, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'};
  auto p = ParsePapPacket(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 1);
  EXPECT_EQ(p->id, 1);
  EXPECT_EQ(p->peer_id, "user");
  EXPECT_EQ(p->password, "pass");
}

TEST(PapCodec, SerializesRequestByteVector) {
  PapPacket p{.code = 1, .id = 1, .peer_id = "user", .password = "pass", .message = ""};
  EXPECT_EQ(ToBytes(SerializePapPacket(p)),
            (Bytes{0x01, 0x01, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'}));
}

TEST(PapCodec, AckNakWithMessage) {
  PapPacket p{.code = 3, .id = 7, .peer_id = "", .password = "", .message = "no"};
  Bytes b = ToBytes(SerializePapPacket(p));
  EXPECT_EQ(b, (Bytes{0x03, 0x07, 0x00, 0x07, 0x02, 'n', 'o'}));
  auto q = ParsePapPacket(b);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->message, "no");
  // Length 4 Ack without Msg-Length is accepted with an empty message.
  auto short_ack = ParsePapPacket(Bytes{0x02, 0x01, 0x00, 0x04});
  ASSERT_TRUE(short_ack);
  EXPECT_EQ(short_ack->message, "");
}

TEST(PapCodec, PaddingBeyondLengthIgnored) {
  Bytes b{0x02, 0x05, 0x00, 0x06, 0x01, 'k', 0xff, 0xff};
  auto p = ParsePapPacket(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "k");
}

TEST(PapCodec, RejectsBadLengths) {
  // Length past the buffer.
  EXPECT_FALSE(ParsePapPacket(
      Bytes{0x01, 0x01, 0x00, 0x0f, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'}));
  // Length below the header.
  EXPECT_FALSE(ParsePapPacket(Bytes{0x01, 0x01, 0x00, 0x03}));
  // Peer-ID-Length runs past Length (the buffer has more, but it is padding).
  EXPECT_FALSE(ParsePapPacket(Bytes{0x01, 0x01, 0x00, 0x07, 0x04, 'u', 's', 'e', 'r', 0x00}));
  // Passwd-Length runs past the end.
  EXPECT_FALSE(ParsePapPacket(Bytes{0x01, 0x01, 0x00, 0x08, 0x01, 'u', 0x05, 'p'}));
  // Msg-Length runs past the end.
  EXPECT_FALSE(ParsePapPacket(Bytes{0x02, 0x01, 0x00, 0x06, 0x09, 'x'}));
  // Truncated header, unknown code.
  EXPECT_FALSE(ParsePapPacket(Bytes{0x01, 0x01, 0x00}));
  EXPECT_FALSE(ParsePapPacket(Bytes{0x04, 0x01, 0x00, 0x04}));
}

TEST(PapCodec, Names) {
  EXPECT_EQ(PapCodeName(1), "Authenticate-Request");
  EXPECT_EQ(PapCodeName(3), "Authenticate-Nak");
  EXPECT_EQ(PapCodeName(9), "unknown");
}

TEST_F(PapTest, BackToBackSuccess) {
  MakeAuth();
  MakePeer("user", "pass");
  auth_->Start();
  peer_->Start();
  ASSERT_EQ(to_auth_.size(), 1u);
  EXPECT_EQ(to_auth_.front(),
            (Bytes{0x01, 0x01, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'}));
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "user");
  EXPECT_EQ(auth_done_->result.framed_ip, 0x0a000002u);
  EXPECT_EQ(backend_.last().proto, aaa::AuthProto::kPap);
  EXPECT_EQ(backend_.last().pap_password, "pass");
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  // Nothing left running.
  loop_.Advance(seconds(100));
  EXPECT_EQ(auth_calls_, 1);
  EXPECT_EQ(peer_calls_, 1);
  EXPECT_TRUE(to_auth_.empty());
}

TEST_F(PapTest, WrongPasswordGetsNakWithMessage) {
  MakeAuth();
  MakePeer("user", "wrong");
  auth_->Start();
  peer_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_NE(peer_msg_.find("bad password"), std::string::npos);
  // The secret never shows up in the outcome.
  EXPECT_EQ(auth_done_->message.find("wrong"), std::string::npos);
}

TEST_F(PapTest, RepeatedRequestGetsSameVerdictWithoutBackend) {
  MakeAuth();
  auth_->Start();
  Bytes req{0x01, 0x01, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'};
  auth_->Input(req);
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_[0],
            (Bytes{0x02, 0x01, 0x00, 0x0d, 0x08, 'L', 'o', 'g', 'i', 'n', ' ', 'O', 'K'}));
  req[1] = 0x02;  // the peer's retransmission with a new Identifier
  auth_->Input(req);
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(to_peer_[1][0], 0x02);
  EXPECT_EQ(to_peer_[1][1], 0x02);
  EXPECT_EQ(backend_.calls(), 1);
  EXPECT_EQ(auth_calls_, 1);
}

TEST_F(PapTest, AsyncBackendAnswersNewestId) {
  backend_.deferred = true;
  MakeAuth();
  auth_->Start();
  Bytes req{0x01, 0x05, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'};
  auth_->Input(req);
  req[1] = 0x06;
  auth_->Input(req);
  EXPECT_TRUE(to_peer_.empty());
  EXPECT_EQ(backend_.calls(), 1);
  backend_.Release();
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_[0][1], 0x06);
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
}

TEST_F(PapTest, LateBackendAnswerAfterDestructionIsHarmless) {
  backend_.deferred = true;
  MakeAuth();
  auth_->Start();
  auth_->Input(Bytes{0x01, 0x05, 0x00, 0x0e, 0x04, 'u', 's', 'e', 'r', 0x04, 'p', 'a', 's', 's'});
  auth_.reset();
  backend_.Release();
  EXPECT_TRUE(to_peer_.empty());
  EXPECT_EQ(auth_calls_, 0);
}

TEST_F(PapTest, PeerRetransmitsThenGivesUp) {
  AuthTiming t;
  t.retry = seconds(3);
  t.max_tries = 3;
  MakePeer("user", "pass", t);
  peer_->Start();
  EXPECT_EQ(to_auth_.size(), 1u);
  loop_.Advance(seconds(3));
  EXPECT_EQ(to_auth_.size(), 2u);
  EXPECT_EQ(to_auth_[1][1], 2);  // new Identifier
  loop_.Advance(seconds(3));
  EXPECT_EQ(to_auth_.size(), 3u);
  EXPECT_FALSE(peer_ok_);
  loop_.Advance(seconds(3));
  EXPECT_EQ(to_auth_.size(), 3u);
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_NE(peer_msg_.find("no reply"), std::string::npos);
}

TEST_F(PapTest, PeerAcceptsAckAfterLostFirstRequest) {
  MakeAuth();
  MakePeer("user", "pass");
  auth_->Start();
  peer_->Start();
  to_auth_.clear();  // first request lost
  loop_.Advance(seconds(3));
  ASSERT_EQ(to_auth_.size(), 1u);
  Pump();
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(PapTest, PeerIgnoresStaleAndMalformedReplies) {
  MakePeer("user", "pass");
  peer_->Start();
  peer_->Input(Bytes{0x02, 0x09, 0x00, 0x05, 0x00});        // wrong id
  peer_->Input(Bytes{0x02, 0x01, 0x00, 0x09, 0x00});        // Length past the buffer
  peer_->Input(Bytes{0x01, 0x01, 0x00, 0x06, 0x00, 0x00});  // a request, not a reply
  EXPECT_FALSE(peer_ok_);
  EXPECT_EQ(peer_->dropped(), 3u);
  peer_->Input(Bytes{0x02, 0x01, 0x00, 0x04});
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(PapTest, AuthenticatorTimesOutAndDropsGarbage) {
  AuthTiming t;
  t.overall = seconds(10);
  MakeAuth(t);
  auth_->Start();
  auth_->Input(Bytes{0x01, 0x01, 0x00, 0x20, 0x04});
  auth_->Input(Bytes{0x02, 0x01, 0x00, 0x04});
  EXPECT_EQ(auth_->dropped(), 2u);
  EXPECT_EQ(backend_.calls(), 0);
  loop_.Advance(seconds(9));
  EXPECT_FALSE(auth_done_);
  loop_.Advance(seconds(1));
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_TRUE(to_peer_.empty());
}

TEST(AuthFactory, MakesBothRoles) {
  event::FakeLoop loop;
  FakeAuthBackend backend;
  std::deque<Bytes> sent;
  ControlSender send = CaptureInto(0xc023, &sent);
  auto a =
      MakeAuthenticator(AuthType::kPap, loop, send, backend, nullptr, {}, {}, [](AuthOutcome) {});
  auto p =
      MakeAuthPeer(AuthType::kPap, loop, send, "user", "pass", {}, {}, [](bool, std::string) {});
  ASSERT_TRUE(a);
  ASSERT_TRUE(p);
  p->Start();
  EXPECT_EQ(sent.size(), 1u);
  EXPECT_EQ(AuthTypeName(AuthType::kPap), "pap");
  EXPECT_EQ(AuthTypeName(AuthType::kChapMd5), "chap-md5");
  EXPECT_EQ(AuthTypeName(AuthType::kNone), "none");
}

}  // namespace
}  // namespace mlppp::ppp
