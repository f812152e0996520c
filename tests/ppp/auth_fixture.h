// What the authentication-protocol tests (pap, chap, mschap, eap) share: a
// scripted back end, a deterministic random source, and a fixture that
// wires one authenticator to one peer over two captured queues on a
// FakeLoop.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aaa/auth_backend.h"
#include "aaa/chap_digest.h"
#include "aaa/mschap.h"
#include "core/packet.h"
#include "event/fake_loop.h"
#include "ppp/auth/auth.h"

namespace mlppp::ppp {

using Bytes = std::vector<uint8_t>;

inline Bytes ToBytes(const Packet& p) { return Bytes(p.span().begin(), p.span().end()); }
inline Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes Cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// from, from+1, ... (n octets): what Counter(from) fills.
inline Bytes Seq(uint8_t from, int n) {
  Bytes b;
  for (int i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(from + i));
  return b;
}

// Deterministic "random": start, start+1, start+2, ...
inline RandomFill Counter(uint8_t start = 0x10) {
  auto next = std::make_shared<uint8_t>(start);
  return [next](std::span<uint8_t> out) {
    for (auto& b : out) b = (*next)++;
  };
}

// A back end with a user table, checking each protocol as the internal
// back end would: PAP by password (a framed IP on success), CHAP-MD5 by
// digest (RFC 1994 §4.1; EAP-MD5 arrives as this), MS-CHAP through the aaa
// helper. kEap requests get `proxy_answers` in order, as a scripted RADIUS
// server (a reject when none is left). Answers come at once, or wait in
// `pending` until Release() when `deferred` is set. Every request is kept.
class FakeAuthBackend : public aaa::AuthBackend {
 public:
  void Authenticate(const aaa::AuthRequest& req,
                    std::function<void(aaa::AuthResult)> done) override {
    requests.push_back(req);
    aaa::AuthResult r = Answer(req);
    if (deferred) {
      pending.push_back([done, r] { done(r); });
    } else {
      done(r);
    }
  }
  // Gives the held answers.
  void Release() {
    auto p = std::move(pending);
    pending.clear();
    for (auto& f : p) f();
  }
  size_t calls() const { return requests.size(); }
  const aaa::AuthRequest& last() const { return requests.back(); }

  std::map<std::string, std::string> users{
      {"alice", "secret"}, {"user", "pass"}, {"User", "clientPass"}};
  std::deque<aaa::AuthResult> proxy_answers;
  bool drop_success = false;  // MS-CHAP: leave out the "S=" authenticator response
  bool deferred = false;
  std::vector<std::function<void()>> pending;
  std::vector<aaa::AuthRequest> requests;

 private:
  aaa::AuthResult Answer(const aaa::AuthRequest& req) {
    aaa::AuthResult r;
    auto it = users.find(req.user);
    switch (req.proto) {
      case aaa::AuthProto::kPap:
        r.ok = it != users.end() && it->second == req.pap_password;
        r.message = r.ok ? "" : "bad password";
        if (r.ok) r.framed_ip = 0x0a000002;
        break;
      case aaa::AuthProto::kChapMd5:
        if (it != users.end()) {
          auto want = aaa::ChapMd5Response(req.chap_id, it->second, req.chap_challenge);
          r.ok = Bytes(want.begin(), want.end()) == req.chap_response;
        }
        r.message = r.ok ? "Welcome" : "wrong secret";
        break;
      case aaa::AuthProto::kChapMsV1:
      case aaa::AuthProto::kChapMsV2:
        if (it != users.end()) {
          r = aaa::VerifyMsChapPassword(req, it->second);
        } else {
          r.mschap_error = aaa::MsChapFailureText(req.proto, req.chap_challenge, "unknown");
        }
        if (drop_success) r.mschap_success.clear();
        r.message = r.ok ? "Welcome" : "Denied";
        break;
      case aaa::AuthProto::kEap:
        if (!proxy_answers.empty()) {
          r = proxy_answers.front();
          proxy_answers.pop_front();
        }
        break;
    }
    return r;
  }
};

// Collects frames of one protocol into a queue (checking the protocol).
inline ControlSender CaptureInto(uint16_t proto, std::deque<Bytes>* q) {
  return [proto, q](uint16_t got, Packet&& p) {
    EXPECT_EQ(got, proto);
    q->push_back(ToBytes(p));
  };
}

// An authenticator (auth_) and a peer (peer_) of one protocol: what the
// authenticator sends queues in to_peer_, what the peer sends in to_auth_;
// Pump() delivers both ways until the wire is quiet. The `done` callbacks
// record their outcome and count their calls.
template <class Auth, class Peer>
class AuthPairTest : public ::testing::Test {
 protected:
  explicit AuthPairTest(uint16_t proto) : proto_(proto) {}

