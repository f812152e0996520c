// open/close (mpd5 command.c OpenCommand, CloseCommand, GetLayer), exit,
// shutdown, log (log.c LogCommand), help (HelpCommand) and the dispatch of
// `show` (ShowCommands[]).
#include <fmt/format.h>
#include <strings.h>

#include <array>

#include "config/engine.h"
#include "config/resolve.h"
#include "control/command_privilege.h"
#include "control/command_shell.h"
#include "control/command_shell_internal.h"
#include "control/show.h"
#include "core/log.h"

namespace mlppp::control {

namespace {

// mpd5 log.c LogOptionList descriptions, in log::Cat order.
constexpr std::array<std::string_view, static_cast<size_t>(log::Cat::kCount)> kCatDesc = {
    "Bundle events",
    "Detailed bundle events",
    "Link events",
    "Repeater events",
    "LCP negotiation",
    "LCP events and debugging",
    "Link authentication events",
    "Link authentication details",
    "IPCP negotiation",
    "IPCP events and debugging",
    "IPV6CP negotiation",
    "IPV6CP events and debugging",
    "CCP negotiation",
    "CCP events and debugging",
    "ECP negotiation",
    "ECP events and debugging",
    "All FSM events (except echo & reset)",
    "Echo/reply events for all automata",
    "Physical layer events",
    "Physical layer debug",
    "Physical layer control packet dump",
    "Modem chat script",
    "Chat script extra debugging output",
    "IP interface and route management",
    "IP interface and route management debug",
    "Dump all incoming & outgoing frames",
    "Radius authentication events",
    "Radius authentication debug",
    "Console events",
    "Daemon events debug",
};

bool NeedsBundle(Layer l) { return l != Layer::kLink && l != Layer::kDevice; }

// mpd5 GetLayer: a case-insensitive prefix of one layer name.
bool FindLayer(std::string_view name, Layer* out) {
  int n = 0;
  for (int i = 0; i <= static_cast<int>(Layer::kDevice); ++i) {
    auto l = static_cast<Layer>(i);
    std::string_view ln = LayerName(l);
    if (ln == name) {
      *out = l;
      return true;
    }
    if (!name.empty() && name.size() <= ln.size() &&
        strncasecmp(ln.data(), name.data(), name.size()) == 0) {
      *out = l;
      ++n;
    }
  }
  return n == 1;
}

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& ch : u)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return u;
}

}  // namespace

CommandResult CommandShell::CmdOpen(Call& c) { return OpenClose(c, true); }
CommandResult CommandShell::CmdClose(Call& c) { return OpenClose(c, false); }

CommandResult CommandShell::OpenClose(Call& c, bool open) {
  std::string usage = fmt::format("{} [{{layer}}]", open ? "open" : "close");
  if (c.args.size() > 1) return c.Usage(usage);
  Layer layer = Layer::kLink;  // mpd5 DEFAULT_OPEN_LAYER
  if (!c.args.empty() && !FindLayer(c.args[0], &layer)) {
    c.Print("unknown layer \"{}\": try \"show layers\"", c.args[0]);
    return c.Usage(usage);
  }
  if (NeedsBundle(layer) ? bundle_.empty() : link_.empty()) return c.NoContext();
  Status st = open ? ctl_.OpenLayer(link_, bundle_, layer) : ctl_.CloseLayer(link_, bundle_, layer);
  if (!st.ok()) return c.Error(st.message());
  return {};
}

CommandResult CommandShell::CmdExit(Call& c) {
  if (!c.args.empty()) return c.Usage("exit");
  exit_ = true;
  return {};
}

CommandResult CommandShell::CmdShutdown(Call& c) {
  if (!c.args.empty()) return c.Usage("shutdown");
  // mpd5 QuitCommand: the session ends and the daemon stops as on SIGTERM.
  exit_ = true;
  ctl_.Shutdown();
  return {};
}

CommandResult CommandShell::CmdLog(Call& c) {
  constexpr size_t kCount = static_cast<size_t>(log::Cat::kCount);
  if (c.args.empty()) {
    constexpr std::string_view kFmt = "    {:<12}  {:<10}  {}";
    c.Print(fmt::runtime(kFmt), "Log Option", "Enabled", "Description");
    c.Print(fmt::runtime(kFmt), "----------", "-------", "-----------");
    for (size_t i = 0; i < kCount; ++i) {
      auto cat = static_cast<log::Cat>(i);
      c.Print(fmt::runtime(std::string("  ") + std::string(kFmt)), Upper(log::CatName(cat)),
              log::Enabled(cat) ? "Yes" : "No", kCatDesc[i]);
    }
    return {};
  }
  for (const std::string& w : c.args) {
    std::string_view name = w;
    bool on = true;
    if (!name.empty() && (name[0] == '+' || name[0] == '-')) {
      on = name[0] == '+';
      name.remove_prefix(1);
    }
    // Names compare without case, as mpd5's strcasecmp.
    std::string lower(name);
    for (char& ch : lower)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    log::Cat cat;
    if (lower == "all") {
      for (size_t i = 0; i < kCount; ++i) log::SetCategory(static_cast<log::Cat>(i), on);
    } else if (log::CatFromName(lower, &cat)) {
      log::SetCategory(cat, on);
    } else {
      c.Print("\"{}\" is unknown. Enter \"log\" for list.", name);
    }
  }
  return {};
}

