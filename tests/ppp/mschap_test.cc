#include "ppp/auth/mschap.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "aaa/mschap.h"
#include "core/hex_bytes.h"
#include "ppp/auth_fixture.h"

namespace mlppp::ppp {
namespace {

using std::chrono::seconds;

using mlppp::testing::Hex;

std::string H(std::span<const uint8_t> b) { return aaa::HexUpper(b); }

// Fills with a fixed pattern (repeated): the RFC 2759 §9.2 Peer-Challenge.
RandomFill Fixed(Bytes pattern) {
  return [pattern](std::span<uint8_t> out) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = pattern[i % pattern.size()];
  };
}

// A CHAP packet from its parts (RFC 1994 §4).
Bytes Chap(uint8_t code, uint8_t id, const Bytes& body) {
  Bytes b{code, id, 0, 0};
  b.insert(b.end(), body.begin(), body.end());
  b[2] = static_cast<uint8_t>(b.size() >> 8);
  b[3] = static_cast<uint8_t>(b.size());
  return b;
}
Bytes Challenge(uint8_t id, const Bytes& value, std::string_view name = "srv") {
  Bytes body{static_cast<uint8_t>(value.size())};
  body.insert(body.end(), value.begin(), value.end());
  body.insert(body.end(), name.begin(), name.end());
  return Chap(1, id, body);
}
Bytes Message(uint8_t code, uint8_t id, std::string_view text) {
  return Chap(code, id, Bytes(text.begin(), text.end()));
}

const Bytes kAuthChallenge = Hex("5B5D7C7D7B3F2F3E3C2C602132262628");
const Bytes kPeerChallenge = Hex("21402324255E262A28295F2B3A337C7E");

class MsChapTest : public AuthPairTest<MsChapAuthenticator, MsChapPeer> {
 protected:
  MsChapTest() : AuthPairTest(0xc223) {}
  void Make(MsChapVersion v, std::string user, std::string pw, AuthTiming t = {},
            RandomFill peer_random = Counter(0x80)) {
    auth_ = std::make_unique<MsChapAuthenticator>(v, loop_, ToPeer(), backend_, Counter(), t,
                                                  AuthDone());
    peer_ = std::make_unique<MsChapPeer>(v, loop_, ToAuth(), user, pw, std::move(peer_random), t,
                                         PeerDone());
  }
  // Text of a Success/Failure packet.
  static std::string Text(const Bytes& b) { return std::string(b.begin() + 4, b.end()); }
};

TEST(MsChapNames, Codes) {
  EXPECT_EQ(MsChapCodeName(7), "Change-Password");
  EXPECT_EQ(MsChapCodeName(3), "Success");
  EXPECT_EQ(MsChapCodeName(9), "unknown");
  EXPECT_EQ(MsChapVersionName(MsChapVersion::kV1), "MS-CHAPv1");
}

TEST_F(MsChapTest, V2BackToBackSuccess) {
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  auth_->Start();
  ASSERT_EQ(to_peer_.size(), 1u);
  // RFC 2759 §3: code 1, id 0x10 (first random octet), Length 27,
  // Value-Size 16, value 0x11..0x20, Name "mlpppd".
  EXPECT_EQ(to_peer_.front(),
            Cat(Cat({0x01, 0x10, 0x00, 0x1b, 0x10}, Seq(0x11, 16)), Str("mlpppd")));
  peer_->Input(to_peer_.front());
  to_peer_.pop_front();
  ASSERT_EQ(to_auth_.size(), 1u);
  // Response: 4 + 1 + 49 + "alice".
  EXPECT_EQ(to_auth_.front().size(), 59u);
  EXPECT_EQ(to_auth_.front()[4], 49);
  auth_->Input(to_auth_.front());
  to_auth_.pop_front();
  ASSERT_EQ(to_peer_.size(), 1u);
  std::string success = Text(to_peer_.front());
  EXPECT_EQ(to_peer_.front()[0], 3);
  EXPECT_EQ(success.substr(0, 2), "S=");
  EXPECT_EQ(success.substr(42), " M=Welcome");
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "alice");
  EXPECT_EQ(backend_.last().proto, aaa::AuthProto::kChapMsV2);
  EXPECT_EQ(backend_.last().chap_challenge.size(), 16u);
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "MS-CHAPv2: Welcome");
  // RFC 3079 §3.3: each side's send key is the other's receive key.
  ASSERT_TRUE(auth_done_->result.mppe);
  auto peer_keys = peer_->mppe_keys();
  ASSERT_TRUE(peer_keys);
  EXPECT_EQ(peer_keys->send, auth_done_->result.mppe->recv);
  EXPECT_EQ(peer_keys->recv, auth_done_->result.mppe->send);
  EXPECT_NE(peer_keys->send, peer_keys->recv);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(MsChapTest, V1BackToBackSuccess) {
  Make(MsChapVersion::kV1, "alice", "secret");
  peer_->Start();
  auth_->Start();
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_.front()[4], 8);  // RFC 2433 §2: 8-octet challenge
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
  EXPECT_EQ(backend_.last().proto, aaa::AuthProto::kChapMsV1);
  EXPECT_EQ(backend_.last().chap_response[48], 1);  // use NT response
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  ASSERT_TRUE(auth_done_->result.mppe);
  ASSERT_TRUE(peer_->mppe_keys());
  EXPECT_EQ(peer_->mppe_keys()->send, auth_done_->result.mppe->send);
  EXPECT_EQ(peer_->mppe_keys()->recv, auth_done_->result.mppe->send);
}

