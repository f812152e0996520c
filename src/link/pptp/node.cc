#include "link/pptp/node.h"

#include <vector>

namespace mlppp::link::pptp {

namespace {

// §2.8/§2.10: what a node answering a call announces.
constexpr uint32_t kConnectSpeed = 100'000'000;

GreWindowConfig GreFor(const CallOptions& o, uint16_t peer_window, uint16_t peer_ppd) {
  GreWindowConfig g;
  g.delayed_ack = o.delayed_ack;
  g.always_ack = o.always_ack;
  g.windowing = o.windowing;
  g.peer_recv_window = peer_window;
  g.peer_ppd = peer_ppd;
  return g;
}

}  // namespace

Node::Node(event::Loop& loop, NodeConfig config, GreTransport& gre, Connector connector,
           Random random)
    : loop_(loop),
      config_(std::move(config)),
      gre_(gre),
      connector_(std::move(connector)),
      random_(std::move(random)) {
  if (config_.calls_per_conn == 0) config_.calls_per_conn = 1;
}

Node::~Node() {
  std::vector<ControlConn*> conns;
  for (auto& [id, c] : conns_) conns.push_back(c.get());
  for (ControlConn* c : conns) c->Kill("PPTP node shutting down");
  for (PptpCall* call : all_calls_) call->DetachNode();
}

std::unique_ptr<link::Driver> Node::Dial(ClientConfig config) {
  return std::make_unique<PptpCall>(this, std::move(config));
}

Status Node::Listen(ServerConfig config, IncomingFn on_incoming) {
  if (!on_incoming) return Status::Error("pptp: Listen needs an incoming-call handler");
  server_config_ = std::move(config);
  on_incoming_ = std::move(on_incoming);
  listening_ = true;
  return Status::Ok();
}

void Node::StopListening() { listening_ = false; }

void Node::Shutdown() {
  std::vector<ControlConn*> conns;
  for (auto& [id, c] : conns_) conns.push_back(c.get());
  for (ControlConn* c : conns) c->Stop(kStopReasonLocalShutdown, "local shutdown");
}

void Node::Accept(std::unique_ptr<StreamConn> stream, const std::string& peer_ip) {
  if (!stream) return;
  if (!listening_) {
    ++counters_.refused_not_listening;
    stream->Close();
    return;
  }
  size_t& from_source = accepted_per_source_[peer_ip];
  if (from_source >= config_.max_conns_per_source) {
    ++counters_.refused_per_source;
    MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp: connection from {} refused: {} already open",
                    peer_ip, from_source);
    stream->Close();
    return;
  }
  if (half_open_ >= config_.max_half_open) {
    ++counters_.refused_half_open;
    MLOG_PEER_ERROR(peer_error_log_, kPhys,
                    "pptp: connection from {} refused: {} connections wait for SCCRQ", peer_ip,
                    half_open_);
    if (from_source == 0) accepted_per_source_.erase(peer_ip);
    stream->Close();
    return;
  }
  ++from_source;
  ++half_open_;
  ++counters_.accepted;
  const uint64_t id = next_conn_id_++;
  auto conn = std::make_unique<ControlConn>(*this, id, ControlConn::Role::kAnswerer, peer_ip);
  ControlConn* c = conn.get();
  conns_.emplace(id, std::move(conn));
  c->Start(std::move(stream));
}

void Node::OnGre(const std::string& peer_ip, Packet&& packet) {
  ++counters_.gre_rx;
  GreHeader h;
  const GreError err = StripGre(packet, &h);
  if (err != GreError::kOk) {
    ++counters_.gre_malformed;
    MLOG_PEER_ERROR(peer_error_log_, kPhys2, "pptp: bad GRE from {}: {}", peer_ip,
                    GreErrorName(err));
    return;
  }
  // §4.1: the Key's Call ID is ours; it must also come from the peer that
  // owns the call, so one peer cannot inject into another's call.
  auto it = calls_by_id_.find(h.call_id);
  if (it == calls_by_id_.end() || it->second->peer_ip() != peer_ip) {
    ++counters_.gre_unknown_call;
    MLOG_PEER_ERROR(peer_error_log_, kPhys2, "pptp: GRE from {} for unknown Call ID {}", peer_ip,
                    h.call_id);
    return;
  }
  it->second->OnGre(h, std::move(packet));
}

void Node::PlaceCall(PptpCall* call, const ClientConfig& config) {
  ControlConn* conn = nullptr;
  for (auto& [id, c] : conns_) {
    if (c->role() == ControlConn::Role::kOriginator && c->peer_ip() == config.peer_ip &&
        c->Usable() && c->call_count() < config_.calls_per_conn) {
      conn = c.get();
      break;
    }
  }
  // mpd5 pptplimit: a full (or no) connection means a new one.
  if (conn == nullptr) conn = Dial(config.peer_ip, config.peer_port);
  if (conn->state() == ConnState::kDead) {
    // A Connector that failed at once (against its contract): tell the call.
    call->OnConnDown("TCP connect failed");
    return;
  }
  conn->AddCall(call);
  call->AttachConn(conn);
  if (conn->established()) call->OnConnUp();
}

