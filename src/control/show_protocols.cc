// NCP and CCP/ECP shows: ipcp (mpd5 ipcp.c IpcpStat), ipv6cp (ipv6cp.c
// Ipv6cpStat), ccp (ccp.c CcpStat), mppc (ccp_mppc.c MppcStat), ecp (ecp.c
// EcpStat). The ECP key is never shown.
#include "control/show.h"
#include "core/ip_literal.h"

namespace mlppp::control::show {

namespace {

std::string StateOr(const std::string& s) { return s.empty() ? "Initial" : s; }

std::string Dns(const std::optional<uint32_t>& a) { return a ? Ipv4ToString(*a) : "0.0.0.0"; }

}  // namespace

CommandResult Ipcp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  const config::BundleConf* c = e.bundle_conf;
  Out(e, "[{}] IPCP [{}]\n", e.bundle_name, StateOr(b ? b->ipcp_state : ""));
  if (c) {
    const config::IpcpConf& i = c->ipcp_conf;
    Out(e, "Allowed IP address ranges:\n");
    Out(e, "\tSelf: {}\n", i.self_range ? Range(*i.self_range) : "0.0.0.0/0");
    if (!i.peer_pool.empty())
      Out(e, "\tPeer: ippool {}\n", i.peer_pool);
    else
      Out(e, "\tPeer: {}\n", i.peer_range ? Range(*i.peer_range) : "0.0.0.0/0");
    Out(e, "IPCP Options:\n");
    OptRow rows[] = {{"req-pri-dns", i.req_pri_dns, std::nullopt},
                     {"req-sec-dns", i.req_sec_dns, std::nullopt}};
    OptStat(e, rows);
  }
  if (b) {
    Out(e, "Current addressing:\n");
    Out(e, "\tSelf: {}\n", b->self_ip.empty() ? "0.0.0.0" : b->self_ip);
    Out(e, "\tPeer: {}\n", b->peer_ip.empty() ? "0.0.0.0" : b->peer_ip);
  }
  Out(e, "Server info we give to peer:\n");
  if (b && !b->dns.empty()) {
    Out(e, "DNS servers : {:>15}  {:>15}\n", b->dns[0], b->dns.size() > 1 ? b->dns[1] : "0.0.0.0");
  } else if (c) {
    Out(e, "DNS servers : {:>15}  {:>15}\n", Dns(c->ipcp_conf.dns1), Dns(c->ipcp_conf.dns2));
  }
  return Ok();
}

CommandResult Ipv6cp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  Out(e, "[{}] IPV6CP [{}]\n", e.bundle_name, StateOr(b ? b->ipv6cp_state : ""));
  if (e.bundle_conf) {
    Out(e, "IPV6CP Options:\n");
    OptRow rows[] = {{"ipv6cp", e.bundle_conf->ipv6cp, std::nullopt}};
    OptStat(e, rows);
  }
  if (b) {
    Out(e, "Current addressing:\n");
    Out(e, "\tSelf: {}\n", b->self_ipv6);
    Out(e, "\tPeer: {}\n", b->peer_ipv6);
  }
  return Ok();
}

CommandResult Ccp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  const config::BundleConf* c = e.bundle_conf;
  Out(e, "[{}] CCP [{}]\n", e.bundle_name, StateOr(b ? b->ccp_state : ""));
  if (c) {
    Out(e, "Enabled protocols:\n");
    OptRow rows[] = {{"mppc", c->ccp.mppc.enable, c->ccp.mppc.accept},
                     {"deflate", c->ccp.deflate.enable, c->ccp.deflate.accept},
                     {"pred1", c->ccp.pred1.enable, c->ccp.pred1.accept}};
    OptStat(e, rows);
  }
  if (b) {
    // Resets: the peer asks us to reset our compressor; we ask it to reset
    // its compressor when our decompressor loses sync (RFC 1962 §3.1).
    Out(e, "Outgoing compression:\n");
    Out(e, "\tProto\t: {}\n", b->ccp_method_out.empty() ? "none" : b->ccp_method_out);
    Out(e, "\tResets\t: {}\n", b->ccp_resets_received);
    Out(e, "Incoming decompression:\n");
    Out(e, "\tProto\t: {}\n", b->ccp_method_in.empty() ? "none" : b->ccp_method_in);
    Out(e, "\tResets\t: {}\n", b->ccp_resets_sent);
  }
  return Ok();
}

CommandResult Mppc(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::BundleConf* c = e.bundle_conf;
  if (!c) {
    Out(e, "MPPC options:\n\t(no configuration for bundle {})\n", e.bundle_name);
    return Ok();
  }
  const config::MppcConf& m = c->mppc;
  Out(e, "MPPC options:\n");
  OptRow rows[] = {{"compress", m.compress.enable, m.compress.accept},
                   {"e40", m.e40.enable, m.e40.accept},
                   {"e56", m.e56.enable, m.e56.accept},
                   {"e128", m.e128.enable, m.e128.accept},
                   {"stateless", m.stateless.enable, m.stateless.accept},
                   {"policy", m.policy, std::nullopt}};
  OptStat(e, rows);
  return Ok();
}

CommandResult Ecp(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  const config::BundleConf* c = e.bundle_conf;
  Out(e, "[{}] ECP [{}]\n", e.bundle_name, StateOr(b ? b->ecp_state : ""));
  if (c) {
    Out(e, "Enabled protocols:\n");
    OptRow rows[] = {{"dese-bis", c->ecp.dese_bis.enable, c->ecp.dese_bis.accept},
                     {"dese-old", c->ecp.dese_old.enable, c->ecp.dese_old.accept}};
    OptStat(e, rows);
    Out(e, "\tKey       : {}\n", c->ecp.key.empty() ? "not set" : "(set)");
  }
  if (b) {
    Out(e, "Outgoing encryption:\n");
    Out(e, "\tProto\t: {}\n", b->ecp_method_out.empty() ? "none" : b->ecp_method_out);
    Out(e, "Incoming decryption:\n");
    Out(e, "\tProto\t: {}\n", b->ecp_method_in.empty() ? "none" : b->ecp_method_in);
  }
  return Ok();
}

}  // namespace mlppp::control::show
