#include "link/l2tp/tunnel.h"

#include <fnmatch.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "link/l2tp/node.h"
#include "link/l2tp/session.h"

namespace mlppp::link::l2tp {
namespace {

using St = Tunnel::State;

constexpr uint8_t Bit(St s) { return static_cast<uint8_t>(1u << static_cast<unsigned>(s)); }
constexpr uint8_t kNotClosing =
    Bit(St::kIdle) | Bit(St::kWaitCtlReply) | Bit(St::kWaitCtlConn) | Bit(St::kEstablished);
constexpr uint16_t kFirmwareRevision = 0x0100;
constexpr std::string_view kVendorName = "mlpppd";
constexpr size_t kChallengeSize = 16;
// Session IDs are 16 bits; keep random picks cheap by leaving room.
constexpr size_t kMaxCallsPerTunnel = 60000;

std::string_view Name(MessageType t) { return MessageTypeName(static_cast<uint16_t>(t)); }

}  // namespace

// §7.2: which state accepts which message. Session messages other than the
// call requests go to the session named in the header (§7.4 tables there).
const Tunnel::Rule Tunnel::kRules[] = {
    {MessageType::kSCCRQ, &Tunnel::OnSccrq, Bit(St::kIdle)},
    {MessageType::kSCCRP, &Tunnel::OnSccrp, Bit(St::kWaitCtlReply)},
    {MessageType::kSCCCN, &Tunnel::OnScccn, Bit(St::kWaitCtlConn)},
    {MessageType::kStopCCN, &Tunnel::OnStopCcn, kNotClosing},
    {MessageType::kHELLO, &Tunnel::OnHello, Bit(St::kEstablished)},
    {MessageType::kICRQ, &Tunnel::OnIcrq, Bit(St::kEstablished)},
    {MessageType::kOCRQ, &Tunnel::OnOcrq, Bit(St::kEstablished)},
    {MessageType::kICRP, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kICCN, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kOCRP, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kOCCN, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kCDN, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kWEN, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
    {MessageType::kSLI, &Tunnel::OnSessionMessage, Bit(St::kEstablished)},
};

std::string_view Tunnel::StateName(State s) {
  switch (s) {
    case State::kIdle:
      return "idle";
    case State::kWaitCtlReply:
      return "wait-ctl-reply";
    case State::kWaitCtlConn:
      return "wait-ctl-conn";
    case State::kEstablished:
      return "established";
    case State::kClosing:
      return "closing";
    case State::kClosed:
      return "closed";
  }
  return "unknown";
}

Tunnel::Tunnel(Node& node, uint16_t local_id, Endpoint peer, TunnelConfig config, bool initiator)
    : node_(node),
      loop_(node.loop()),
      local_id_(local_id),
      peer_(peer),
      dialed_peer_(std::move(peer)),
      config_(std::move(config)),
      hiding_{config_.secret, config_.hidden},
      initiator_(initiator),
      hello_timer_(loop_.CreateTimer()),
      idle_timer_(loop_.CreateTimer()),
      hold_timer_(loop_.CreateTimer()) {
  ControlChannel::Hooks hooks;
  hooks.send = [this](uint16_t ns, uint16_t nr, std::span<const uint8_t> body) {
    SendRaw(ns, nr, body);
  };
  hooks.deliver = [this](Packet&& body) {
    uint16_t ns = rx_next_++;
    uint16_t sid = 0;
    if (auto it = rx_session_.find(ns); it != rx_session_.end()) {
      sid = it->second;
      rx_session_.erase(it);
    }
    Deliver(std::move(body), sid);
  };
  hooks.failed = [this] { OnChannelFailed(); };
  channel_ = std::make_unique<ControlChannel>(loop_, node_.config().control, std::move(hooks));
  rx_next_ = node_.config().control.initial_nr;
}

Tunnel::~Tunnel() { KillSessions("tunnel deleted"); }

void Tunnel::SetState(State s, std::string_view why) {
  if (s == state_) return;
  MLOG_INFO(kPhys, "l2tp: tunnel {} ({}): {} -> {}: {}", local_id_, peer_.ToString(),
            StateName(state_), StateName(s), why);
  state_ = s;
}

void Tunnel::Start() {
  if (state_ != State::kIdle || !initiator_) return;
  ControlMessage m = StartMessage(MessageType::kSCCRQ);
  SendTunnelMessage(m);
  SetState(State::kWaitCtlReply, "SCCRQ sent");
}

ControlMessage Tunnel::StartMessage(MessageType type) {
  ControlMessage m;
  m.type = type;
  m.protocol_version = ProtocolVersion{1, 0};
  m.host_name = node_.HostName(config_);
  m.framing_capabilities = kFramingSync | kFramingAsync;
  m.bearer_capabilities = kBearerDigital | kBearerAnalog;
  m.assigned_tunnel_id = local_id_;
  m.receive_window_size = node_.config().control.local_window;
  m.firmware_revision = kFirmwareRevision;
  m.vendor_name = std::string(kVendorName);
  if (!config_.secret.empty()) {
    // §5.1.1: with a secret, we challenge the peer in our SCCRQ/SCCRP.
    our_challenge_.assign(kChallengeSize, 0);
    node_.RandomBytes(our_challenge_);
    m.challenge = our_challenge_;
  }
  return m;
}

bool Tunnel::AcceptsSource(const Endpoint& from) const {
  if (from.addr != peer_.addr) return false;
  return state_ == State::kWaitCtlReply || from.port == peer_.port;
}

void Tunnel::OnControl(const Endpoint& from, const ParsedHeader& p) {
  if (state_ == State::kClosed) return;
  if (state_ == State::kWaitCtlReply && from.port != peer_.port && !p.payload.empty()) {
    // §8.1: the responder may answer from a port of its choosing; we talk to
    // that one from now on.
    peer_.port = from.port;
  }
  ArmHello();
  const Header& h = p.header;
  uint16_t ahead = static_cast<uint16_t>(h.ns - rx_next_);
  if (!p.payload.empty() && ahead < node_.config().control.local_window) {
    rx_session_[h.ns] = h.session_id;
  }
  channel_->OnReceive(h.ns, h.nr, Packet::Copy(p.payload));
}

void Tunnel::Deliver(Packet&& body, uint16_t header_sid) {
  if (state_ == State::kClosed) return;
  ControlMessage m;
  DecodeResult r = DecodeControl(body.span(), Hiding(), &m);
  if (!r.ok()) {
    ++counters_.decode_errors;
    MLOG_PEER_ERROR(node_.peer_errors(), kPhys, "l2tp: tunnel {}: {}", local_id_, r.Describe());
    if (state_ == State::kClosing) return;
    if (r.teardown == Teardown::kTunnel) {
      Stop(StopCcnResult::kGeneralError, fmt::format("bad control message: {}", r.Describe()));
    } else if (r.teardown == Teardown::kSession) {
      if (L2tpSession* s = FindSession(header_sid)) {
        s->Abort(
            CdnResult::kGeneralError, r.error_code,
            fmt::format("bad {}: {}", MessageTypeName(r.message_type), DecodeErrorName(r.error)));
      }
    }
    return;
  }
  ParsedHeader p;
  p.header.control = true;
  p.header.tunnel_id = local_id_;
  p.header.session_id = header_sid;
  MLOG_DEBUG(kPhys2, "l2tp: tunnel {}: received {} session {}", local_id_, Name(m.type),
             header_sid);
  if (state_ == State::kClosing) return;  // §5.7: only acknowledged
  for (const Rule& rule : kRules) {
    if (rule.type != m.type) continue;
    if (rule.states & Bit(state_)) {
      (this->*rule.handler)(p, m);
      return;
    }
    break;
  }
  ++counters_.unexpected_messages;
  MLOG_PEER_ERROR(node_.peer_errors(), kPhys, "l2tp: tunnel {}: unexpected {} in state {}",
                  local_id_, Name(m.type), StateName(state_));
  // §7.2: an unexpected control-connection message tears the tunnel down.
  Stop(StopCcnResult::kFsmError, fmt::format("unexpected {}", Name(m.type)));
}

bool Tunnel::TakePeerStart(const ControlMessage& m) {
  peer_host_name_ = m.host_name.value_or("");
  if (!m.assigned_tunnel_id || *m.assigned_tunnel_id == 0) {
    Stop(StopCcnResult::kGeneralError, "Assigned Tunnel ID 0");
    return false;
  }
  peer_id_ = *m.assigned_tunnel_id;
  if (m.receive_window_size) channel_->SetPeerWindow(*m.receive_window_size);
  if (!config_.pmask.empty() && fnmatch(config_.pmask.c_str(), peer_host_name_.c_str(), 0) != 0) {
    ++counters_.auth_failures;
    Stop(StopCcnResult::kNotAuthorized,
         fmt::format("peer host name \"{}\" does not match pmask", peer_host_name_));
    return false;
  }
  if (m.challenge) {
    if (config_.secret.empty()) {
      // §5.1.1: we cannot answer a challenge without the shared secret.
      ++counters_.auth_failures;
      Stop(StopCcnResult::kNotAuthorized, "peer sent a Challenge and we have no secret");
      return false;
    }
    peer_challenge_ = *m.challenge;
  }
  return true;
}

bool Tunnel::CheckResponse(const ControlMessage& m, MessageType carried_by) {
  if (config_.secret.empty()) return true;
  auto want = ChallengeResponse(carried_by, config_.secret, our_challenge_);
  if (!m.challenge_response || !std::equal(want.begin(), want.end(), m.challenge_response->begin(),
                                           m.challenge_response->end())) {
    ++counters_.auth_failures;
    Stop(StopCcnResult::kNotAuthorized,
         m.challenge_response ? "wrong Challenge Response" : "no Challenge Response");
    return false;
  }
  return true;
}

void Tunnel::OnSccrq(const ParsedHeader&, const ControlMessage& m) {
  if (!TakePeerStart(m)) return;
  ControlMessage r = StartMessage(MessageType::kSCCRP);
  if (peer_challenge_) {
    auto resp = ChallengeResponse(MessageType::kSCCRP, config_.secret, *peer_challenge_);
    r.challenge_response = Bytes(resp.begin(), resp.end());
  }
  SendTunnelMessage(r);
  SetState(State::kWaitCtlConn, fmt::format("SCCRQ from \"{}\"", peer_host_name_));
}

void Tunnel::OnSccrp(const ParsedHeader&, const ControlMessage& m) {
  if (!TakePeerStart(m)) return;
  if (!CheckResponse(m, MessageType::kSCCRP)) return;
  ControlMessage c;
  c.type = MessageType::kSCCCN;
  if (peer_challenge_) {
    auto resp = ChallengeResponse(MessageType::kSCCCN, config_.secret, *peer_challenge_);
    c.challenge_response = Bytes(resp.begin(), resp.end());
  }
  SendTunnelMessage(c);
  EnterEstablished();
}

void Tunnel::OnScccn(const ParsedHeader&, const ControlMessage& m) {
  if (!CheckResponse(m, MessageType::kSCCCN)) return;
  EnterEstablished();
}

void Tunnel::EnterEstablished() {
  SetState(State::kEstablished, fmt::format("peer \"{}\" tunnel {}", peer_host_name_, peer_id_));
  node_.OnTunnelEstablished(this);
  ArmHello();
  // Calls that waited for the tunnel go out now.
  std::vector<L2tpSession*> waiting;
  for (auto& [id, s] : sessions_) {
    if (s->state() == L2tpSession::State::kWaitTunnel) waiting.push_back(s);
  }
  for (L2tpSession* s : waiting) s->StartCall();
  UpdateIdle();
}

void Tunnel::OnStopCcn(const ParsedHeader&, const ControlMessage& m) {
  // A StopCCN answering our SCCRQ: its Assigned Tunnel ID is where our
  // acknowledgement goes (§5.7).
  if (peer_id_ == 0 && m.assigned_tunnel_id) peer_id_ = *m.assigned_tunnel_id;
  uint16_t result = m.result_code ? m.result_code->result : 0;
  std::string why = fmt::format("StopCCN from peer: {}", StopCcnResultName(result));
  if (m.result_code && !m.result_code->message.empty()) {
    why += fmt::format(" ({})", m.result_code->message);
  }
  EnterClosing(why);
}

void Tunnel::OnHello(const ParsedHeader&, const ControlMessage&) {
  // §6.5: nothing to do beyond the acknowledgement the channel sends.
}

L2tpSession* Tunnel::NewIncoming(const ParsedHeader&, const ControlMessage& m, int kind) {
  // l2tplimit only decides when we open another tunnel for our own calls;
  // a peer's LAC may put as many calls in one tunnel as it likes.
  if (!node_.listening() || sessions_.size() >= kMaxCallsPerTunnel) {
    // §6.12: refuse with CDN, Result Code 4 (no resources).
    ControlMessage cdn;
    cdn.type = MessageType::kCDN;
    cdn.assigned_session_id = 0;
    cdn.result_code = ResultCode{static_cast<uint16_t>(CdnResult::kTemporaryNoResources),
                                 std::nullopt, std::string()};
    SendSessionMessage(m.assigned_session_id.value_or(0), cdn);
    MLOG_PEER_ERROR(node_.peer_errors(), kPhys, "l2tp: tunnel {}: call refused ({} calls)",
                    local_id_, sessions_.size());
    return nullptr;
  }
  auto s = std::make_unique<L2tpSession>(loop_, &node_, static_cast<L2tpSession::Kind>(kind),
                                         node_.server_config().session);
  uint16_t id = NewSessionId();
  s->Attach(this, id);
  L2tpSession* raw = s.get();
  sessions_[id] = raw;
  owned_[id] = std::move(s);
  UpdateIdle();
  raw->AcceptRequest(m);
  return raw;
}

void Tunnel::OnIcrq(const ParsedHeader& p, const ControlMessage& m) {
  if (L2tpSession* s = NewIncoming(p, m, static_cast<int>(L2tpSession::Kind::kLnsIncoming))) {
    (void)s;
  }
}

void Tunnel::OnOcrq(const ParsedHeader& p, const ControlMessage& m) {
  L2tpSession* s = NewIncoming(p, m, static_cast<int>(L2tpSession::Kind::kLacOutgoing));
  if (s) HandOver(s->local_id());
}

void Tunnel::OnSessionMessage(const ParsedHeader& p, const ControlMessage& m) {
  uint16_t sid = p.header.session_id;
  L2tpSession* s = FindSession(sid);
  if (!s && sid == 0 && m.type == MessageType::kCDN && m.assigned_session_id) {
    // A CDN sent before the peer learned our Session ID (e.g. the LAC hangs
    // up before our ICRP arrived) names the call by its own ID (§6.12).
    for (auto& [id, cand] : sessions_) {
      if (cand->peer_id() == *m.assigned_session_id) {
        s = cand;
        break;
      }
    }
  }
  if (!s) {
    ++counters_.unknown_session;
    MLOG_PEER_ERROR(node_.peer_errors(), kPhys, "l2tp: tunnel {}: {} for unknown session {}",
                    local_id_, Name(m.type), sid);
    return;
  }
  s->OnMessage(m);
  if (m.type == MessageType::kICCN) HandOver(sid);
}

void Tunnel::HandOver(uint16_t sid) {
  auto it = owned_.find(sid);
  if (it == owned_.end() || it->second->state() != L2tpSession::State::kEstablished) return;
  std::unique_ptr<L2tpSession> s = std::move(it->second);
  owned_.erase(it);
  node_.DeliverIncoming(std::move(s));
}

void Tunnel::SendTunnelMessage(const ControlMessage& m) { SendSessionMessage(0, m); }

void Tunnel::SendSessionMessage(uint16_t peer_sid, const ControlMessage& m) {
  if (state_ == State::kClosed) return;
  auto body =
      EncodeControl(m, Hiding(), [this](std::span<uint8_t> out) { node_.RandomBytes(out); });
  if (!body.ok()) {
    MLOG_ERROR(kPhys, "l2tp: tunnel {}: cannot encode {}: {}", local_id_, Name(m.type),
               body.error());
    return;
  }
  uint16_t ns = channel_->next_ns();
  // Forget header Session IDs of messages long since acknowledged.
  while (!ns_session_.empty() && ns_session_.size() > 64) {
    auto it = ns_session_.begin();
    if (ControlChannel::SeqBefore(it->first, static_cast<uint16_t>(ns - 1024))) {
      ns_session_.erase(it);
    } else {
      break;
    }
  }
  ns_session_[ns] = peer_sid;
  MLOG_DEBUG(kPhys2, "l2tp: tunnel {}: sending {} session {}", local_id_, Name(m.type), peer_sid);
  channel_->Send(Packet::Copy(*body));
}

void Tunnel::SendRaw(uint16_t ns, uint16_t nr, std::span<const uint8_t> body) {
  uint16_t sid = 0;
  if (!body.empty()) {
    if (auto it = ns_session_.find(ns); it != ns_session_.end()) sid = it->second;
  }
  Bytes out;
  if (BuildMessage(ControlHeader(peer_id_, sid, ns, nr), body, &out) != HeaderError::kOk) return;
  node_.transport().SendTo(peer_, out);
}

void Tunnel::OnData(const ParsedHeader& p) {
  if (state_ != State::kEstablished) {
    ++node_.mutable_counters().unknown_session_data;
    return;
  }
  ArmHello();
  L2tpSession* s = FindSession(p.header.session_id);
  if (!s || s->state() != L2tpSession::State::kEstablished) {
    ++node_.mutable_counters().unknown_session_data;
    MLOG_PEER_ERROR(node_.peer_errors(), kPhys2, "l2tp: tunnel {}: data for unknown session {}",
                    local_id_, p.header.session_id);
    return;
  }
  ++counters_.data_in;
  s->OnData(p.header, Packet::Copy(p.payload));
}

void Tunnel::SendData(L2tpSession*, Packet&& frame) {
  if (state_ != State::kEstablished) return;
  ++counters_.data_out;
  node_.transport().SendTo(peer_, frame.span());
}

L2tpSession* Tunnel::FindSession(uint16_t local_sid) const {
  auto it = sessions_.find(local_sid);
  return it == sessions_.end() ? nullptr : it->second;
}

uint16_t Tunnel::NewSessionId() {
  // Random, non-zero, unique in the tunnel (predictable IDs would let an
  // off-path sender inject data more easily). REQUIRES: a free ID exists
  // (sessions are limited far below 65535).
  for (int i = 0; i < 32; ++i) {
    uint16_t id = node_.RandomU16();
    if (id != 0 && !sessions_.contains(id)) return id;
  }
  for (uint32_t id = 1; id <= 0xffff; ++id) {
    if (!sessions_.contains(static_cast<uint16_t>(id))) return static_cast<uint16_t>(id);
  }
  return 0;
}

bool Tunnel::AddCall(L2tpSession* s) {
  if (state_ != State::kWaitCtlReply && state_ != State::kEstablished && state_ != State::kIdle) {
    return false;
  }
  if (sessions_.size() >= node_.config().session_limit) return false;
  uint16_t id = NewSessionId();
  if (id == 0) return false;
  s->Attach(this, id);
  sessions_[id] = s;
  UpdateIdle();
  if (state_ == State::kEstablished) s->StartCall();
  return true;
}

void Tunnel::RemoveSession(L2tpSession* s) {
  auto it = sessions_.find(s->local_id());
  if (it == sessions_.end() || it->second != s) return;
  sessions_.erase(it);
  if (auto o = owned_.find(s->local_id()); o != owned_.end()) {
    loop_.DeferDelete(std::move(o->second));
    owned_.erase(o);
  }
  UpdateIdle();
}

void Tunnel::KillSessions(std::string_view reason) {
  auto sessions = std::move(sessions_);
  auto owned = std::move(owned_);
  sessions_.clear();
  owned_.clear();
  for (auto& [id, s] : sessions) s->OnTunnelDown(reason);
  // `owned` dies here: those calls never reached their owner.
}

void Tunnel::UpdateIdle() {
  // mpd5 l2tptimeout: a tunnel without calls closes after the delay.
  if (state_ == State::kEstablished && sessions_.empty()) {
    if (!idle_timer_->Running()) {
      idle_timer_->Start(node_.config().idle_timeout, [this] {
        if (state_ == State::kEstablished && sessions_.empty()) {
          Stop(StopCcnResult::kClear, "idle");
        }
      });
    }
  } else {
    idle_timer_->Stop();
  }
}

void Tunnel::ArmHello() {
  if (state_ != State::kEstablished) return;
  // §6.5: a HELLO after a period without any message from the peer; its
  // retransmissions (§5.8 retry limit) detect a dead peer.
  hello_timer_->Start(node_.config().hello_interval, [this] {
    if (state_ != State::kEstablished) return;
    ControlMessage h;
    h.type = MessageType::kHELLO;
    ++counters_.hello_sent;
    SendTunnelMessage(h);
    ArmHello();
  });
}

void Tunnel::Stop(StopCcnResult result, std::string reason) {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  ControlMessage m;
  m.type = MessageType::kStopCCN;
  m.assigned_tunnel_id = local_id_;
  m.result_code = ResultCode{static_cast<uint16_t>(result), std::nullopt, std::string()};
  SendTunnelMessage(m);
  EnterClosing(fmt::format("StopCCN sent ({}): {}",
                           StopCcnResultName(static_cast<uint16_t>(result)), reason));
}

void Tunnel::EnterClosing(std::string why) {
  SetState(State::kClosing, why);
  hello_timer_->Stop();
  idle_timer_->Stop();
  KillSessions(why);
  // §5.7: keep the tunnel a full retransmission cycle, so a retransmitted
  // StopCCN is still acknowledged and our own StopCCN is retransmitted.
  const ControlChannelOptions& o = node_.config().control;
  event::Duration hold{};
  event::Duration rto = o.initial_rto;
  for (int i = 0; i <= o.max_retries; ++i) {
    hold += rto;
    rto = std::min(rto * 2, o.max_rto);
  }
  hold_timer_->Start(hold, [this] { Finish("hold time over"); });
}

void Tunnel::OnChannelFailed() {
  if (state_ == State::kClosed) return;
  if (state_ == State::kClosing) {
    Finish("StopCCN unacknowledged");
    return;
  }
  Finish("peer not responding (retry limit)");
}

void Tunnel::Finish(std::string why) {
  if (state_ == State::kClosed) return;
  KillSessions(why);
  SetState(State::kClosed, why);
  hello_timer_->Stop();
  idle_timer_->Stop();
  hold_timer_->Stop();
  node_.ReleaseTunnel(this);
}

}  // namespace mlppp::link::l2tp
