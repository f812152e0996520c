// Link-side shows: link (mpd5 link.c LinkStat), lcp (lcp.c LcpStat) and
// the tunnel lists (l2tp.c L2tpsStat, pptp_ctrl.c PptpsStat).
#include "control/show.h"

namespace mlppp::control::show {

namespace {

std::string LinkTitle(const Env& e) {
  const config::LinkConf* c = e.link_conf;
  bool is_conf = c && (!e.link || e.link->is_template || e.link->name == c->name);
  std::string_view kind = !is_conf ? "" : (c->is_template ? " (template)" : " (static)");
  return fmt::format("{}{}", e.link ? e.link->name : e.link_name, kind);
}

std::string_view YesNo(bool b) { return b ? "Yes" : "No"; }
// mpd5 L2tpsStat / PptpsStat: one line per tunnel with its call count.
// mpd5 names an L2TP tunnel by its control structure's address; mlpppd
// numbers them ("l2tp0"), as mpd5 numbers PPTP ones ("pptp0").
void TunnelList(const Env& e, std::string_view type) {
  for (const TunnelView& t : e.snap.tunnels) {
    if (t.type != type) continue;
    Out(e, "{}\t {} {} <=> {} {}\t{}{}{} calls\n", t.name, t.self_addr, t.self_port, t.peer_addr,
        t.peer_port, t.state, type == "pptp" ? "\t" : " ", t.calls);
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
  // mpd5 LcpStat (lcp.c): the FSM state, then what we ask (Self) and what
  // the peer asked and we acked (Peer). mlpppd runs sync links only (PPPoE,
  // L2TP, PPTP), where no ACCM is negotiated (RFC 1662 §7.1, RFC 2516 §7):
  // ACCMAP is 0. No multilink: the MRRU, SHORTSEQ and ENDPOINTDISC lines
  // mpd5 prints only when multilink was negotiated never appear; nor IDENT
  // (no `set link ident`).
  // An idle configuration (template, static link down) shows its settings.
  const LinkView* l = e.link && !e.link->is_template && e.link->state != "DOWN" ? e.link : nullptr;
  const config::LinkConf* c = e.link_conf;
  Out(e, "LCP [{}]\n", l && !l->lcp_state.empty() ? l->lcp_state : "Initial");
  uint16_t mru = l && l->mru ? l->mru : (c ? c->mru : 0);
  bool acfcomp = l ? l->acfcomp : (c && c->acfcomp.enable);
  bool protocomp = l ? l->protocomp : (c && c->protocomp.enable);
  auto side = [&e](uint16_t side_mru, uint32_t magic, bool acf, bool proto,
                   const std::string& auth) {
    Out(e, "\tMRU      : {} bytes\n", side_mru);
    Out(e, "\tMAGIC    : 0x{:08x}\n", magic);
    Out(e, "\tACCMAP   : 0x{:08x}\n", 0);
    Out(e, "\tACFCOMP  : {}\n", YesNo(acf));
    Out(e, "\tPROTOCOMP: {}\n", YesNo(proto));
    Out(e, "\tAUTHTYPE : {}\n", auth.empty() ? "none" : auth);
  };
  static const std::string kNone;
  Out(e, "Self:\n");
  side(mru, l ? l->magic : 0, acfcomp, protocomp, l ? l->auth_method : kNone);
  Out(e, "Peer:\n");
  side(l ? l->peer_mru : 0, l ? l->peer_magic : 0, l && l->peer_acfcomp, l && l->peer_protocomp,
       l ? l->peer_auth_method : kNone);
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
