// The L2TP tunnels and PPTP control connections of a snapshot (mpd5 `show
// l2tp` / `show pptp`: l2tp.c L2tpsStat, pptp_ctrl.c PptpsStat), from the
// real tunnels the L2TP and PPTP sites enumerate (L2tpSites::Tunnels,
// PptpSites::Connections): the records here are what the sites know of
// each, the views what the console prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "control/status.h"
#include "link/l2tp/tunnel.h"
#include "link/pptp/control_conn.h"

namespace mlppp::daemon {

// One L2TP tunnel of one site (local address and UDP port).
struct L2tpTunnelRecord {
  std::string self_addr;
  uint16_t self_port = 0;  // the site socket's bound port
  link::l2tp::Endpoint peer;
  link::l2tp::Tunnel::State state = link::l2tp::Tunnel::State::kIdle;
  size_t calls = 0;  // sessions in the tunnel, in any state
};

// One PPTP control connection of one site (local address).
struct PptpConnRecord {
  std::string self_addr, peer_addr;
  uint16_t self_port = 0, peer_port = 0;  // 0 = not known
  link::pptp::ConnState state = link::pptp::ConnState::kConnecting;
  size_t calls = 0;
};

// mpd5's names for a tunnel's state (ppp_l2tp_ctrl.c
// ppp_l2tp_ctrl_state_str): ours where they match, "dying" from StopCCN on.
std::string_view L2tpStateName(link::l2tp::Tunnel::State s);
// mpd5's names for a control connection's state (pptp_ctrl.c
// gPptpCtrlStates).
std::string_view PptpStateName(link::pptp::ConnState s);

// Appends one TunnelView per record, with or without calls, L2TP first,
// named "l2tp0", "l2tp1"... and "pptp0"... in record order.
void AddTunnelViews(std::span<const L2tpTunnelRecord> l2tp, std::span<const PptpConnRecord> pptp,
                    control::Snapshot* s);

}  // namespace mlppp::daemon
