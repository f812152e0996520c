// Tunnel views from a snapshot's calls (see tunnel_views.h).
#include "daemon/tunnel_views.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace mlppp::daemon {
namespace {

const config::LinkConf* LinkConfOf(const config::Config& config, const std::string& name) {
  for (const config::LinkConf& c : config.links)
    if (c.name == name) return &c;
  return nullptr;
}

// mpd5's control connection state names (ppp_l2tp_ctrl.c, pptp_ctrl.c
// gPptpCtrlStates). The sites do not expose a tunnel's own state: a call
// that is up or came from the peer means the tunnel is established; only
// our own call still dialling leaves it waiting for the peer's reply.
std::string TunnelState(const std::string& type, bool established) {
  if (type == "pptp") return established ? "ESTABLISHED" : "WAIT_CTL_REPLY";
  return established ? "established" : "wait-ctl-reply";
}

}  // namespace

void AddTunnelViews(const config::Config& config, control::Snapshot* s) {
  // One tunnel per (type, local address, peer address) among the live
  // calls, as mpd5 keys its tunnels; ports are the configured ones (the
  // sites do not expose a tunnel's actual ports: 0 = any).
  std::map<std::tuple<std::string, std::string, std::string>, control::TunnelView> tunnels;
  for (const control::LinkView& l : s->links) {
    // Idle configurations (templates, static links not running) have no call.
    if (l.is_template || l.state == "DOWN" || (l.type != "l2tp" && l.type != "pptp")) continue;
    control::TunnelView& t = tunnels[{l.type, l.self_addr, l.peer_addr}];
    if (t.type.empty()) {
      t.type = l.type;
      t.self_addr = l.self_addr;
      t.peer_addr = l.peer_addr;
      if (const config::LinkConf* c = LinkConfOf(config, l.conf_name)) {
        t.self_port = l.type == "l2tp" ? c->l2tp.self_port : c->pptp.self_port;
        t.peer_port = l.type == "l2tp" ? c->l2tp.peer_port : c->pptp.peer_port;
      }
    }
    ++t.calls;
    t.links.push_back(l.name);
    bool established = l.incoming || l.state == "UP" || t.state == TunnelState(l.type, true);
    t.state = TunnelState(l.type, established);
  }
  std::map<std::string, int> numbers;
  for (auto& [key, t] : tunnels) {
    t.name = fmt::format("{}{}", t.type, numbers[t.type]++);
    s->tunnels.push_back(std::move(t));
  }
}

}  // namespace mlppp::daemon
