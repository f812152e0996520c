#include "link/pptp/call.h"

#include <variant>
#include <vector>

#include "link/pptp/control_conn.h"
#include "link/pptp/node.h"

namespace mlppp::link::pptp {

namespace {

constexpr uint32_t S(CallState s) { return 1u << static_cast<unsigned>(s); }
constexpr uint32_t kLiveStates = S(CallState::kWaitReply) | S(CallState::kWaitConnect) |
                                 S(CallState::kEstablished) | S(CallState::kWaitCdn);
// §2.7: the speeds and types a PNS asks for; a PAC reports what it has.
constexpr uint32_t kMinBps = 300;
constexpr uint32_t kMaxBps = 100'000'000;
constexpr uint32_t kBearerAny = kBearerAnalog | kBearerDigital;
constexpr uint32_t kFramingAny = kFramingAsync | kFramingSync;

GreWindowConfig GreFrom(const CallOptions& o) {
  GreWindowConfig g;
  g.delayed_ack = o.delayed_ack;
  g.always_ack = o.always_ack;
  g.windowing = o.windowing;
  return g;
}

}  // namespace

std::string_view CallStateName(CallState s) {
  switch (s) {
    case CallState::kIdle:
      return "Idle";
    case CallState::kWaitConn:
      return "Wait-Ctl-Conn";
    case CallState::kWaitReply:
      return "Wait-Reply";
    case CallState::kWaitConnect:
      return "Wait-Connect";
    case CallState::kEstablished:
      return "Established";
    case CallState::kWaitCdn:
      return "Wait-CDN";
    case CallState::kDead:
      return "Dead";
  }
  return "unknown";
}

// RFC 2637 §3.2 (PAC and PNS call states): the call messages each state
// accepts. Role checks (a PNS never takes CCRQ, ...) are in the handlers.
const PptpCall::MessageRule PptpCall::kRules[] = {
    {ControlType::kOutgoingCallReply, &PptpCall::OnOcrp, S(CallState::kWaitReply)},
    {ControlType::kIncomingCallReply, &PptpCall::OnIcrp, S(CallState::kWaitReply)},
    {ControlType::kIncomingCallConnected, &PptpCall::OnIccn, S(CallState::kWaitConnect)},
    {ControlType::kCallClearRequest, &PptpCall::OnCcrq,
     S(CallState::kWaitReply) | S(CallState::kEstablished)},
    {ControlType::kCallDisconnectNotify, &PptpCall::OnCdn, kLiveStates},
    {ControlType::kWanErrorNotify, &PptpCall::OnWen, kLiveStates},
    {ControlType::kSetLinkInfo, &PptpCall::OnSli, kLiveStates},
};

PptpCall::PptpCall(Node* node, ClientConfig config)
    : node_(node),
      loop_(node->loop()),
      client_(true),
      client_config_(std::move(config)),
      options_(client_config_.options),
      role_(client_config_.outcall ? CallRole::kPns : CallRole::kPac),
      peer_ip_(client_config_.peer_ip),
      self_ip_(node->config().self_ip),
      state_(CallState::kIdle),
      gre_(GreFrom(options_)),
      timer_(loop_.CreateTimer()) {
  node_->TrackCall(this);
}

PptpCall::PptpCall(Node* node, ControlConn* conn, CallRole role, const CallOptions& options,
                   uint16_t peer_call_id, GreWindowConfig gre)
    : node_(node),
      loop_(node->loop()),
      client_(false),
      options_(options),
      role_(role),
      peer_ip_(conn->peer_ip()),
      self_ip_(node->config().self_ip),
      state_(CallState::kIdle),
      peer_call_id_(peer_call_id),
      gre_(gre),
      timer_(loop_.CreateTimer()) {
  node_->TrackCall(this);
  call_id_ = node_->RegisterCall(this);
  if (call_id_ == 0) {
    state_ = CallState::kDead;
    down_reported_ = true;  // never handed out
    return;
  }
  conn_ = conn;
  conn_->AddCall(this);
  if (role_ == CallRole::kPac) {
    // §2.8: the OCRP we send connects the call.
    Establish(gre.peer_recv_window, gre.peer_ppd, "OCRQ accepted");
  } else {
    // §2.10: ICRP sent, the PAC confirms with ICCN.
    SetState(CallState::kWaitConnect, "ICRQ accepted");
    timer_->Start(kCallTimeout, [this] { Finish("no ICCN in time"); });
  }
}

PptpCall::~PptpCall() {
  timer_->Stop();
  window_.reset();
  if (conn_ != nullptr) {
    // Dropped without Close(): clear the call at the peer as Close() would,
    // without waiting for an answer.
    if (state_ == CallState::kEstablished || state_ == CallState::kWaitReply ||
        state_ == CallState::kWaitConnect) {
      if (role_ == CallRole::kPns && peer_call_id_ != 0) {
        CallClearRequest rq;
        rq.call_id = call_id_;
        conn_->Send(rq);
      } else if (role_ == CallRole::kPac) {
        SendCdn(result::kCdnAdminShutdown);
      }
    }
    conn_->RemoveCall(this);
  }
  if (node_ != nullptr) {
    if (call_id_ != 0) node_->UnregisterCall(call_id_, this);
    node_->UntrackCall(this);
  }
}

void PptpCall::SetState(CallState next, std::string_view why) {
  if (next == state_) return;
  MLOG_INFO(kPhys, "pptp call {} {}: {} -> {} ({})", call_id_, peer_ip_, CallStateName(state_),
            CallStateName(next), why);
  state_ = next;
}

void PptpCall::Open() {
  if (node_ == nullptr) {
    Finish("PPTP node gone");
    return;
  }
  opened_ = true;
  if (!client_ || state_ != CallState::kIdle) {
    if (state_ == CallState::kDead) {
      Finish("call already down");
    } else {
      MaybeReportUp();
    }
    return;
  }
  SetState(CallState::kWaitConn, "dialing");
  node_->PlaceCall(this, client_config_);
}

void PptpCall::Close() {
  switch (state_) {
    case CallState::kIdle:
    case CallState::kWaitConn:
      Finish("closed");
      return;
    case CallState::kWaitReply:
    case CallState::kWaitConnect:
    case CallState::kEstablished:
      if (role_ == CallRole::kPns && conn_ != nullptr) {
        // §2.12: the PNS asks; the PAC's CDN ends the call.
        CallClearRequest rq;
        rq.call_id = call_id_;
        conn_->Send(rq);
        window_.reset();
        SetState(CallState::kWaitCdn, "closed, CCRQ sent");
        timer_->Start(kClearTimeout, [this] { Finish("no CDN in time"); });
      } else {
        // §2.13: the PAC clears on its own with CDN.
        SendCdn(result::kCdnAdminShutdown);
        Finish("closed");
      }
      return;
    case CallState::kWaitCdn:
      return;
    case CallState::kDead:
      Finish("closed");
      return;
  }
}

void PptpCall::Send(Packet&& frame) {
  if (state_ != CallState::kEstablished || node_ == nullptr || !window_ || frame.size() > 0xffff) {
    ++stats_.tx_dropped;
    return;
  }
  // §4.2: sequence number, piggy-backed ack, and the send window.
  auto h = window_->DataHeader(peer_call_id_);
  if (!h || PrependGre(frame, *h) != GreError::kOk) {
    ++stats_.tx_dropped;
    return;
  }
  ++stats_.tx_frames;
  node_->SendGre(peer_ip_, frame.span());
}

PeerInfo PptpCall::Info() const {
  PeerInfo info;
  info.type = "pptp";
  info.peer_addr = peer_ip_;
  info.self_addr = self_ip_;
  info.session_id = call_id_;
  return info;
}

void PptpCall::OnConnUp() {
  if (state_ != CallState::kWaitConn || conn_ == nullptr || node_ == nullptr) return;
  call_id_ = node_->RegisterCall(this);
  if (call_id_ == 0) {
    Finish("no free Call ID");
    return;
  }
  const uint16_t serial = static_cast<uint16_t>(node_->Random32());
  if (client_config_.outcall) {
    // §2.7: we are the PNS asking the PAC to place the call.
    OutgoingCallRequest rq;
    rq.call_id = call_id_;
    rq.call_serial_number = serial;
    rq.minimum_bps = kMinBps;
    rq.maximum_bps = kMaxBps;
    rq.bearer_type = kBearerAny;
    rq.framing_type = kFramingAny;
    rq.packet_recv_window = options_.recv_window;
    rq.packet_processing_delay = options_.processing_delay;
    rq.phone_number = client_config_.called_num;
    conn_->Send(rq);
    SetState(CallState::kWaitReply, "OCRQ sent");
  } else {
    // §2.9: we are the PAC announcing a call to the PNS.
    IncomingCallRequest rq;
    rq.call_id = call_id_;
    rq.call_serial_number = serial;
    rq.call_bearer_type = kBearerDigital;
    rq.dialed_number = client_config_.called_num;
    rq.dialing_number = client_config_.calling_num;
    conn_->Send(rq);
    SetState(CallState::kWaitReply, "ICRQ sent");
  }
  timer_->Start(kCallTimeout, [this] { Finish("no call reply in time"); });
}

void PptpCall::OnConnDown(std::string_view reason) {
  conn_ = nullptr;
  if (state_ == CallState::kDead) return;
  Finish(fmt::format("control connection down: {}", reason));
}

void PptpCall::OnControl(const ControlMessage& m) {
  const ControlType type = TypeOf(m);
  for (const MessageRule& rule : kRules) {
    if (rule.type != type) continue;
    if (rule.states & S(state_)) {
      (this->*rule.handler)(m);
      return;
    }
    break;
  }
  ++stats_.unexpected;
  MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp call {} {}: unexpected {} in {}", call_id_,
                  peer_ip_, ControlTypeName(type), CallStateName(state_));
}

