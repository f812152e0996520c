#include "link/pptp/control_conn.h"

#include <algorithm>
#include <variant>

#include "link/pptp/call.h"
#include "link/pptp/node.h"

namespace mlppp::link::pptp {

namespace {

constexpr uint32_t S(ConnState s) { return 1u << static_cast<unsigned>(s); }
constexpr uint32_t kLive = S(ConnState::kEstablished) | S(ConnState::kWaitStopReply);
constexpr uint16_t kFirmwareRevision = 1;
constexpr std::string_view kVendor = "mlpppd";

}  // namespace

std::string_view ConnStateName(ConnState s) {
  switch (s) {
    case ConnState::kConnecting:
      return "Connecting";
    case ConnState::kWaitCtlReply:
      return "Wait-Ctl-Reply";
    case ConnState::kWaitStartRqst:
      return "Wait-Start-Rqst";
    case ConnState::kEstablished:
      return "Established";
    case ConnState::kWaitStopReply:
      return "Wait-Stop-Reply";
    case ConnState::kDead:
      return "Dead";
  }
  return "unknown";
}

// RFC 2637 §3.1.1/§3.1.2: which state accepts which message. Call messages
// are accepted only on an established connection (§3.2); the call's own
// table then checks the call state.
const ControlConn::MessageRule ControlConn::kRules[] = {
    {ControlType::kStartCtrlConnRequest, &ControlConn::OnSccrq, S(ConnState::kWaitStartRqst)},
    {ControlType::kStartCtrlConnReply, &ControlConn::OnSccrp, S(ConnState::kWaitCtlReply)},
    {ControlType::kStopCtrlConnRequest, &ControlConn::OnStopCcrq,
     S(ConnState::kWaitCtlReply) | kLive},
    {ControlType::kStopCtrlConnReply, &ControlConn::OnStopCcrp, S(ConnState::kWaitStopReply)},
    {ControlType::kEchoRequest, &ControlConn::OnEchoRequest, kLive},
    {ControlType::kEchoReply, &ControlConn::OnEchoReply, kLive},
    {ControlType::kOutgoingCallRequest, &ControlConn::OnOcrq, S(ConnState::kEstablished)},
    {ControlType::kOutgoingCallReply, &ControlConn::ToCallByOwnId, S(ConnState::kEstablished)},
    {ControlType::kIncomingCallRequest, &ControlConn::OnIcrq, S(ConnState::kEstablished)},
    {ControlType::kIncomingCallReply, &ControlConn::ToCallByOwnId, S(ConnState::kEstablished)},
    {ControlType::kIncomingCallConnected, &ControlConn::ToCallByOwnId, S(ConnState::kEstablished)},
    {ControlType::kCallClearRequest, &ControlConn::ToCallByPeerId, S(ConnState::kEstablished)},
    {ControlType::kCallDisconnectNotify, &ControlConn::ToCallByPeerId, kLive},
    {ControlType::kWanErrorNotify, &ControlConn::ToCallByOwnId, S(ConnState::kEstablished)},
    {ControlType::kSetLinkInfo, &ControlConn::ToCallByOwnId, S(ConnState::kEstablished)},
};

ControlConn::ControlConn(Node& node, uint64_t id, Role role, std::string peer_ip)
    : node_(node),
      loop_(node.loop()),
      id_(id),
      role_(role),
      peer_ip_(std::move(peer_ip)),
      state_(role == Role::kOriginator ? ConnState::kConnecting : ConnState::kWaitStartRqst),
      setup_timer_(loop_.CreateTimer()),
      keepalive_timer_(loop_.CreateTimer()),
      idle_timer_(loop_.CreateTimer()) {}

ControlConn::~ControlConn() {
  if (stream_) {
    stream_->SetReceiver(nullptr);
    // Kill() already closed it; only a connection destroyed alive closes here.
    if (state_ != ConnState::kDead) stream_->Close();
  }
}

void ControlConn::SetState(ConnState next, std::string_view why) {
  if (next == state_) return;
  const ConnState prev = state_;
  MLOG_INFO(kPhys, "pptp conn {} {}: {} -> {} ({})", id_, peer_ip_, ConnStateName(prev),
            ConnStateName(next), why);
  state_ = next;
  node_.ConnStateChanged(*this, prev, next);
}

void ControlConn::OnConnected(std::unique_ptr<StreamConn> stream) {
  if (state_ != ConnState::kConnecting) {
    if (stream) stream->Close();
    return;
  }
  if (!stream) {
    Kill("TCP connect failed");
    return;
  }
  stream_ = std::move(stream);
  stream_->SetReceiver(this);
  // §2.1: the originator opens with SCCRQ.
  StartCtrlConnRequest rq;
  rq.framing_capabilities = kFramingAsync | kFramingSync;
  rq.bearer_capabilities = kBearerAnalog | kBearerDigital;
  rq.maximum_channels = 0;
  rq.firmware_revision = kFirmwareRevision;
  rq.host_name = node_.config().host_name;
  rq.vendor_string = std::string(kVendor);
  Send(rq);
  SetState(ConnState::kWaitCtlReply, "connected, SCCRQ sent");
  setup_timer_->Start(node_.config().setup_timeout, [this] {
    node_.CountSetupTimeout();
    Kill("no SCCRP in time");
  });
}

void ControlConn::Start(std::unique_ptr<StreamConn> stream) {
  stream_ = std::move(stream);
  stream_->SetReceiver(this);
  // Half-open until SCCRQ (§3.1.2): bounded in time so a silent or slow
  // peer cannot hold a slot.
  setup_timer_->Start(node_.config().setup_timeout, [this] {
    node_.CountSetupTimeout();
    Kill("no SCCRQ in time");
  });
}

void ControlConn::OnStreamData(std::span<const uint8_t> bytes) {
  if (state_ == ConnState::kDead) return;
  framer_.Feed(bytes);
  Bytes msg;
  while (state_ != ConnState::kDead) {
    const Framer::Status st = framer_.Next(&msg);
    if (st == Framer::Status::kNeedMore) break;
    if (st == Framer::Status::kFatal) {
      ++stats_.bad_messages;
      MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp conn {} {}: bad control stream", id_, peer_ip_);
      Kill("bad control stream (§2 Length)");
      break;
    }
    ControlMessage m;
    const DecodeError err = Decode(msg, &m);
    if (err != DecodeError::kOk) {
      ++stats_.bad_messages;
      MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp conn {} {}: bad message: {}", id_, peer_ip_,
                      DecodeErrorName(err));
      // A broken cookie or message type means the stream is not PPTP (§2).
      if (state_ == ConnState::kWaitStartRqst || err == DecodeError::kBadMagic ||
          err == DecodeError::kBadMessageType) {
        Kill("malformed control message");
      }
      continue;
    }
    ++stats_.rx_messages;
    Dispatch(m);
  }
}

