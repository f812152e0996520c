#include "daemon/l2tp_sites.h"

#include <chrono>

#include "core/ip_literal.h"
#include "core/log.h"
#include "daemon/peer_filter.h"
#include "os/hostname.h"
#include "os/resolve.h"

namespace mlppp::daemon {
namespace {

link::l2tp::TunnelConfig TunnelOf(const config::L2tpConf& c) {
  link::l2tp::TunnelConfig t;
  t.hostname = c.hostname;
  t.secret = c.secret;
  t.hidden = c.hidden;
  t.pmask = c.pmask;
  return t;
}

link::l2tp::SessionOptions SessionOf(const config::L2tpConf& c) {
  link::l2tp::SessionOptions s;
  s.length = c.length;
  s.dataseq = c.dataseq;
  s.calling_number = c.calling_num;
  s.called_number = c.called_num;
  return s;
}

}  // namespace

L2tpSites::L2tpSites(event::AsioLoop& loop, const config::Config& config, RandomFill random)
    : loop_(loop), config_(config), random_(std::move(random)) {}

L2tpSites::~L2tpSites() {
  // Nodes first: they may still send through their sockets.
  for (auto& [_, site] : sites_) site->node.reset();
}

L2tpSites::Site* L2tpSites::SiteFor(const std::string& addr, uint16_t port) {
  auto key = std::make_pair(addr, port);
  if (auto it = sites_.find(key); it != sites_.end()) return it->second.get();
  auto site = std::make_unique<Site>();
  Site* raw = site.get();
  auto sock =
      os::L2tpUdpSocket::Open(loop_.context(), addr, port,
                              [raw](const link::l2tp::Endpoint& from, std::span<const uint8_t> d) {
                                if (raw->node) raw->node->OnDatagram(from, d);
                              });
  if (!sock.ok()) {
    MLOG_ERROR(kPhys, "l2tp: {}", sock.error());
    return nullptr;
  }
  site->socket = std::move(*sock);
  link::l2tp::NodeConfig nc;
  nc.hostname = os::Hostname();
  nc.idle_timeout = std::chrono::seconds(config_.l2tp_timeout);
  nc.session_limit = static_cast<size_t>(std::max(1, config_.l2tp_limit));
  site->node = std::make_unique<link::l2tp::Node>(loop_, *site->socket, addr, nc, random_);
  sites_.emplace(key, std::move(site));
  return raw;
}

Status L2tpSites::Listen(const config::LinkConf& conf, IncomingFn on_incoming) {
  const auto& c = conf.l2tp;
  Site* site = SiteFor(c.self_addr, c.self_port);
  if (!site) return Status::Error("cannot open the UDP socket");
  link::l2tp::ServerConfig sc;
  sc.tunnel = TunnelOf(c);
  sc.session = SessionOf(c);
  sc.accept_peer = MakePeerFilter(c.peer_addr, c.peer_width);
  return site->node->Listen(sc, std::move(on_incoming));
}

std::unique_ptr<link::Driver> L2tpSites::Dial(const config::LinkConf& conf) {
  const auto& c = conf.l2tp;
  std::string peer =
      names_.Resolve(conf.name, "l2tp", c.peer_addr, c.resolve_once, os::AddrFamily::kAny);
  if (peer.empty()) return nullptr;
  // A client without `set l2tp self` sends from an ephemeral port of the
  // peer's address family, so it can run beside a listener on 1701.
  bool own_self = !c.self_addr.empty();
  std::string self = own_self ? c.self_addr : IsIpv6Literal(peer) ? "::" : "0.0.0.0";
  Site* site = SiteFor(self, own_self ? c.self_port : 0);
  if (!site) return nullptr;
  link::l2tp::ClientConfig cc;
  cc.peer = {peer, c.peer_port ? c.peer_port : config::kL2tpPort};
  cc.tunnel = TunnelOf(c);
  cc.session = SessionOf(c);
  cc.outcall = c.outcall;
  return site->node->Dial(cc);
}

bool L2tpSites::Quiet() const {
  for (const auto& [_, site] : sites_) {
    for (const link::l2tp::Tunnel* t : site->node->tunnels()) {
      if (t->state() != link::l2tp::Tunnel::State::kClosed && !t->channel().Idle()) return false;
    }
  }
  return true;
}

std::vector<L2tpTunnelRecord> L2tpSites::Tunnels() const {
  std::vector<L2tpTunnelRecord> v;
  for (const auto& [key, site] : sites_) {
    for (const link::l2tp::Tunnel* t : site->node->tunnels()) {
      L2tpTunnelRecord r;
      // "" binds the IPv4 wildcard (os/l2tp_udp.cc); a dialling site
      // without `set l2tp self` has an ephemeral port, the bound one.
      r.self_addr = key.first.empty() ? "0.0.0.0" : key.first;
      r.self_port = site->socket->port();
      r.peer = t->peer();
      r.state = t->state();
      r.calls = t->session_count();
      v.push_back(std::move(r));
    }
  }
  return v;
}

void L2tpSites::StopAll(const std::string& reason) {
  for (auto& [_, site] : sites_) site->node->StopAll(reason);
}

}  // namespace mlppp::daemon
