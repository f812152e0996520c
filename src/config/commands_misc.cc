// Top-level commands (mpd5 command.c gCommands), the `set` menu, `set global`
// and the modules not built yet, which are accepted with a warning so that
// existing mpd.conf files load.
#include <fmt/format.h>

#include <algorithm>

#include "config/engine.h"
#include "core/log.h"

namespace mlppp::config {

namespace {

// load [file] label
void Load(Engine& e, Args a) {
  if (a.size() == 2)
    e.Load(&a[0], a[1]);
  else
    e.Load(nullptr, a[0]);
}

// open [layer]: only the link layer (the default) is recorded; the daemon
// opens those links after the configuration is read.
void Open(Engine& e, Args a) {
  static constexpr std::string_view kLayers[] = {"iface", "ipcp", "ipv6cp", "ccp",
                                                 "ecp",   "bund", "link",   "device"};
  std::string_view layer = "link";
  if (!a.empty()) {
    int n = 0;
    for (auto l : kLayers) {
      if (!a[0].empty() && l.starts_with(a[0])) {
        layer = l;
        ++n;
      }
    }
    if (n != 1) {
      e.Error(fmt::format("{} layer \"{}\"", n ? "ambiguous" : "unknown", a[0]));
      return;
    }
  }
  if (layer != "link" && layer != "device") {
    e.NotSupported(fmt::format("open {}", layer));
    return;
  }
  LinkConf* l = e.CurrentLink();
  if (!l) {
    e.Error("no current link to open");
    return;
  }
  if (e.CurrentLinkIsPlaceholder()) {
    e.Warn(
        fmt::format("link \"{}\" (type {}) not opened: type not supported yet", l->name, l->type));
    return;
  }
  if (l->is_template) {
    e.Error(fmt::format("link \"{}\": impossible to open template", l->name));
    return;
  }
  auto& opens = e.config().opens;
  if (std::find(opens.begin(), opens.end(), l->name) == opens.end()) opens.push_back(l->name);
}

// log [+|-]cat ...; "all" stands for every category (mpd5 log.c).
void Log(Engine& e, Args a) {
  Config& c = e.config();
  for (const std::string& w : a) {
    std::string_view name = w;
    bool on = true;
    if (!name.empty() && (name[0] == '+' || name[0] == '-')) {
      on = name[0] == '+';
      name.remove_prefix(1);
    }
    uint64_t bits = 0;
    log::Cat cat;
    if (name == "all") {
      bits = (uint64_t{1} << static_cast<unsigned>(log::Cat::kCount)) - 1;
    } else if (log::CatFromName(name, &cat)) {
      bits = uint64_t{1} << static_cast<unsigned>(cat);
    } else {
      e.Error(fmt::format("unknown log category \"{}\"", name));
      continue;
    }
    if (on) {
      c.log_enable |= bits;
      c.log_disable &= ~bits;
    } else {
      c.log_disable |= bits;
      c.log_enable &= ~bits;
    }
  }
}

void SelectLink(Engine& e, Args a) {
  if (!e.SelectLink(a[0])) e.Error(fmt::format("link \"{}\" not found", a[0]));
}

void SelectBundle(Engine& e, Args a) {
  if (a.empty()) return;  // mpd5 lists bundles
  if (!e.SelectBundle(a[0])) e.Error(fmt::format("bundle \"{}\" not found", a[0]));
}

void IgnoredHere(Engine& e, Args) {
  e.Warn(fmt::format("\"{}\" has no effect in a configuration file", e.CommandText()));
}

// set global enable|disable opt ...
void GlobalOptions(Engine& e, bool enable, Args opts) {
  for (const std::string& o : opts) {
    if (o == "one-shot") {
      e.config().one_shot = enable;
    } else if (o == "tcp-wrapper" || o == "agent-cid" || o == "session-time") {
      if (enable) e.NotSupported(fmt::format("global option \"{}\"", o));
    } else {
      e.Error(fmt::format("unknown global option \"{}\"", o));
    }
  }
}
void GlobalEnable(Engine& e, Args a) { GlobalOptions(e, true, a); }
void GlobalDisable(Engine& e, Args a) { GlobalOptions(e, false, a); }

// set global l2tptimeout|pptptimeout SECS, l2tplimit|pptplimit NUM, with
// mpd5's bounds (command.c GlobalSetCommand).
void GlobalL2tpTimeout(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 1000000, "l2tptimeout"))
    e.config().l2tp_timeout = static_cast<int>(*v);
}
void GlobalL2tpLimit(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 65536, "l2tplimit")) e.config().l2tp_limit = static_cast<int>(*v);
}
void GlobalPptpTimeout(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 1000000, "pptptimeout"))
    e.config().pptp_timeout = static_cast<int>(*v);
}
void GlobalPptpLimit(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 1, 65536, "pptplimit")) e.config().pptp_limit = static_cast<int>(*v);
}

