// `set radius ...` (mpd5 radius.c, per link), `set eap ...` (eap.c, per
// link) and `set radsrv ...` (radsrv.c, global); reference §1.3, §4.
#include <fmt/format.h>

#include <cctype>

#include "config/engine.h"
#include "core/ip_literal.h"

namespace mlppp::config {
namespace {

RadiusConf& R(Engine& e) { return e.CurrentLink()->radius; }

// A host name (resolved by the daemon at start-up, as mpd5 does).
bool IsHostName(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
  return true;
}

bool NeedIp(Engine& e, const std::string& s, std::string_view what) {
  if (IsIpLiteral(s)) return true;
  e.Error(fmt::format("bad {} \"{}\" (an IPv4 or IPv6 address)", what, s));
  return false;
}

// server NAME SECRET [AUTH-PORT [ACCT-PORT]]; a port of 0 disables that
// service on the server (mpd5). At most 10 servers.
void SetServer(Engine& e, Args a) {
  RadiusConf& r = R(e);
  if (!IsIpLiteral(a[0]) && !IsHostName(a[0])) {
    e.Error(fmt::format("bad RADIUS server \"{}\"", a[0]));
    return;
  }
  if (a[1].empty()) {
    e.Error("empty RADIUS secret");
    return;
  }
  RadiusServerConf s{a[0], a[1]};
  if (a.size() > 2) {
    auto p = e.Int(a[2], 0, 65535, "auth port");
    if (!p) return;
    s.auth_port = static_cast<uint16_t>(*p);
  }
  if (a.size() > 3) {
    auto p = e.Int(a[3], 0, 65535, "acct port");
    if (!p) return;
    s.acct_port = static_cast<uint16_t>(*p);
  }
  if (s.auth_port == 0 && s.acct_port == 0) {
    e.Error("both RADIUS ports are 0");
    return;
  }
  if (r.servers.size() >= 10) {
    e.Error("too many RADIUS servers (at most 10)");
    return;
  }
  r.servers.push_back(std::move(s));
}

void SetSrcAddr(Engine& e, Args a) {
  if (NeedIp(e, a[0], "src-addr")) R(e).src_addr = a[0];
}
void SetMe(Engine& e, Args a) {
  if (NeedIp(e, a[0], "NAS-IP-Address")) R(e).me = a[0];
}
void SetV6Me(Engine& e, Args a) {
  if (NeedIp(e, a[0], "NAS-IPv6-Address")) R(e).v6me = a[0];
}
void SetIdentifier(Engine& e, Args a) { R(e).identifier = a[0]; }
void SetTimeout(Engine& e, Args a) {
  if (auto n = e.Int(a[0], 1, 600, "RADIUS timeout")) R(e).timeout = static_cast<int>(*n);
}
void SetRetries(Engine& e, Args a) {
  if (auto n = e.Int(a[0], 1, 100, "RADIUS retries")) R(e).retries = static_cast<int>(*n);
}
void SetConfigFile(Engine& e, Args) {
  e.NotSupported("set radius config (libradius radius.conf); use set radius server");
}

template <OptVerb V>
void RadiusOpt(Engine& e, Args a) {
  for (const std::string& o : a) {
    if (o == "message-authentic") {
      if (V != OptVerb::kAccept && V != OptVerb::kDeny) ApplyVerb(V, &R(e).message_authentic);
    } else {
      e.Error(fmt::format("unknown radius option \"{}\"", o));
    }
  }
}

constexpr Command kRadiusSet[] = {
    {"server", "{name} {secret} [{auth port}] [{acct port}]", "Set radius server parameters", 2, 4,
     SetServer},
    {"src-addr", "{ip}", "Set source IP address", 1, 1, SetSrcAddr},
    {"me", "{ip}", "Set NAS IP address", 1, 1, SetMe},
    {"v6me", "{ip}", "Set NAS IPv6 address", 1, 1, SetV6Me},
    {"identifier", "{name}", "Set NAS identifier string", 1, 1, SetIdentifier},
    {"timeout", "{seconds}", "Set timeout in seconds", 1, 1, SetTimeout},
    {"retries", "{#}", "set number of retries", 1, 1, SetRetries},
    {"config", "{path}", "set path to config file for libradius", 1, 1, SetConfigFile},
    {"accept", "{opt ...}", "Accept option", 0, -1, RadiusOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, RadiusOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, RadiusOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, RadiusOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, RadiusOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, RadiusOpt<OptVerb::kNo>},
};

// set eap accept|deny|enable|disable|yes|no md5 radius-proxy
template <OptVerb V>
void EapOpt(Engine& e, Args a) {
  EapConf& c = e.CurrentLink()->eap_conf;
  for (const std::string& o : a) {
    if (o == "md5") {
      ApplyVerb(V, &c.md5);
    } else if (o == "radius-proxy") {
      if (V != OptVerb::kAccept && V != OptVerb::kDeny) ApplyVerb(V, &c.radius_proxy);
    } else {
      e.Error(fmt::format("unknown eap option \"{}\"", o));
    }
  }
}

constexpr Command kEapSet[] = {
    {"accept", "{opt ...}", "Accept option", 0, -1, EapOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, EapOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, EapOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, EapOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, EapOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, EapOpt<OptVerb::kNo>},
};

RadsrvConf& D(Engine& e) { return e.config().radsrv; }

void RadsrvOpen(Engine& e, Args) { D(e).open = true; }
void RadsrvClose(Engine& e, Args) { D(e).open = false; }
// self IP [PORT] (default 0.0.0.0 3799, RFC 5176 §3)
void RadsrvSelf(Engine& e, Args a) {
  if (!NeedIp(e, a[0], "radsrv address")) return;
  uint16_t port = 3799;
  if (a.size() > 1) {
    auto p = e.Int(a[1], 1, 65535, "radsrv port");
    if (!p) return;
    port = static_cast<uint16_t>(*p);
  }
  D(e).self_addr = a[0];
  D(e).port = port;
}
void RadsrvPeer(Engine& e, Args a) {
  if (!NeedIp(e, a[0], "radsrv peer")) return;
  if (a[1].empty()) {
    e.Error("empty radsrv secret");
    return;
  }
  D(e).peers.push_back({a[0], a[1]});
}
template <OptVerb V>
void RadsrvOpt(Engine& e, Args a) {
  for (const std::string& o : a) {
    bool* flag = o == "coa" ? &D(e).coa : o == "disconnect" ? &D(e).disconnect : nullptr;
    if (!flag) {
      e.Error(fmt::format("unknown radsrv option \"{}\"", o));
      continue;
    }
    if (V != OptVerb::kAccept && V != OptVerb::kDeny) ApplyVerb(V, flag);
  }
}

constexpr Command kRadsrvSet[] = {
    {"open", "", "Open the radsrv", 0, 0, RadsrvOpen},
    {"close", "", "Close the radsrv", 0, 0, RadsrvClose},
    {"self", "{ip} [{port}]", "Set radsrv ip and port", 1, 2, RadsrvSelf},
    {"peer", "{ip} {secret}", "Set peer ip and secret", 2, 2, RadsrvPeer},
    {"accept", "{opt ...}", "Accept option", 0, -1, RadsrvOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, RadsrvOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable radsrv option", 0, -1, RadsrvOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable radsrv option", 0, -1, RadsrvOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, RadsrvOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, RadsrvOpt<OptVerb::kNo>},
};

}  // namespace

std::span<const Command> RadiusSetCommands() { return kRadiusSet; }
std::span<const Command> EapSetCommands() { return kEapSet; }
std::span<const Command> RadsrvSetCommands() { return kRadsrvSet; }

}  // namespace mlppp::config
