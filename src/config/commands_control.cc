// `set console ...`, `set web ...` and `set user ...` (mpd5 console.c,
// web.c, command.c): where the operator's interfaces listen and who may log
// in to them.
#include <fmt/format.h>

#include "config/engine.h"
#include "core/ip_literal.h"

namespace mlppp::config {
namespace {

template <ListenerConf Config::*M>
ListenerConf& L(Engine& e) {
  return e.config().*M;
}

template <ListenerConf Config::*M>
void ListenerOpen(Engine& e, Args) {
  L<M>(e).open = true;
}
template <ListenerConf Config::*M>
void ListenerClose(Engine& e, Args) {
  L<M>(e).open = false;
}
// self IP [PORT]; the port keeps its value when not given (mpd5).
template <ListenerConf Config::*M>
void ListenerSelf(Engine& e, Args a) {
  if (!IsIpLiteral(a[0])) {
    e.Error(fmt::format("bad IP address \"{}\"", a[0]));
    return;
  }
  if (a.size() > 1) {
    auto p = e.Int(a[1], 1, 65535, "port");
    if (!p) return;
    L<M>(e).port = static_cast<uint16_t>(*p);
  }
  L<M>(e).self_addr = a[0];
}
// enable|disable auth (console also: logging, accepted and ignored: every
// console session may use `log`).
template <ListenerConf Config::*M, OptVerb V>
void ListenerOpt(Engine& e, Args a) {
  for (const std::string& o : a) {
    if (o == "auth") {
      ApplyVerb(V, &L<M>(e).auth);
    } else if (o == "logging" && M == &Config::console) {
      // Per-session log echo; our console sessions always see `log` output
      // only on request, so there is nothing to switch.
    } else {
      e.Error(fmt::format("unknown option \"{}\"", o));
    }
  }
}

// mpd5 console.c ConsoleSetCmds and web.c WebSetCmds; yes/no are the
// enable/disable of these enable-only options.
constexpr Command kConsoleSet[] = {
    {"open", "", "Open the console", 0, 0, ListenerOpen<&Config::console>},
    {"close", "", "Close the console", 0, 0, ListenerClose<&Config::console>},
    {"self", "{ip} [{port}]", "Set console ip and port", 1, 2, ListenerSelf<&Config::console>},
    {"enable", "{opt ...}", "Enable this console option", 1, -1,
     ListenerOpt<&Config::console, OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable this console option", 1, -1,
     ListenerOpt<&Config::console, OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable this console option", 1, -1,
     ListenerOpt<&Config::console, OptVerb::kYes>},
    {"no", "{opt ...}", "Disable this console option", 1, -1,
     ListenerOpt<&Config::console, OptVerb::kNo>},
};

constexpr Command kWebSet[] = {
    {"open", "", "Open the web", 0, 0, ListenerOpen<&Config::web>},
    {"close", "", "Close the web", 0, 0, ListenerClose<&Config::web>},
    {"self", "{ip} [{port}]", "Set web ip and port", 1, 2, ListenerSelf<&Config::web>},
    {"enable", "{opt ...}", "Enable web option", 1, -1,
     ListenerOpt<&Config::web, OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable web option", 1, -1,
     ListenerOpt<&Config::web, OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable web option", 1, -1, ListenerOpt<&Config::web, OptVerb::kYes>},
    {"no", "{opt ...}", "Disable web option", 1, -1, ListenerOpt<&Config::web, OptVerb::kNo>},
};

}  // namespace

std::span<const Command> ConsoleSetCommands() { return kConsoleSet; }
std::span<const Command> WebSetCommands() { return kWebSet; }

void SetUser(Engine& e, Args a) {
  std::string priv = a.size() > 2 ? a[2] : "user";
  if (priv != "admin" && priv != "operator" && priv != "user") {
    e.Error(fmt::format("unknown privilege \"{}\"", priv));
    return;
  }
  if (a[0].empty()) {
    e.Error("empty user name");
    return;
  }
  auto& users = e.config().users;
  for (UserConf& u : users) {
    if (u.name == a[0]) {
      u.password = a[1];
      u.priv = priv;
      return;
    }
  }
  users.push_back({a[0], a[1], priv});
}

}  // namespace mlppp::config