TEST_F(MsChapTest, V2WrongPassword) {
  Make(MsChapVersion::kV2, "alice", "Secret");
  peer_->Start();
  auth_->Start();
  Bytes challenge_value(to_peer_.front().begin() + 5, to_peer_.front().begin() + 21);
  peer_->Input(to_peer_.front());
  to_peer_.pop_front();
  auth_->Input(to_auth_.front());
  to_auth_.pop_front();
  ASSERT_EQ(to_peer_.size(), 1u);
  EXPECT_EQ(to_peer_.front()[0], 4);
  EXPECT_EQ(Text(to_peer_.front()),
            "E=691 R=0 C=" + H(challenge_value) + " V=3 M=Authentication failed");
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_FALSE(auth_done_->result.mppe);
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_NE(peer_msg_.find("E=691 (ERROR_AUTHENTICATION_FAILURE)"), std::string::npos);
  EXPECT_FALSE(peer_->mppe_keys());
  EXPECT_EQ(peer_->responses_sent(), 1u);  // R=0: no retry
}

TEST_F(MsChapTest, V1WrongPasswordAndUnknownUser) {
  Make(MsChapVersion::kV1, "bob", "secret");
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(auth_done_->peer_name, "bob");
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_NE(peer_msg_.find("E=691"), std::string::npos);
}

TEST_F(MsChapTest, V2BackendWithoutAuthenticatorResponseFails) {
  backend_.drop_success = true;
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  auth_->Start();
  Pump();
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_FALSE(auth_done_->result.mppe);
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
}