void ControlConn::OnStreamClosed() {
  if (state_ == ConnState::kDead) return;
  Kill("TCP connection closed by peer");
}

void ControlConn::Dispatch(const ControlMessage& m) {
  const ControlType type = TypeOf(m);
  MLOG_DEBUG(kPhys2, "pptp conn {} {}: recv {} in {}", id_, peer_ip_, ControlTypeName(type),
             ConnStateName(state_));
  if (S(state_) & kLive) {
    // §2.5: any message shows the peer is alive; the keep-alive restarts.
    echo_outstanding_ = false;
    keepalive_timer_->Start(node_.config().echo_interval, [this] { OnKeepAliveTimer(); });
  }
  for (const MessageRule& rule : kRules) {
    if (rule.type != type) continue;
    if (rule.states & S(state_)) {
      (this->*rule.handler)(m);
      return;
    }
    break;
  }
  ++stats_.unexpected;
  MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp conn {} {}: unexpected {} in {}", id_, peer_ip_,
                  ControlTypeName(type), ConnStateName(state_));
  // §3.1.2: before SCCRQ nothing else is valid; free the half-open slot.
  if (state_ == ConnState::kWaitStartRqst) Kill("message before SCCRQ");
}

void ControlConn::Send(const ControlMessage& m) {
  if (!stream_ || state_ == ConnState::kDead) return;
  const Bytes b = Encode(m);
  stream_->Write(b);
  ++stats_.tx_messages;
  MLOG_DEBUG(kPhys2, "pptp conn {} {}: send {}", id_, peer_ip_, ControlTypeName(TypeOf(m)));
}

