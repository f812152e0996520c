// `show device` (mpd5 phys.c PhysStat) with the type's own part: pppoe.c
// PppoeStat, l2tp.c L2tpStat, pptp.c PptpStat. The L2TP secret is never
// shown, only whether one is set.
#include "control/show.h"

namespace mlppp::control::show {

namespace {

std::string_view YESNO(bool b) { return b ? "YES" : "NO"; }

// mpd5 u_rangetoa: "IP/width"; a peer given by name prints as given, no
// peer at all as mpd5's cleared range.
std::string PeerRange(const std::string& addr, const std::optional<uint8_t>& width) {
  if (addr.empty()) return "0.0.0.0/0";
  return width ? fmt::format("{}/{}", addr, *width) : addr;
}

// mpd5 PppoeStat (pppoe.c). mpd5 also prints "Iface Node" and "Iface
// Hook", the netgraph path of the ng_ether node: Linux has none, so the
// lines are left out. Circuit-ID / Remote-ID (DSL Forum tags) are not
// kept by mlpppd: printed empty, as mpd5 does for a peer that sent none.
void PppoeStat(const Env& e, const config::LinkConf* c, const LinkView* l) {
  Out(e, "PPPoE configuration:\n");
  if (c) {
    Out(e, "\tIface Name   : {}\n", c->pppoe.iface);
    Out(e, "\tSession      : {}\n", c->pppoe.service);
  }
  Out(e, "PPPoE status:\n");
  if (!l || l->is_template || l->state == "DOWN") return;
  // A live link is always opened by its upper layer in mlpppd.
  Out(e, "\tOpened       : {}\n", YESNO(true));
  Out(e, "\tIncoming     : {}\n", YESNO(l->incoming));
  Out(e, "\tCurrent peer : {}\n", l->peer_addr);
  Out(e, "\tSession      : {}\n", l->service);
  Out(e, "\tCircuit-ID   : \n");
  Out(e, "\tRemote-ID    : \n");
}

// The live part of mpd5 L2tpStat / PptpStat. The peer's Host Name (mpd5
// prints it in parentheses after each address) is not in the snapshot, so
// the addresses stand alone. mlpppd carries PPP frames synchronously.
void TunnelCallStat(const Env& e, const LinkView* l, uint16_t self_port, uint16_t peer_port,
                    bool self_has_port) {
  if (!l || l->is_template || l->state == "DOWN") return;
  Out(e, "\tIncoming     : {}\n", YESNO(l->incoming));
  if (self_has_port)
    Out(e, "\tCurrent self : {}, port {}\n", l->self_addr, self_port);
  else
    Out(e, "\tCurrent self : {}\n", l->self_addr);
  Out(e, "\tCurrent peer : {}, port {}\n", l->peer_addr, peer_port);
  Out(e, "\tFraming      : Sync\n");
  Out(e, "\tCalling number: {}\n", l->calling_num);
  Out(e, "\tCalled number: {}\n", l->called_num);
}

// mpd5 L2tpStat (l2tp.c). The secret shows as stars when set. Ports of a
// live call are the configured ones (0 = any): the snapshot has no other.
void L2tpStat(const Env& e, const config::LinkConf* c, const LinkView* l) {
  Out(e, "L2TP configuration:\n");
  if (c) {
    const config::L2tpConf& t = c->l2tp;
    Out(e, "\tSelf addr    : {}, port {}\n", t.self_addr.empty() ? "0.0.0.0" : t.self_addr,
        t.self_port);
    Out(e, "\tPeer range   : {}", PeerRange(t.peer_addr, t.peer_width));
    if (t.peer_port) Out(e, ", port {}", t.peer_port);
    Out(e, "\n");
    Out(e, "\tHostname     : {}\n", t.hostname);
    Out(e, "\tSecret       : {}\n", t.secret.empty() ? "" : "******");
    Out(e, "\tCalling number: {}\n", t.calling_num);
    Out(e, "\tCalled number: {}\n", t.called_num);
    Out(e, "L2TP options:\n");
    OptRow rows[] = {{"outcall", t.outcall, std::nullopt},
                     {"hidden", t.hidden, std::nullopt},
                     {"length", t.length, std::nullopt},
                     {"dataseq", t.dataseq, std::nullopt},
                     {"resolve-once", t.resolve_once, std::nullopt}};
    OptStat(e, rows);
  }
  Out(e, "L2TP status:\n");
  TunnelCallStat(e, l, c ? c->l2tp.self_port : 0, c ? c->l2tp.peer_port : 0, true);
}

// mpd5 PptpStat (pptp.c). "Peer FQDN" is the peer as configured (mpd5
// keeps the `set pptp peer` argument verbatim).
void PptpStat(const Env& e, const config::LinkConf* c, const LinkView* l) {
  Out(e, "PPTP configuration:\n");
  if (c) {
    const config::PptpConf& t = c->pptp;
    Out(e, "\tSelf addr    : {}", t.self_addr.empty() ? "0.0.0.0" : t.self_addr);
    if (t.self_port) Out(e, ", port {}", t.self_port);
    Out(e, "\n");
    Out(e, "\tPeer FQDN    : {}\n", t.peer_addr);
    Out(e, "\tPeer range   : {}", PeerRange(t.peer_addr, t.peer_width));
    if (t.peer_port) Out(e, ", port {}", t.peer_port);
    Out(e, "\n");
    Out(e, "\tCalling number: {}\n", t.calling_num);
    Out(e, "\tCalled number: {}\n", t.called_num);
    Out(e, "PPTP options:\n");
    OptRow rows[] = {{"outcall", t.outcall, std::nullopt},
                     {"delayed-ack", t.delayed_ack, std::nullopt},
                     {"always-ack", t.always_ack, std::nullopt},
                     {"windowing", t.windowing, std::nullopt},
                     {"resolve-once", t.resolve_once, std::nullopt}};
    OptStat(e, rows);
  }
  Out(e, "PPTP status:\n");
  TunnelCallStat(e, l, 0, c ? c->pptp.peer_port : 0, false);
}

}  // namespace

CommandResult Device(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // mpd5 PhysStat (phys.c), then the type's own part.
  const LinkView* l = e.link;
  const config::LinkConf* c = e.link_conf;
  std::string_view type = l ? std::string_view(l->type) : std::string_view(c->type);
  bool tmpl = l ? l->is_template : c->is_template;
  Out(e, "Device '{}' ({})\n", e.link_name, tmpl ? "template" : "instance");
  Out(e, "\tType         : {}\n", type);
  const LinkView* live = tmpl ? nullptr : l;
  if (live) {
    Out(e, "\tState        : {}\n", live->state);
    // mpd5 counts from the device coming up; mlpppd from the network phase.
    if (live->state == "UP" && live->up_seconds >= 0)
      Out(e, "\tSession time : {} seconds\n", live->up_seconds);
  }
  if (type == "pppoe")
    PppoeStat(e, c, live);
  else if (type == "l2tp")
    L2tpStat(e, c, live);
  else if (type == "pptp")
    PptpStat(e, c, live);
  return Ok();
}

}  // namespace mlppp::control::show
