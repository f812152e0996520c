// Context selection (mpd5 link.c LinkCommand/SessionCommand/AuthnameCommand,
// bund.c BundCommand/MSessionCommand/IfaceCommand, rep.c RepCommand). As in
// mpd5, selecting a link also selects its bundle; selecting a bundle keeps
// the current link when it is a member, else selects the bundle's first
// link; a failed selection clears the whole context.
#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <charconv>

#include "control/command_shell.h"
#include "control/command_shell_internal.h"
#include "control/show.h"

namespace mlppp::control {

namespace {

// mpd5 LinkFind: "[hex]" is a link id.
bool ParseLinkId(std::string_view s, uint32_t* id) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  std::string_view hex = s.substr(1, s.size() - 2);
  auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), *id, 16);
  return ec == std::errc() && p == hex.data() + hex.size();
}

bool EqualCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void CommandShell::ClearContext() {
  link_.clear();
  bundle_.clear();
  repeater_.clear();
}

void CommandShell::SelectLinkView(const std::string& name, const std::string& bundle) {
  link_ = name;
  bundle_ = bundle;
  repeater_.clear();
}

void CommandShell::SelectBundleName(const std::string& name,
                                    const std::vector<std::string>& links) {
  bundle_ = name;
  if (link_.empty() || std::find(links.begin(), links.end(), link_) == links.end())
    link_ = links.empty() ? "" : links.front();
  repeater_.clear();
}

CommandResult CommandShell::CmdLink(Call& c) {
  if (c.args.size() > 1) return c.Usage("link {name}");
  Snapshot s = ctl_.TakeSnapshot();
  const config::Config& conf = ctl_.MutableConfig();
  if (c.args.empty()) {
    c.Print("Defined links:");
    for (const LinkView& l : s.links) {
      if (l.bundle.empty())
        c.Print("\t{}", l.name);
      else
        c.Print("\t{:<15}{}", l.name, l.bundle);
    }
    return {};
  }
  const std::string& want = c.args[0];
  uint32_t id = 0;
  const LinkView* found = nullptr;
  if (ParseLinkId(want, &id)) {
    for (const LinkView& l : s.links)
      if (!l.is_template && l.id == id) found = &l;
  }
  if (!found) found = show::FindLink(s, want);
  if (found) {
    SelectLinkView(found->name, found->bundle);
    return {};
  }
  for (const config::LinkConf& l : conf.links) {
    if (l.name == want) {
      SelectLinkView(l.name, "");
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("Link \"{}\" is not defined", want));
}

CommandResult CommandShell::CmdBundle(Call& c) {
  if (c.args.size() > 1) return c.Usage("bundle [{name}]");
  Snapshot s = ctl_.TakeSnapshot();
  const config::Config& conf = ctl_.MutableConfig();
  if (c.args.empty()) {
    c.Print("Defined bundles:");
    for (const BundleView& b : s.bundles) {
      std::string links;
      for (const auto& l : b.links) links += l + " ";
      c.Print("\t{:<15}{}", b.name, links);
    }
    for (const config::BundleConf& b : conf.bundles)
      if (!show::FindBundle(s, b.name)) c.Print("\t{:<15}", b.name);
    return {};
  }
  const std::string& want = c.args[0];
  if (const BundleView* b = show::FindBundle(s, want)) {
    SelectBundleName(b->name, b->links);
    return {};
  }
  for (const config::BundleConf& b : conf.bundles) {
    if (b.name == want) {
      SelectBundleName(b.name, {});
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("Bundle \"{}\" not defined.", want));
}

CommandResult CommandShell::CmdIface(Call& c) {
  if (c.args.size() > 1) return c.Usage("iface {iface}");
  Snapshot s = ctl_.TakeSnapshot();
  if (c.args.empty()) {
    c.Print("Present ifaces:");
    for (const BundleView& b : s.bundles)
      if (!b.iface.empty()) c.Print("\t{}\t{}", b.iface, b.name);
    return {};
  }
  for (const BundleView& b : s.bundles) {
    if (!b.iface.empty() && b.iface == c.args[0]) {
      SelectBundleName(b.name, b.links);
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("iface \"{}\" is not found", c.args[0]));
}

CommandResult CommandShell::CmdMsession(Call& c) {
  if (c.args.size() > 1) return c.Usage("msession {msesid}");
  Snapshot s = ctl_.TakeSnapshot();
  if (c.args.empty()) {
    c.Print("Present msessions:");
    for (const BundleView& b : s.bundles)
      if (!b.msession_id.empty()) c.Print("\t{}", b.msession_id);
    return {};
  }
  for (const BundleView& b : s.bundles) {
    if (!b.msession_id.empty() && b.msession_id == c.args[0]) {
      SelectBundleName(b.name, b.links);
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("msession \"{}\" is not found", c.args[0]));
}

CommandResult CommandShell::CmdSession(Call& c) {
  if (c.args.size() > 1) return c.Usage("session {sesid}");
  Snapshot s = ctl_.TakeSnapshot();
  if (c.args.empty()) {
    c.Print("Present sessions:");
    for (const LinkView& l : s.links)
      if (!l.session_id.empty()) c.Print("\t{}", l.session_id);
    return {};
  }
  for (const LinkView& l : s.links) {
    if (!l.session_id.empty() && l.session_id == c.args[0]) {
      SelectLinkView(l.name, l.bundle);
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("Session \"{}\" is not found", c.args[0]));
}

CommandResult CommandShell::CmdAuthname(Call& c) {
  if (c.args.size() > 2) return c.Usage("authname {name} [CI]");
  Snapshot s = ctl_.TakeSnapshot();
  if (c.args.empty()) {
    c.Print("Present users:");
    for (const LinkView& l : s.links)
      if (!l.peer_authname.empty()) c.Print("\t{}", l.peer_authname);
    return {};
  }
  // `authname NAME CI` compares without case (mpd5 5.8).
  bool ci = c.args.size() == 2 && EqualCase(c.args[1], "CI");
  if (c.args.size() == 2 && !ci) return c.Usage("authname {name} [CI]");
  for (const LinkView& l : s.links) {
    if (l.peer_authname.empty()) continue;
    if (ci ? EqualCase(l.peer_authname, c.args[0]) : l.peer_authname == c.args[0]) {
      SelectLinkView(l.name, l.bundle);
      return {};
    }
  }
  ClearContext();
  return c.Error(fmt::format("User \"{}\" is not found", c.args[0]));
}

CommandResult CommandShell::CmdRepeater(Call& c) {
  if (c.args.size() > 1) return c.Usage("repeater [{name}]");
  // mlpppd has no repeaters yet (mpd5 `set link action forward`).
  if (c.args.empty()) {
    c.Print("Defined repeaters:");
    return {};
  }
  ClearContext();
  return c.Error(fmt::format("Repeater \"{}\" not defined.", c.args[0]));
}

}  // namespace mlppp::control
