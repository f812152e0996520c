#include "link/l2tp/session.h"

#include <utility>

#include "link/l2tp/node.h"
#include "link/l2tp/tunnel.h"

namespace mlppp::link::l2tp {
namespace {

using S = L2tpSession::State;
using K = L2tpSession::Kind;

constexpr uint8_t Bit(S s) { return static_cast<uint8_t>(1u << static_cast<unsigned>(s)); }
constexpr uint8_t Bit(K k) { return static_cast<uint8_t>(1u << static_cast<unsigned>(k)); }
constexpr uint8_t kAllKinds = 0x0f;
constexpr uint8_t kLive = Bit(S::kWaitReply) | Bit(S::kWaitConnect) | Bit(S::kEstablished);

// What we report as the call's speed (§4.4.5 Tx Connect Speed is mandatory
// in ICCN/OCCN; there is no real bearer behind a UDP tunnel).
constexpr uint32_t kConnectSpeed = 100'000'000;

}  // namespace

// §7.4: which message each state accepts, and for which kind of call.
// ICRQ and OCRQ create calls and are handled by the tunnel.
const L2tpSession::Rule L2tpSession::kRules[] = {
    {MessageType::kICRP, &L2tpSession::OnIcrp, Bit(S::kWaitReply), Bit(K::kLacIncoming)},
    {MessageType::kICCN, &L2tpSession::OnIccn, Bit(S::kWaitConnect), Bit(K::kLnsIncoming)},
    {MessageType::kOCRP, &L2tpSession::OnOcrp, Bit(S::kWaitReply), Bit(K::kLnsOutgoing)},
    {MessageType::kOCCN, &L2tpSession::OnOccn, Bit(S::kWaitConnect), Bit(K::kLnsOutgoing)},
    {MessageType::kCDN, &L2tpSession::OnCdn, kLive, kAllKinds},
    {MessageType::kWEN, &L2tpSession::OnWen, kLive, kAllKinds},
    {MessageType::kSLI, &L2tpSession::OnSli, kLive, kAllKinds},
};

std::string_view L2tpSession::KindName(Kind k) {
  switch (k) {
    case Kind::kLacIncoming:
      return "LAC-incoming";
    case Kind::kLnsIncoming:
      return "LNS-incoming";
    case Kind::kLnsOutgoing:
      return "LNS-outgoing";
    case Kind::kLacOutgoing:
      return "LAC-outgoing";
  }
  return "unknown";
}

std::string_view L2tpSession::StateName(State s) {
  switch (s) {
    case State::kIdle:
      return "idle";
    case State::kWaitTunnel:
      return "wait-tunnel";
    case State::kWaitReply:
      return "wait-reply";
    case State::kWaitConnect:
      return "wait-connect";
    case State::kEstablished:
      return "established";
    case State::kClosed:
      return "closed";
  }
  return "unknown";
}

L2tpSession::L2tpSession(event::Loop& loop, Node* node, Kind kind, SessionOptions options)
    : loop_(loop),
      node_(node),
      kind_(kind),
      options_(std::move(options)),
      setup_timer_(loop.CreateTimer()) {}

L2tpSession::~L2tpSession() {
  if (state_ != State::kClosed && state_ != State::kIdle && tunnel_) {
    // The owner dropped a live call: hang up without reporting (events_
    // may be gone already).
    events_ = nullptr;
    Hangup(CdnResult::kAdministrative, ErrorCode::kNoError, "driver destroyed");
  }
  Leave();
  if (node_) node_->ForgetDialer(this);
}

void L2tpSession::SetState(State s, std::string_view why) {
  if (s == state_) return;
  MLOG_INFO(kPhys, "l2tp: session {} ({}): {} -> {}: {}", local_id_, KindName(kind_),
            StateName(state_), StateName(s), why);
  state_ = s;
  if (s == State::kWaitReply || s == State::kWaitConnect) {
    // A peer that acknowledges our messages but never completes the call
    // would hold it forever; §7.4 leaves the timer to us.
    if (!setup_timer_->Running()) {
      setup_timer_->Start(kCallSetupTimeout, [this] {
        if (state_ == State::kWaitReply || state_ == State::kWaitConnect) {
          Hangup(CdnResult::kTimeout, ErrorCode::kNoError, "call set-up timed out");
        }
      });
    }
  } else {
    setup_timer_->Stop();
  }
}

void L2tpSession::Attach(Tunnel* t, uint16_t local_id) {
  tunnel_ = t;
  local_id_ = local_id;
  peer_addr_ = t->peer().addr;
  self_addr_ = t->node().local_addr();
}

void L2tpSession::Leave() {
  if (!tunnel_) return;
  Tunnel* t = tunnel_;
  tunnel_ = nullptr;
  t->RemoveSession(this);
}

void L2tpSession::Open() {
  down_reported_ = false;
  if (kind_ == Kind::kLnsIncoming || kind_ == Kind::kLacOutgoing) {
    // A listener's call is up before anyone can open it, and the gate
    // holds the peer's first frames for this up: no Reset here.
    if (state_ == State::kEstablished) {
      PostUp();
    } else {
      PostDown("call already ended");
    }
    return;
  }
  if (state_ != State::kIdle && state_ != State::kClosed) return;  // already dialing
  // A new dial: frames or an up left from the last call are not this one's.
  up_.Reset();
  peer_id_ = 0;
  peer_requires_sequence_ = false;
  data_ns_ = 0;
  data_nr_ = 0;
  SetState(State::kWaitTunnel, "open");
  if (!node_ || !node_->AttachCall(this)) {
    SetState(State::kClosed, "no tunnel");
    PostDown("no tunnel available");
  }
  // AttachCall calls StartCall at once when the tunnel is already up.
}

void L2tpSession::StartCall() {
  if (state_ != State::kWaitTunnel || !tunnel_) return;
  ControlMessage m;
  m.assigned_session_id = local_id_;
  m.call_serial_number = node_ ? node_->NextCallSerial() : 1;
  if (!options_.called_number.empty()) m.called_number = options_.called_number;
  if (kind_ == Kind::kLacIncoming) {
    // §6.9 ICRQ.
    m.type = MessageType::kICRQ;
    m.bearer_type = kBearerDigital;
    if (!options_.calling_number.empty()) m.calling_number = options_.calling_number;
  } else {
    // §6.6 OCRQ: every field but Sub-Address is mandatory.
    m.type = MessageType::kOCRQ;
    m.minimum_bps = 0;
    m.maximum_bps = kConnectSpeed;
    m.bearer_type = kBearerDigital | kBearerAnalog;
    m.framing_type = kFramingSync | kFramingAsync;
    if (!m.called_number) m.called_number = std::string();
  }
  tunnel_->SendSessionMessage(0, m);
  SetState(State::kWaitReply, MessageTypeName(static_cast<uint16_t>(m.type)));
}

void L2tpSession::AcceptRequest(const ControlMessage& m) {
  peer_id_ = m.assigned_session_id.value_or(0);
  ControlMessage r;
  r.assigned_session_id = local_id_;
  if (kind_ == Kind::kLnsIncoming) {
    // §6.10 ICRP; the LAC answers with ICCN.
    r.type = MessageType::kICRP;
    tunnel_->SendSessionMessage(peer_id_, r);
    SetState(State::kWaitConnect, "ICRQ");
    return;
  }
  // §6.7 OCRP then §6.8 OCCN: the "call" out of a UDP LAC connects at once.
  r.type = MessageType::kOCRP;
  tunnel_->SendSessionMessage(peer_id_, r);
  SetState(State::kWaitConnect, "OCRQ");
  SendConnected(MessageType::kOCCN);
  Established();
}

void L2tpSession::SendConnected(MessageType type) {
  ControlMessage c;
  c.type = type;
  c.tx_connect_speed = kConnectSpeed;
  c.framing_type = kFramingSync;
  // §4.4.6: we ask the peer to sequence data when `dataseq` is on.
  c.sequencing_required = options_.dataseq;
  tunnel_->SendSessionMessage(peer_id_, c);
}

void L2tpSession::OnMessage(const ControlMessage& m) {
  for (const Rule& r : kRules) {
    if (r.type != m.type) continue;
    if ((r.states & Bit(state_)) && (r.kinds & Bit(kind_))) {
      (this->*r.handler)(m);
      return;
    }
    break;
  }
  ++counters_.unexpected_messages;
  MLOG_PEER_ERROR(node_ ? node_->peer_errors() : tunnel_->node().peer_errors(), kPhys,
                  "l2tp: session {} ({}): unexpected {} in state {}", local_id_, KindName(kind_),
                  MessageTypeName(static_cast<uint16_t>(m.type)), StateName(state_));
  // §7.4: an unexpected message in a call's exchange ends the call.
  if (m.type != MessageType::kCDN && m.type != MessageType::kWEN && m.type != MessageType::kSLI) {
    Hangup(CdnResult::kGeneralError, ErrorCode::kNoError,
           fmt::format("unexpected {}", MessageTypeName(static_cast<uint16_t>(m.type))));
  }
}

void L2tpSession::OnIcrp(const ControlMessage& m) {
  peer_id_ = m.assigned_session_id.value_or(0);
  SendConnected(MessageType::kICCN);
  Established();
}

void L2tpSession::OnIccn(const ControlMessage& m) {
  // §6.11: proxy LCP/authentication AVPs are optional; we ignore them and
  // let PPP negotiate afresh.
  peer_requires_sequence_ = m.sequencing_required;
  Established();  // the tunnel hands the call to the listener
}

void L2tpSession::OnOcrp(const ControlMessage& m) {
  peer_id_ = m.assigned_session_id.value_or(0);
  SetState(State::kWaitConnect, "OCRP");
}

void L2tpSession::OnOccn(const ControlMessage& m) {
  peer_requires_sequence_ = m.sequencing_required;
  Established();
}

void L2tpSession::OnCdn(const ControlMessage& m) {
  uint16_t result = m.result_code ? m.result_code->result : 0;
  std::string reason = fmt::format("CDN from peer: {}", CdnResultName(result));
  if (m.result_code && !m.result_code->message.empty()) {
    reason += fmt::format(" ({})", m.result_code->message);
  }
  SetState(State::kClosed, reason);
  PostDown(reason);
  Leave();
}

void L2tpSession::OnWen(const ControlMessage& m) {
  ++counters_.wen_received;
  if (m.call_errors) {
    MLOG_INFO(kPhys, "l2tp: session {}: WEN crc {} framing {} hw-overruns {} buf-overruns {}",
              local_id_, m.call_errors->crc, m.call_errors->framing,
              m.call_errors->hardware_overruns, m.call_errors->buffer_overruns);
  }
}

void L2tpSession::OnSli(const ControlMessage& m) {
  ++counters_.sli_received;
  if (m.accm) {
    accm_ = *m.accm;
    MLOG_INFO(kPhys, "l2tp: session {}: SLI send-accm {:#010x} recv-accm {:#010x}", local_id_,
              accm_.send, accm_.receive);
  }
}

void L2tpSession::Established() {
  SetState(State::kEstablished, "call connected");
  // A listener's call reports up when its new owner opens it.
  if (kind_ == Kind::kLacIncoming || kind_ == Kind::kLnsOutgoing) PostUp();
}

void L2tpSession::Hangup(CdnResult result, ErrorCode error, std::string reason) {
  if (tunnel_ && state_ != State::kWaitTunnel && state_ != State::kIdle &&
      state_ != State::kClosed) {
    ControlMessage c;
    c.type = MessageType::kCDN;
    c.assigned_session_id = local_id_;
    c.result_code = ResultCode{static_cast<uint16_t>(result), std::nullopt, {}};
    if (error != ErrorCode::kNoError) c.result_code->error = static_cast<uint16_t>(error);
    tunnel_->SendSessionMessage(peer_id_, c);
  }
  SetState(State::kClosed, reason);
  PostDown(reason);
  Leave();
}

void L2tpSession::Close() {
  if (state_ == State::kIdle || state_ == State::kClosed) {
    PostDown("closed");
    return;
  }
  Hangup(CdnResult::kAdministrative, ErrorCode::kNoError, "closed locally");
}

void L2tpSession::OnTunnelDown(std::string_view reason) {
  tunnel_ = nullptr;
  // A listener's call cannot be reopened; it may outlive the node.
  if (kind_ == Kind::kLnsIncoming || kind_ == Kind::kLacOutgoing) node_ = nullptr;
  if (state_ == State::kClosed || state_ == State::kIdle) return;
  std::string r = fmt::format("tunnel down: {}", reason);
  SetState(State::kClosed, r);
  PostDown(r);
}

void L2tpSession::Send(Packet&& frame) {
  if (state_ != State::kEstablished || !tunnel_) {
    ++counters_.dropped_not_up;
    return;
  }
  Header h = DataHeader(tunnel_->peer_id(), peer_id_, options_.length, sends_sequence(), data_ns_,
                        data_nr_);
  if (sends_sequence()) ++data_ns_;
  if (PrependHeader(h, frame) != HeaderError::kOk) {
    ++counters_.dropped_not_up;
    return;
  }
  ++counters_.frames_out;
  tunnel_->SendData(this, std::move(frame));
}

void L2tpSession::OnData(const Header& h, Packet&& frame) {
  if (h.has_sequence) {
    // §5.4: a data message whose Ns is behind the expected one is stale;
    // drop it. Ns ahead of it means loss: accept and resynchronise.
    if (h.ns != data_nr_ && !ControlChannel::SeqBefore(data_nr_, h.ns)) {
      ++counters_.data_out_of_order;
      return;
    }
    data_nr_ = static_cast<uint16_t>(h.ns + 1);
  }
  ++counters_.frames_in;
  // The peer's LCP may follow its ICCN in one receive batch, or reach a
  // call the daemon has not taken yet (see link/up_gate.h).
  if (!up_.Deliver(std::move(frame))) ++counters_.dropped_early;
}

PeerInfo L2tpSession::Info() const {
  PeerInfo i;
  i.type = "l2tp";
  i.peer_addr = peer_addr_;
  i.self_addr = self_addr_;
  i.session_id = local_id_;
  i.service = options_.called_number;
  return i;
}

void L2tpSession::PostUp() { up_.PostUp(); }

void L2tpSession::PostDown(std::string reason) {
  if (down_reported_) return;
  down_reported_ = true;
  std::weak_ptr<char> alive = alive_;
  loop_.Post([this, alive, reason = std::move(reason)] {
    if (alive.expired()) return;
    if (events_) events_->OnDriverDown(reason);
  });
}

}  // namespace mlppp::link::l2tp
