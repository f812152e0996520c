// Link-side shows: link (mpd5 link.c LinkStat), lcp (lcp.c LcpStat), device
// (phys.c PhysStat with the type's own part) and the tunnel lists (l2tp.c
// L2tpsStat, pptp.c PptpsStat).
#include "control/show.h"

namespace mlppp::control::show {

namespace {

std::string LinkTitle(const Env& e) {
  const config::LinkConf* c = e.link_conf;
  bool is_conf = c && (!e.link || e.link->is_template || e.link->name == c->name);
  std::string_view kind = !is_conf ? "" : (c->is_template ? " (template)" : " (static)");
  return fmt::format("{}{}", e.link ? e.link->name : e.link_name, kind);
}

void TunnelList(const Env& e, std::string_view type) {
  for (const LinkView& l : e.snap.links) {
    if (l.type != type || l.is_template) continue;
    Out(e, "\t{}\t{} -> {}\t{}\n", l.name, l.self_addr, l.peer_addr, l.state);
  }
}

}  // namespace

CommandResult Link(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const LinkView* l = e.link;
  const config::LinkConf* c = e.link_conf;
  Out(e, "Link {}:\n", LinkTitle(e));
  if (c) {
    Out(e, "Configuration:\n");
    Out(e, "\tDevice type    : {}\n", c->type);
    Out(e, "\tMRU            : {} bytes\n", c->mru);
    Out(e, "\tRetry timeout  : {} seconds\n", c->fsm_timeout);
    Out(e, "\tMax redial     : ");
    if (c->max_redial < 0)
      Out(e, "no redial\n");
    else if (c->max_redial == 0)
      Out(e, "unlimited, delay {}s\n", c->redial_delay);
    else
      Out(e, "{} connect attempts, delay {}s\n", c->max_redial, c->redial_delay);
    Out(e, "\tKeep-alive     : ");
    if (c->keepalive_interval == 0)
      Out(e, "disabled\n");
    else
      Out(e, "every {} secs, timeout {}\n", c->keepalive_interval, c->keepalive_max);
    Out(e, "Link incoming actions:\n");
    if (!c->action_bundle.empty()) Out(e, "\tBundle\t{}\t\n", c->action_bundle);
    Out(e, "Link level options:\n");
    OptRow rows[] = {
        {"pap", c->pap.enable, c->pap.accept},
        {"chap-md5", c->chap_md5.enable, c->chap_md5.accept},
        {"chap-msv1", c->chap_msv1.enable, c->chap_msv1.accept},
        {"chap-msv2", c->chap_msv2.enable, c->chap_msv2.accept},
        {"eap", c->eap.enable, c->eap.accept},
        {"incoming", c->incoming, std::nullopt},
        {"acfcomp", c->acfcomp.enable, c->acfcomp.accept},
        {"protocomp", c->protocomp.enable, c->protocomp.accept},
        {"magicnum", c->magicnum, std::nullopt},
        {"passive", c->passive, std::nullopt},
    };
    OptStat(e, rows);
  }
  if (l && !l->is_template) {
    Out(e, "Link state:\n");
    Out(e, "\tState          : {}\n", l->state);
    Out(e, "\tSession Id     : {}\n", l->session_id);
    if (l->up_seconds >= 0) Out(e, "\tSession time   : {} seconds\n", l->up_seconds);
    if (!l->bundle.empty()) {
      Out(e, "Traffic stats:\n");
      Out(e, "\tInput octets   : {}\n", l->traffic.in_octets);
      Out(e, "\tInput frames   : {}\n", l->traffic.in_packets);
      Out(e, "\tOutput octets  : {}\n", l->traffic.out_octets);
      Out(e, "\tOutput frames  : {}\n", l->traffic.out_packets);
      Out(e, "\tBad frames     : {}\n", l->bad_frames);
    }
  }
  return Ok();
}

CommandResult Lcp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const LinkView* l = e.link;
  const config::LinkConf* c = e.link_conf;
  Out(e, "[{}] LCP [{}]\n", e.link_name, l && !l->lcp_state.empty() ? l->lcp_state : "Initial");
  if (l && !l->is_template) {
    Out(e, "\tPhase    : {}\n", l->phase);
    Out(e, "Self:\n");
    Out(e, "\tMRU      : {} bytes\n", l->mru);
    Out(e, "Peer:\n");
    Out(e, "\tMRU      : {} bytes\n", l->peer_mru);
    Out(e, "\tAUTHPROTO: {}\n", l->auth_method.empty() ? "none" : l->auth_method);
    Out(e, "\tAUTHNAME : {}\n", l->peer_authname);
  }
  if (c) {
    Out(e, "Configuration:\n");
    Out(e, "\tMRU      : {} bytes\n", c->mru);
    Out(e, "\tMTU      : {} bytes\n", c->mtu);
    Out(e, "\tKeep-alive: every {} secs, timeout {}\n", c->keepalive_interval, c->keepalive_max);
    Out(e, "\tFSM timeout: {} seconds\n", c->fsm_timeout);
  }
  return Ok();
}

