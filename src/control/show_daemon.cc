// Daemon-wide shows: version, layers, types, summary (mpd5 command.c
// ShowVersion, ShowLayers, ShowTypes, ShowSummary), mem, events, console and
// user settings (console.c ConsoleStat), web (web.c WebStat), global
// (ShowGlobal), and the modules mlpppd does not build (repeater, nat,
// netflow).
#include <array>

#include "control/show.h"

namespace mlppp::control::show {

namespace {

constexpr std::array<std::string_view, 8> kLayerDesc = {"System interface",
                                                        "IPCP: IP control protocol",
                                                        "IPV6CP: IPv6 control protocol",
                                                        "CCP: compression ctrl prot.",
                                                        "ECP: encryption ctrl prot.",
                                                        "Multilink bundle",
                                                        "Link layer",
                                                        "Physical link layer"};

struct TypeRow {
  std::string_view name, desc;
};
constexpr TypeRow kTypes[] = {
    {"pptp", "PPTP tunnel"},
    {"l2tp", "L2TP tunnel"},
    {"pppoe", "PPP over Ethernet"},
};

std::string_view OpenedWord(bool open) { return open ? "OPENED" : "CLOSED"; }

// One link's columns in `show summary`: Link LCP Device State User From.
void SummaryLink(const Env& e, const LinkView& l) {
  Out(e, "{}\t{}\t{}\t{}\t{:>8}\t{}\n", l.name, l.lcp_state, l.type, l.state, l.peer_authname,
      l.peer_addr);
}

}  // namespace

CommandResult Version(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "MPD version: {}\n", e.snap.version);
  Out(e, "  Available features:\n");
  // mpd5 lists its netgraph nodes; these are mlpppd's user-space equivalents.
  Out(e, "\tipfw rules\t: no\n");
  Out(e, "\tconfig fetch\t: no\n");
  Out(e, "\tMPPC\t\t: yes\n");
  Out(e, "\tMPPE\t\t: yes\n");
  Out(e, "\tDeflate\t\t: yes\n");
  Out(e, "\tPredictor-1\t: yes\n");
  Out(e, "\tDESE/DESE-bis\t: yes\n");
  Out(e, "\tNAT\t\t: no\n");
  Out(e, "\tNetFlow\t\t: no\n");
  return Ok();
}

CommandResult Layers(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "\tName\t\tDescription\n");
  Out(e, "\t----\t\t-----------\n");
  for (size_t i = 0; i < kLayerDesc.size(); ++i)
    Out(e, "\t{}\t\t{}\n", LayerName(static_cast<Layer>(i)), kLayerDesc[i]);
  return Ok();
}

CommandResult Types(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // mpd5 ShowTypes (command.c): the compiled-in device types, in its
  // gPhysTypes order, with their descriptions.
  Out(e, "Supported device types:\n");
  for (const TypeRow& t : kTypes) Out(e, "\t{}\t{}\n", t.name, t.desc);
  return Ok();
}

CommandResult Summary(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "Current daemon status summary\n");
  Out(e, "Iface\tBund\t\tLink\tLCP\tDevice\t\tUser\t\tFrom\n");
  for (const LinkView& l : e.snap.links) {
    if (!l.bundle.empty()) continue;
    Out(e, "\t\t\t");
    SummaryLink(e, l);
  }
  for (const BundleView& b : e.snap.bundles) {
    Out(e, "{}\t{}\t{}\t", b.iface, b.name, b.up ? "Up" : "Down");
    bool first = true;
    for (const std::string& name : b.links) {
      const LinkView* l = FindLink(e.snap, name);
      if (!l) continue;
      if (!first) Out(e, "\t\t\t");
      first = false;
      SummaryLink(e, *l);
    }
    if (first) Out(e, "\n");
  }
  // mlpppd's own counters (mpd5 has none): what came up and what failed.
  const DaemonCounters& c = e.snap.counters;
  if (!c.setups.empty() || !c.failures.empty()) {
    Out(e, "Session setups:\n");
    for (const auto& [type, n] : c.setups) Out(e, "\t{:<8}: {}\n", type, n);
    Out(e, "Session failures:\n");
    for (const auto& [key, n] : c.failures)
      Out(e, "\t{:<8}: {:<20}: {}\n", key.first, key.second, n);
  }
  Out(e, "Authentication: {} accepted, {} rejected", c.auth_accepts, c.auth_rejects);
  if (c.auth_latency.count())
    Out(e, ", latency p50 {} us, p99 {} us", c.auth_latency.QuantileUs(0.5),
        c.auth_latency.QuantileUs(0.99));
  Out(e, "\n");
  return Ok();
}