  ControlSender ToPeer() { return CaptureInto(proto_, &to_peer_); }
  ControlSender ToAuth() { return CaptureInto(proto_, &to_auth_); }
  std::function<void(AuthOutcome)> AuthDone() {
    return [this](AuthOutcome o) {
      ++auth_calls_;
      auth_done_ = std::move(o);
    };
  }
  std::function<void(bool, std::string)> PeerDone() {
    return [this](bool ok, std::string msg) {
      ++peer_calls_;
      peer_ok_ = ok;
      peer_msg_ = std::move(msg);
    };
  }
  // A 3 s restart timer and 3 tries, for ExpectResentThenGivesUp().
  static AuthTiming RetryTiming() {
    AuthTiming t;
    t.retry = std::chrono::seconds(3);
    t.max_tries = 3;
    return t;
  }
  // The authenticator (made with RetryTiming()), started alone, sends its
  // first packet three times unchanged, 3 s apart (the same Identifier, so
  // a late answer to any copy matches), and fails 3 s after the last one
  // without asking the back end.
  void ExpectResentThenGivesUp() {
    auth_->Start();
    ASSERT_EQ(to_peer_.size(), 1u);
    loop_.Advance(std::chrono::seconds(3));
    ASSERT_EQ(to_peer_.size(), 2u);
    EXPECT_EQ(to_peer_[1], to_peer_[0]);
    loop_.Advance(std::chrono::seconds(3));
    ASSERT_EQ(to_peer_.size(), 3u);
    EXPECT_EQ(to_peer_[2], to_peer_[0]);
    EXPECT_FALSE(auth_done_);
    loop_.Advance(std::chrono::seconds(3));
    EXPECT_EQ(to_peer_.size(), 3u);
    ASSERT_TRUE(auth_done_);
    EXPECT_FALSE(auth_done_->ok);
    EXPECT_EQ(backend_.calls(), 0u);
  }
  // The peer answered Identifier `id`: a bare Success (code 3 in CHAP,
  // RFC 1994 §4.2, and EAP, RFC 3748 §4.2) for `other_id` is dropped, one
  // for `id` finishes with success, and a repeat of it is harmless: no
  // second `done`, not counted as a drop.
  void ExpectSuccessOnlyFor(uint8_t id, uint8_t other_id) {
    uint64_t dropped = peer_->dropped();
    peer_->Input(Bytes{0x03, other_id, 0x00, 0x04});
    EXPECT_FALSE(peer_ok_);
    EXPECT_EQ(peer_->dropped(), dropped + 1);
    peer_->Input(Bytes{0x03, id, 0x00, 0x04});
    ASSERT_TRUE(peer_ok_);
    EXPECT_TRUE(*peer_ok_);
    peer_->Input(Bytes{0x03, id, 0x00, 0x04});
    EXPECT_EQ(peer_calls_, 1);
    EXPECT_EQ(peer_->dropped(), dropped + 1);
  }
  // Delivers everything queued both ways, recording what crossed.
  void Pump() {
    while (!to_peer_.empty() || !to_auth_.empty()) {
      while (!to_peer_.empty()) {
        auto b = std::move(to_peer_.front());
        to_peer_.pop_front();
        seen_by_peer_.push_back(b);
        peer_->Input(b);
      }
      while (!to_auth_.empty()) {
        auto b = std::move(to_auth_.front());
        to_auth_.pop_front();
        seen_by_auth_.push_back(b);
        auth_->Input(b);
      }
    }
  }

  uint16_t proto_;
  event::FakeLoop loop_;
  FakeAuthBackend backend_;
  std::deque<Bytes> to_peer_, to_auth_;
  std::vector<Bytes> seen_by_peer_, seen_by_auth_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Peer> peer_;
  std::optional<AuthOutcome> auth_done_;
  int auth_calls_ = 0;
  std::optional<bool> peer_ok_;
  std::string peer_msg_;
  int peer_calls_ = 0;
};

}  // namespace mlppp::ppp
