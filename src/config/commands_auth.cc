// `set auth ...` (mpd5 auth.c; reference §1.3, §1.5). Per link.
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

AuthConf& A(Engine& e) { return e.CurrentLink()->auth; }

void SetAuthname(Engine& e, Args a) { A(e).authname = a[0]; }
void SetPassword(Engine& e, Args a) { A(e).password = a[0]; }

void SetMaxLogins(Engine& e, Args a) {
  if (a.size() > 1 && a[1] != "CI") {
    e.Error("usage: set auth max-logins {num} [CI]");
    return;
  }
  if (auto n = e.Int(a[0], 0, 1000000, "max-logins")) {
    A(e).max_logins = *n;
    A(e).max_logins_ci = a.size() > 1;
  }
}

void SetTimeout(Engine& e, Args a) {
  // mpd5 requires more than 20 seconds.
  if (auto n = e.Int(a[0], 21, 86400, "auth timeout")) A(e).timeout = *n;
}

void SetAcctUpdate(Engine& e, Args a) {
  if (auto n = e.Int(a[0], 0, 86400 * 7, "acct-update")) A(e).acct_update = *n;
}

template <uint64_t AuthConf::*Field>
void SetLimit(Engine& e, Args a) {
  if (auto n = e.Int(a[0], 0, 2000000000, e.CommandText())) A(e).*Field = *n;
}

void SetExtAuthScript(Engine& e, Args a) { A(e).extauth_script = a[0]; }
void SetExtAcctScript(Engine& e, Args a) { A(e).extacct_script = a[0]; }

// `set auth enable|disable|... opt`: every option here has only the enable
// flag (mpd5 gConfList), so accept/deny are accepted and ignored as there.
void AuthOptions(Engine& e, OptVerb v, Args opts) {
  AuthConf& c = A(e);
  const bool local_verb = v != OptVerb::kAccept && v != OptVerb::kDeny;
  for (const std::string& o : opts) {
    bool* flag = nullptr;
    if (o == "internal")
      flag = &c.internal;
    else if (o == "radius-auth")
      flag = &c.radius_auth;
    else if (o == "radius-acct")
      flag = &c.radius_acct;
    else if (o == "ext-auth")
      flag = &c.ext_auth;
    else if (o == "ext-acct")
      flag = &c.ext_acct;
    else if (o == "pam-auth")
      flag = &c.pam_auth;
    else if (o == "pam-acct")
      flag = &c.pam_acct;
    else if (o == "system-auth")
      flag = &c.system_auth;
    else if (o == "system-acct")
      flag = &c.system_acct;
    else if (o == "acct-mandatory")
      flag = &c.acct_mandatory;
    else if (o == "opie") {
      if (TurnsOn(v)) e.NotSupported("auth option \"opie\" (one-time passwords)");
      continue;
    } else {
      e.Error(fmt::format("unknown auth option \"{}\"", o));
      continue;
    }
    if (local_verb) ApplyVerb(v, flag);
  }
}

template <OptVerb V>
void AuthOpt(Engine& e, Args a) {
  AuthOptions(e, V, a);
}

constexpr Command kAuthSet[] = {
    {"authname", "{name}", "Authentication name", 1, 1, SetAuthname},
    {"password", "{pass}", "Authentication password", 1, 1, SetPassword},
    {"max-logins", "{num} [CI]", "Max concurrent logins", 1, 2, SetMaxLogins},
    {"extauth-script", "{script}", "Authentication script", 1, 1, SetExtAuthScript},
    {"extacct-script", "{script}", "Accounting script", 1, 1, SetExtAcctScript},
    {"acct-update", "{seconds}", "set update interval", 1, 1, SetAcctUpdate},
    {"update-limit-in", "{bytes}", "set update suppresion limit", 1, 1,
     SetLimit<&AuthConf::update_limit_in>},
    {"update-limit-out", "{bytes}", "set update suppresion limit", 1, 1,
     SetLimit<&AuthConf::update_limit_out>},
    {"timeout", "{seconds}", "set auth timeout", 1, 1, SetTimeout},
    {"accept", "{opt ...}", "Accept option", 0, -1, AuthOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, AuthOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, AuthOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, AuthOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, AuthOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, AuthOpt<OptVerb::kNo>},
};

}  // namespace

std::span<const Command> AuthSetCommands() { return kAuthSet; }

}  // namespace mlppp::config