constexpr Command kGlobalSet[] = {
    {"enable", "{opt ...}", "Enable option", 0, -1, GlobalEnable},
    {"disable", "{opt ...}", "Disable option", 0, -1, GlobalDisable},
    {"startrule", "{num}", "Initial ipfw rule number", 1, 1, cmd::WarnFreeBsdOnly},
    {"startpipe", "{num}", "Initial ipfw pipe number", 1, 1, cmd::WarnFreeBsdOnly},
    {"startqueue", "{num}", "Initial ipfw queue number", 1, 1, cmd::WarnFreeBsdOnly},
    {"starttable", "{num}", "Initial ipfw table number", 1, 1, cmd::WarnFreeBsdOnly},
    {"filter", "{num} add|clear [\"{flt}\"]", "Global traffic filters management", 2, 4,
     cmd::WarnFreeBsdOnly},
    {"pptptimeout", "{sec}", "PPTP tunnel unused timeout", 1, 1, GlobalPptpTimeout},
    {"pptplimit", "{num}", "Calls per PPTP tunnel limit", 1, 1, GlobalPptpLimit},
    {"l2tptimeout", "{sec}", "L2TP tunnel unused timeout", 1, 1, GlobalL2tpTimeout},
    {"l2tplimit", "{num}", "Calls per L2TP tunnel limit", 1, 1, GlobalL2tpLimit},
    {"max-children", "{num}", "Max number of children", 1, 1, cmd::WarnNotSupported},
    {"qthreshold", "{min} {max}", "Message queue limit thresholds", 2, 2, cmd::WarnNotSupported},
};
std::span<const Command> GlobalMenu() { return kGlobalSet; }

// set netflow: `node` and `hook` name netgraph things.
constexpr Command kNetflowSet[] = {
    {"peer", "{ip} {port}", "Set export destination", 0, -1, cmd::WarnNotSupported},
    {"self", "{ip} [{port}]", "Set export source", 0, -1, cmd::WarnNotSupported},
    {"timeouts", "{inactive} {active}", "Set NetFlow timeouts", 0, -1, cmd::WarnNotSupported},
    {"template", "{time} {packets}", "Set NetFlow v9 template", 0, -1, cmd::WarnNotSupported},
    {"mtu", "{mtu}", "Set NetFlow v9 MTU", 0, -1, cmd::WarnNotSupported},
    {"version", "{version}", "Set NetFlow version", 0, -1, cmd::WarnNotSupported},
    {"node", "{name}", "Set node name to use", 0, -1, cmd::WarnFreeBsdOnly},
    {"hook", "{number}", "Set initial hook number", 0, -1, cmd::WarnFreeBsdOnly},
};
std::span<const Command> NetflowMenu() { return kNetflowSet; }

// set modem|tcp|udp|ng ...: need a current link of that type.
template <const char* kType>
void DeviceSet(Engine& e, Args) {
  LinkConf* l = e.CurrentLink();
  if (l->type != kType) {
    e.Error(fmt::format("incorrect context for \"set {}\": link \"{}\" is of type {}", kType,
                        l->name, l->type));
    return;
  }
  if (std::string_view(kType) == "ng")
    e.Warn("\"set ng\" is FreeBSD only, ignored");
  else
    e.NotSupported(fmt::format("{} links", kType));
}
constexpr char kModem[] = "modem";
constexpr char kNg[] = "ng";
constexpr char kTcp[] = "tcp";
constexpr char kUdp[] = "udp";

using N = Command::Needs;

