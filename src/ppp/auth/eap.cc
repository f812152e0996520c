#include "ppp/auth/eap.h"

#include <algorithm>
#include <utility>

#include "aaa/chap_digest.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint16_t kEapProto = static_cast<uint16_t>(Proto::kEap);
constexpr uint8_t kIdentity = static_cast<uint8_t>(EapType::kIdentity);
constexpr uint8_t kNotification = static_cast<uint8_t>(EapType::kNotification);
constexpr uint8_t kNak = static_cast<uint8_t>(EapType::kNak);
constexpr uint8_t kMd5 = static_cast<uint8_t>(EapType::kMd5Challenge);
constexpr uint8_t kExpanded = 254;
constexpr uint8_t kRequest = static_cast<uint8_t>(EapCode::kRequest);
constexpr uint8_t kResponse = static_cast<uint8_t>(EapCode::kResponse);
constexpr uint8_t kSuccess = static_cast<uint8_t>(EapCode::kSuccess);
constexpr uint8_t kFailure = static_cast<uint8_t>(EapCode::kFailure);

// Peer-supplied text (Identity, Notification) made safe for one log line.
std::string Printable(std::string_view s, size_t max = 64) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? s[i] : '?');
  }
  if (s.size() > max) out += "...";
  return out;
}
std::string Printable(std::span<const uint8_t> s) {
  return Printable(std::string(s.begin(), s.end()));
}

std::string TypeList(std::span<const uint8_t> types) {
  std::string out;
  for (uint8_t t : types) {
    if (!out.empty()) out += ",";
    out += std::string(EapTypeName(t)) + "(" + std::to_string(t) + ")";
  }
  return out.empty() ? "none" : out;
}

}  // namespace

EapAuthenticator::EapAuthenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                                   RandomFill random, AuthTiming timing, EapOptions options,
                                   std::function<void(AuthOutcome)> done)
    : AuthenticatorBase("EAP", loop, std::move(send), backend, timing, std::move(done)),
      random_(std::move(random)),
      options_(options) {}

std::string EapAuthenticator::LogName(const std::string& name) const { return Printable(name); }

void EapAuthenticator::Start() {
  if (phase_ != Phase::kIdle) return;
  // RFC 3748 §4.1: Identifiers of successive Requests differ; the first one
  // comes from the injected random source, later ones count up.
  uint8_t id = 0;
  random_(std::span(&id, 1));
  StartOverallTimer();
  // RFC 3748 §5.1: start with Request/Identity (no display message).
  EapPacket p;
  p.code = kRequest;
  p.id = id;
  p.type = kIdentity;
  SendRequest(SerializeEapBytes(p), id, kIdentity);
}

void EapAuthenticator::SendRequest(std::vector<uint8_t> packet, uint8_t id, uint8_t type) {
  // REQUIRES: packet is an EAP Request with this Identifier and Type.
  id_ = id;
  request_type_ = type;
  request_ = std::move(packet);
  tries_ = 0;
  phase_ = Phase::kWaiting;
  Transmit();
}

void EapAuthenticator::Transmit() {
  ++tries_;
  MLOG_DEBUG(kAuth, "EAP: send Request/{} id {} (try {})", EapTypeName(request_type_), id_, tries_);
  send_(kEapProto, Packet::Copy(request_));
  // RFC 3748 §4.1: the authenticator retransmits the same Request (same
  // Identifier); the peer never retransmits.
  ArmRetry([this] { Transmit(); }, "requests");
}

void EapAuthenticator::Input(std::span<const uint8_t> info) {
  auto p = ParseOrDrop(info, ParseEapPacket);
  if (!p) return;
  if (p->code != kResponse || phase_ == Phase::kIdle || phase_ == Phase::kDone) {
    Drop("EAP: unexpected {} id {} dropped", EapCodeName(p->code), p->id);
    return;
  }
  if (p->id != id_) {
    // RFC 3748 §4.1: a Response must match the outstanding Request.
    Drop("EAP: Response id {} does not match Request id {}, dropped", p->id, id_);
    return;
  }
  MLOG_DEBUG(kAuth, "EAP: rec'd Response/{} id {}", EapTypeName(p->type), p->id);
  // A duplicate while the back end is being asked: the answer covers both.
  if (phase_ == Phase::kChecking) return;

  if (options_.radius_proxy) {
    // RFC 3579 §2.1: the NAS passes each Response on as EAP-Message; it
    // reads only the Identity, to fill User-Name.
    if (p->type == kIdentity && request_type_ == kIdentity) {
      peer_name_.assign(p->data.begin(), p->data.end());
    }
    StopRetry();
    aaa::AuthRequest req;
    req.proto = aaa::AuthProto::kEap;
    req.user = peer_name_;
    req.eap_message = SerializeEapBytes(*p);  // the packet trimmed to Length
    req.state = state_attr_;
    AskBackend(req, true);
    return;
  }

  // Local mode: Identity, then MD5-Challenge. RFC 3748 §4.1: the Response
  // Type matches the Request's, or is a Nak.
  if (request_type_ == kIdentity && p->type == kIdentity) {
    OnIdentity(*p);
  } else if (request_type_ == kMd5 && p->type == kNak) {
    // RFC 3748 §5.3.1: the peer refuses MD5; we have nothing else to offer.
    Fail("EAP: peer Nak'ed MD5-Challenge, wants " + TypeList(p->data), true);
  } else if (request_type_ == kMd5 && p->type == kMd5) {
    OnMd5Response(*p);
  } else {
    Drop("EAP: Response/{} to Request/{} dropped", EapTypeName(p->type),
         EapTypeName(request_type_));
  }
}

