// AAA shows: auth (mpd5 auth.c AuthStat), eap (eap.c EapStat), radius
// (radius.c RadStat), radsrv (radsrv.c RadsrvStat), ippool (ippool.c
// IPPoolStat), user (console.c UserStat). No password or shared secret is
// ever printed: only whether one is set.
#include "control/show.h"
#include "core/ip_literal.h"

namespace mlppp::control::show {

namespace {

// mpd5 AuthMPPEPolicyname / AuthMPPETypesname (auth.c), from the RADIUS
// MS-MPPE-Encryption-Policy and -Types values (RFC 2548 §2.4.4-2.4.5).
std::string_view MppePolicyName(uint32_t policy) {
  switch (policy) {
    case 1:
      return "Allowed";
    case 2:
      return "Required";
    default:
      return "Not available";
  }
}

std::string MppeTypesName(uint32_t types) {
  if (types == 0) return "no encryption required";
  std::string s;
  struct Bit {
    uint32_t bit;
    std::string_view name;
  };
  static constexpr Bit kBits[] = {{0x2, "40"}, {0x8, "56"}, {0x4, "128"}};
  for (const Bit& b : kBits)
    if (types & b.bit) s += fmt::format("{}{}", s.empty() ? "" : " ", b.name);
  return s;
}

std::string DnsPair(const std::vector<std::string>& dns) {
  return fmt::format("{} {}", dns.size() > 0 ? dns[0] : "0.0.0.0",
                     dns.size() > 1 ? dns[1] : "0.0.0.0");
}

}  // namespace

CommandResult Auth(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // mpd5 AuthStat (auth.c): configuration, options, then the parameters
  // the back end gave the peer. Never the password.
  const config::LinkConf* c = e.link_conf;
  if (c) {
    const config::AuthConf& au = c->auth;
    Out(e, "Configuration:\n");
    Out(e, "\tMy authname     : {}\n", au.authname);
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
  // mpd5's "Interface descr.", "Interface group", IPFW and ng_bpf lines are
  // FreeBSD build options (SIOCSIFDESCR, SIOCAIFGROUP, USE_IPFW,
  // USE_NG_BPF) mlpppd has no counterpart for: left out. MS-Domain is not
  // kept: printed empty. NBNS is not handed out: 0.0.0.0.
  const LinkView* l = e.link && !e.link->is_template ? e.link : nullptr;
  static const AuthParamsView kNone;
  const AuthParamsView& p = l ? l->auth : kNone;
  const BundleView* b = l ? FindBundle(e.snap, l->bundle) : nullptr;
  Out(e, "Auth Data\n");
  Out(e, "\tPeer authname   : {}\n", l ? l->peer_authname : "");
  Out(e, "\tInterface name  : {}\n", b ? b->iface : "");
  Out(e, "\tIP range        : {}\n", p.ip_range);
  Out(e, "\tIP pool         : {}\n", p.pool);
  Out(e, "\tDNS             : {}\n", DnsPair(p.dns));
  Out(e, "\tNBNS            : 0.0.0.0 0.0.0.0\n");
  Out(e, "\tMTU             : {}\n", p.mtu);
  Out(e, "\tSession-Timeout : {}\n", p.session_timeout);
  Out(e, "\tIdle-Timeout    : {}\n", p.idle_timeout);
  Out(e, "\tAcct-Update     : {}\n", p.acct_update);
  Out(e, "\tRoutes          :\n");
  for (const std::string& r : p.routes) Out(e, "\t\t{}\n", r);
  Out(e, "\tMS-Domain       : \n");
  // mpd5 prints the policy name under "MPPE Types" and the types under
  // "MPPE Policy"; here each label has its own value.
  Out(e, "\tMPPE Types      : {}\n", MppeTypesName(p.mppe_types));
  Out(e, "\tMPPE Policy     : {}\n", MppePolicyName(p.mppe_policy));
  Out(e, "\tMPPE Keys       : {}\n", p.mppe_keys ? "yes" : "no");
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
  // mpd5 RadStat (radius.c). Shared secrets print as stars. mlpppd has no
  // `set radius config` file: "none". "Src address" (`set radius
  // src-addr`) is mlpppd's addition to mpd5's list.
  const config::LinkConf* c = e.link_conf;
  Out(e, "Configuration:\n");
  if (c) {
    const config::RadiusConf& r = c->radius;
    Out(e, "\tTimeout      : {}\n", r.timeout);
    Out(e, "\tRetries      : {}\n", r.retries);
    Out(e, "\tConfig-file  : none\n");
    Out(e, "\tMe (NAS-IP)  : {}\n", r.me.empty() ? "0.0.0.0" : r.me);
    Out(e, "\tv6Me (NAS-IP): {}\n", r.v6me.empty() ? "::" : r.v6me);
    Out(e, "\tIdentifier   : {}\n", r.identifier);
    Out(e, "\tSrc address  : {}\n", r.src_addr);
    int n = 1;
    for (const config::RadiusServerConf& s : r.servers) {
      Out(e, "\t---------------  Radius Server {} ---------------\n", n++);
      Out(e, "\thostname   : {}\n", s.host);
      Out(e, "\tsecret     : *********\n");
      Out(e, "\tauth port  : {}\n", s.auth_port);
      Out(e, "\tacct port  : {}\n", s.acct_port);
    }
  }
  Out(e, "RADIUS options\n");
  // mlpppd always sends and requires Message-Authenticator (BlastRADIUS).
  OptRow rows[] = {{"message-authentic", true, std::nullopt}};
  OptStat(e, rows);
  const LinkView* l = e.link && !e.link->is_template ? e.link : nullptr;
  Out(e, "Data:\n");
  Out(e, "\tAuthenticated  : {}\n", l && l->auth.by_radius ? "yes" : "no");
  Out(e, "\tState          : 0x{}\n", l ? l->auth.state_hex : "");
  Out(e, "\tClass          : 0x{}\n", l ? l->auth.class_hex : "");
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