CommandResult Mem(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // mpd5 prints its allocator's per-type map; mlpppd has no such allocator,
  // so this shows the object counts the snapshot has.
  Out(e, "Memory map:\n");
  Out(e, "\tLinks          : {}\n", e.snap.links.size());
  Out(e, "\tBundles        : {}\n", e.snap.bundles.size());
  return Ok();
}

CommandResult Events(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const LatencyHistogram& lag = e.snap.counters.loop_lag;
  Out(e, "mlpppd events:\n");
  Out(e, "\tLoop lag samples: {}\n", lag.count());
  if (lag.count())
    Out(e, "\tLoop lag        : mean {} us, p99 {} us, max {} us\n", lag.mean_us(),
        lag.QuantileUs(0.99), lag.max_us());
  return Ok();
}

CommandResult Console(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::ListenerConf& c = e.conf.console;
  Out(e, "Configuration:\n");
  Out(e, "\tState         : {}\n", OpenedWord(c.open));
  Out(e, "\tIP-Address    : {}\n", c.self_addr);
  Out(e, "\tPort          : {}\n", c.port);
  Out(e, "\tAuth          : {}\n", EnableWord(c.auth));
  // mpd5 ConsoleStat: "Active sessions:", one "Username: U\tFrom: ADDR"
  // line each; we add the privilege, and "-" for a login in progress.
  if (e.consoles) {
    Out(e, "Active sessions:\n");
    for (const ConsoleSessionView& s : e.consoles->ConsoleSessions()) {
      if (s.logged_in) {
        Out(e, "\tUsername: {}\tFrom: {}\tPriv: {}\tAge: {}s\n", s.user, s.peer_addr,
            PrivilegeName(s.privilege), s.age_seconds);
      } else {
        Out(e, "\tUsername: -\tFrom: {}\tPriv: -\tAge: {}s (logging in)\n", s.peer_addr,
            s.age_seconds);
      }
    }
  }
  Out(e, "This session:\n");
  Out(e, "\tUsername: {}\tPriv: {}\n", e.user, PrivilegeName(e.priv));
  return Ok();
}

CommandResult Web(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const config::ListenerConf& w = e.conf.web;
  Out(e, "Web configuration:\n");
  Out(e, "\tState         : {}\n", OpenedWord(w.open));
  Out(e, "\tIP-Address    : {}\n", w.self_addr);
  Out(e, "\tPort          : {}\n", w.port);
  Out(e, "Web options:\n");
  OptRow rows[] = {{"auth", w.auth, std::nullopt}};
  OptStat(e, rows);
  return Ok();
}

CommandResult User(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // Names and privileges only: a password is never shown.
  Out(e, "Configured users:\n");
  for (const config::UserConf& u : e.conf.users)
    Out(e, "\tUsername: {:<15} Priv:{}\n", u.name, u.priv);
  return Ok();
}

CommandResult Global(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "Global settings:\n");
  Out(e, "\tl2tptimeout\t: {}\n", e.conf.l2tp_timeout);
  Out(e, "\tl2tplimit\t: {}\n", e.conf.l2tp_limit);
  Out(e, "\tpptptimeout\t: {}\n", e.conf.pptp_timeout);
  Out(e, "\tpptplimit\t: {}\n", e.conf.pptp_limit);
  Out(e, "Global options:\n");
  OptRow rows[] = {{"one-shot", e.conf.one_shot, std::nullopt}};
  OptStat(e, rows);
  return Ok();
}

CommandResult Repeater(const Env&, Args a) {
  if (a.size() > 1) return Usage();
  // mlpppd has no repeaters (mpd5 `set link action forward`) yet.
  if (a.size() == 1) return Fail("Repeater \"" + a[0] + "\" not defined.");
  return {CommandCode::kNoContext, ""};
}

CommandResult Nat(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "NAT configuration:\n\tNot supported (no ng_nat equivalent yet)\n");
  return Ok();
}

CommandResult Netflow(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  Out(e, "NetFlow configuration:\n\tNot supported (no ng_netflow equivalent yet)\n");
  return Ok();
}

}  // namespace mlppp::control::show