CommandResult Device(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const LinkView* l = e.link;
  const config::LinkConf* c = e.link_conf;
  std::string_view type = l ? std::string_view(l->type) : std::string_view(c->type);
  Out(e, "Device '{}' ({})\n", e.link_name, type);
  Out(e, "\tType  : {}\n", type);
  if (l) {
    Out(e, "\tState : {}\n", l->state);
    Out(e, "\tDevice      : {}\n", l->device);
    Out(e, "\tSelf addr   : {}\n", l->self_addr);
    Out(e, "\tPeer addr   : {}\n", l->peer_addr);
    Out(e, "\tCalling     : {}\n", l->calling_num);
    Out(e, "\tCalled      : {}\n", l->called_num);
  }
  if (!c) return Ok();
  // The type's own settings (mpd5 PppoeStat, L2tpStat, PptpStat); the L2TP
  // secret is never shown.
  Out(e, "{} configuration:\n", type);
  if (c->type == "pppoe") {
    Out(e, "\tIface Name  : {}\n", c->pppoe.iface);
    Out(e, "\tSession     : {}\n", c->pppoe.service);
    Out(e, "\tAC-Name     : {}\n", c->pppoe.acname);
    Out(e, "\tMax-Payload : {}\n", c->pppoe.max_payload);
  } else if (c->type == "l2tp") {
    const config::L2tpConf& t = c->l2tp;
    Out(e, "\tSelf addr   : {}, port {}\n", t.self_addr, t.self_port);
    Out(e, "\tPeer range  : {}{}", t.peer_addr,
        t.peer_width ? fmt::format("/{}", *t.peer_width) : "");
    Out(e, ", port {}\n", t.peer_port);
    Out(e, "\tHostname    : {}\n", t.hostname);
    Out(e, "\tPeer mask   : {}\n", t.pmask);
    Out(e, "\tSecret      : {}\n", t.secret.empty() ? "" : "(set)");
    Out(e, "\tCalling number: {}\n", t.calling_num);
    Out(e, "\tCalled number: {}\n", t.called_num);
    Out(e, "L2TP options:\n");
    OptRow rows[] = {{"outcall", t.outcall, std::nullopt},
                     {"hidden", t.hidden, std::nullopt},
                     {"length", t.length, std::nullopt},
                     {"dataseq", t.dataseq, std::nullopt},
                     {"resolve-once", t.resolve_once, std::nullopt}};
    OptStat(e, rows);
  } else if (c->type == "pptp") {
    const config::PptpConf& t = c->pptp;
    Out(e, "\tSelf addr   : {}, port {}\n", t.self_addr, t.self_port);
    Out(e, "\tPeer range  : {}{}", t.peer_addr,
        t.peer_width ? fmt::format("/{}", *t.peer_width) : "");
    Out(e, ", port {}\n", t.peer_port);
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
  return Ok();
}

CommandResult L2tp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "Active L2TP tunnels:\n");
  TunnelList(e, "l2tp");
  return Ok();
}

CommandResult Pptp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "Active PPTP tunnels:\n");
  TunnelList(e, "pptp");
  return Ok();
}

}  // namespace mlppp::control::show
