#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ppp/auth/chap_md5.h"
#include "ppp/auth_fixture.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;

class ChapTest : public AuthPairTest<ChapMd5Authenticator, ChapMd5Peer> {
 protected:
  ChapTest() : AuthPairTest(0xc223) {}
  void Make(std::string user, std::string pw, AuthTiming t = {}) {
    auth_ =
        std::make_unique<ChapMd5Authenticator>(loop_, ToPeer(), backend_, Counter(), t, AuthDone());
    peer_ = std::make_unique<ChapMd5Peer>(loop_, ToAuth(), user, pw, t, PeerDone());
  }
};

TEST(ChapCodec, ChallengeByteVector) {
  // RFC 1994 §4.1: code 1, id 0x22, Value-Size 2, value aa bb, name "ab".
  Bytes b{0x01, 0x22, 0x00, 0x09, 0x02, 0xaa, 0xbb, 'a', 'b'};
  auto p = ParseChapPacket(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 1);
  EXPECT_EQ(p->id, 0x22);
  EXPECT_EQ(p->value, (Bytes{0xaa, 0xbb}));
  EXPECT_EQ(p->name, "ab");
  EXPECT_EQ(ToBytes(SerializeChapPacket(*p)), b);
}

TEST(ChapCodec, SuccessFailureByteVector) {
  Bytes b{0x04, 0x03, 0x00, 0x06, 'n', 'o'};
  auto p = ParseChapPacket(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "no");
  EXPECT_EQ(ToBytes(SerializeChapPacket(*p)), b);
  auto s = ParseChapPacket(Bytes{0x03, 0x03, 0x00, 0x04, 0xee});  // one octet of padding
  ASSERT_TRUE(s);
  EXPECT_EQ(s->message, "");
}

TEST(ChapCodec, RejectsBadLengths) {
  EXPECT_FALSE(ParseChapPacket(Bytes{0x01, 0x01, 0x00, 0x0a, 0x02, 0xaa, 0xbb, 'a', 'b'}));
  EXPECT_FALSE(ParseChapPacket(Bytes{0x01, 0x01, 0x00, 0x02}));
  // Value-Size past Length.
  EXPECT_FALSE(ParseChapPacket(Bytes{0x02, 0x01, 0x00, 0x06, 0x10, 0xaa}));
  // Missing Value-Size.
  EXPECT_FALSE(ParseChapPacket(Bytes{0x02, 0x01, 0x00, 0x04}));
  EXPECT_FALSE(ParseChapPacket(Bytes{0x05, 0x01, 0x00, 0x04}));
  EXPECT_FALSE(ParseChapPacket(Bytes{0x01}));
  EXPECT_EQ(ChapCodeName(2), "Response");
  EXPECT_EQ(ChapCodeName(0), "unknown");
}

TEST_F(ChapTest, BackToBackSuccess) {
  Make("alice", "secret");
  peer_->Start();
  auth_->Start();
  ASSERT_EQ(to_peer_.size(), 1u);
  // id from the first random octet (0x10), then 16 challenge octets 0x11..0x20.
  EXPECT_EQ(to_peer_.front(),
            Cat(Cat({0x01, 0x10, 0x00, 0x1b, 0x10}, Seq(0x11, 16)), Str("mlpppd")));
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "alice");
  EXPECT_EQ(backend_.last().chap_id, 0x10);
  EXPECT_EQ(backend_.last().chap_challenge.size(), 16u);
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "CHAP: Welcome");
  loop_.Advance(seconds(100));
  EXPECT_EQ(auth_calls_, 1);
  EXPECT_EQ(peer_calls_, 1);
  EXPECT_TRUE(to_peer_.empty());
}

TEST_F(ChapTest, WrongPasswordGetsFailureWithMessage) {
  Make("alice", "guess");
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "CHAP: wrong secret");
}

