#include "ppp/lcp.h"

#include <algorithm>

#include "core/wire.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {

namespace {

constexpr uint16_t kDefaultMru = 1500;  // RFC 1661 §6.1
constexpr uint16_t kMinMru = 64;        // below this a peer cannot even carry LCP sensibly
constexpr int kMaxLoopDetections = 5;   // consecutive own-magic ConfReqs (RFC 1661 §6.4)
constexpr uint8_t kChapMd5 = 5;         // RFC 1994 §3 Algorithm
constexpr uint8_t kChapMsV1 = 0x80;     // RFC 2433 §2
constexpr uint8_t kChapMsV2 = 0x81;     // RFC 2759 §2
constexpr size_t kCpHeader = 4;

uint8_t T(LcpOpt o) { return static_cast<uint8_t>(o); }

std::vector<uint8_t> U16Bytes(uint16_t v) {
  return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}
std::vector<uint8_t> U32Bytes(uint32_t v) {
  std::vector<uint8_t> out;
  WireWriter(out).U32(v);
  return out;
}

// RFC 1661 §6.2 Authentication-Protocol data for the protocols we speak.
std::vector<uint8_t> EncodeAuth(AuthType t) {
  switch (t) {
    case AuthType::kPap:
      return U16Bytes(static_cast<uint16_t>(Proto::kPap));
    case AuthType::kChapMd5:
    case AuthType::kChapMsV1:
    case AuthType::kChapMsV2: {
      auto d = U16Bytes(static_cast<uint16_t>(Proto::kChap));
      d.push_back(t == AuthType::kChapMd5    ? kChapMd5
                  : t == AuthType::kChapMsV1 ? kChapMsV1
                                             : kChapMsV2);
      return d;
    }
    case AuthType::kEap:
      return U16Bytes(static_cast<uint16_t>(Proto::kEap));
    case AuthType::kNone:
      break;
  }
  return {};
}
// kNone for anything we do not speak or that is malformed.
AuthType DecodeAuth(std::span<const uint8_t> data) {
  WireReader r(data);
  uint16_t proto = r.U16();
  if (!r.ok()) return AuthType::kNone;
  if (proto == static_cast<uint16_t>(Proto::kPap) && r.AtEnd()) return AuthType::kPap;
  if (proto == static_cast<uint16_t>(Proto::kEap) && r.AtEnd()) return AuthType::kEap;
  if (proto == static_cast<uint16_t>(Proto::kChap) && r.remaining() == 1) {
    switch (r.U8()) {
      case kChapMd5:
        return AuthType::kChapMd5;
      case kChapMsV1:
        return AuthType::kChapMsV1;
      case kChapMsV2:
        return AuthType::kChapMsV2;
    }
  }
  return AuthType::kNone;
}

bool Contains(const std::vector<AuthType>& v, AuthType t) {
  return std::find(v.begin(), v.end(), t) != v.end();
}

}  // namespace

std::string_view LcpOptName(uint8_t type) {
  switch (static_cast<LcpOpt>(type)) {
    case LcpOpt::kMru:
      return "MRU";
    case LcpOpt::kAccm:
      return "ACCMAP";
    case LcpOpt::kAuthProto:
      return "AUTHPROTO";
    case LcpOpt::kQualityProto:
      return "QUALPROTO";
    case LcpOpt::kMagic:
      return "MAGICNUM";
    case LcpOpt::kPfc:
      return "PROTOCOMP";
    case LcpOpt::kAcfc:
      return "ACFCOMP";
    case LcpOpt::kCallback:
      return "CALLBACK";
    case LcpOpt::kMrru:
      return "MRRU";
    case LcpOpt::kShortSeq:
      return "SHORTSEQ";
    case LcpOpt::kEndpointDisc:
      return "ENDPOINTDISC";
  }
  return "unknown";
}

Lcp::Lcp(event::Loop& loop, LcpConfig config, ControlSender send, LcpEvents& events,
         std::function<uint32_t()> random)
    : loop_(loop),
      config_(std::move(config)),
      events_(events),
      random_(std::move(random)),
      fsm_(loop, static_cast<uint16_t>(Proto::kLcp), "LCP", *this, std::move(send), config_.fsm),
      echo_timer_(loop.CreateTimer()) {
  // want_ is filled by ResetOptions(), which the FSM calls before our first
  // Configure-Request.
}

Lcp::~Lcp() = default;

uint32_t Lcp::NewMagic() {
  // RFC 1661 §6.4: zero is not a Magic-Number.
  for (int i = 0; i < 8; ++i) {
    if (uint32_t m = random_()) return m;
  }
  return 1;
}

