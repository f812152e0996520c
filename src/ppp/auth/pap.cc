#include "ppp/auth/pap.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/wire.h"
#include "ppp/cp_packet.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint16_t kPapProto = static_cast<uint16_t>(Proto::kPap);

std::string_view Clip(std::string_view s) { return s.substr(0, std::min<size_t>(s.size(), 255)); }

}  // namespace

std::string_view PapCodeName(uint8_t code) {
  switch (static_cast<PapCode>(code)) {
    case PapCode::kAuthReq:
      return "Authenticate-Request";
    case PapCode::kAuthAck:
      return "Authenticate-Ack";
    case PapCode::kAuthNak:
      return "Authenticate-Nak";
  }
  return "unknown";
}

std::optional<PapPacket> ParsePapPacket(std::span<const uint8_t> info) {
  // Code, Identifier, Length as in every control packet; octets past Length
  // are padding (RFC 1334 §2.2, RFC 1994 §4).
  auto h = SplitCpPacket(info);
  if (!h) return std::nullopt;
  PapPacket p;
  p.code = h->code;
  p.id = h->id;
  WireReader body(h->body);
  switch (static_cast<PapCode>(p.code)) {
    case PapCode::kAuthReq: {
      uint8_t id_len = body.U8();
      p.peer_id = body.String(id_len);
      uint8_t pw_len = body.U8();
      p.password = body.String(pw_len);
      break;
    }
    case PapCode::kAuthAck:
    case PapCode::kAuthNak:
      if (body.AtEnd()) break;  // Length 4: no Msg-Length at all
      p.message = body.String(body.U8());
      break;
    default:
      return std::nullopt;
  }
  if (!body.ok()) return std::nullopt;
  return p;
}

Packet SerializePapPacket(const PapPacket& p) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.U8(p.code);
  w.U8(p.id);
  size_t len_at = w.Reserve16();
  if (p.code == static_cast<uint8_t>(PapCode::kAuthReq)) {
    auto id = Clip(p.peer_id);
    auto pw = Clip(p.password);
    w.U8(static_cast<uint8_t>(id.size()));
    w.String(id);
    w.U8(static_cast<uint8_t>(pw.size()));
    w.String(pw);
  } else {
    auto msg = Clip(p.message);
    w.U8(static_cast<uint8_t>(msg.size()));
    w.String(msg);
  }
  w.Patch16(len_at, static_cast<uint16_t>(w.size()));
  return Packet::Copy(out);
}

// ---------------------------------------------------------------------------

PapAuthenticator::PapAuthenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                                   AuthTiming timing, std::function<void(AuthOutcome)> done)
    : AuthenticatorBase("PAP", loop, std::move(send), backend, timing, std::move(done)) {}

void PapAuthenticator::Start() {
  if (phase_ != Phase::kIdle) return;
  phase_ = Phase::kWaiting;
  StartOverallTimer("timeout waiting for Authenticate-Request");
}

void PapAuthenticator::Input(std::span<const uint8_t> info) {
  auto p = ParseOrDrop(info, ParsePapPacket);
  if (!p) return;
  if (p->code != static_cast<uint8_t>(PapCode::kAuthReq)) {
    Drop("PAP: unexpected {} id {} dropped", PapCodeName(p->code), p->id);
    return;
  }
  MLOG_DEBUG(kAuth, "PAP: rec'd Authenticate-Request id {} peer-id \"{}\"", p->id, p->peer_id);
  switch (phase_) {
    case Phase::kIdle:
      CountDrop();
      return;
    case Phase::kChecking:
      // A retransmission while the back end thinks: answer it when done,
      // with the newest Identifier so the peer matches our reply.
      reply_id_ = p->id;
      return;
    case Phase::kDone:
      // Our Ack/Nak was lost; repeat the verdict (mpd5 retransmits PAP-ACK).
      SendVerdict(p->id);
      return;
    case Phase::kWaiting:
      break;
  }
  phase_ = Phase::kChecking;
  reply_id_ = p->id;
  peer_name_ = p->peer_id;
  aaa::AuthRequest req;
  req.proto = aaa::AuthProto::kPap;
  req.user = std::move(p->peer_id);
  req.pap_password = std::move(p->password);
  QueryBackend(req, [this](aaa::AuthResult result) { OnVerdict(std::move(result)); });
}

void PapAuthenticator::OnVerdict(aaa::AuthResult result) {
  if (phase_ != Phase::kChecking) return;
  verdict_ok_ = result.ok;
  verdict_message_ =
      result.message.empty() ? (result.ok ? "Login OK" : "Login incorrect") : result.message;
  SendVerdict(reply_id_);
  AuthOutcome out;
  out.ok = result.ok;
  out.message = "PAP: " + verdict_message_;
  out.peer_name = peer_name_;
  out.result = std::move(result);
  Finish(std::move(out));
}

void PapAuthenticator::SendVerdict(uint8_t id) {
  PapPacket p;
  p.code = static_cast<uint8_t>(verdict_ok_ ? PapCode::kAuthAck : PapCode::kAuthNak);
  p.id = id;
  p.message = verdict_message_;
  MLOG_DEBUG(kAuth, "PAP: send {} id {}", PapCodeName(p.code), id);
  send_(kPapProto, SerializePapPacket(p));
}

// ---------------------------------------------------------------------------

PapPeer::PapPeer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
                 AuthTiming timing, std::function<void(bool ok, std::string message)> done)
    : AuthPeerBase("PAP", loop, std::move(send), timing, std::move(done)),
      authname_(std::move(authname)),
      password_(std::move(password)) {}

void PapPeer::Start() {
  if (running_ || finished()) return;
  running_ = true;
  tries_ = 0;
  SendRequest();
}

void PapPeer::SendRequest() {
  ++tries_;
  PapPacket p;
  p.code = static_cast<uint8_t>(PapCode::kAuthReq);
  // Each request gets a fresh Identifier (as mpd5's pap.c does); only the
  // reply to the newest one is accepted.
  p.id = ++id_;
  p.peer_id = authname_;
  p.password = password_;
  MLOG_DEBUG(kAuth, "PAP: send Authenticate-Request id {} peer-id \"{}\" (try {})", p.id, authname_,
             tries_);
  send_(kPapProto, SerializePapPacket(p));
  timer_->Start(timing_.retry, [this] { OnTimeout(); });
}

void PapPeer::OnTimeout() {
  if (!running_) return;
  if (tries_ >= timing_.max_tries) {
    Finish(false, "PAP: no reply after " + std::to_string(tries_) + " requests");
    return;
  }
  SendRequest();
}

void PapPeer::Input(std::span<const uint8_t> info) {
  auto p = ParseOrDrop(info, ParsePapPacket);
  if (!p) return;
  bool reply = p->code == static_cast<uint8_t>(PapCode::kAuthAck) ||
               p->code == static_cast<uint8_t>(PapCode::kAuthNak);
  if (!running_ || !reply || p->id != id_) {
    Drop("PAP: unexpected {} id {} dropped", PapCodeName(p->code), p->id);
    return;
  }
  bool ok = p->code == static_cast<uint8_t>(PapCode::kAuthAck);
  MLOG_DEBUG(kAuth, "PAP: rec'd {} id {} \"{}\"", PapCodeName(p->code), p->id, p->message);
  Finish(ok, p->message.empty() ? (ok ? "PAP: accepted" : "PAP: rejected") : "PAP: " + p->message);
}

void PapPeer::Finish(bool ok, std::string message) {
  running_ = false;
  AuthPeerBase::Finish(ok, std::move(message));
}

}  // namespace mlppp::ppp