CommandResult CommandShell::CmdHelp(Call& c) {
  using Row = std::pair<std::string, std::string>;
  std::vector<Row> rows;
  if (c.args.empty()) {
    c.Print("Available commands:");
    for (const TopCommand& t : Table())
      if (t.priv <= priv_) rows.emplace_back(std::string(t.name), std::string(t.desc));
    PrintListing(c, rows);
    return {};
  }
  int m = 0;
  const TopCommand* top = FindTop(c.args[0], &m);
  if (!top) {
    c.Print("{} command: '{}'.", m > 1 ? "Ambiguous" : "Unknown", c.args[0]);
    return {};
  }
  std::string path(top->name);
  if (top->name == "show") {
    if (c.args.size() == 1) {
      c.Print("Commands available under \"show\":");
      for (const auto& s : show::Commands())
        rows.emplace_back(std::string(s.name), std::string(s.desc));
      PrintListing(c, rows);
      return {};
    }
    for (const auto& s : show::Commands()) {
      if (s.name.starts_with(c.args[1])) {
        c.Print("Usage: show {} {}", s.name, s.usage);
        return {};
      }
    }
    c.Print("Unknown command: 'show {}'.", c.args[1]);
    return {};
  }
  std::span<const config::Command> table;
  if (top->name == "set")
    table = config::SetCommands();
  else if (top->name == "create")
    table = config::CreateCommands();
  else {
    c.Print("Usage: {} {}", top->name, top->usage);
    return {};
  }
  // Walk the configuration engine's tables as mpd5 walks its submenus,
  // seeing only the entries this privilege may run (mpd5 FindCommand).
  const std::string_view parent[] = {top->name};
  const config::ResolveFilter filter = PrivilegeFilter(priv_, parent);
  const config::Resolved r = config::Resolve(table, Args(c.args).subspan(1), filter);
  for (std::string_view w : r.canon) path += fmt::format(" {}", w);
  switch (r.stop) {
    case config::Resolved::Stop::kUnknown:
    case config::Resolved::Stop::kAmbiguous: {
      // mpd5 names the words as typed, up to the one not found.
      std::string typed;
      for (size_t k = 0; k <= r.used + 1; ++k)
        typed += fmt::format("{}{}", k ? " " : "", c.args[k]);
      c.Print("{} command: '{}'.",
              r.stop == config::Resolved::Stop::kAmbiguous ? "Ambiguous" : "Unknown", typed);
      return {};
    }
    case config::Resolved::Stop::kLeaf:
    case config::Resolved::Stop::kNoContext: {  // no admit here: never kNoContext
      const config::Command* cmd = r.path.back();
      c.Print("Usage: {}{}{}", path, cmd->usage.empty() ? "" : " ", cmd->usage);
      return {};
    }
    case config::Resolved::Stop::kMenu:
      break;
  }
  c.Print("Commands available under \"{}\":", path);
  for (const config::Command* cmd : config::VisibleEntries(r.table, r.canon, filter))
    rows.emplace_back(std::string(cmd->name), std::string(cmd->help));
  PrintListing(c, rows);
  return {};
}

CommandResult CommandShell::CmdShow(Call& c) {
  using Row = std::pair<std::string, std::string>;
  if (c.args.empty()) {
    // mpd5: an unfinished submenu prints its help.
    std::vector<Row> rows;
    c.Print("Commands available under \"show\":");
    for (const auto& s : show::Commands())
      rows.emplace_back(std::string(s.name), std::string(s.desc));
    PrintListing(c, rows);
    return {CommandCode::kUsage, "Usage: show ..."};
  }
  const show::Command* found = nullptr;
  int n = 0;
  for (const auto& s : show::Commands()) {
    if (s.name == c.args[0]) {
      found = &s;
      n = 1;
      break;
    }
    if (s.name.starts_with(c.args[0])) {
      found = &s;
      ++n;
    }
  }
  if (n > 1) return c.Ambiguous();
  if (n == 0) return c.Unknown();
  c.words[1] = std::string(found->name);
  Snapshot snap = ctl_.TakeSnapshot();
  const config::Config& conf = ctl_.MutableConfig();
  show::Env env{.snap = snap,
                .conf = conf,
                .link_name = link_,
                .bundle_name = bundle_,
                .priv = priv_,
                .user = user_,
                .out = c.out,
                .consoles = consoles_};
  if (!link_.empty()) {
    env.link = show::FindLink(snap, link_);
    for (const auto& l : conf.links)
      if (l.name == link_ || (env.link && l.name == env.link->conf_name && !env.link_conf))
        env.link_conf = &l;
  }
  if (!bundle_.empty()) {
    env.bundle = show::FindBundle(snap, bundle_);
    for (const auto& b : conf.bundles)
      if (b.name == bundle_) env.bundle_conf = &b;
  }
  switch (found->needs) {
    case show::Needs::kLink:
      if (link_.empty()) return c.NoContext();
      if (!env.link && !env.link_conf)
        return c.Error(fmt::format("Link \"{}\" is not defined", link_));
      break;
    case show::Needs::kBundle:
      if (bundle_.empty()) return c.NoContext();
      if (!env.bundle && !env.bundle_conf)
        return c.Error(fmt::format("Bundle \"{}\" not defined", bundle_));
      break;
    case show::Needs::kRepeater:
      if (repeater_.empty() && c.args.size() < 2) return c.NoContext();
      break;
    case show::Needs::kNothing:
      break;
  }
  CommandResult r = found->fn(env, c.args.subspan(1));
  switch (r.code) {
    case CommandCode::kOk:
      return r;
    case CommandCode::kUsage:
      return c.Usage(fmt::format("show {} {}", found->name, found->usage));
    case CommandCode::kNoContext:
      return c.NoContext();
    case CommandCode::kUnknown:
      return c.Unknown();
    default:
      return c.Error(r.error);
  }
}

}  // namespace mlppp::control