void Lcp::ResetOptions() {
  want_ = Want{};
  if (config_.mru != kDefaultMru) want_.mru = config_.mru;
  if (!config_.require_auth.empty()) want_.auth = config_.require_auth.front();
  if (config_.magic_enable) want_.magic = NewMagic();
  want_.pfc = config_.pfc_enable;
  want_.acfc = config_.acfc_enable;
  loop_detections_ = 0;
  // Only our side: the peer's side is set by CheckConfReq, which may already
  // have run for this negotiation (RCR in Stopped: irc,scr,sca).
  result_.our_mru = kDefaultMru;
  result_.peer_must_auth = AuthType::kNone;
  result_.our_magic = 0;
}

std::vector<CpOption> Lcp::BuildConfReq() {
  std::vector<CpOption> opts;
  if (want_.mru) opts.push_back({T(LcpOpt::kMru), U16Bytes(*want_.mru)});
  if (want_.auth != AuthType::kNone)
    opts.push_back({T(LcpOpt::kAuthProto), EncodeAuth(want_.auth)});
  if (want_.magic) opts.push_back({T(LcpOpt::kMagic), U32Bytes(*want_.magic)});
  if (want_.pfc) opts.push_back({T(LcpOpt::kPfc), {}});
  if (want_.acfc) opts.push_back({T(LcpOpt::kAcfc), {}});
  return opts;
}

ConfReqVerdict Lcp::CheckConfReq(std::span<const CpOption> opts) {
  std::vector<CpOption> naks, rejs;
  std::optional<uint16_t> mru;
  AuthType auth = AuthType::kNone;
  uint32_t magic = 0;
  bool pfc = false, acfc = false, looped = false;
  for (const CpOption& o : opts) {
    WireReader r(o.data);
    switch (static_cast<LcpOpt>(o.type)) {
      case LcpOpt::kMru: {  // §6.1
        uint16_t v = r.U16();
        if (!r.ok() || !r.AtEnd()) {
          rejs.push_back(o);
        } else if (v > config_.max_peer_mru || v < kMinMru) {
          naks.push_back({o.type, U16Bytes(config_.max_peer_mru)});
        } else {
          mru = v;
        }
        break;
      }
      case LcpOpt::kAccm:  // RFC 1662 §7.1; rejected where the link forbids it (RFC 2516 §7)
        if (!config_.accm_accept || o.data.size() != 4) rejs.push_back(o);
        break;
      case LcpOpt::kAuthProto: {  // §6.2
        AuthType t = DecodeAuth(o.data);
        if (t != AuthType::kNone && Contains(config_.accept_auth, t)) {
          auth = t;
        } else if (!config_.accept_auth.empty()) {
          naks.push_back({o.type, EncodeAuth(config_.accept_auth.front())});
        } else {
          rejs.push_back(o);
        }
        break;
      }
      case LcpOpt::kMagic: {  // §6.4
        uint32_t v = r.U32();
        if (!r.ok() || !r.AtEnd()) {
          rejs.push_back(o);
        } else if (v == 0) {
          naks.push_back({o.type, U32Bytes(NewMagic())});
        } else if (want_.magic && v == *want_.magic) {
          looped = true;  // possibly our own request coming back
          naks.push_back({o.type, U32Bytes(NewMagic())});
        } else {
          magic = v;
        }
        break;
      }
      case LcpOpt::kPfc:  // §6.5
        if (!o.data.empty() || !config_.pfc_accept) {
          rejs.push_back(o);
        } else {
          pfc = true;
        }
        break;
      case LcpOpt::kAcfc:  // §6.6
        if (!o.data.empty() || !config_.acfc_accept) {
          rejs.push_back(o);
        } else {
          acfc = true;
        }
        break;
      default:
        rejs.push_back(o);
        break;
    }
  }
  if (looped) {
    ++loop_detections_;
    MLOG_WARN(kLcp, "[LCP] peer sent our own Magic-Number ({} in a row): link looped back?",
              loop_detections_);
    if (loop_detections_ >= kMaxLoopDetections) fsm_.Close("loopback detected");
  } else {
    loop_detections_ = 0;
  }
  for (const auto& o : rejs) MLOG_DEBUG(kLcp, "[LCP] reject {} ({})", LcpOptName(o.type), o.type);
  for (const auto& o : naks) MLOG_DEBUG(kLcp, "[LCP] nak {}", LcpOptName(o.type));
  // §5.3/5.4: Rej takes precedence; a Nak lists only acceptable values.
  if (!rejs.empty()) return {ConfReqVerdict::Kind::kRej, std::move(rejs)};
  if (!naks.empty()) return {ConfReqVerdict::Kind::kNak, std::move(naks)};
  result_.peer_mru = std::min(mru.value_or(kDefaultMru), config_.max_peer_mru);
  result_.we_must_auth = auth;
  result_.peer_magic = magic;
  result_.send_pfc = pfc;
  result_.send_acfc = acfc;
  return {};
}