void ControlConn::Stop(uint8_t reason, std::string_view why) {
  if (state_ == ConnState::kDead || state_ == ConnState::kWaitStopReply) return;
  if (state_ != ConnState::kEstablished && state_ != ConnState::kWaitCtlReply) {
    Kill(why);
    return;
  }
  // §2.3: calls are cleared by the stop; they go down now.
  CallsDown(why);
  StopCtrlConnRequest rq;
  rq.reason = reason;
  Send(rq);
  idle_timer_->Stop();
  keepalive_timer_->Stop();
  SetState(ConnState::kWaitStopReply, why);
  setup_timer_->Start(node_.config().setup_timeout, [this] { Kill("no StopCCRP in time"); });
}

void ControlConn::Kill(std::string_view why) {
  if (state_ == ConnState::kDead) return;
  SetState(ConnState::kDead, why);
  setup_timer_->Stop();
  keepalive_timer_->Stop();
  idle_timer_->Stop();
  if (stream_) {
    stream_->SetReceiver(nullptr);
    stream_->Close();
  }
  CallsDown(why);
  node_.ConnDead(this);
}

void ControlConn::AddCall(PptpCall* call) {
  if (std::find(calls_.begin(), calls_.end(), call) == calls_.end()) calls_.push_back(call);
  idle_timer_->Stop();
}

void ControlConn::RemoveCall(PptpCall* call) {
  auto it = std::find(calls_.begin(), calls_.end(), call);
  if (it == calls_.end()) return;
  calls_.erase(it);
  StartIdleTimerIfIdle();
}

PptpCall* ControlConn::FindByPeerId(uint16_t peer_call_id) const {
  for (PptpCall* c : calls_) {
    if (c->peer_call_id() == peer_call_id && c->state() != CallState::kWaitConn &&
        c->state() != CallState::kIdle) {
      return c;
    }
  }
  return nullptr;
}

void ControlConn::CallsUp() {
  const std::vector<PptpCall*> calls = calls_;
  for (PptpCall* c : calls) {
    // A call may have left (or the connection died) during the loop.
    if (state_ != ConnState::kEstablished) return;
    if (std::find(calls_.begin(), calls_.end(), c) != calls_.end()) c->OnConnUp();
  }
}

void ControlConn::CallsDown(std::string_view why) {
  std::vector<PptpCall*> calls;
  calls.swap(calls_);
  for (PptpCall* c : calls) c->OnConnDown(why);
}

void ControlConn::StartIdleTimerIfIdle() {
  if (!calls_.empty() || state_ != ConnState::kEstablished) return;
  // mpd5 `set global pptptimeout`: a connection without calls is closed.
  idle_timer_->Start(node_.config().idle_timeout, [this] {
    if (calls_.empty()) Stop(kStopReasonNone, "idle (pptptimeout)");
  });
}

void ControlConn::OnKeepAliveTimer() {
  if (echo_outstanding_) {
    // §2.5: no reply to the Echo-Request: the connection is gone.
    Kill("Echo-Reply timeout");
    return;
  }
  echo_id_ = node_.Random32();
  EchoRequest rq;
  rq.identifier = echo_id_;
  Send(rq);
  ++stats_.echo_sent;
  echo_outstanding_ = true;
  keepalive_timer_->Start(node_.config().echo_interval, [this] { OnKeepAliveTimer(); });
}

void ControlConn::OnSccrq(const ControlMessage& m) {
  const auto& rq = std::get<StartCtrlConnRequest>(m);
  peer_host_name_ = rq.host_name;
  setup_timer_->Stop();
  StartCtrlConnReply rp;
  rp.framing_capabilities = kFramingAsync | kFramingSync;
  rp.bearer_capabilities = kBearerAnalog | kBearerDigital;
  rp.firmware_revision = kFirmwareRevision;
  rp.host_name = node_.config().host_name;
  rp.vendor_string = std::string(kVendor);
  // §2.2: only version 1 is defined; answer with the one we speak.
  if ((rq.protocol_version >> 8) != 1) {
    rp.result_code = result::kSccrpBadVersion;
    Send(rp);
    Kill("SCCRQ with unsupported protocol version");
    return;
  }
  rp.result_code = result::kSccrpSuccess;
  Send(rp);
  SetState(ConnState::kEstablished, "SCCRQ answered");
  keepalive_timer_->Start(node_.config().echo_interval, [this] { OnKeepAliveTimer(); });
  StartIdleTimerIfIdle();
}

