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
    : ChapAuthenticatorBase("CHAP", aaa::AuthProto::kChapMd5, kChapChallengeSize,
                            kChapMd5ResponseSize, loop, std::move(send), backend, std::move(random),
                            timing, std::move(done), std::move(name)) {}

void ChapMd5Authenticator::OnVerdict(aaa::AuthResult result) {
  std::string message = VerdictMessage(result);
  Answer(std::move(result), message, message);
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