void EapAuthenticator::OnIdentity(const EapPacket& p) {
  StopRetry();
  peer_name_.assign(p.data.begin(), p.data.end());
  MLOG_INFO(kAuth, "EAP: peer identity \"{}\"", Printable(p.data));
  if (!options_.md5) {
    Fail("EAP: no method enabled (set eap enable md5 or radius-proxy)", true);
    return;
  }
  challenge_.assign(kEapMd5ChallengeSize, 0);
  random_(challenge_);
  EapPacket req;
  req.code = kRequest;
  req.id = static_cast<uint8_t>(id_ + 1);
  req.type = kMd5;
  req.data = SerializeEapMd5Data({challenge_, ""});  // our Name: empty
  SendRequest(SerializeEapBytes(req), req.id, kMd5);
}

void EapAuthenticator::OnMd5Response(const EapPacket& p) {
  auto md5 = ParseEapMd5Data(p.data);
  if (!md5) {
    Drop("EAP: malformed MD5-Challenge Response id {} dropped", p.id);
    return;
  }
  StopRetry();
  if (md5->value.size() != kEapMd5ChallengeSize) {
    // An MD5 digest is 16 octets (RFC 3748 §5.4, RFC 1994 §4.1); anything
    // else cannot be right, so the back end is not asked.
    Fail("EAP: MD5 response of " + std::to_string(md5->value.size()) + " octets", true);
    return;
  }
  aaa::AuthRequest req;
  req.proto = aaa::AuthProto::kChapMd5;
  req.user = peer_name_;
  req.chap_id = id_;
  req.chap_challenge = challenge_;
  req.chap_response = std::move(md5->value);
  AskBackend(req, false);
}

void EapAuthenticator::AskBackend(const aaa::AuthRequest& req, bool proxy) {
  phase_ = Phase::kChecking;
  QueryBackend(req, [this, proxy](aaa::AuthResult result) {
    if (phase_ != Phase::kChecking) return;
    if (proxy) {
      OnProxyResult(std::move(result));
    } else {
      OnVerdict(std::move(result));
    }
  });
}

void EapAuthenticator::OnVerdict(aaa::AuthResult result) {
  SendFinal(result.ok, {});
  AuthOutcome out;
  out.ok = result.ok;
  out.message = "EAP-MD5: " + (result.message.empty()
                                   ? (result.ok ? std::string("accepted") : std::string("rejected"))
                                   : result.message);
  out.peer_name = peer_name_;
  out.result = std::move(result);
  Finish(std::move(out));
}

void EapAuthenticator::OnProxyResult(aaa::AuthResult result) {
  auto pkt = ParseEapPacket(result.eap_message);
  if (!result.ok && result.challenge) {
    // RFC 3579 §2.1: an Access-Challenge: its EAP-Message is the next Request,
    // with the server's Identifier; forwarded as is.
    if (!pkt || pkt->code != kRequest) {
      Fail("EAP: back end challenge without an EAP Request", true);
      return;
    }
    state_attr_ = std::move(result.state);
    SendRequest(std::move(result.eap_message), pkt->id, pkt->type);
    return;
  }
  uint8_t want = result.ok ? kSuccess : kFailure;
  std::vector<uint8_t> final_packet;
  if (pkt && pkt->code == want) final_packet = std::move(result.eap_message);
  SendFinal(result.ok, std::move(final_packet));
  AuthOutcome out;
  out.ok = result.ok;
  out.message = "EAP: " + (result.message.empty()
                               ? (result.ok ? std::string("accepted") : std::string("rejected"))
                               : result.message);
  out.peer_name = peer_name_;
  out.result = std::move(result);
  Finish(std::move(out));
}

void EapAuthenticator::SendFinal(bool ok, std::vector<uint8_t> packet) {
  if (packet.empty()) {
    // RFC 3748 §4.2: Success/Failure carry the last Response's Identifier.
    EapPacket p;
    p.code = ok ? kSuccess : kFailure;
    p.id = id_;
    packet = SerializeEapBytes(p);
    MLOG_DEBUG(kAuth, "EAP: send {} id {}", EapCodeName(p.code), id_);
  } else {
    MLOG_DEBUG(kAuth, "EAP: send the back end's {}", ok ? "Success" : "Failure");
  }
  send_(kEapProto, Packet::Copy(packet));
}