TEST_F(MsChapTest, PeerRfc2759VectorAndMutualAuthentication) {
  // The peer side of RFC 2759 §9.2: user "User", password "clientPass".
  Make(MsChapVersion::kV2, "User", "clientPass", {}, Fixed(kPeerChallenge));
  peer_->Start();
  peer_->Input(Challenge(0x42, kAuthChallenge));
  ASSERT_EQ(to_auth_.size(), 1u);
  Bytes want =
      Hex("0242003A31"
          "21402324255E262A28295F2B3A337C7E"
          "0000000000000000"
          "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
          "00");
  for (char c : std::string("User")) want.push_back(static_cast<uint8_t>(c));
  EXPECT_EQ(to_auth_.front(), want);
  // A Success with a forged authenticator response is a failure (§8.8).
  peer_->Input(Message(3, 0x42, "S=407A5589115FD0D6209F510FE9C04566932CDA57 M=hi"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "MS-CHAPv2: bad authenticator response in Success");
  EXPECT_FALSE(peer_->mppe_keys());
}

TEST_F(MsChapTest, PeerAcceptsRightAuthenticatorResponseAndDerivesKeys) {
  Make(MsChapVersion::kV2, "User", "clientPass", {}, Fixed(kPeerChallenge));
  peer_->Start();
  peer_->Input(Challenge(0x42, kAuthChallenge));
  peer_->Input(Message(3, 0x41, "S=407A5589115FD0D6209F510FE9C04566932CDA56"));  // wrong id
  EXPECT_FALSE(peer_ok_);
  EXPECT_EQ(peer_->dropped(), 1u);
  peer_->Input(Message(3, 0x42, "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=hi there"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "MS-CHAPv2: hi there");
  auto keys = peer_->mppe_keys();
  ASSERT_TRUE(keys);
  // RFC 3079 §3.5.3: the server's send key is our receive key.
  EXPECT_EQ(H(keys->recv), "8B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_EQ(H(keys->send), "D5F0E9521E3EA9589645E86051C82226");
  // A repeated Success after finishing is not an error.
  peer_->Input(Message(3, 0x42, "S=407A5589115FD0D6209F510FE9C04566932CDA56"));
  EXPECT_EQ(peer_calls_, 1);
  EXPECT_EQ(peer_->dropped(), 1u);
}

TEST_F(MsChapTest, AuthenticatorRetriesThenGivesUp) {
  Make(MsChapVersion::kV2, "alice", "secret", RetryTiming());
  ExpectResentThenGivesUp();  // same Identifier and value
  EXPECT_EQ(auth_done_->message, "MS-CHAPv2: no response to 3 challenges");
}

TEST_F(MsChapTest, LateResponseToRetransmittedChallengeSucceeds) {
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  auth_->Start();
  loop_.Advance(seconds(3));  // the Challenge is sent again
  ASSERT_EQ(to_peer_.size(), 2u);
  // The peer sees both copies; the second must give the same Response, or
  // the "S=" computed for the first would not match.
  Pump();
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
  EXPECT_EQ(peer_->responses_sent(), 2u);
  EXPECT_EQ(backend_.calls(), 1);
  ASSERT_TRUE(auth_done_);
  EXPECT_TRUE(auth_done_->ok);
}

TEST_F(MsChapTest, RepeatedResponseAfterVerdictGetsSameVerdict) {
  Make(MsChapVersion::kV2, "alice", "secret");
  auth_->Start();
  peer_->Start();
  peer_->Input(to_peer_.front());
  to_peer_.pop_front();
  Bytes response = to_auth_.front();
  to_auth_.pop_front();
  auth_->Input(response);
  auth_->Input(response);
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(to_peer_[0], to_peer_[1]);
  EXPECT_EQ(backend_.calls(), 1);
  EXPECT_EQ(auth_calls_, 1);
}

TEST_F(MsChapTest, PeerRetriesOnR1WithNewChallenge) {
  Make(MsChapVersion::kV2, "User", "clientPass", {}, Fixed(kPeerChallenge));
  peer_->Start();
  Bytes first(16, 0xaa);
  peer_->Input(Challenge(0x07, first));
  ASSERT_EQ(to_auth_.size(), 1u);
  to_auth_.clear();
  // RFC 2759 §6: R=1 with the new challenge in C=.
  peer_->Input(Message(4, 0x07, "E=691 R=1 C=" + H(kAuthChallenge) + " V=3 M=try again"));
  EXPECT_FALSE(peer_ok_);
  ASSERT_EQ(to_auth_.size(), 1u);
  Bytes r = to_auth_.front();
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[1], 0x08);  // Identifier + 1
  // Answers the new challenge: the RFC 2759 §9.2 NT-Response.
  EXPECT_EQ(H(std::span(r).subspan(5 + 24, 24)),
            "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
  peer_->Input(Message(3, 0x08, "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=ok"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(MsChapTest, PeerV1RetryWithoutChallengeAdds23) {
  Make(MsChapVersion::kV1, "u", "MyPw");
  peer_->Start();
  peer_->Input(Challenge(0x01, Hex("F92DB5DF085D3041")));
  to_auth_.clear();
  // RFC 2433 §3: no C=, so the next challenge is the old one with 23 added
  // to its first octet: 0xF9 + 23 = 0x10 (mod 256), i.e. the Appendix B
  // challenge 102DB5DF085D3041.
  peer_->Input(Message(4, 0x01, "E=691 R=1"));
  ASSERT_EQ(to_auth_.size(), 1u);
  Bytes r = to_auth_.front();
  EXPECT_EQ(r[1], 0x02);
  EXPECT_EQ(H(std::span(r).subspan(5, 24)), std::string(48, '0'));
  EXPECT_EQ(H(std::span(r).subspan(5 + 24, 24)),
            "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61");
  EXPECT_EQ(r[5 + 48], 1);
}

TEST_F(MsChapTest, PeerStopsRetryingAfterMaxTries) {
  AuthTiming t;
  t.max_tries = 2;
  Make(MsChapVersion::kV2, "alice", "secret", t);
  peer_->Start();
  peer_->Input(Challenge(0x01, kAuthChallenge));
  uint8_t id = 1;
  for (int i = 0; i < 2; ++i) {
    peer_->Input(Message(4, id, "E=691 R=1 C=" + H(kAuthChallenge) + " V=3"));
    ++id;
  }
  EXPECT_FALSE(peer_ok_);
  peer_->Input(Message(4, id, "E=691 R=1 C=" + H(kAuthChallenge) + " V=3"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_->responses_sent(), 3u);
}

TEST_F(MsChapTest, PeerR1WithoutUsableChallengeFailsV2) {
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  peer_->Input(Challenge(0x01, kAuthChallenge));
  peer_->Input(Message(4, 0x01, "E=691 R=1 C=1234 V=3"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_->responses_sent(), 1u);
}

TEST_F(MsChapTest, PeerPasswordExpiredIsCleanFailure) {
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  peer_->Input(Challenge(0x05, kAuthChallenge));
  to_auth_.clear();
  peer_->Input(Message(4, 0x05, "E=648 R=1 C=" + H(kAuthChallenge) + " V=3 M=expired"));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_NE(peer_msg_.find("ERROR_PASSWD_EXPIRED"), std::string::npos);
  EXPECT_TRUE(to_auth_.empty());  // no Change-Password, no retry
}

TEST_F(MsChapTest, MalformedPacketsIgnored) {
  Make(MsChapVersion::kV2, "alice", "secret");
  peer_->Start();
  auth_->Start();
  // Truncated: Length past the buffer; Value-Size past Length; too short.
  Bytes resp = Challenge(0x10, Bytes(49, 0), "alice");
  resp[0] = 2;
  Bytes truncated(resp.begin(), resp.end() - 3);
  auth_->Input(truncated);
  auth_->Input(Bytes{0x02, 0x10, 0x00, 0x06, 0x31, 0x00});
  auth_->Input(Bytes{0x02});
  // Change-Password (RFC 2759 §7) is not supported.
  auth_->Input(Chap(7, 0x10, Bytes(582, 0)));
  EXPECT_EQ(auth_->dropped(), 4u);
  EXPECT_EQ(backend_.calls(), 0);
  EXPECT_FALSE(auth_done_);
  // Challenges of the wrong size (v1's 8, or 17) are dropped by a v2 peer.
  peer_->Input(Challenge(0x01, Bytes(8, 1)));
  peer_->Input(Challenge(0x01, Bytes(17, 1)));
  peer_->Input(Bytes{0x01, 0x01, 0x00, 0x40, 0x10});
  peer_->Input(Message(4, 0x01, "E=691 R=0"));  // nothing answered yet
  peer_->Input(Chap(9, 0x01, {}));
  EXPECT_EQ(peer_->dropped(), 5u);
  EXPECT_EQ(peer_->responses_sent(), 0u);
  EXPECT_FALSE(peer_ok_);
  // Padding past Length is ignored: the real exchange still works.
  Bytes padded = to_peer_.front();
  padded.insert(padded.end(), {0xde, 0xad});
  to_peer_.pop_front();
  peer_->Input(padded);
  Pump();
  ASSERT_TRUE(peer_ok_);
  EXPECT_TRUE(*peer_ok_);
}

TEST_F(MsChapTest, WrongSizeResponseFailsWithoutBackend) {
  Make(MsChapVersion::kV1, "alice", "secret");
  auth_->Start();
  Bytes resp = Challenge(0x10, Bytes(48, 0), "alice");
  resp[0] = 2;
  auth_->Input(resp);
  ASSERT_TRUE(auth_done_);
  EXPECT_FALSE(auth_done_->ok);
  EXPECT_EQ(backend_.calls(), 0);
  ASSERT_EQ(to_peer_.size(), 2u);
  EXPECT_EQ(Text(to_peer_[1]), "E=691 R=0");
}

TEST_F(MsChapTest, PeerOverallTimeout) {
  AuthTiming t;
  t.overall = seconds(10);
  Make(MsChapVersion::kV1, "alice", "secret", t);
  peer_->Start();
  loop_.Advance(seconds(10));
  ASSERT_TRUE(peer_ok_);
  EXPECT_FALSE(*peer_ok_);
  EXPECT_EQ(peer_msg_, "MS-CHAPv1: authentication timeout");
}

TEST(MsChapFactory, MakesBothRoles) {
  event::FakeLoop loop;
  FakeAuthBackend backend;
  ControlSender send = [](uint16_t, Packet&&) {};
  for (auto type : {AuthType::kChapMsV1, AuthType::kChapMsV2}) {
    auto a = MakeAuthenticator(type, loop, send, backend, Counter(), {}, {}, [](AuthOutcome) {});
    EXPECT_NE(dynamic_cast<MsChapAuthenticator*>(a.get()), nullptr);
    auto p = MakeAuthPeer(
        type, loop, send, "alice", "secret",
        [](std::span<uint8_t> o) { std::fill(o.begin(), o.end(), 7); }, {},
        [](bool, std::string) {});
    EXPECT_NE(dynamic_cast<MsChapPeer*>(p.get()), nullptr);
  }
}

}  // namespace
}  // namespace mlppp::ppp