void Lcp::OnConfAck(std::span<const CpOption> opts) {
  result_.our_mru = kDefaultMru;
  result_.peer_must_auth = AuthType::kNone;
  result_.our_magic = 0;
  for (const CpOption& o : opts) {
    WireReader r(o.data);
    switch (static_cast<LcpOpt>(o.type)) {
      case LcpOpt::kMru:
        result_.our_mru = r.U16();
        break;
      case LcpOpt::kAuthProto:
        result_.peer_must_auth = DecodeAuth(o.data);
        break;
      case LcpOpt::kMagic:
        result_.our_magic = r.U32();
        break;
      default:
        break;
    }
  }
}

void Lcp::OnConfNak(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    WireReader r(o.data);
    switch (static_cast<LcpOpt>(o.type)) {
      case LcpOpt::kMru: {
        // A smaller MRU we can always receive; a larger one this link cannot.
        uint16_t v = r.U16();
        if (r.ok() && v >= kMinMru && v <= config_.mru) want_.mru = v;
        break;
      }
      case LcpOpt::kAuthProto: {
        if (want_.auth == AuthType::kNone) break;  // a hint for an option we do not want
        want_.auth_tried.push_back(want_.auth);
        AuthType suggested = DecodeAuth(o.data);
        if (suggested != AuthType::kNone && Contains(config_.require_auth, suggested) &&
            !Contains(want_.auth_tried, suggested)) {
          MLOG_INFO(kLcp, "[LCP] peer prefers {} authentication", AuthTypeName(suggested));
          want_.auth = suggested;
        } else {
          want_.auth = AuthType::kNone;
          fsm_.Close("peer refused authentication");
        }
        break;
      }
      case LcpOpt::kMagic:  // §6.4: choose another one
        if (want_.magic) want_.magic = NewMagic();
        break;
      case LcpOpt::kPfc:
        want_.pfc = false;
        break;  // flags cannot be Nak'd into anything else
      case LcpOpt::kAcfc:
        want_.acfc = false;
        break;
      default:
        break;
    }
  }
}

void Lcp::OnConfRej(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    switch (static_cast<LcpOpt>(o.type)) {
      case LcpOpt::kMru:
        want_.mru.reset();
        break;
      case LcpOpt::kAuthProto:
        want_.auth = AuthType::kNone;
        if (!config_.require_auth.empty()) fsm_.Close("peer refused authentication");
        break;
      case LcpOpt::kMagic:
        want_.magic.reset();
        break;
      case LcpOpt::kPfc:
        want_.pfc = false;
        break;
      case LcpOpt::kAcfc:
        want_.acfc = false;
        break;
      default:
        break;
    }
  }
}

void Lcp::ThisLayerUp() {
  MLOG_INFO(
      kLcp,
      "[LCP] up: MRU peer {} ours {}, auth peer {} us {}, PFC {} ACFC {}, magic {:08x}/{:08x}",
      result_.peer_mru, result_.our_mru, AuthTypeName(result_.peer_must_auth),
      AuthTypeName(result_.we_must_auth), result_.send_pfc, result_.send_acfc, result_.our_magic,
      result_.peer_magic);
  last_heard_ = loop_.Now();
  echo_timeout_reported_ = false;
  if (config_.echo_interval > event::Duration::zero()) {
    echo_timer_->Start(config_.echo_interval, [this] { EchoTick(); });
  }
  events_.OnLcpUp(result_);
}

void Lcp::ThisLayerDown() {
  echo_timer_->Stop();
  events_.OnLcpDown();
}

void Lcp::ThisLayerStarted() { events_.OnLcpStarted(); }

void Lcp::ThisLayerFinished() {
  echo_timer_->Stop();
  events_.OnLcpFinished(fsm_.failure_reason());
}

bool Lcp::OnOtherCode(const CpPacket& pkt) {
  switch (static_cast<CpCode>(pkt.code)) {
    case CpCode::kProtRej: {  // §5.7; the FSM has checked the length
      WireReader r(pkt.data);
      uint16_t proto = r.U16();
      MLOG_INFO(kLcp, "[LCP] peer rejected protocol {:04x} ({})", proto, ProtoName(proto));
      if (fsm_.state() == FsmState::kOpened && proto != static_cast<uint16_t>(Proto::kLcp)) {
        events_.OnProtocolRejected(proto);
      }
      return true;
    }
    case CpCode::kEchoReq:  // only reached in Opened (ser)
      HandleEchoRequest(pkt);
      return true;
    case CpCode::kEchoReply:
      HandleEchoReply(pkt);
      return true;
    case CpCode::kDiscardReq:  // §5.9
      ++counters_.discard;
      last_heard_ = loop_.Now();
      return true;
    case CpCode::kIdent:  // RFC 1570 §2.3, §2.4: informational
    case CpCode::kTimeRemain:
      MLOG_DEBUG(kLcp, "[LCP] {} id={} ignored", CpCodeName(pkt.code), pkt.id);
      return true;
    default:
      return false;
  }
}