void PptpCall::OnGre(const GreHeader& h, Packet&& payload) {
  if (state_ != CallState::kEstablished || !window_) {
    ++stats_.rx_dropped;
    return;
  }
  // §4.3: acks are taken; data is delivered in order only.
  if (!window_->OnReceive(h)) {
    if (h.seq) ++stats_.rx_dropped;
    return;
  }
  if (payload.empty()) return;
  ++stats_.rx_frames;
  // The peer's LCP may follow its Outgoing-Call-Reply closely, or reach a
  // call the daemon has not taken yet (see link/up_gate.h).
  if (!up_.Deliver(std::move(payload))) ++stats_.rx_dropped;
}

void PptpCall::Establish(uint16_t peer_window, uint16_t peer_ppd, std::string_view why) {
  timer_->Stop();
  gre_.peer_recv_window = peer_window;
  gre_.peer_ppd = peer_ppd;
  window_ = std::make_unique<GreWindow>(loop_, gre_, [this](uint32_t ack) { SendAck(ack); });
  SetState(CallState::kEstablished, why);
  MaybeReportUp();
}

void PptpCall::Finish(std::string_view why) {
  if (state_ != CallState::kDead) {
    timer_->Stop();
    window_.reset();
    if (conn_ != nullptr) {
      ControlConn* c = conn_;
      conn_ = nullptr;
      c->RemoveCall(this);
    }
    if (node_ != nullptr && call_id_ != 0) node_->UnregisterCall(call_id_, this);
    SetState(CallState::kDead, why);
  }
  if (down_reported_) return;
  down_reported_ = true;
  loop_.Post([this, alive = std::weak_ptr<char>(alive_), reason = std::string(why)] {
    if (alive.expired()) return;
    if (events_ != nullptr) events_->OnDriverDown(reason);
  });
}