void ControlConn::OnSccrp(const ControlMessage& m) {
  const auto& rp = std::get<StartCtrlConnReply>(m);
  setup_timer_->Stop();
  if (rp.result_code != result::kSccrpSuccess) {
    Kill(
        fmt::format("SCCRP: {}", ResultCodeName(ControlType::kStartCtrlConnReply, rp.result_code)));
    return;
  }
  peer_host_name_ = rp.host_name;
  SetState(ConnState::kEstablished, "SCCRP success");
  if ((rp.protocol_version >> 8) != 1) {
    Stop(kStopReasonProtocol, "SCCRP with unsupported protocol version");
    return;
  }
  keepalive_timer_->Start(node_.config().echo_interval, [this] { OnKeepAliveTimer(); });
  CallsUp();
  StartIdleTimerIfIdle();
}

void ControlConn::OnStopCcrq(const ControlMessage& m) {
  const auto& rq = std::get<StopCtrlConnRequest>(m);
  StopCtrlConnReply rp;
  rp.result_code = result::kOk;
  Send(rp);
  Kill(fmt::format("peer StopCCRQ: {}", StopReasonName(rq.reason)));
}

void ControlConn::OnStopCcrp(const ControlMessage&) { Kill("StopCCRP received"); }

void ControlConn::OnEchoRequest(const ControlMessage& m) {
  EchoReply rp;
  rp.identifier = std::get<EchoRequest>(m).identifier;
  rp.result_code = result::kOk;
  Send(rp);
}

void ControlConn::OnEchoReply(const ControlMessage& m) {
  // Liveness was already noted in Dispatch; a wrong identifier is only
  // worth counting.
  if (std::get<EchoReply>(m).identifier != echo_id_) ++stats_.unexpected;
}

void ControlConn::OnOcrq(const ControlMessage& m) {
  node_.OnOutgoingCallRequest(*this, std::get<OutgoingCallRequest>(m));
}

void ControlConn::OnIcrq(const ControlMessage& m) {
  node_.OnIncomingCallRequest(*this, std::get<IncomingCallRequest>(m));
}

void ControlConn::ToCallByOwnId(const ControlMessage& m) {
  uint16_t id = 0;
  if (auto* p = std::get_if<OutgoingCallReply>(&m)) id = p->peer_call_id;
  if (auto* p = std::get_if<IncomingCallReply>(&m)) id = p->peer_call_id;
  if (auto* p = std::get_if<IncomingCallConnected>(&m)) id = p->peer_call_id;
  if (auto* p = std::get_if<WanErrorNotify>(&m)) id = p->peer_call_id;
  if (auto* p = std::get_if<SetLinkInfo>(&m)) id = p->peer_call_id;
  for (PptpCall* c : calls_) {
    if (c->call_id() == id && id != 0) {
      c->OnControl(m);
      return;
    }
  }
  ++stats_.unknown_call;
  MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp conn {} {}: {} for unknown Call ID {}", id_,
                  peer_ip_, ControlTypeName(TypeOf(m)), id);
}

void ControlConn::ToCallByPeerId(const ControlMessage& m) {
  uint16_t id = 0;
  if (auto* p = std::get_if<CallClearRequest>(&m)) id = p->call_id;
  if (auto* p = std::get_if<CallDisconnectNotify>(&m)) id = p->call_id;
  if (PptpCall* c = FindByPeerId(id)) {
    c->OnControl(m);
    return;
  }
  ++stats_.unknown_call;
  MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp conn {} {}: {} for unknown peer Call ID {}", id_,
                  peer_ip_, ControlTypeName(TypeOf(m)), id);
}

}  // namespace mlppp::link::pptp
