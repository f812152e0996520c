// Run-time configuration: `set`, `create`, `load` through config::Engine
// (the same command tables mpd.conf uses), and `destroy`, `unset`, which the
// engine does not have, on the typed config directly. The engine runs on a
// copy of the daemon's config so a failed `set`/`create` changes nothing;
// `load` keeps what its lines did, as mpd5 runs a label to its end.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "config/engine.h"
#include "control/command_shell.h"
#include "control/command_shell_internal.h"
#include "control/show.h"

namespace mlppp::control {

namespace {

// `load LABEL` without a file reads the daemon's main file; the Controller
// names only the directory, so this is mpd5's default name.
constexpr std::string_view kMainFile = "mpd.conf";

}  // namespace

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
  // incorrect context, usage).
  std::span<const config::Command> table = config::TopCommands();
  std::string path;
  for (size_t i = 0;; ++i) {
    if (i >= c.words.size()) {
      c.Print("Commands available under \"{}\":", path);
      for (const auto& cmd : table)
        c.Print(" {:<9}: {}", cmd.name, cmd.submenu ? "..." : cmd.usage);
      return {CommandCode::kUsage, fmt::format("Usage: {} ...", path)};
    }
    int m = 0;
    const config::Command* cmd = config::cmd::Find(table, c.words[i], &m);
    if (!cmd) return m > 1 ? c.Ambiguous() : c.Unknown();
    path += fmt::format("{}{}", i ? " " : "", cmd->name);
    if ((cmd->needs == config::Command::Needs::kLink && !eng.CurrentLink()) ||
        (cmd->needs == config::Command::Needs::kBundle && !eng.CurrentBundle()))
      return c.NoContext();
    if (cmd->submenu) {
      table = cmd->submenu();
      continue;
    }
    int n = static_cast<int>(c.words.size() - i - 1);
    if (n < cmd->min_args || (cmd->max_args >= 0 && n > cmd->max_args))
      return c.Usage(fmt::format("{} {}", path, cmd->usage));
    break;
  }

  config::Line line{"console", 0, c.words};
  eng.Execute(line);
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
