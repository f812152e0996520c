// Run-time configuration: `set`, `create`, `load` through config::Engine
// (the same command tables mpd.conf uses), and `destroy`, `unset`, which the
// engine does not have, on the typed config directly. The engine runs on a
// copy of the daemon's config so a failed `set`/`create` changes nothing;
// `load` keeps what its lines did, as mpd5 runs a label to its end.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "config/engine.h"
#include "config/resolve.h"
#include "control/command_privilege.h"
#include "control/command_shell.h"
#include "control/command_shell_internal.h"
#include "control/show.h"

namespace mlppp::control {

namespace {

// `load LABEL` without a file reads the daemon's main file; the Controller
// names only the directory, so this is mpd5's default name.
constexpr std::string_view kMainFile = "mpd.conf";
// What `load` below admin may run (mpd5 LoadCommand: depth > 20 fails);
// the line budget bounds a label tree that loads its labels many times.
constexpr size_t kMaxLoadDepth = 20;
constexpr size_t kMaxLoadLines = 10000;

// Why a complete entry with these arguments is refused at this privilege
// ("" when it is not): `set console enable|disable` below admin changes
// per-session options only (command_privilege.h).
std::string DeniedOptionAt(std::span<const std::string_view> canon,
                           std::span<const std::string> args, Privilege priv) {
  if (priv >= Privilege::kAdmin || canon.size() != 3 || canon[0] != "set" || canon[1] != "console")
    return "";
  for (const std::string& o : args)
    if (ConsoleOptionNeedsAdmin(o)) return fmt::format("option \"{}\" needs privilege admin", o);
  return "";
}

}  // namespace

std::string CommandShell::DeniedOption(std::span<const std::string_view> canon,
                                       std::span<const std::string> args) const {
  return DeniedOptionAt(canon, args, priv_);
}

CommandResult CommandShell::CmdSet(Call& c) { return RunEngine(c, true); }
CommandResult CommandShell::CmdCreate(Call& c) { return RunEngine(c, true); }
CommandResult CommandShell::CmdLoad(Call& c) { return RunEngine(c, false); }

CommandResult CommandShell::RunEngine(Call& c, bool transactional) {
  config::Config& live = ctl_.MutableConfig();
  config::Engine eng(ctl_.ConfigDir(), true);
  eng.set_main_file(std::string(kMainFile));
  eng.config() = live;
  // The context's link may be an instance ("pppoe-3"): edit the template it
  // came from, which is what new sessions use.
  if (!link_.empty() && !eng.SelectLink(link_)) {
    Snapshot s = ctl_.TakeSnapshot();
    if (const LinkView* l = show::FindLink(s, link_); l && !l->conf_name.empty())
      eng.SelectLink(l->conf_name);
  }
  // Likewise a bundle instance ("B-1") edits its template.
  if (!bundle_.empty() && !eng.SelectBundle(bundle_)) {
    Snapshot s = ctl_.TakeSnapshot();
    if (const BundleView* b = show::FindBundle(s, bundle_); b && !b->conf_name.empty())
      eng.SelectBundle(b->conf_name);
  }
  std::string link_before;
  if (config::LinkConf* l = eng.CurrentLink()) link_before = l->name;

  // Walk the tables first for mpd5's own messages (unknown, ambiguous,
  // incorrect context, usage), seeing only what this privilege may run.
  config::ResolveFilter filter = PrivilegeFilter(priv_);
  filter.admit = [&eng](const config::Command& cmd) { return eng.HasContextFor(cmd); };
  const config::Resolved r = config::Resolve(config::TopCommands(), c.words, filter);
  const std::vector<std::string_view>& canon = r.canon;
  std::string path;
  for (size_t i = 0; i < canon.size(); ++i) path += fmt::format("{}{}", i ? " " : "", canon[i]);
  switch (r.stop) {
    case config::Resolved::Stop::kMenu: {
      c.Print("Commands available under \"{}\":", path);
      // mpd5 DoCommand answers an unfinished submenu with HelpCommand's
      // listing of it.
      std::vector<std::pair<std::string, std::string>> rows;
      for (const config::Command* cmd : config::VisibleEntries(r.table, canon, filter))
        rows.emplace_back(std::string(cmd->name), std::string(cmd->help));
      PrintListing(c, rows);
      return {CommandCode::kUsage, fmt::format("Usage: {} ...", path)};
    }
    case config::Resolved::Stop::kAmbiguous:
      return c.Ambiguous();
    case config::Resolved::Stop::kUnknown: {
      CommandResult res = c.Unknown();
      // Above this privilege it reads as unknown (mpd5); the code says why.
      int m = 0;
      if (config::cmd::Find(r.table, c.words[r.used], &m)) res.code = CommandCode::kDenied;
      return res;
    }
    case config::Resolved::Stop::kNoContext:
      return c.NoContext();
    case config::Resolved::Stop::kLeaf:
      break;
  }
  {
    const config::Command* cmd = r.path.back();
    Args rest = Args(c.words).subspan(r.used);
    int n = static_cast<int>(rest.size());
    if (n < cmd->min_args || (cmd->max_args >= 0 && n > cmd->max_args))
      return c.Usage(fmt::format("{} {}", path, cmd->usage));
    if (std::string denied = DeniedOption(canon, rest); !denied.empty()) {
      CommandResult res = c.Error(denied);
      res.code = CommandCode::kDenied;
      return res;
    }
  }

  if (canon[0] == "load" && priv_ < Privilege::kAdmin) {
    // mpd5 LoadCommand runs each line through DoCommand with the session's
    // context: a line above this privilege is "Unknown command", the others
    // run.
    std::vector<std::pair<std::string, std::string>> running;
    size_t budget = kMaxLoadLines;
    LoadLines(eng, c.args.size() == 2 ? c.args[0] : std::string(kMainFile), c.args.back(), &running,
              &budget);
  } else {
    // The engine matches prefixes among all its entries; hand it the names
    // found among this privilege's (a user's `set c` is `set console`).
    std::vector<std::string> words = c.words;
    for (size_t i = 0; i < canon.size(); ++i) words[i] = std::string(canon[i]);
    config::Line line{"console", 0, std::move(words)};
    eng.Execute(line);
  }
  std::vector<const config::Diagnostic*> errors;
  for (const config::Diagnostic& d : eng.diagnostics()) {
    if (!d.error) {
      c.Print("{}", d.message);
    } else {
      errors.push_back(&d);
    }
  }
  if (!errors.empty() && transactional) {
    for (size_t i = 1; i < errors.size(); ++i) c.Print("{}", errors[i]->message);
    return c.Error(errors[0]->message);
  }
  // `create` and `load` move the context as mpd5's do.
  const std::string& cmd = c.words[0];
  config::LinkConf* now_link = eng.CurrentLink();
  config::BundleConf* now_bundle = eng.CurrentBundle();
  bool create_bundle =
      cmd == "create" && c.words.size() > 1 && std::string_view("bundle").starts_with(c.words[1]);
  if (create_bundle) {
    if (now_bundle) {
      bundle_ = now_bundle->name;
      link_.clear();
      repeater_.clear();
    }
  } else if (cmd == "create" || cmd == "load") {
    if (now_link && now_link->name != link_before) {
      link_ = now_link->name;
      repeater_.clear();
    }
    if (now_bundle) bundle_ = now_bundle->name;
  }
  live = std::move(eng.config());
  ctl_.ConfigChanged();
  if (!errors.empty()) {
    for (const auto* d : errors) c.Print("{}", d->ToString());
    return {CommandCode::kFailed, fmt::format("{} error(s) in \"{}\"", errors.size(), c.text)};
  }
  return {};
}

bool CommandShell::LineAllowed(const std::vector<std::string>& words, bool* is_load) const {
  *is_load = false;
  if (words.empty()) return true;
  int m = 0;
  const TopCommand* top = FindTop(words[0], &m);
  if (!top) return m == 0 && !config::cmd::Find(config::TopCommands(), words[0], &m);
  // The engine resolves the word among all its entries: it must name the
  // same command (or none, and the engine reports it).
  if (const config::Command* e = config::cmd::Find(config::TopCommands(), words[0], &m);
      e && e->name != top->name)
    return false;
  if (top->name == "load") *is_load = true;
  if (top->name != "set" && top->name != "create") return true;
  // The engine will resolve the words without privileges: each must name
  // the same entry it names at ours.
  std::vector<std::string> named = words;
  named[0] = std::string(top->name);
  const config::Resolved ours =
      config::Resolve(config::TopCommands(), named, PrivilegeFilter(priv_));
  const config::Resolved all = config::Resolve(config::TopCommands(), named);
  if (ours.stop != config::Resolved::Stop::kLeaf && ours.stop != config::Resolved::Stop::kMenu)
    return false;
  if (all.path != ours.path) return false;
  if (ours.stop == config::Resolved::Stop::kMenu) return true;  // unfinished: the engine reports it
  return DeniedOption(ours.canon, std::span<const std::string>(words).subspan(ours.used)).empty();
}

void CommandShell::LoadLines(config::Engine& eng, const std::string& file, const std::string& label,
                             std::vector<std::pair<std::string, std::string>>* running,
                             size_t* budget) const {
  auto error = [&](std::string msg) {
    eng.diagnostics().push_back({file, 0, true, std::move(msg)});
  };
  // The engine's own limits on nesting and recursion (mpd5 LoadCommand).
  if (running->size() > kMaxLoadDepth)
    return error(fmt::format("load \"{}\": nesting deeper than {}", label, kMaxLoadDepth));
  for (const auto& [f, l] : *running)
    if (f == file && l == label) return error(fmt::format("recursive load of label \"{}\"", label));
  // Below admin, only files of the configuration directory: any other path
  // would let a user read files the daemon can read, one refused line at a
  // time (our rule; mpd5 trusts its console users with any path).
  if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..")
    return error(fmt::format("load: \"{}\": only files of the configuration directory", file));
  const config::ConfigFile* f = eng.File(file);
  if (!f) return error(fmt::format("can't read configuration file \"{}\"", file));
  const std::vector<config::Line>* lines = f->Find(label);
  if (!lines) return error(fmt::format("label \"{}\" not found in \"{}\"", label, file));
  running->emplace_back(file, label);
  for (const config::Line& l : *lines) {
    if (*budget == 0) {
      eng.diagnostics().push_back(
          {l.file, l.line, true, "too many lines run (load loop?); rest ignored"});
      break;
    }
    --*budget;
    bool is_load = false;
    if (!LineAllowed(l.args, &is_load)) {
      // Only the command word: the rest of a refused line is not this
      // user's to read.
      eng.diagnostics().push_back(
          {l.file, l.line, true,
           fmt::format("Unknown command: '{}'. Try \"help\".", l.args.empty() ? "" : l.args[0])});
      continue;
    }
    if (is_load && (l.args.size() == 2 || l.args.size() == 3)) {
      LoadLines(eng, l.args.size() == 3 ? l.args[1] : std::string(kMainFile), l.args.back(),
                running, budget);
      continue;
    }
    eng.Execute(l);
  }
  running->pop_back();
}

// destroy link|bundle [NAME] (mpd5 LinkDestroy, BundDestroy): a configured
// link or bundle leaves the configuration; a live instance is closed.
CommandResult CommandShell::CmdDestroy(Call& c) {
  if (c.args.empty()) return c.Usage("destroy link|bundle [{name}]");
  bool is_link = std::string_view("link").starts_with(c.args[0]);
  bool is_bundle = std::string_view("bundle").starts_with(c.args[0]);
  if (is_link == is_bundle) return is_link ? c.Ambiguous() : c.Unknown();
  if (c.args.size() > 2)
    return c.Usage(fmt::format("destroy {} [{{name}}]", is_link ? "link" : "bundle"));
  std::string name = c.args.size() == 2 ? c.args[1] : (is_link ? link_ : bundle_);
  if (name.empty())
    return c.Error(is_link ? "No link selected to destroy" : "No bundle selected to destroy");
  config::Config& conf = ctl_.MutableConfig();
  bool erased = false;
  if (is_link) {
    auto it = std::find_if(conf.links.begin(), conf.links.end(),
                           [&](const config::LinkConf& l) { return l.name == name; });
    if (it != conf.links.end()) {
      conf.links.erase(it);
      std::erase(conf.opens, name);
      erased = true;
    }
  } else {
    auto it = std::find_if(conf.bundles.begin(), conf.bundles.end(),
                           [&](const config::BundleConf& b) { return b.name == name; });
    if (it != conf.bundles.end()) {
      conf.bundles.erase(it);
      erased = true;
    }
  }
  if (erased) {
    if (is_link && link_ == name) link_.clear();
    if (!is_link && bundle_ == name) bundle_.clear();
    ctl_.ConfigChanged();
    return {};
  }
  Snapshot s = ctl_.TakeSnapshot();
  bool live = is_link ? show::FindLink(s, name) != nullptr : show::FindBundle(s, name) != nullptr;
  if (!live) return c.Error(fmt::format("{} \"{}\" not found", is_link ? "Link" : "Bund", name));
  Status st =
      is_link ? ctl_.CloseLayer(name, "", Layer::kLink) : ctl_.CloseLayer("", name, Layer::kBund);
  if (!st.ok()) return c.Error(st.message());
  return {};
}

// unset radius server NAME [AUTH [ACCT]] (mpd5 5.7 radius.c); `unset nat`
// is accepted by name only, NAT not being built.
CommandResult CommandShell::CmdUnset(Call& c) {
  // mpd5 UnSetCommands: `unset` is priv 0, each of its entries priv 2.
  if (priv_ < Privilege::kAdmin) {
    if (c.args.empty()) {
      c.Print("Commands available under \"unset\":");
      return {CommandCode::kUsage, "Usage: unset ..."};
    }
    CommandResult r = c.Unknown();
    if (std::string_view("radius").starts_with(c.args[0]) ||
        std::string_view("nat").starts_with(c.args[0]))
      r.code = CommandCode::kDenied;
    return r;
  }
  if (c.args.empty()) {
    c.Print("Commands available under \"unset\":");
    c.Print(" {:<9}: {:<20}\t {:<9}: {}", "radius", "RADIUS specific stuff", "nat",
            "NAT specific stuff");
    return {CommandCode::kUsage, "Usage: unset ..."};
  }
  std::string_view w = c.args[0];
  if (std::string_view("nat").starts_with(w)) return c.Error("NAT is not supported");
  if (!std::string_view("radius").starts_with(w)) return c.Unknown();
  if (c.args.size() < 2 || !std::string_view("server").starts_with(c.args[1]) ||
      c.args.size() < 3 || c.args.size() > 5)
    return c.Usage("unset radius server {name} [{auth port}] [{acct port}]");
  config::Config& conf = ctl_.MutableConfig();
  config::LinkConf* l = link_.empty() ? nullptr : conf.FindLink(link_);
  if (!l && !link_.empty()) {
    Snapshot s = ctl_.TakeSnapshot();
    if (const LinkView* v = show::FindLink(s, link_)) l = conf.FindLink(v->conf_name);
  }
  if (!l) return c.NoContext();
  auto port = [&](size_t i, uint16_t* out) {
    if (c.args.size() <= i) return true;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(c.args[i].data(), c.args[i].data() + c.args[i].size(), v);
    if (ec != std::errc() || p != c.args[i].data() + c.args[i].size() || v > 65535) return false;
    *out = static_cast<uint16_t>(v);
    return true;
  };
  auto& servers = l->radius.servers;
  size_t before = servers.size();
  uint16_t auth = 0, acct = 0;
  if (!port(3, &auth) || !port(4, &acct)) return c.Error("bad port number");
  std::erase_if(servers, [&](const config::RadiusServerConf& s) {
    return s.host == c.args[2] && (c.args.size() < 4 || s.auth_port == auth) &&
           (c.args.size() < 5 || s.acct_port == acct);
  });
  if (servers.size() == before)
    return c.Error(fmt::format("RADIUS server \"{}\" not found", c.args[2]));
  ctl_.ConfigChanged();
  return {};
}

}  // namespace mlppp::control