ControlConn* Node::Dial(const std::string& peer_ip, uint16_t port) {
  const uint64_t id = next_conn_id_++;
  auto conn = std::make_unique<ControlConn>(*this, id, ControlConn::Role::kOriginator, peer_ip);
  ControlConn* c = conn.get();
  conns_.emplace(id, std::move(conn));
  ++counters_.connects;
  ConnectDone done = [this, alive = std::weak_ptr<char>(alive_),
                      id](std::unique_ptr<StreamConn> stream) {
    if (alive.expired()) {
      if (stream) stream->Close();
      return;
    }
    auto it = conns_.find(id);
    if (it == conns_.end()) {
      if (stream) stream->Close();
      return;
    }
    if (!stream) ++counters_.connect_failures;
    it->second->OnConnected(std::move(stream));
  };
  if (connector_) {
    connector_(config_.self_ip, peer_ip, port, std::move(done));
  } else {
    loop_.Post([done = std::move(done)] { done(nullptr); });
  }
  return c;
}

uint16_t Node::RegisterCall(PptpCall* call) {
  if (calls_by_id_.size() >= 0xffff) return 0;
  // Random IDs (so a blind peer cannot guess another call's GRE key), with
  // a scan as the fallback when the table is nearly full.
  for (int i = 0; i < 32; ++i) {
    const auto id = static_cast<uint16_t>(random_());
    if (id != 0 && calls_by_id_.emplace(id, call).second) return id;
  }
  const auto start = static_cast<uint16_t>(random_());
  for (uint32_t i = 0; i < 0x10000; ++i) {
    const auto id = static_cast<uint16_t>(start + i);
    if (id != 0 && calls_by_id_.emplace(id, call).second) return id;
  }
  return 0;
}

void Node::UnregisterCall(uint16_t call_id, PptpCall* call) {
  auto it = calls_by_id_.find(call_id);
  if (it != calls_by_id_.end() && it->second == call) calls_by_id_.erase(it);
}

void Node::OnOutgoingCallRequest(ControlConn& conn, const OutgoingCallRequest& m) {
  OutgoingCallReply rp;
  rp.peer_call_id = m.call_id;
  if (!listening_ || !server_config_.accept_outgoing) {
    ++counters_.calls_refused;
    rp.result_code = result::kOcrpDoNotAccept;
    conn.Send(rp);
    return;
  }
  if (conn.call_count() >= config_.calls_per_conn || conn.FindByPeerId(m.call_id) != nullptr) {
    ++counters_.calls_refused;
    MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp: OCRQ from {} refused (limit or duplicate)",
                    conn.peer_ip());
    rp.result_code = result::kOcrpGeneralError;
    rp.error_code = static_cast<uint8_t>(GeneralError::kNoResource);
    conn.Send(rp);
    return;
  }
  auto call = std::make_unique<PptpCall>(
      this, &conn, CallRole::kPac, server_config_.options, m.call_id,
      GreFor(server_config_.options, m.packet_recv_window, m.packet_processing_delay));
  if (call->call_id() == 0) {
    ++counters_.calls_refused;
    rp.result_code = result::kOcrpGeneralError;
    rp.error_code = static_cast<uint8_t>(GeneralError::kNoResource);
    conn.Send(rp);
    return;
  }
  // §2.8: the call is connected with this reply.
  rp.call_id = call->call_id();
  rp.result_code = result::kOcrpConnected;
  rp.connect_speed = kConnectSpeed;
  rp.packet_recv_window = server_config_.options.recv_window;
  rp.packet_processing_delay = server_config_.options.processing_delay;
  conn.Send(rp);
  on_incoming_(std::move(call));
}

void Node::OnIncomingCallRequest(ControlConn& conn, const IncomingCallRequest& m) {
  IncomingCallReply rp;
  rp.peer_call_id = m.call_id;
  if (!listening_ || !server_config_.accept_incoming) {
    ++counters_.calls_refused;
    rp.result_code = result::kIcrpDoNotAccept;
    conn.Send(rp);
    return;
  }
  if (conn.call_count() >= config_.calls_per_conn || conn.FindByPeerId(m.call_id) != nullptr) {
    ++counters_.calls_refused;
    MLOG_PEER_ERROR(peer_error_log_, kPhys, "pptp: ICRQ from {} refused (limit or duplicate)",
                    conn.peer_ip());
    rp.result_code = result::kIcrpGeneralError;
    rp.error_code = static_cast<uint8_t>(GeneralError::kNoResource);
    conn.Send(rp);
    return;
  }
  // The peer's window arrives with ICCN (§2.11).
  auto call = std::make_unique<PptpCall>(this, &conn, CallRole::kPns, server_config_.options,
                                         m.call_id, GreFor(server_config_.options, 64, 0));
  if (call->call_id() == 0) {
    ++counters_.calls_refused;
    rp.result_code = result::kIcrpGeneralError;
    rp.error_code = static_cast<uint8_t>(GeneralError::kNoResource);
    conn.Send(rp);
    return;
  }
  // §2.10: accept; the PAC answers with ICCN.
  rp.call_id = call->call_id();
  rp.result_code = result::kIcrpConnect;
  rp.packet_recv_window = server_config_.options.recv_window;
  rp.packet_transmit_delay = server_config_.options.processing_delay;
  conn.Send(rp);
  on_incoming_(std::move(call));
}

void Node::ConnStateChanged(ControlConn&, ConnState from, ConnState) {
  if (from == ConnState::kWaitStartRqst && half_open_ > 0) --half_open_;
}

void Node::ConnDead(ControlConn* conn) {
  auto it = conns_.find(conn->id());
  if (it == conns_.end()) return;
  if (conn->role() == ControlConn::Role::kAnswerer) {
    auto src = accepted_per_source_.find(conn->peer_ip());
    if (src != accepted_per_source_.end() && --src->second == 0) accepted_per_source_.erase(src);
  }
  // Deleted after the current callback: we may be inside its own handler.
  loop_.DeferDelete(std::move(it->second));
  conns_.erase(it);
}

}  // namespace mlppp::link::pptp