void EapAuthenticator::Fail(std::string message, bool send_failure) {
  if (send_failure) SendFinal(false, {});
  AuthOutcome out;
  out.message = std::move(message);
  out.peer_name = peer_name_;
  Finish(std::move(out));
}

// ---------------------------------------------------------------------------

EapPeer::EapPeer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
                 AuthTiming timing, std::function<void(bool ok, std::string message)> done)
    : AuthPeerBase("EAP", loop, std::move(send), timing, std::move(done)),
      authname_(std::move(authname)),
      password_(std::move(password)) {}

void EapPeer::Input(std::span<const uint8_t> info) {
  auto p = ParseStarted(info, ParseEapPacket);
  if (!p) return;
  switch (static_cast<EapCode>(p->code)) {
    case EapCode::kRequest:
      if (answered_ && p->id == id_) {
        // RFC 3748 §4.1: a retransmitted Request (same Identifier) gets the
        // Response we already sent; it is not processed again.
        MLOG_DEBUG(kAuth, "EAP: repeated Request id {}, answering again", p->id);
        ++responses_sent_;
        send_(kEapProto, Packet::Copy(response_));
        return;
      }
      Respond(*p);
      return;
    case EapCode::kSuccess:
    case EapCode::kFailure: {
      if (answered_ && p->id == id_ && finished()) return;  // a repeat after we finished
      // RFC 3748 §4.2: the Identifier matches our last Response. pppd (as
      // RFC 2284 allowed) sends Success/Failure with that Identifier plus
      // one; mpd5 checks none. Accept both, drop anything else.
      if (!answered_ || (p->id != id_ && p->id != static_cast<uint8_t>(id_ + 1))) {
        Drop("EAP: {} id {} does not match our Response, dropped", EapCodeName(p->code), p->id);
        return;
      }
      bool ok = p->code == kSuccess;
      Finish(ok, ok ? "EAP: accepted" : "EAP: rejected");
      return;
    }
    default:
      Drop("EAP: unexpected {} dropped", EapCodeName(p->code));
      return;
  }
}

void EapPeer::Respond(const EapPacket& req) {
  EapPacket r;
  r.code = kResponse;
  r.id = req.id;
  switch (req.type) {
    case kIdentity:
      // RFC 3748 §5.1.
      MLOG_DEBUG(kAuth, "EAP: rec'd Request/Identity id {}", req.id);
      r.type = kIdentity;
      r.data.assign(authname_.begin(), authname_.end());
      break;
    case kNotification:
      // RFC 3748 §5.2: shown to the user, answered with an empty Response.
      MLOG_INFO(kAuth, "EAP: notification from peer: \"{}\"", Printable(req.data));
      r.type = kNotification;
      break;
    case kMd5: {
      auto md5 = ParseEapMd5Data(req.data);
      if (!md5) {
        Drop("EAP: malformed MD5-Challenge id {} dropped", req.id);
        return;
      }
      // RFC 3748 §5.4: the Value is computed as CHAP's (RFC 1994 §4.1).
      MLOG_DEBUG(kAuth, "EAP: rec'd Request/MD5-Challenge id {}", req.id);
      auto digest = aaa::ChapMd5Response(req.id, password_, md5->value);
      r.type = kMd5;
      r.data = SerializeEapMd5Data({std::vector<uint8_t>(digest.begin(), digest.end()), authname_});
      break;
    }
    case 0:
    case kNak:
      // RFC 3748 §5.3: Nak is valid only in a Response; type 0 is reserved.
      Drop("EAP: Request/{} ({}) id {} dropped", EapTypeName(req.type), req.type, req.id);
      return;
    case kExpanded:
      // RFC 3748 §5.3.2: an Expanded Request gets an Expanded Nak: Vendor-Id
      // 0, Vendor-Type 3 (Nak), then the proposal as an expanded type: MD5.
      MLOG_INFO(kAuth, "EAP: Request/Expanded id {} not supported, proposing MD5", req.id);
      r.type = kExpanded;
      r.data = {0, 0, 0, 0, 0, 0, kNak, kExpanded, 0, 0, 0, 0, 0, 0, kMd5};
      break;
    default:
      // RFC 3748 §5.3.1: legacy Nak proposing the one method we do.
      MLOG_INFO(kAuth, "EAP: Request/{} ({}) id {} not supported, proposing MD5",
                EapTypeName(req.type), req.type, req.id);
      r.type = kNak;
      r.data = {kMd5};
      break;
  }
  id_ = req.id;
  answered_ = true;
  response_ = SerializeEapBytes(r);
  ++responses_sent_;
  send_(kEapProto, Packet::Copy(response_));
}

}  // namespace mlppp::ppp
