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
  if (e.Int(a[0], 0, 1000000, "max-logins")) e.NotSupported("set auth max-logins");
}

void SetTimeout(Engine& e, Args a) {
  // mpd5 requires more than 20 seconds.
  if (e.Int(a[0], 21, 86400, "auth timeout")) e.NotSupported("set auth timeout");
}

void SetNumberNotSupported(Engine& e, Args a) {
  if (e.Int(a[0], 0, 1000000000, e.CommandText()))
    e.NotSupported(fmt::format("\"{}\"", e.CommandText()));
}

void AuthOptions(Engine& e, OptVerb v, Args opts) {
  for (const std::string& o : opts) {
    if (o == "internal" || o == "acct-mandatory") {
      // internal (mpd.secret) is what we do; acct-mandatory is inert
      // without accounting.
      if (!TurnsOn(v) && o == "internal")
        e.Warn("disabling internal authentication leaves no back end");
      continue;
    }
    if (o == "radius-auth" || o == "radius-acct" || o == "ext-auth" || o == "ext-acct" ||
        o == "pam-auth" || o == "pam-acct" || o == "system-auth" || o == "system-acct" ||
        o == "opie") {
      if (TurnsOn(v)) e.NotSupported(fmt::format("auth option \"{}\"", o));
      continue;
    }
    e.Error(fmt::format("unknown auth option \"{}\"", o));
  }
}

template <OptVerb V>
void AuthOpt(Engine& e, Args a) {
  AuthOptions(e, V, a);
}

constexpr Command kAuthSet[] = {
    {"authname", "{name}", 1, 1, SetAuthname},
    {"password", "{pass}", 1, 1, SetPassword},
    {"max-logins", "{num} [CI]", 1, 2, SetMaxLogins},
    {"extauth-script", "{script}", 1, 1, cmd::WarnNotSupported},
    {"extacct-script", "{script}", 1, 1, cmd::WarnNotSupported},
    {"acct-update", "{seconds}", 1, 1, SetNumberNotSupported},
    {"update-limit-in", "{bytes}", 1, 1, SetNumberNotSupported},
    {"update-limit-out", "{bytes}", 1, 1, SetNumberNotSupported},
    {"timeout", "{seconds}", 1, 1, SetTimeout},
    {"accept", "{opt ...}", 0, -1, AuthOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", 0, -1, AuthOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", 0, -1, AuthOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", 0, -1, AuthOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", 0, -1, AuthOpt<OptVerb::kYes>},
    {"no", "{opt ...}", 0, -1, AuthOpt<OptVerb::kNo>},
};

}  // namespace

std::span<const Command> AuthSetCommands() { return kAuthSet; }

}  // namespace mlppp::config