void Lcp::HandleEchoRequest(const CpPacket& pkt) {
  WireReader r(pkt.data);
  uint32_t magic = r.U32();
  if (!r.ok()) {
    ++counters_.bad_packets;
    MLOG_PEER_ERROR(limiter_, kEcho, "[LCP] short EchoReq id={} dropped", pkt.id);
    return;
  }
  if (result_.our_magic != 0 && magic == result_.our_magic) {
    // §5.8: our own request came back: the link is looped.
    ++counters_.bad_magic;
    MLOG_PEER_ERROR(limiter_, kEcho, "[LCP] EchoReq carries our own magic: looped link?");
    return;
  }
  last_heard_ = loop_.Now();
  std::vector<uint8_t> reply;
  WireWriter w(reply);
  w.U32(result_.our_magic);
  w.Bytes(r.Rest());
  size_t max = result_.peer_mru > kCpHeader ? result_.peer_mru - kCpHeader : 0;
  if (reply.size() > max) reply.resize(max);
  fsm_.SendPacket(static_cast<uint8_t>(CpCode::kEchoReply), pkt.id, reply);
}

void Lcp::HandleEchoReply(const CpPacket& pkt) {
  WireReader r(pkt.data);
  uint32_t magic = r.U32();
  if (!r.ok()) {
    ++counters_.bad_packets;
    MLOG_PEER_ERROR(limiter_, kEcho, "[LCP] short EchoRep id={} dropped", pkt.id);
    return;
  }
  if ((result_.peer_magic != 0 && magic != result_.peer_magic) ||
      (result_.our_magic != 0 && magic == result_.our_magic)) {
    ++counters_.bad_magic;
    MLOG_PEER_ERROR(limiter_, kEcho, "[LCP] EchoRep with magic {:08x}, expected {:08x}: dropped",
                    magic, result_.peer_magic);
    return;
  }
  ++counters_.echo_replies;
  last_heard_ = loop_.Now();
  if (echo_outstanding_ == pkt.id) {
    echo_rtt_.Add(last_heard_ - echo_sent_at_);
    echo_outstanding_.reset();
  }
}

void Lcp::EchoTick() {
  if (fsm_.state() != FsmState::kOpened) return;
  if (loop_.Now() - last_heard_ >= config_.echo_max) {
    if (!echo_timeout_reported_) {
      echo_timeout_reported_ = true;
      MLOG_WARN(
          kEcho, "[LCP] no reply from peer for {} s: dead peer",
          std::chrono::duration_cast<std::chrono::seconds>(loop_.Now() - last_heard_).count());
      events_.OnEchoTimeout();
    }
    return;
  }
  // §5.8: Echo-Request carries our Magic-Number (zero if not negotiated).
  ++counters_.echo_sent;
  uint8_t id = fsm_.NextId();
  echo_outstanding_ = id;
  echo_sent_at_ = loop_.Now();
  fsm_.SendPacket(static_cast<uint8_t>(CpCode::kEchoReq), id, U32Bytes(result_.our_magic));
  echo_timer_->Start(config_.echo_interval, [this] { EchoTick(); });
}

void Lcp::NoteFrameReceived() { last_heard_ = loop_.Now(); }

void Lcp::SendProtocolReject(uint16_t protocol, std::span<const uint8_t> info) {
  // §5.7: Protocol-Reject is only sent in Opened.
  if (fsm_.state() != FsmState::kOpened) {
    MLOG_DEBUG(kLcp, "[LCP] frame of protocol {:04x} while {}, dropped", protocol,
               FsmStateName(fsm_.state()));
    return;
  }
  MLOG_INFO(kLcp, "[LCP] rejecting protocol {:04x} ({})", protocol, ProtoName(protocol));
  std::vector<uint8_t> data;
  WireWriter w(data);
  w.U16(protocol);
  w.Bytes(info);
  size_t max = result_.peer_mru > kCpHeader ? result_.peer_mru - kCpHeader : 0;
  if (data.size() > max) data.resize(max);
  fsm_.SendPacket(static_cast<uint8_t>(CpCode::kProtRej), fsm_.NextId(), data);
}

}  // namespace mlppp::ppp