void PptpCall::MaybeReportUp() {
  if (!opened_ || state_ != CallState::kEstablished || down_reported_) return;
  up_.PostUp();
}

void PptpCall::SendAck(uint32_t ack) {
  if (node_ == nullptr || state_ != CallState::kEstablished) return;
  // §4.1: an ack-only packet has A set, S clear and no payload.
  GreHeader h;
  h.call_id = peer_call_id_;
  h.ack = ack;
  std::vector<uint8_t> out;
  EncodeGre(h, &out);
  node_->SendGre(peer_ip_, out);
}

void PptpCall::SendCdn(uint8_t result) {
  if (conn_ == nullptr) return;
  CallDisconnectNotify cdn;
  cdn.call_id = call_id_;
  cdn.result_code = result;
  conn_->Send(cdn);
}

void PptpCall::OnOcrp(const ControlMessage& m) {
  const auto& rp = std::get<OutgoingCallReply>(m);
  if (role_ != CallRole::kPns || !client_) {
    ++stats_.unexpected;
    return;
  }
  if (rp.result_code != result::kOcrpConnected) {
    Finish(fmt::format("OCRP: {} (error {})",
                       ResultCodeName(ControlType::kOutgoingCallReply, rp.result_code),
                       GeneralErrorName(rp.error_code)));
    return;
  }
  peer_call_id_ = rp.call_id;
  Establish(rp.packet_recv_window, rp.packet_processing_delay, "OCRP connected");
}