constexpr Command kSet[] = {
    {"bundle", "", "Bundle specific stuff", 0, -1, nullptr, BundleSetCommands, N::kBundle},
    {"link", "", "Link specific stuff", 0, -1, nullptr, LinkSetCommands, N::kLink},
    {"iface", "", "Interface specific stuff", 0, -1, nullptr, IfaceSetCommands, N::kBundle},
    {"ipcp", "", "IPCP specific stuff", 0, -1, nullptr, IpcpSetCommands, N::kBundle},
    {"ipv6cp", "", "IPV6CP specific stuff", 0, -1, nullptr, Ipv6cpSetCommands, N::kBundle},
    {"ippool", "", "IP pool specific stuff", 0, -1, nullptr, IppoolSetCommands},
    {"ccp", "", "CCP specific stuff", 0, -1, nullptr, CcpSetCommands, N::kBundle},
    {"mppc", "", "MPPC specific stuff", 0, -1, nullptr, MppcSetCommands, N::kBundle},
    {"ecp", "", "ECP specific stuff", 0, -1, nullptr, EcpSetCommands, N::kBundle},
    {"eap", "", "EAP specific stuff", 0, -1, nullptr, EapSetCommands, N::kLink},
    {"auth", "", "Auth specific stuff", 0, -1, nullptr, AuthSetCommands, N::kLink},
    {"radius", "", "RADIUS specific stuff", 0, -1, nullptr, RadiusSetCommands, N::kLink},
    {"radsrv", "", "RADIUS server specific stuff", 0, -1, nullptr, RadsrvSetCommands},
    {"console", "", "Console specific stuff", 0, -1, nullptr, ConsoleSetCommands},
    {"web", "", "Web specific stuff", 0, -1, nullptr, WebSetCommands},
    {"user", "{name} {password} [admin|operator|user]", "Add console user", 2, 3, SetUser},
    {"global", "", "Global settings", 0, -1, nullptr, GlobalMenu},
    {"netflow", "", "NetFlow settings", 0, -1, nullptr, NetflowMenu},
    {"nat", "...", "Nat settings", 0, -1, cmd::WarnNotSupported},
    {"debug", "{level}", "Set netgraph debug level", 1, 1, cmd::WarnFreeBsdOnly},
    {"modem", "...", "Modem specific stuff", 0, -1, DeviceSet<kModem>, nullptr, N::kLink},
    {"ng", "...", "Netgraph specific stuff", 0, -1, DeviceSet<kNg>, nullptr, N::kLink},
    {"tcp", "...", "TCP specific stuff", 0, -1, DeviceSet<kTcp>, nullptr, N::kLink},
    {"udp", "...", "UDP specific stuff", 0, -1, DeviceSet<kUdp>, nullptr, N::kLink},
    {"pptp", "", "PPTP specific stuff", 0, -1, nullptr, PptpSetCommands, N::kLink},
    {"l2tp", "", "L2TP specific stuff", 0, -1, nullptr, L2tpSetCommands, N::kLink},
    {"pppoe", "", "PPPoE specific stuff", 0, -1, nullptr, PppoeSetCommands, N::kLink},
};

constexpr Command kTop[] = {
    {"authname", "{name}", "Choose link by auth name", 1, 2, IgnoredHere},
    {"bundle", "[{name}]", "Choose/list bundles", 0, 1, SelectBundle},
    {"close", "[{layer}]", "Close a layer", 0, 1, IgnoredHere},
    {"create", "", "Create new item", 0, -1, nullptr, CreateCommands},
    {"destroy", "...", "Destroy item", 0, -1, cmd::WarnNotSupported},
    {"exit", "", "Exit console", 0, 0, IgnoredHere},
    {"iface", "{iface}", "Choose bundle by iface", 1, 1, IgnoredHere},
    {"help", "...", "Help on any command", 0, -1, IgnoredHere},
    {"link", "{name}", "Choose link", 1, 1, SelectLink},
    {"load", "[{file}] {label}", "Read from config file", 1, 2, Load},
    {"log", "[+/-{opt} ...]", "Set/view log options", 0, -1, Log},
    {"msession", "{msesid}", "Ch. bundle by msession-id", 1, 1, IgnoredHere},
    {"open", "[{layer}]", "Open a layer", 0, 1, Open},
    {"quit", "", "Quit program", 0, 0, IgnoredHere},
    {"repeater", "[{name}]", "Choose/list repeaters", 0, 1, IgnoredHere},
    {"session", "{sesid}", "Choose link by session-id", 1, 1, IgnoredHere},
    {"set", "", "Set parameters", 0, -1, nullptr, SetCommands},
    {"show", "...", "Show status", 0, -1, IgnoredHere},
};

}  // namespace

std::span<const Command> TopCommands() { return kTop; }
std::span<const Command> SetCommands() { return kSet; }
std::span<const Command> GlobalSetCommands() { return kGlobalSet; }

}  // namespace mlppp::config
