// The authenticator side every CHAP algorithm shares (RFC 1994 §4.1):
// CHAP-MD5 (chap_md5.h) and MS-CHAPv1/v2 (mschap.h) differ only in the
// Challenge and Response sizes, the back-end protocol and how a verdict is
// worded; the exchange around them is here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/auth_backend.h"
#include "ppp/auth/auth.h"
#include "ppp/auth/auth_base.h"

namespace mlppp::ppp {

// Start() draws a random Identifier and Challenge value (RFC 1994 §2.3:
// neither may repeat) and sends the Challenge, repeated unchanged every
// timing.retry up to timing.max_tries (RFC 1994 §4.1, so a late Response to
// an earlier copy still matches). Input() takes a Response with the
// Challenge's Identifier: a value of another size fails the login without
// asking the back end; otherwise the back end gets AuthRequest{proto, Name,
// Identifier, Challenge, value}. A Response with another Identifier is stale
// and dropped; a duplicate while the back end is asked is ignored; a
// repeated Response after the verdict gets the same Success/Failure again.
// No periodic re-challenge.
class ChapAuthenticatorBase : public AuthenticatorBase {
 public:
  void Start() override;
  void Input(std::span<const uint8_t> info) override;

 protected:
  ChapAuthenticatorBase(std::string_view tag, aaa::AuthProto proto, size_t challenge_size,
                        size_t response_size, event::Loop& loop, ControlSender send,
                        aaa::AuthBackend& backend, RandomFill random, AuthTiming timing,
                        std::function<void(AuthOutcome)> done, std::string name);

  // The back end's answer, or a made-up failure ("bad response length");
  // runs once, while the back end is being asked. Ends with Answer().
  virtual void OnVerdict(aaa::AuthResult result) = 0;
  // Sends Success (result.ok) or Failure carrying `text` with the
  // Response's Identifier, then finishes with "<tag>: <message>".
  void Answer(aaa::AuthResult result, const std::string& message, std::string text);
  // result.message, or a default for an empty one.
  static std::string VerdictMessage(const aaa::AuthResult& result);

  aaa::AuthProto proto() const { return proto_; }
  const std::vector<uint8_t>& challenge() const { return challenge_; }

 private:
  void SendChallenge();
  void SendVerdict();

  aaa::AuthProto proto_;
  size_t challenge_size_;
  size_t response_size_;
  RandomFill random_;
  std::string name_;  // our Name in the Challenge
  uint8_t id_ = 0;
  std::vector<uint8_t> challenge_;
  bool verdict_ok_ = false;
  std::string verdict_text_;  // the Success/Failure message, resent on a repeated Response
};

}  // namespace mlppp::ppp
