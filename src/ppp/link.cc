#include "ppp/link.h"

#include <array>

#include "core/wire.h"
#include "ppp/frame.h"

namespace mlppp::ppp {

std::string_view PhaseName(Phase p) {
  static constexpr std::array<std::string_view, 5> kNames = {"DEAD", "ESTABLISH", "AUTHENTICATE",
                                                             "NETWORK", "TERMINATE"};
  return kNames[static_cast<size_t>(p)];
}

Link::Link(event::Loop& loop, std::string name, std::unique_ptr<link::Driver> driver,
           LinkConfig config, aaa::AuthBackend& backend, LinkEvents& events, Randomness random)
    : loop_(loop),
      name_(std::move(name)),
      driver_(std::move(driver)),
      config_(std::move(config)),
      backend_(*this, backend),
      events_(events),
      random_(std::move(random)),
      lcp_(
          loop, config_.lcp,
          [this](uint16_t proto, Packet&& info) { SendControl(proto, std::move(info)); }, *this,
          random_.u32) {
  driver_->SetEvents(this);
}

Link::~Link() { driver_->SetEvents(nullptr); }

void Link::SetPhase(Phase p) {
  if (p == phase_) return;
  MLOG_INFO(kLink, "[{}] phase {} -> {}", name_, PhaseName(phase_), PhaseName(p));
  phase_ = p;
}

void Link::Open() {
  MLOG_INFO(kLink, "[{}] open ({} {})", name_, driver_->Info().type, driver_->Info().peer_addr);
  lcp_.fsm().Open();
  if (driver_up_) {
    SetPhase(Phase::kEstablish);
    lcp_.fsm().Up();
  } else {
    driver_->Open();
  }
}

void Link::Close(std::string_view reason) {
  if (dead_) return;
  if (close_reason_.empty()) close_reason_ = std::string(reason);
  MLOG_INFO(kLink, "[{}] close: {}", name_, reason);
  if (!driver_up_) {
    // Still dialing: nothing to terminate on the wire (RFC 1661 §4.2 Starting).
    driver_->Close();
    Die(reason);
    return;
  }
  lcp_.fsm().Close(reason);
}

void Link::OnDriverUp() {
  if (dead_ || driver_up_) return;
  driver_up_ = true;
  auto info = driver_->Info();
  MLOG_INFO(kLink, "[{}] {} up: iface {} peer {} session {}", name_, info.type, info.iface,
            info.peer_addr, info.session_id);
  SetPhase(Phase::kEstablish);
  lcp_.fsm().Up();
}

void Link::OnDriverDown(std::string_view reason) {
  if (dead_) return;
  bool was_up = driver_up_;
  driver_up_ = false;
  MLOG_INFO(kLink, "[{}] device down: {}", name_, reason);
  if (was_up) lcp_.fsm().Down();
  Die(close_reason_.empty() ? reason : std::string_view(close_reason_));
}

void Link::Die(std::string_view reason) {
  if (dead_) return;
  dead_ = true;
  SetPhase(Phase::kDead);
  // Auth objects may be inside their own callback: delete after it returns.
  if (authenticator_) loop_.DeferDelete(std::move(authenticator_));
  if (auth_peer_) loop_.DeferDelete(std::move(auth_peer_));
  std::string r(reason);
  loop_.Post([this, r] { events_.OnLinkDead(*this, r); });
}

void Link::OnFrame(Packet&& frame) {
  if (dead_) return;
  // A frame proves the call is up even if the driver's (posted) up event has
  // not been delivered yet: a server session's first LCP Configure-Request
  // can arrive in the same batch as the PADR. Without this, LCP would drop
  // it in Starting and wait a whole restart interval.
  if (!driver_up_) OnDriverUp();
  counters_.rx_frames++;
  counters_.rx_octets += frame.size();
  lcp_.NoteFrameReceived();
  auto proto = DecodeFrame(frame);
  if (!proto) {
    counters_.bad_frames++;
    MLOG_PEER_ERROR(bad_frame_log_, kLink, "[{}] malformed PPP frame ({} octets) dropped", name_,
                    frame.size());
    return;
  }
  uint16_t p = *proto;
  if (p == static_cast<uint16_t>(Proto::kLcp)) {
    lcp_.fsm().Input(frame.span());
    return;
  }
  if (p == static_cast<uint16_t>(Proto::kPap) || p == static_cast<uint16_t>(Proto::kChap) ||
      p == static_cast<uint16_t>(Proto::kEap)) {
    // RFC 1334 §2.2 / RFC 1994 §4 / RFC 3748 §4: requests (PAP) and
    // responses (CHAP, EAP) go to the side that authenticates the peer;
    // challenges, EAP requests and verdicts to the side proving us.
    WireReader r(frame.span());
    uint8_t code = r.U8();
    bool to_authenticator = p == static_cast<uint16_t>(Proto::kPap) ? code == 1 : code == 2;
    if (to_authenticator && authenticator_) {
      authenticator_->Input(frame.span());
    } else if (!to_authenticator && auth_peer_) {
      auth_peer_->Input(frame.span());
    } else if (phase_ != Phase::kNetwork) {
      counters_.discarded++;
    }
    return;
  }
  if (phase_ != Phase::kNetwork) {
    // RFC 1661 §3.4/§3.5: network-layer packets before the network phase are
    // silently discarded.
    counters_.discarded++;
    return;
  }
  events_.OnNetworkFrame(*this, p, std::move(frame));
}

void Link::SendControl(uint16_t protocol, Packet&& info) {
  if (!driver_up_) return;
  bool opened = lcp_.fsm().state() == FsmState::kOpened;
  const LcpResult& r = lcp_.result();
  bool ac = driver_->WantsAddressControl() && !(opened && r.send_acfc);
  EncodeFrame(info, protocol, ac, opened && r.send_pfc);
  counters_.tx_frames++;
  counters_.tx_octets += info.size();
  driver_->Send(std::move(info));
}

void Link::SendNetwork(uint16_t protocol, Packet&& info) {
  if (phase_ != Phase::kNetwork) {
    counters_.discarded++;
    return;
  }
  SendControl(protocol, std::move(info));
}

void Link::RejectProtocol(uint16_t protocol, std::span<const uint8_t> info) {
  if (lcp_.fsm().state() == FsmState::kOpened) lcp_.SendProtocolReject(protocol, info);
}

void Link::OnLcpUp(const LcpResult& r) {
  MLOG_INFO(kLcp, "[{}] LCP up: mru {} peer-mru {} auth us->peer {} peer->us {}", name_, r.our_mru,
            r.peer_mru, AuthTypeName(r.peer_must_auth), AuthTypeName(r.we_must_auth));
  SetPhase(Phase::kAuthenticate);
  auto send = [this](uint16_t proto, Packet&& info) { SendControl(proto, std::move(info)); };
  need_auth_peer_ = r.peer_must_auth != AuthType::kNone;
  need_auth_us_ = r.we_must_auth != AuthType::kNone;
  if (need_auth_peer_) {
    auto done = [this](AuthOutcome out) {
      if (dead_) return;
      if (!out.ok) {
        MLOG_WARN(kAuth, "[{}] peer \"{}\" failed authentication: {}", name_, out.peer_name,
                  out.message);
        Close("authentication failed");
        return;
      }
      MLOG_INFO(kAuth, "[{}] peer authenticated as \"{}\"", name_, out.peer_name);
      peer_authname_ = out.peer_name;
      auth_result_ = out.result;
      need_auth_peer_ = false;
      AuthStep();
    };
    authenticator_ = MakeAuthenticator(r.peer_must_auth, loop_, send, backend_, random_.fill,
                                       config_.auth_timing, config_.eap, std::move(done));
  }
  if (need_auth_us_) {
    auto done = [this](bool ok, std::string message) {
      if (dead_) return;
      if (!ok) {
        MLOG_WARN(kAuth, "[{}] peer refused our credentials as \"{}\": {}", name_, config_.authname,
                  message);
        Close("authentication failed");
        return;
      }
      MLOG_INFO(kAuth, "[{}] authenticated to peer as \"{}\"", name_, config_.authname);
      if (auth_peer_) peer_mppe_ = auth_peer_->mppe_keys();
      need_auth_us_ = false;
      AuthStep();
    };
    auth_peer_ = MakeAuthPeer(r.we_must_auth, loop_, send, config_.authname, config_.password,
                              random_.fill, config_.auth_timing, std::move(done));
  }
  if (authenticator_) authenticator_->Start();
  if (auth_peer_) auth_peer_->Start();
  AuthStep();
}

void Link::AuthStep() {
  if (phase_ != Phase::kAuthenticate || need_auth_peer_ || need_auth_us_) return;
  SetPhase(Phase::kNetwork);
  events_.OnLinkNetwork(*this);
}

void Link::OnLcpDown() {
  bool was_network = phase_ == Phase::kNetwork;
  if (!dead_) SetPhase(Phase::kTerminate);
  if (authenticator_) loop_.DeferDelete(std::move(authenticator_));
  if (auth_peer_) loop_.DeferDelete(std::move(auth_peer_));
  if (was_network) events_.OnLinkLeftNetwork(*this);
}

void Link::OnLcpStarted() {}

void Link::OnLcpFinished(std::string_view reason) {
  if (dead_) return;
  std::string r = close_reason_.empty() ? std::string(reason) : close_reason_;
  MLOG_INFO(kLcp, "[{}] LCP finished: {}", name_, r);
  driver_->Close();
  Die(r);
}

void Link::OnEchoTimeout() {
  if (dead_) return;
  MLOG_WARN(kLink, "[{}] no reply to LCP Echo-Request: peer is gone", name_);
  close_reason_ = "keep-alive timeout";
  driver_->Close();
  bool was_up = driver_up_;
  driver_up_ = false;
  if (was_up) lcp_.fsm().Down();
  Die(close_reason_);
}

void Link::OnProtocolRejected(uint16_t protocol) {
  MLOG_INFO(kLink, "[{}] peer rejected protocol {}", name_, ProtoName(protocol));
  events_.OnProtocolRejected(*this, protocol);
}

void Link::ContextBackend::Authenticate(const aaa::AuthRequest& req,
                                        std::function<void(aaa::AuthResult)> done) {
  aaa::AuthRequest r = req;
  link::PeerInfo info = link_.driver_->Info();
  r.ctx.link = link_.name_;
  r.ctx.session_id = link_.config_.session_id;
  r.ctx.nas_port = link_.config_.nas_port;
  r.ctx.link_type = info.type;
  r.ctx.iface = info.iface;
  r.ctx.calling_station = info.peer_addr;
  r.ctx.called_station = info.self_addr;
  inner_.Authenticate(r, std::move(done));
}

}  // namespace mlppp::ppp
