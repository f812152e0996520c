// Tunnel views from the sites' tunnel records (see tunnel_views.h).
#include "daemon/tunnel_views.h"

#include <fmt/format.h>

namespace mlppp::daemon {

std::string_view L2tpStateName(link::l2tp::Tunnel::State s) {
  using St = link::l2tp::Tunnel::State;
  // mpd5 has one CS_DYING from the StopCCN until the tunnel is destroyed;
  // we hold it (kClosing, RFC 2661 §5.7) and then drop it (kClosed).
  if (s == St::kClosing || s == St::kClosed) return "dying";
  // idle, wait-ctl-reply, wait-ctl-conn, established: mpd5's own words.
  return link::l2tp::Tunnel::StateName(s);
}

std::string_view PptpStateName(link::pptp::ConnState s) {
  using St = link::pptp::ConnState;
  switch (s) {
    // mpd5 leaves a connection IDLE until it sends its SCCRQ (originator,
    // after the TCP connect) or receives one (answerer).
    case St::kConnecting:
    case St::kWaitStartRqst:
      return "IDLE";
    case St::kWaitCtlReply:
      return "WAIT_CTL_REPLY";
    case St::kEstablished:
      return "ESTABLISHED";
    case St::kWaitStopReply:
      return "WAIT_STOP_REPLY";
    case St::kDead:
      return "DYING";
  }
  return "UNKNOWN";
}

void AddTunnelViews(std::span<const L2tpTunnelRecord> l2tp, std::span<const PptpConnRecord> pptp,
                    control::Snapshot* s) {
  // mpd5 names an L2TP tunnel by its address (%p) and a PPTP connection by
  // its slot; we number both in record order.
  int n = 0;
  for (const L2tpTunnelRecord& r : l2tp) {
    control::TunnelView t;
    t.type = "l2tp";
    t.name = fmt::format("l2tp{}", n++);
    t.self_addr = r.self_addr;
    t.self_port = r.self_port;
    t.peer_addr = r.peer.addr;
    t.peer_port = r.peer.port;
    t.state = L2tpStateName(r.state);
    t.calls = static_cast<uint32_t>(r.calls);
    s->tunnels.push_back(std::move(t));
  }
  n = 0;
  for (const PptpConnRecord& r : pptp) {
    control::TunnelView t;
    t.type = "pptp";
    t.name = fmt::format("pptp{}", n++);
    t.self_addr = r.self_addr;
    t.self_port = r.self_port;
    t.peer_addr = r.peer_addr;
    t.peer_port = r.peer_port;
    t.state = PptpStateName(r.state);
    t.calls = static_cast<uint32_t>(r.calls);
    s->tunnels.push_back(std::move(t));
  }
}

}  // namespace mlppp::daemon
