#include "ppp/auth/chap_md5.h"

#include <algorithm>
#include <utility>

#include "aaa/chap_digest.h"
#include "core/wire.h"
#include "ppp/cp_packet.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint16_t kChapProto = static_cast<uint16_t>(Proto::kChap);
constexpr size_t kMaxPacket = 0xffff;

}  // namespace

std::string_view ChapCodeName(uint8_t code) {
  switch (static_cast<ChapCode>(code)) {
    case ChapCode::kChallenge:
      return "Challenge";
    case ChapCode::kResponse:
      return "Response";
    case ChapCode::kSuccess:
      return "Success";
    case ChapCode::kFailure:
      return "Failure";
  }
  return "unknown";
}

std::optional<ChapPacket> ParseChapPacket(std::span<const uint8_t> info) {
  // Code, Identifier, Length as in every control packet; octets past Length
  // are padding (RFC 1334 §2.2, RFC 1994 §4).
  auto h = SplitCpPacket(info);
  if (!h) return std::nullopt;
  ChapPacket p;
  p.code = h->code;
  p.id = h->id;
  WireReader body(h->body);
  switch (static_cast<ChapCode>(p.code)) {
    case ChapCode::kChallenge:
    case ChapCode::kResponse: {
      uint8_t size = body.U8();
      auto value = body.Bytes(size);
      if (!body.ok()) return std::nullopt;
      p.value.assign(value.begin(), value.end());
      p.name = body.String(body.remaining());
      break;
    }
    case ChapCode::kSuccess:
    case ChapCode::kFailure:
      p.message = body.String(body.remaining());
      break;
    default:
      return std::nullopt;
  }
  if (!body.ok()) return std::nullopt;
  return p;
}

Packet SerializeChapPacket(const ChapPacket& p) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.U8(p.code);
  w.U8(p.id);
  size_t len_at = w.Reserve16();
  std::string_view tail;
  if (p.code == static_cast<uint8_t>(ChapCode::kChallenge) ||
      p.code == static_cast<uint8_t>(ChapCode::kResponse)) {
    size_t n = std::min<size_t>(p.value.size(), 255);
    w.U8(static_cast<uint8_t>(n));
    w.Bytes(std::span(p.value).first(n));
    tail = p.name;
  } else {
    tail = p.message;
  }
  w.String(tail.substr(0, std::min(tail.size(), kMaxPacket - w.size())));
  w.Patch16(len_at, static_cast<uint16_t>(w.size()));
  return Packet::Copy(out);
}

// ---------------------------------------------------------------------------

ChapMd5Authenticator::ChapMd5Authenticator(event::Loop& loop, ControlSender send,
                                           aaa::AuthBackend& backend, RandomFill random,
                                           AuthTiming timing, std::function<void(AuthOutcome)> done,
                                           std::string name)
    : AuthenticatorBase("CHAP", loop, std::move(send), backend, timing, std::move(done)),
      random_(std::move(random)),
      name_(std::move(name)) {}

void ChapMd5Authenticator::Start() {
  if (phase_ != Phase::kIdle) return;
  // RFC 1994 §2.3: the Identifier and the value must not repeat; both come
  // from the injected random source.
  uint8_t id = 0;
  random_(std::span(&id, 1));
  id_ = id;
  challenge_.assign(kChapChallengeSize, 0);
  random_(challenge_);
  phase_ = Phase::kWaiting;
  tries_ = 0;
  StartOverallTimer();
  SendChallenge();
}

void ChapMd5Authenticator::SendChallenge() {
  ++tries_;
  ChapPacket p;
  p.code = static_cast<uint8_t>(ChapCode::kChallenge);
  p.id = id_;
  p.value = challenge_;
  p.name = name_;
  MLOG_DEBUG(kAuth, "CHAP: send Challenge id {} (try {})", id_, tries_);
  send_(kChapProto, SerializeChapPacket(p));
  // RFC 1994 §4.1: the same Challenge (same Identifier) is retransmitted so
  // a late Response to an earlier copy still matches.
  ArmRetry([this] { SendChallenge(); }, "challenges");
}

