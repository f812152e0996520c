#include "link/l2tp/node.h"

#include <array>
#include <utility>

namespace mlppp::link::l2tp {

Node::Node(event::Loop& loop, DatagramTransport& transport, std::string local_addr,
           NodeConfig config, RandomFill random)
    : loop_(loop),
      transport_(transport),
      local_addr_(std::move(local_addr)),
      config_(std::move(config)),
      random_(std::move(random)) {
  if (config_.session_limit == 0) config_.session_limit = 1;
}

Node::~Node() {
  alive_.reset();
  for (auto& [s, c] : dialers_) s->DetachNode();
  dialers_.clear();
  // Tunnels take their sessions down (posted reports) as they go.
  tunnels_.clear();
}

Status Node::Listen(ServerConfig config, IncomingFn on_incoming) {
  if (!on_incoming) return Status::Error("l2tp: Listen needs an IncomingFn");
  server_ = std::move(config);
  on_incoming_ = std::move(on_incoming);
  return Status::Ok();
}

void Node::StopListening() { on_incoming_ = nullptr; }

std::unique_ptr<link::Driver> Node::Dial(ClientConfig config) {
  if (config.peer.port == 0) config.peer.port = kUdpPort;
  auto kind = config.outcall ? L2tpSession::Kind::kLnsOutgoing : L2tpSession::Kind::kLacIncoming;
  auto s = std::make_unique<L2tpSession>(loop_, this, kind, config.session);
  s->NoteDialPeer(config.peer.addr);
  dialers_.emplace(s.get(), std::move(config));
  return s;
}

void Node::RandomBytes(std::span<uint8_t> out) {
  if (random_) {
    random_(out);
  } else {
    for (auto& b : out) b = 0;
  }
}

uint16_t Node::RandomU16() {
  std::array<uint8_t, 2> b{};
  RandomBytes(b);
  return static_cast<uint16_t>(b[0] << 8 | b[1]);
}

Tunnel* Node::FindTunnel(uint16_t local_id) const {
  auto it = tunnels_.find(local_id);
  return it == tunnels_.end() ? nullptr : it->second.get();
}

std::vector<Tunnel*> Node::tunnels() const {
  std::vector<Tunnel*> v;
  for (auto& [id, t] : tunnels_) v.push_back(t.get());
  return v;
}

Tunnel* Node::NewTunnel(const Endpoint& peer, const TunnelConfig& c, bool initiator) {
  // §5.1: Tunnel IDs are ours to pick; random and non-zero so they are
  // hard to guess off-path.
  uint16_t id = 0;
  for (int i = 0; i < 32 && id == 0; ++i) {
    uint16_t cand = RandomU16();
    if (cand != 0 && !tunnels_.contains(cand)) id = cand;
  }
  for (uint32_t cand = 1; id == 0 && cand <= 0xffff; ++cand) {
    if (!tunnels_.contains(static_cast<uint16_t>(cand))) id = static_cast<uint16_t>(cand);
  }
  if (id == 0) {
    ++counters_.tunnel_ids_exhausted;
    return nullptr;
  }
  auto t = std::make_unique<Tunnel>(*this, id, peer, c, initiator);
  Tunnel* raw = t.get();
  tunnels_[id] = std::move(t);
  ++counters_.tunnels_created;
  return raw;
}

bool Node::AttachCall(L2tpSession* s) {
  auto it = dialers_.find(s);
  if (it == dialers_.end()) return false;
  const ClientConfig& c = it->second;
  // mpd5 l2tplimit: reuse a tunnel to the same peer with the same settings
  // until it carries session_limit calls, then open another.
  for (auto& [id, t] : tunnels_) {
    if (!t->initiator() || t->dialed_peer() != c.peer || !(t->config() == c.tunnel)) continue;
    if (t->state() != Tunnel::State::kWaitCtlReply && t->state() != Tunnel::State::kEstablished) {
      continue;
    }
    if (t->session_count() >= config_.session_limit) continue;
    if (t->AddCall(s)) return true;
  }
  Tunnel* t = NewTunnel(c.peer, c.tunnel, true);
  if (!t) return false;
  if (!t->AddCall(s)) return false;
  t->Start();
  return true;
}

void Node::OnDatagram(const Endpoint& from, std::span<const uint8_t> datagram) {
  ++counters_.datagrams;
  ParsedHeader p;
  HeaderError e = ParseHeader(datagram, &p);
  if (e != HeaderError::kOk) {
    ++counters_.bad_header;
    MLOG_PEER_ERROR(peer_errors_, kPhys2, "l2tp: {}: bad header: {}", from.ToString(),
                    HeaderErrorName(e));
    return;
  }
  if (!p.header.control) {
    Tunnel* t = FindTunnel(p.header.tunnel_id);
    if (!t || !t->AcceptsSource(from)) {
      ++counters_.unknown_tunnel_data;
      return;
    }
    t->OnData(p);
    return;
  }
  if (p.header.tunnel_id == 0) {
    OnSccrq(from, p);
    return;
  }
  Tunnel* t = FindTunnel(p.header.tunnel_id);
  if (!t) {
    ++counters_.unknown_tunnel;
    MLOG_PEER_ERROR(peer_errors_, kPhys2, "l2tp: {}: control message for unknown tunnel {}",
                    from.ToString(), p.header.tunnel_id);
    return;
  }
  if (!t->AcceptsSource(from)) {
    ++counters_.wrong_source;
    MLOG_PEER_ERROR(peer_errors_, kPhys2, "l2tp: {}: tunnel {} belongs to {}", from.ToString(),
                    p.header.tunnel_id, t->peer().ToString());
    return;
  }
  t->OnControl(from, p);
}

void Node::OnSccrq(const Endpoint& from, const ParsedHeader& p) {
  // §3.1/§5.1: Tunnel ID 0 is only valid on the SCCRQ that opens a tunnel.
  if (p.payload.empty()) {
    ++counters_.bad_sccrq;
    return;
  }
  if (!listening()) {
    ++counters_.not_listening;
    MLOG_PEER_ERROR(peer_errors_, kPhys, "l2tp: {}: SCCRQ while not listening", from.ToString());
    return;
  }
  // mpd5 `set l2tp peer IP[/width]` on a listener: only these peers.
  if (server_.accept_peer && !server_.accept_peer(from.addr)) {
    ++counters_.peer_refused;
    MLOG_PEER_ERROR(peer_errors_, kPhys,
                    "l2tp: {}: SCCRQ from a peer not allowed by `set l2tp peer`", from.ToString());
    return;
  }
  ControlMessage m;
  const HidingContext hiding{server_.tunnel.secret, false};
  DecodeResult r = DecodeControl(p.payload, server_.tunnel.secret.empty() ? nullptr : &hiding, &m);
  if (!r.ok() || m.type != MessageType::kSCCRQ || !m.assigned_tunnel_id ||
      *m.assigned_tunnel_id == 0) {
    ++counters_.bad_sccrq;
    MLOG_PEER_ERROR(peer_errors_, kPhys, "l2tp: {}: bad message on tunnel 0: {}", from.ToString(),
                    r.ok() ? MessageTypeName(r.message_type) : r.Describe());
    return;
  }
  auto key = std::make_pair(from, *m.assigned_tunnel_id);
  if (auto it = by_sccrq_.find(key); it != by_sccrq_.end()) {
    // The peer did not see our SCCRP yet: its channel acknowledges again.
    ++counters_.sccrq_retransmits;
    if (Tunnel* t = FindTunnel(it->second)) t->OnControl(from, p);
    return;
  }
  size_t& per_source = half_open_by_source_[from.addr];
  if (per_source >= config_.max_half_open_per_source ||
      half_open_total_ >= config_.max_half_open_total) {
    ++counters_.sccrq_flood_dropped;
    if (per_source == 0) half_open_by_source_.erase(from.addr);
    MLOG_PEER_ERROR(peer_errors_, kPhys, "l2tp: {}: SCCRQ dropped: {} half-open tunnels",
                    from.ToString(), half_open_total_);
    return;
  }
  Tunnel* t = NewTunnel(from, server_.tunnel, false);
  if (!t) {
    if (per_source == 0) half_open_by_source_.erase(from.addr);
    return;
  }
  ++per_source;
  ++half_open_total_;
  t->set_counted_half_open(true);
  by_sccrq_[key] = t->local_id();
  t->OnControl(from, p);
}

void Node::DropHalfOpen(Tunnel* t) {
  if (!t->counted_half_open()) return;
  t->set_counted_half_open(false);
  --half_open_total_;
  auto it = half_open_by_source_.find(t->peer().addr);
  if (it != half_open_by_source_.end() && --it->second == 0) half_open_by_source_.erase(it);
}

void Node::OnTunnelEstablished(Tunnel* t) {
  ++counters_.tunnels_established;
  DropHalfOpen(t);
}

void Node::ReleaseTunnel(Tunnel* t) {
  auto it = tunnels_.find(t->local_id());
  if (it == tunnels_.end() || it->second.get() != t) return;
  DropHalfOpen(t);
  for (auto b = by_sccrq_.begin(); b != by_sccrq_.end();) {
    b = b->second == t->local_id() ? by_sccrq_.erase(b) : std::next(b);
  }
  ++counters_.tunnels_closed;
  loop_.DeferDelete(std::move(it->second));
  tunnels_.erase(it);
}

void Node::DeliverIncoming(std::unique_ptr<L2tpSession> s) {
  ++counters_.incoming_calls;
  auto holder = std::make_shared<std::unique_ptr<L2tpSession>>(std::move(s));
  std::weak_ptr<char> alive = alive_;
  loop_.Post([this, alive, holder] {
    if (alive.expired() || !*holder) return;
    if ((*holder)->state() != L2tpSession::State::kEstablished || !on_incoming_) {
      // Ended (or the listener stopped) before anyone took it.
      (*holder)->Close();
      return;
    }
    on_incoming_(std::move(*holder));
  });
}

void Node::StopAll(std::string reason) {
  for (Tunnel* t : tunnels()) t->Stop(StopCcnResult::kShuttingDown, reason);
}

}  // namespace mlppp::link::l2tp
