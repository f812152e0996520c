// AAA shows: auth (mpd5 auth.c AuthStat), eap (eap.c EapStat), radius
// (radius.c RadStat), radsrv (radsrv.c RadsrvStat), ippool (ippool.c
// IPPoolStat), user (console.c UserStat). No password or shared secret is
// ever printed: only whether one is set.
#include "control/show.h"
#include "core/ip_literal.h"

namespace mlppp::control::show {

CommandResult Auth(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::LinkConf* c = e.link_conf;
  if (c) {
    const config::AuthConf& au = c->auth;
    Out(e, "Configuration:\n");
    Out(e, "\tMy authname     : {}\n", au.authname);
    Out(e, "\tMy password     : {}\n", au.password.empty() ? "not set" : "(set)");
    Out(e, "\tMax-Logins      : {}{}\n", au.max_logins, au.max_logins_ci ? " CI" : "");
    Out(e, "\tAcct Update     : {}\n", au.acct_update);
    Out(e, "\t   Limit In     : {}\n", au.update_limit_in);
    Out(e, "\t   Limit Out    : {}\n", au.update_limit_out);
    Out(e, "\tAuth timeout    : {}\n", au.timeout);
    Out(e, "\tExtAuth script  : {}\n", au.extauth_script);
    Out(e, "\tExtAcct script  : {}\n", au.extacct_script);
    Out(e, "Auth options\n");
    OptRow rows[] = {
        {"internal", au.internal, std::nullopt},
        {"ext-auth", au.ext_auth, std::nullopt},
        {"ext-acct", au.ext_acct, std::nullopt},
        {"radius-auth", au.radius_auth, std::nullopt},
        {"radius-acct", au.radius_acct, std::nullopt},
        {"pam-auth", au.pam_auth, std::nullopt},
        {"pam-acct", au.pam_acct, std::nullopt},
        {"system-auth", au.system_auth, std::nullopt},
        {"system-acct", au.system_acct, std::nullopt},
        {"acct-mandatory", au.acct_mandatory, std::nullopt},
    };
    OptStat(e, rows);
  }
  if (const LinkView* l = e.link; l && !l->is_template) {
    Out(e, "Auth Data\n");
    Out(e, "\tPeer authname   : {}\n", l->peer_authname);
    Out(e, "\tAuth method     : {}\n", l->auth_method);
    if (const BundleView* b = FindBundle(e.snap, l->bundle)) {
      Out(e, "\tSession-Timeout : {}\n", b->session_timeout);
      Out(e, "\tIdle-Timeout    : {}\n", b->idle_timeout);
      Out(e, "\tFramed-IP       : {}\n", b->peer_ip);
    }
  }
  return Ok();
}

CommandResult Eap(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "EAP options\n");
  if (const config::LinkConf* c = e.link_conf) {
    OptRow rows[] = {{"md5", c->eap_conf.md5.enable, c->eap_conf.md5.accept},
                     {"radius-proxy", c->eap_conf.radius_proxy, std::nullopt}};
    OptStat(e, rows);
  }
  if (e.link && e.link->auth_method == "EAP")
    Out(e, "EAP state:\n\tPeer identity   : {}\n", e.link->peer_authname);
  return Ok();
}

CommandResult Radius(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::LinkConf* c = e.link_conf;
  if (!c) {
    Out(e, "Configuration:\n\t(link {} has no configuration)\n", e.link_name);
    return Ok();
  }
  const config::RadiusConf& r = c->radius;
  Out(e, "Configuration:\n");
  Out(e, "\tTimeout      : {}\n", r.timeout);
  Out(e, "\tRetries      : {}\n", r.retries);
  Out(e, "\tSrc address  : {}\n", r.src_addr);
  Out(e, "\tMe (NAS-IP)  : {}\n", r.me);
  Out(e, "\tv6Me (NAS-IP): {}\n", r.v6me);
  Out(e, "\tIdentifier   : {}\n", r.identifier);
  Out(e, "\tServers      :\n");
  for (const config::RadiusServerConf& s : r.servers)
    Out(e, "\t\t{} : auth port {}, acct port {}\n", s.host, s.auth_port, s.acct_port);
  Out(e, "RADIUS options\n");
  // mlpppd always sends and requires Message-Authenticator (BlastRADIUS).
  OptRow rows[] = {{"message-authentic", true, std::nullopt}};
  OptStat(e, rows);
  return Ok();
}

CommandResult Radsrv(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::RadsrvConf& r = e.conf.radsrv;
  Out(e, "Configuration:\n");
  Out(e, "\tState         : {}\n", r.open ? "OPENED" : "CLOSED");
  Out(e, "\tSelf          : {} {}\n", r.self_addr, r.port);
  Out(e, "\tPeer:\n");
  for (const config::RadsrvPeerConf& p : r.peers) Out(e, "\t  {}\n", p.addr);
  Out(e, "RADIUS server options:\n");
  OptRow rows[] = {{"coa", r.coa, std::nullopt}, {"disconnect", r.disconnect, std::nullopt}};
  OptStat(e, rows);
  return Ok();
}

CommandResult Ippool(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // Use counts live in the daemon's pools, not the snapshot: sizes only.
  Out(e, "Available IP pools:\n");
  for (const auto& [name, ranges] : e.conf.pools) {
    uint64_t total = 0;
    std::string spans;
    for (const config::IpPoolRange& r : ranges) {
      if (r.last >= r.first) total += uint64_t{r.last} - r.first + 1;
      spans += fmt::format(" {}-{}", Ipv4ToString(r.first), Ipv4ToString(r.last));
    }
    Out(e, "\t{}:\t{} addresses:{}\n", name, total, spans);
  }
  return Ok();
}

}  // namespace mlppp::control::show
