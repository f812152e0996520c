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

AuthOutcome Failed(std::string message, const std::string& user) {
  AuthOutcome out;
  out.message = std::move(message);
  out.peer_name = user;
  return out;
}

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
    : send_(std::move(send)),
      backend_(backend),
      random_(std::move(random)),
      timing_(timing),
      done_(std::move(done)),
      name_(std::move(name)),
      retry_timer_(loop.CreateTimer()),
      overall_timer_(loop.CreateTimer()) {}

ChapMd5Authenticator::~ChapMd5Authenticator() { *alive_ = false; }

void ChapMd5Authenticator::Start() {
  if (state_ != State::kIdle) return;
  // RFC 1994 §2.3: the Identifier and the value must not repeat; both come
  // from the injected random source.
  uint8_t id = 0;
  random_(std::span(&id, 1));
  id_ = id;
  challenge_.assign(kChapChallengeSize, 0);
  random_(challenge_);
  state_ = State::kChallenged;
  tries_ = 0;
  overall_timer_->Start(timing_.overall, [this] {
    if (state_ == State::kDone) return;
    Finish(Failed("CHAP: authentication timeout", user_));
  });
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
  retry_timer_->Start(timing_.retry, [this] { OnRetry(); });
}

void ChapMd5Authenticator::OnRetry() {
  if (state_ != State::kChallenged) return;
  if (tries_ >= timing_.max_tries) {
    Finish(Failed("CHAP: no response to " + std::to_string(tries_) + " challenges", user_));
    return;
  }
  // RFC 1994 §4.1: the same Challenge (same Identifier) is retransmitted so
  // a late Response to an earlier copy still matches.
  SendChallenge();
}

void ChapMd5Authenticator::Input(std::span<const uint8_t> info) {
  auto p = ParseChapPacket(info);
  if (!p) {
    ++dropped_;
    MLOG_PEER_ERROR(limit_, kAuth, "CHAP: malformed packet ({} octets) dropped", info.size());
    return;
  }
  if (p->code != static_cast<uint8_t>(ChapCode::kResponse) || state_ == State::kIdle) {
    ++dropped_;
    MLOG_PEER_ERROR(limit_, kAuth, "CHAP: unexpected {} id {} dropped", ChapCodeName(p->code),
                    p->id);
    return;
  }
  if (p->id != id_) {
    ++dropped_;
    MLOG_PEER_ERROR(limit_, kAuth, "CHAP: Response id {} does not match Challenge id {}, dropped",
                    p->id, id_);
    return;
  }
  MLOG_DEBUG(kAuth, "CHAP: rec'd Response id {} name \"{}\"", p->id, p->name);
  if (state_ == State::kChecking) return;  // a duplicate; the verdict answers both
  if (state_ == State::kDone) {
    // Our Success/Failure was lost and the peer repeated its Response.
    SendVerdict();
    return;
  }
  retry_timer_->Stop();
  state_ = State::kChecking;
  user_ = p->name;
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
  ++backend_queries_;
  std::weak_ptr<bool> alive = alive_;
  backend_.Authenticate(req, [this, alive](aaa::AuthResult result) {
    auto a = alive.lock();
    if (!a || !*a) return;
    OnVerdict(std::move(result));
  });
}

void ChapMd5Authenticator::OnVerdict(aaa::AuthResult result) {
  if (state_ != State::kChecking) return;
  verdict_ok_ = result.ok;
  verdict_message_ = result.message.empty()
                         ? (result.ok ? "Authentication succeeded" : "Authentication failed")
                         : result.message;
  SendVerdict();
  AuthOutcome out;
  out.ok = result.ok;
  out.message = "CHAP: " + verdict_message_;
  out.peer_name = user_;
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

void ChapMd5Authenticator::Finish(AuthOutcome outcome) {
  state_ = State::kDone;
  retry_timer_->Stop();
  overall_timer_->Stop();
  MLOG_INFO(kAuth, "CHAP: peer \"{}\" {}: {}", outcome.peer_name,
            outcome.ok ? "authenticated" : "failed", outcome.message);
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(outcome));
  }
}

// ---------------------------------------------------------------------------

ChapMd5Peer::ChapMd5Peer(event::Loop& loop, ControlSender send, std::string authname,
                         std::string password, AuthTiming timing,
                         std::function<void(bool ok, std::string message)> done)
    : send_(std::move(send)),
      authname_(std::move(authname)),
      password_(std::move(password)),
      timing_(timing),
      done_(std::move(done)),
      timer_(loop.CreateTimer()) {}

ChapMd5Peer::~ChapMd5Peer() = default;

void ChapMd5Peer::Start() {
  if (started_) return;
  started_ = true;
  timer_->Start(timing_.overall, [this] {
    if (done_) Finish(false, "CHAP: authentication timeout");
  });
}

void ChapMd5Peer::Input(std::span<const uint8_t> info) {
  auto p = ParseChapPacket(info);
  if (!p || !started_) {
    ++dropped_;
    MLOG_PEER_ERROR(limit_, kAuth, "CHAP: malformed or early packet ({} octets) dropped",
                    info.size());
    return;
  }
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
      if (answered_ && p->id == id_ && !done_) return;  // a repeat after we finished
      if (!answered_ || p->id != id_) {
        ++dropped_;
        MLOG_PEER_ERROR(limit_, kAuth, "CHAP: {} id {} does not match our Response, dropped",
                        ChapCodeName(p->code), p->id);
        return;
      }
      bool ok = p->code == static_cast<uint8_t>(ChapCode::kSuccess);
      Finish(ok, p->message.empty() ? (ok ? "CHAP: accepted" : "CHAP: rejected")
                                    : "CHAP: " + p->message);
      return;
    }
    default:
      ++dropped_;
      MLOG_PEER_ERROR(limit_, kAuth, "CHAP: unexpected {} dropped", ChapCodeName(p->code));
      return;
  }
}

void ChapMd5Peer::Finish(bool ok, std::string message) {
  timer_->Stop();
  MLOG_INFO(kAuth, "CHAP: {}: {}", ok ? "authenticated to peer" : "failed", message);
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done(ok, std::move(message));
  }
}

}  // namespace mlppp::ppp
