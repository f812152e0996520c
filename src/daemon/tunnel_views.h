// The L2TP tunnels and PPTP control connections of a snapshot (mpd5 `show
// l2tp` / `show pptp`: l2tp.c L2tpsStat, pptp_ctrl.c PptpsStat), derived
// from its live calls: the L2TP and PPTP sites keep their tunnels to
// themselves, so a tunnel is the calls that share a local and a peer
// address, as mpd5 keys them.
#pragma once

#include "config/model.h"
#include "control/status.h"

namespace mlppp::daemon {

// Appends one TunnelView per (type, self address, peer address) of
// `s->links`' live L2TP/PPTP calls, named "l2tp0", "pptp0"... in that
// order; ports come from the calls' link configurations (0 = any).
void AddTunnelViews(const config::Config& config, control::Snapshot* s);

}  // namespace mlppp::daemon
