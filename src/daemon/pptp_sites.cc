#include "daemon/pptp_sites.h"

#include <chrono>

#include "core/log.h"
#include "daemon/peer_filter.h"
#include "os/hostname.h"
#include "os/resolve.h"

namespace mlppp::daemon {
namespace {

link::pptp::CallOptions OptionsOf(const config::PptpConf& c) {
  link::pptp::CallOptions o;
  o.delayed_ack = c.delayed_ack;
  o.always_ack = c.always_ack;
  o.windowing = c.windowing;
  return o;
}

}  // namespace

PptpSites::PptpSites(event::AsioLoop& loop, const config::Config& config,
                     std::function<uint32_t()> random)
    : loop_(loop), config_(config), random_(std::move(random)) {}

PptpSites::~PptpSites() {
  // Listeners and nodes before the GRE sockets they send through.
  for (auto& [_, site] : sites_) {
    site->listener.reset();
    site->node.reset();
  }
}

PptpSites::Site* PptpSites::SiteFor(const std::string& addr) {
  if (auto it = sites_.find(addr); it != sites_.end()) return it->second.get();
  auto site = std::make_unique<Site>();
  Site* raw = site.get();
  auto gre = os::GreSocket::Open(loop_.context(), addr, [raw](const std::string& from, Packet&& p) {
    if (raw->node) raw->node->OnGre(from, std::move(p));
  });
  if (!gre.ok()) {
    MLOG_ERROR(kPhys, "pptp: {}", gre.error());
    return nullptr;
  }
  site->gre = std::move(*gre);
  link::pptp::NodeConfig nc;
  nc.self_ip = addr;
  nc.host_name = os::Hostname();
  nc.calls_per_conn = static_cast<uint16_t>(std::clamp(config_.pptp_limit, 1, 65535));
  nc.idle_timeout = std::chrono::seconds(config_.pptp_timeout);
  site->node = std::make_unique<link::pptp::Node>(loop_, nc, *site->gre,
                                                  os::TcpConnector(loop_.context()), random_);
  sites_.emplace(addr, std::move(site));
  return raw;
}

Status PptpSites::Listen(const config::LinkConf& conf, IncomingFn on_incoming) {
  const auto& c = conf.pptp;
  Site* site = SiteFor(c.self_addr);
  if (!site) return Status::Error("cannot open the GRE socket");
  if (site->listener) return Status::Error("already listening on this address");
  link::pptp::ServerConfig sc;
  sc.options = OptionsOf(c);
  if (Status st = site->node->Listen(sc, std::move(on_incoming)); !st.ok()) return st;
  link::pptp::Node* node = site->node.get();
  // mpd5 `set pptp peer IP[/width]` on a listener: only these peers; the
  // others' connections are closed at once (dropping the stream).
  PeerFilter allowed = MakePeerFilter(c.peer_addr, c.peer_width);
  auto l = os::TcpListener::Open(
      loop_.context(), c.self_addr, c.self_port,
      [node, allowed](std::unique_ptr<link::pptp::StreamConn> s, const std::string& peer) {
        if (allowed && !allowed(peer)) {
          MLOG_WARN(kPhys, "pptp: connection from {} refused by `set pptp peer`", peer);
          return;
        }
        node->Accept(std::move(s), peer);
      });
  if (!l.ok()) {
    site->node->StopListening();
    return Status::Error(l.error());
  }
  site->listener = std::move(*l);
  return Status::Ok();
}

std::unique_ptr<link::Driver> PptpSites::Dial(const config::LinkConf& conf) {
  const auto& c = conf.pptp;
  std::string peer =
      names_.Resolve(conf.name, "pptp", c.peer_addr, c.resolve_once, os::AddrFamily::kIpv4);
  if (peer.empty()) return nullptr;
  Site* site = SiteFor(c.self_addr);
  if (!site) return nullptr;
  link::pptp::ClientConfig cc;
  cc.peer_ip = peer;
  cc.peer_port = c.peer_port ? c.peer_port : config::kPptpPort;
  cc.outcall = c.outcall;
  cc.calling_num = c.calling_num;
  cc.called_num = c.called_num;
  cc.options = OptionsOf(c);
  dial_ports_[{c.self_addr, peer}] = cc.peer_port;
  return site->node->Dial(cc);
}

bool PptpSites::CallsGone() const {
  for (const auto& [_, site] : sites_)
    if (site->node->registered_calls() != 0) return false;
  return true;
}

bool PptpSites::Quiet() const {
  for (const auto& [_, site] : sites_)
    if (site->node->conn_count() != 0) return false;
  return true;
}

std::vector<PptpConnRecord> PptpSites::Connections() const {
  std::vector<PptpConnRecord> v;
  for (const auto& [addr, site] : sites_) {
    for (const link::pptp::ControlConn* c : site->node->connections()) {
      PptpConnRecord r;
      // "" binds the IPv4 wildcard (os/pptp_sockets.cc, os/tcp_stream.cc).
      r.self_addr = addr.empty() ? "0.0.0.0" : addr;
      r.peer_addr = c->peer_ip();
      if (c->role() == link::pptp::ControlConn::Role::kAnswerer) {
        // Accepted by this site's listener: its bound port.
        r.self_port = site->listener ? site->listener->port() : config::kPptpPort;
      } else if (auto it = dial_ports_.find({addr, c->peer_ip()}); it != dial_ports_.end()) {
        r.peer_port = it->second;
      }
      r.state = c->state();
      r.calls = c->call_count();
      v.push_back(std::move(r));
    }
  }
  return v;
}

void PptpSites::StopAll() {
  for (auto& [_, site] : sites_) site->node->Shutdown();
}

}  // namespace mlppp::daemon