void PptpCall::OnIcrp(const ControlMessage& m) {
  const auto& rp = std::get<IncomingCallReply>(m);
  if (role_ != CallRole::kPac || !client_) {
    ++stats_.unexpected;
    return;
  }
  if (rp.result_code != result::kIcrpConnect) {
    Finish(
        fmt::format("ICRP: {}", ResultCodeName(ControlType::kIncomingCallReply, rp.result_code)));
    return;
  }
  peer_call_id_ = rp.call_id;
  // §2.11: the PAC confirms the call.
  IncomingCallConnected cn;
  cn.peer_call_id = peer_call_id_;
  cn.connect_speed = kMaxBps;
  cn.packet_recv_window = options_.recv_window;
  cn.packet_transmit_delay = options_.processing_delay;
  cn.framing_type = kFramingSync;
  if (conn_ != nullptr) conn_->Send(cn);
  Establish(rp.packet_recv_window, rp.packet_transmit_delay, "ICRP connect, ICCN sent");
}

void PptpCall::OnIccn(const ControlMessage& m) {
  const auto& cn = std::get<IncomingCallConnected>(m);
  Establish(cn.packet_recv_window, cn.packet_transmit_delay, "ICCN received");
}

void PptpCall::OnCcrq(const ControlMessage&) {
  if (role_ != CallRole::kPac) {
    ++stats_.unexpected;
    MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp call {} {}: CCRQ to a PNS ignored", call_id_,
                    peer_ip_);
    return;
  }
  // §2.12: the PAC answers a Call-Clear-Request with CDN.
  SendCdn(result::kCdnRequest);
  Finish("peer CCRQ");
}

void PptpCall::OnCdn(const ControlMessage& m) {
  const auto& cdn = std::get<CallDisconnectNotify>(m);
  Finish(
      fmt::format("CDN: {}", ResultCodeName(ControlType::kCallDisconnectNotify, cdn.result_code)));
}

void PptpCall::OnWen(const ControlMessage& m) {
  const auto& w = std::get<WanErrorNotify>(m);
  ++stats_.wan_errors;
  MLOG_INFO(kPhys,
            "pptp call {} {}: WAN-Error-Notify crc {} framing {} overrun {}/{} timeout {} "
            "alignment {}",
            call_id_, peer_ip_, w.crc_errors, w.framing_errors, w.hardware_overruns,
            w.buffer_overruns, w.timeout_errors, w.alignment_errors);
}

void PptpCall::OnSli(const ControlMessage& m) {
  const auto& sli = std::get<SetLinkInfo>(m);
  send_accm_ = sli.send_accm;
  recv_accm_ = sli.receive_accm;
  MLOG_DEBUG(kPhys, "pptp call {} {}: Set-Link-Info send ACCM {:#010x} recv ACCM {:#010x}",
             call_id_, peer_ip_, send_accm_, recv_accm_);
}

}  // namespace mlppp::link::pptp
