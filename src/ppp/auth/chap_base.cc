#include "ppp/auth/chap_base.h"

#include <utility>

#include "core/log.h"
#include "ppp/auth/chap_md5.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint16_t kChapProto = static_cast<uint16_t>(Proto::kChap);

}  // namespace

ChapAuthenticatorBase::ChapAuthenticatorBase(
    std::string_view tag, aaa::AuthProto proto, size_t challenge_size, size_t response_size,
    event::Loop& loop, ControlSender send, aaa::AuthBackend& backend, RandomFill random,
    AuthTiming timing, std::function<void(AuthOutcome)> done, std::string name)
    : AuthenticatorBase(tag, loop, std::move(send), backend, timing, std::move(done)),
      proto_(proto),
      challenge_size_(challenge_size),
      response_size_(response_size),
      random_(std::move(random)),
      name_(std::move(name)) {}

void ChapAuthenticatorBase::Start() {
  if (phase_ != Phase::kIdle) return;
  // RFC 1994 §2.3 (RFC 2433 §2, RFC 2759 §3): the Identifier and the value
  // must not repeat and should be unpredictable; both come from the
  // injected random source.
  uint8_t id = 0;
  random_(std::span(&id, 1));
  id_ = id;
  challenge_.assign(challenge_size_, 0);
  random_(challenge_);
  phase_ = Phase::kWaiting;
  tries_ = 0;
  StartOverallTimer();
  SendChallenge();
}

void ChapAuthenticatorBase::SendChallenge() {
  ++tries_;
  ChapPacket p;
  p.code = static_cast<uint8_t>(ChapCode::kChallenge);
  p.id = id_;
  p.value = challenge_;
  p.name = name_;
  MLOG_DEBUG(kAuth, "{}: send Challenge id {} (try {})", tag_, id_, tries_);
  send_(kChapProto, SerializeChapPacket(p));
  // RFC 1994 §4.1: the same Challenge (same Identifier and value) is
  // retransmitted so a late Response to an earlier copy still matches.
  ArmRetry([this] { SendChallenge(); }, "challenges");
}

void ChapAuthenticatorBase::Input(std::span<const uint8_t> info) {
  auto p = ParseOrDrop(info, ParseChapPacket);
  if (!p) return;
  if (p->code != static_cast<uint8_t>(ChapCode::kResponse) || phase_ == Phase::kIdle) {
    Drop("{}: unexpected {} id {} dropped", tag_, ChapCodeName(p->code), p->id);
    return;
  }
  if (p->id != id_) {
    Drop("{}: Response id {} does not match Challenge id {}, dropped", tag_, p->id, id_);
    return;
  }
  MLOG_DEBUG(kAuth, "{}: rec'd Response id {} name \"{}\"", tag_, p->id, p->name);
  if (phase_ == Phase::kChecking) return;  // a duplicate; the verdict answers both
  if (phase_ == Phase::kDone) {
    SendVerdict();  // our Success/Failure was lost and the peer repeated its Response
    return;
  }
  StopRetry();
  phase_ = Phase::kChecking;
  peer_name_ = p->name;
  if (p->value.size() != response_size_) {
    // RFC 1994 §4.1 algorithm 5: an MD5 digest is 16 octets; RFC 2433 §3,
    // RFC 2759 §4: an MS-CHAP Response value is 49. Anything else cannot be
    // right, so the back end is not asked.
    aaa::AuthResult bad;
    bad.message = "bad response length";
    OnVerdict(std::move(bad));
    return;
  }
  aaa::AuthRequest req;
  req.proto = proto_;
  req.user = std::move(p->name);
  req.chap_id = id_;
  req.chap_challenge = challenge_;
  req.chap_response = std::move(p->value);
  QueryBackend(req, [this](aaa::AuthResult result) {
    if (phase_ == Phase::kChecking) OnVerdict(std::move(result));
  });
}

std::string ChapAuthenticatorBase::VerdictMessage(const aaa::AuthResult& result) {
  if (!result.message.empty()) return result.message;
  return result.ok ? "Authentication succeeded" : "Authentication failed";
}

void ChapAuthenticatorBase::Answer(aaa::AuthResult result, const std::string& message,
                                   std::string text) {
  verdict_ok_ = result.ok;
  verdict_text_ = std::move(text);
  SendVerdict();
  AuthOutcome out;
  out.ok = result.ok;
  out.message = std::string(tag_) + ": " + message;
  out.peer_name = peer_name_;
  out.result = std::move(result);
  Finish(std::move(out));
}

void ChapAuthenticatorBase::SendVerdict() {
  ChapPacket p;
  p.code = static_cast<uint8_t>(verdict_ok_ ? ChapCode::kSuccess : ChapCode::kFailure);
  p.id = id_;
  p.message = verdict_text_;
  MLOG_DEBUG(kAuth, "{}: send {} id {}", tag_, ChapCodeName(p.code), id_);
  send_(kChapProto, SerializeChapPacket(p));
}

}  // namespace mlppp::ppp