TEST_F(ChapTest, PeerResponseMatchesDigest) {
  Make("alice", "secret");
  peer_->Start();
  Bytes challenge{0x01, 0x01, 0x00, 0x15, 0x10};
  for (int i = 0; i < 16; ++i) challenge.push_back(static_cast<uint8_t>(i));
  peer_->Input(challenge);
  ASSERT_EQ(to_auth_.size(), 1u);
  // Known vector from tests/aaa/chap_digest_test.cc.
  Bytes want{0x02, 0x01, 0x00, 0x1a, 0x10, 0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda, 0x3a, 0x4d,
             0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d, 'a',  'l',  'i',  'c',  'e'};
  EXPECT_EQ(to_auth_[0], want);
  // A repeated Challenge is answered again.
  peer_->Input(challenge);
  EXPECT_EQ(to_auth_.size(), 2u);
  EXPECT_EQ(to_auth_[1], want);
  EXPECT_EQ(peer_->dropped(), 0u);
  ExpectSuccessOnlyFor(0x01, 0x02);
}

TEST_F(ChapTest, ChallengeRetransmittedThenGivesUp) {
  Make("alice", "secret", RetryTiming());
  ExpectResentThenGivesUp();  // RFC 1994 §4.1: same id, same value
  EXPECT_EQ(auth_done_->message, "CHAP: no response to 3 challenges");
}

TEST_F(ChapTest, LateResponseToRetransmittedChallengeWorks) {
  Make("alice", "secret");
  peer_->Start();
  auth_->Start();
  to_peer_.clear();  // first Challenge lost
  loop_.Advance(seconds(3));
  ASSERT_EQ(to_peer_.size(), 1u);
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
}

TEST_F(ChapTest, StaleResponseDroppedAndRepeatGetsSameVerdict) {
  Make("alice", "secret");
  peer_->Start();
  auth_->Start();
  Bytes challenge = to_peer_.front();
  to_peer_.clear();
  peer_->Input(challenge);
  ASSERT_EQ(to_auth_.size(), 1u);
  Bytes response = to_auth_.front();
  to_auth_.clear();
  Bytes stale = response;
  stale[1] ^= 0xff;
  auth_->Input(stale);
  EXPECT_EQ(auth_->dropped(), 1u);
  EXPECT_TRUE(to_peer_.empty());
  auth_->Input(response);
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_[0][0], 0x03);
  EXPECT_EQ(to_peer_[0][1], 0x10);
  auth_->Input(response);  // Success lost; the peer repeats its Response
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(to_peer_[1], to_peer_[0]);
  EXPECT_EQ(backend_.calls(), 1);
  EXPECT_EQ(auth_calls_, 1);
}

TEST_F(ChapTest, ShortResponseValueFailsWithoutBackend) {
  Make("alice", "secret");
  auth_->Start();
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x07, 0x02, 0xaa, 0xbb});
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(backend_.calls(), 0);
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(to_peer_[1][0], 0x04);
}

TEST_F(ChapTest, PeerTimesOutWithoutChallenge) {
  AuthTiming t;
  t.overall = seconds(5);
  Make("alice", "secret", t);
  peer_->Start();
  peer_->Input(Bytes{0x01, 0x01, 0x00, 0x30});  // Length past the buffer
  EXPECT_EQ(peer_->dropped(), 1u);
  EXPECT_TRUE(to_auth_.empty());
  loop_.Advance(seconds(5));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
}

TEST(ChapFactory, MakesBothRoles) {
  event::FakeLoop loop;
  FakeAuthBackend backend;
  int sent = 0;
  ControlSender send = [&](uint16_t proto, Packet&&) {
    EXPECT_EQ(proto, 0xc223);
    ++sent;
  };
  auto a = MakeAuthenticator(AuthType::kChapMd5, loop, send, backend, Counter(), {}, {},
                             [](AuthOutcome) {});
  auto p = MakeAuthPeer(AuthType::kChapMd5, loop, send, "alice", "secret", {}, {},
                        [](bool, std::string) {});
  ASSERT_TRUE(a);
  ASSERT_TRUE(p);
  a->Start();
  EXPECT_EQ(sent, 1);
}

}  // namespace
}  // namespace mlppp::ppp
