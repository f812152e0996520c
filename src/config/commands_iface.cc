// `set iface ...` (mpd5 iface.c; reference §1.3, §1.12).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

constexpr size_t kIfNameMax = 15;  // IFNAMSIZ - 1

IfaceConf& I(Engine& e) { return e.CurrentBundle()->iface; }

// addrs [!]SELF [!]PEER; '!' (force over the negotiated address) is accepted,
// the addresses are used as given.
void SetAddrs(Engine& e, Args a) {
  auto strip = [](const std::string& s) { return s.starts_with("!") ? s.substr(1) : s; };
  auto self = e.Range(strip(a[0]), "self address");
  auto peer = e.Range(strip(a[1]), "peer address");
  if (!self || !peer) return;
  I(e).self_addr = self;
  I(e).peer_addr = peer;
}

void SetRoute(Engine& e, Args a) {
  if (a[0] == "default") {
    I(e).routes.push_back(Ipv4Range{0, 0});
    return;
  }
  if (auto r = e.Range(a[0], "route")) I(e).routes.push_back(*r);
}

void SetName(Engine& e, Args a) {
  if (a.empty()) {
    I(e).name.clear();  // back to the default name
    return;
  }
  if (a[0].size() > kIfNameMax || a[0].find_first_of(" /") != std::string::npos) {
    e.Error(
        fmt::format("bad interface name \"{}\" (at most {} characters, no '/')", a[0], kIfNameMax));
    return;
  }
  I(e).name = a[0];
}

void SetMtu(Engine& e, Args a) {
  if (a.size() > 1 && a[1] != "override") {
    e.Error(fmt::format("usage: set iface mtu {{size}} [override]"));
    return;
  }
  if (auto v = e.Int(a[0], 296, 65535, "MTU")) I(e).mtu = static_cast<uint16_t>(*v);
}

void SetIdle(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 100000000, "idle timeout")) I(e).idle_timeout = static_cast<int>(*v);
}
void SetSession(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 100000000, "session timeout"))
    I(e).session_timeout = static_cast<int>(*v);
}
std::string Rest(Args a) {
  std::string s;
  for (const auto& w : a) {
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}
void SetDescription(Engine& e, Args a) { I(e).description = Rest(a); }
void SetGroup(Engine& e, Args a) { I(e).group = a.empty() ? "" : a[0]; }
void SetUpScript(Engine& e, Args a) { I(e).up_script = a.empty() ? "" : a[0]; }
void SetDownScript(Engine& e, Args a) { I(e).down_script = a.empty() ? "" : a[0]; }

void IfaceOptions(Engine& e, bool enable, Args opts) {
  static constexpr std::string_view kKnown[] = {
      "on-demand", "proxy-arp",  "keep-timeout", "tcpmssfix",    "tee",
      "nat",       "netflow-in", "netflow-out",  "netflow-once", "ipacct"};
  for (const std::string& o : opts) {
    bool known = false;
    for (auto k : kKnown) known |= (k == o);
    if (!known) {
      e.Error(fmt::format("unknown iface option \"{}\"", o));
      continue;
    }
    if (enable) e.NotSupported(fmt::format("iface option \"{}\"", o));
  }
}
void Enable(Engine& e, Args a) { IfaceOptions(e, true, a); }
void Disable(Engine& e, Args a) { IfaceOptions(e, false, a); }

constexpr Command kIfaceSet[] = {
    {"addrs", "[!]{self} [!]{peer}", "Set interface addresses", 2, 2, SetAddrs},
    {"route", "{dest}[/{width}]|default", "Add IP route", 1, 1, SetRoute},
    {"mtu", "{size} [override]", "Set max allowed interface MTU", 1, 2, SetMtu},
    {"name", "[{name}]", "Set interface name", 0, 1, SetName},
    {"description", "[{descr}]", "Set interface description", 0, -1, SetDescription},
    {"group", "[{group}]", "Set interface group", 0, 1, SetGroup},
    {"up-script", "[{progname}]", "Interface up script", 0, 1, SetUpScript},
    {"down-script", "[{progname}]", "Interface down script", 0, 1, SetDownScript},
    {"idle", "{seconds}", "Idle timeout", 1, 1, SetIdle},
    {"session", "{seconds}", "Session timeout", 1, 1, SetSession},
    {"enable", "{opt ...}", "Enable option", 0, -1, Enable},
    {"disable", "{opt ...}", "Disable option", 0, -1, Disable},
};

}  // namespace

std::span<const Command> IfaceSetCommands() { return kIfaceSet; }

}  // namespace mlppp::config