void ChapMd5Authenticator::Input(std::span<const uint8_t> info) {
  auto p = ParseOrDrop(info, ParseChapPacket);
  if (!p) return;
  if (p->code != static_cast<uint8_t>(ChapCode::kResponse) || phase_ == Phase::kIdle) {
    Drop("CHAP: unexpected {} id {} dropped", ChapCodeName(p->code), p->id);
    return;
  }
  if (p->id != id_) {
    Drop("CHAP: Response id {} does not match Challenge id {}, dropped", p->id, id_);
    return;
  }
  MLOG_DEBUG(kAuth, "CHAP: rec'd Response id {} name \"{}\"", p->id, p->name);
  if (phase_ == Phase::kChecking) return;  // a duplicate; the verdict answers both
  if (phase_ == Phase::kDone) {
    // Our Success/Failure was lost and the peer repeated its Response.
    SendVerdict();
    return;
  }
  StopRetry();
  phase_ = Phase::kChecking;
  peer_name_ = p->name;
  if (p->value.size() != 16) {
    // An MD5 digest is 16 octets (RFC 1994 §4.1, algorithm 5); anything else
    // cannot be right, so the back end is not asked.
    aaa::AuthResult bad;
    bad.message = "bad response length";
    OnVerdict(std::move(bad));
    return;
  }
  aaa::AuthRequest req;
  req.proto = aaa::AuthProto::kChapMd5;
  req.user = std::move(p->name);
  req.chap_id = id_;
  req.chap_challenge = challenge_;
  req.chap_response = std::move(p->value);
  QueryBackend(req, [this](aaa::AuthResult result) { OnVerdict(std::move(result)); });
}

void ChapMd5Authenticator::OnVerdict(aaa::AuthResult result) {
  if (phase_ != Phase::kChecking) return;
  verdict_ok_ = result.ok;
  verdict_message_ = result.message.empty()
                         ? (result.ok ? "Authentication succeeded" : "Authentication failed")
                         : result.message;
  SendVerdict();
  AuthOutcome out;
  out.ok = result.ok;
  out.message = "CHAP: " + verdict_message_;
  out.peer_name = peer_name_;
  out.result = std::move(result);
  Finish(std::move(out));
}

void ChapMd5Authenticator::SendVerdict() {
  ChapPacket p;
  p.code = static_cast<uint8_t>(verdict_ok_ ? ChapCode::kSuccess : ChapCode::kFailure);
  p.id = id_;
  p.message = verdict_message_;
  MLOG_DEBUG(kAuth, "CHAP: send {} id {}", ChapCodeName(p.code), id_);
  send_(kChapProto, SerializeChapPacket(p));
}

// ---------------------------------------------------------------------------

ChapMd5Peer::ChapMd5Peer(event::Loop& loop, ControlSender send, std::string authname,
                         std::string password, AuthTiming timing,
                         std::function<void(bool ok, std::string message)> done)
    : AuthPeerBase("CHAP", loop, std::move(send), timing, std::move(done)),
      authname_(std::move(authname)),
      password_(std::move(password)) {}

void ChapMd5Peer::Input(std::span<const uint8_t> info) {
  auto p = ParseStarted(info, ParseChapPacket);
  if (!p) return;
  switch (static_cast<ChapCode>(p->code)) {
    case ChapCode::kChallenge: {
      // Answer every Challenge, repeats included: our Response may have
      // been lost (RFC 1994 §4.1).
      MLOG_DEBUG(kAuth, "CHAP: rec'd Challenge id {} name \"{}\"", p->id, p->name);
      id_ = p->id;
      answered_ = true;
      ChapPacket r;
      r.code = static_cast<uint8_t>(ChapCode::kResponse);
      r.id = p->id;
      auto digest = aaa::ChapMd5Response(p->id, password_, p->value);
      r.value.assign(digest.begin(), digest.end());
      r.name = authname_;
      ++responses_sent_;
      send_(kChapProto, SerializeChapPacket(r));
      return;
    }
    case ChapCode::kSuccess:
    case ChapCode::kFailure: {
      if (answered_ && p->id == id_ && finished()) return;  // a repeat after we finished
      if (!answered_ || p->id != id_) {
        Drop("CHAP: {} id {} does not match our Response, dropped", ChapCodeName(p->code), p->id);
        return;
      }
      bool ok = p->code == static_cast<uint8_t>(ChapCode::kSuccess);
      Finish(ok, p->message.empty() ? (ok ? "CHAP: accepted" : "CHAP: rejected")
                                    : "CHAP: " + p->message);
      return;
    }
    default:
      Drop("CHAP: unexpected {} dropped", ChapCodeName(p->code));
      return;
  }
}

}  // namespace mlppp::ppp
