// `create link|bundle ...` and `set link ...` (mpd5 link.c, bund.c; §1.3,
// §1.11 of the reference).
#include <fmt/format.h>

#include <array>
#include <charconv>

#include "config/engine.h"

namespace mlppp::config {
namespace {

// mpd5 gPhysTypes names: reserved as link names.
constexpr std::array<std::string_view, 7> kDeviceTypes = {"modem", "ng",   "tcp",  "udp",
                                                          "pptp",  "l2tp", "pppoe"};
// Types whose `set <type>` commands build typed config.
constexpr std::array<std::string_view, 3> kSupportedTypes = {"pppoe", "l2tp", "pptp"};
constexpr size_t kMaxName = 15;          // mpd5 LINK_MAX_NAME/BUND name buffers
constexpr size_t kMaxTemplateName = 10;  // instances are named "<template>-<N>"

bool IsSupportedType(std::string_view s) {
  for (auto t : kSupportedTypes)
    if (t == s) return true;
  return false;
}

bool IsDeviceType(std::string_view s) {
  for (auto t : kDeviceTypes)
    if (t == s) return true;
  return false;
}

// Parses `[template|static] NAME [...]`; returns the index of NAME.
size_t ParseKind(Args args, bool* is_template) {
  *is_template = false;
  if (args[0] == "template") {
    *is_template = true;
    return 1;
  }
  if (args[0] == "static") return 1;
  return 0;
}

bool CheckName(Engine& e, std::string_view kind, const std::string& name, bool is_template) {
  size_t max = is_template ? kMaxTemplateName : kMaxName;
  if (name.empty() || name.size() > max) {
    e.Error(fmt::format("{} name \"{}\" must be 1 to {} characters", kind, name, max));
    return false;
  }
  if (IsDeviceType(name)) {
    e.Error(fmt::format("name \"{}\" is reserved by device type", name));
    return false;
  }
  return true;
}

// create link [template|static] NAME TYPE|TEMPLATE
void CreateLink(Engine& e, Args args) {
  bool is_template = false;
  size_t i = ParseKind(args, &is_template);
  if (args.size() != i + 2) {
    e.Error("usage: create link [template|static] {name} {template|type}");
    return;
  }
  const std::string& name = args[i];
  const std::string& what = args[i + 1];
  if (!CheckName(e, "link", name, is_template)) return;
  bool placeholder = false;
  if (e.FindAnyLink(name, &placeholder) || e.config().FindBundle(name)) {
    e.Error(fmt::format("link \"{}\" already exists", name));
    return;
  }
  LinkConf link;
  bool from_template = false;
  if (IsDeviceType(what)) {
    link.type = what;
    if (!IsSupportedType(what)) {
      e.Error(fmt::format("link type {} not supported yet", what));
      placeholder = true;
    }
  } else {
    LinkConf* t = e.FindAnyLink(what, &placeholder);
    if (!t) {
      e.Error(fmt::format("link template \"{}\" not found", what));
      return;
    }
    if (!t->is_template) {
      e.Error(fmt::format("link \"{}\" is not a template", what));
      return;
    }
    if (placeholder) e.Error(fmt::format("link type {} not supported yet", t->type));
    link = *t;  // LinkInst: the instance copies the template's settings
    from_template = true;
    if (e.explicit_actions().count(what)) e.explicit_actions().insert(name);
  }
  link.name = name;
  link.is_template = is_template;
  // Our choice where mpd5 is silent: a link created while a bundle is current
  // terminates in that bundle unless `set link action` says otherwise.
  if (!from_template && e.CurrentBundle()) link.action_bundle = e.CurrentBundle()->name;
  e.AddLink(std::move(link), placeholder);
}

// create bundle [template|static] NAME [TEMPLATE]
void CreateBundle(Engine& e, Args args) {
  bool is_template = false;
  size_t i = ParseKind(args, &is_template);
  if (args.size() != i + 1 && args.size() != i + 2) {
    e.Error("usage: create bundle [template|static] {name} [{template}]");
    return;
  }
  const std::string& name = args[i];
  if (!CheckName(e, "bundle", name, is_template)) return;
  bool placeholder = false;
  if (e.config().FindBundle(name) || e.FindAnyLink(name, &placeholder)) {
    e.Error(fmt::format("bundle \"{}\" already exists", name));
    return;
  }
  BundleConf b;
  if (args.size() == i + 2) {
    BundleConf* t = e.config().FindBundle(args[i + 1]);
    if (!t) {
      e.Error(fmt::format("bundle template \"{}\" not found", args[i + 1]));
      return;
    }
    if (!t->is_template) {
      e.Error(fmt::format("bundle \"{}\" is not a template", args[i + 1]));
      return;
    }
    b = *t;
  }
  b.name = name;
  b.is_template = is_template;
  e.AddBundle(std::move(b));
}

constexpr Command kCreate[] = {
    {"link", "[template|static] {name} {template|type}", "Create link/template", 2, 3, CreateLink},
    {"bundle", "[template|static] {name} [{template}]", "Create bundle/template", 1, 3,
     CreateBundle},
};

// --- set link ---

LinkConf& L(Engine& e) { return *e.CurrentLink(); }

void SetMru(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 296, 65535, "MRU")) L(e).mru = static_cast<uint16_t>(*v);
}
void SetMtu(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 296, 65535, "MTU")) L(e).mtu = static_cast<uint16_t>(*v);
}
void SetKeepAlive(Engine& e, Args a) {
  auto secs = e.Int(a[0], 0, 3600, "keep-alive interval");
  auto max = e.Int(a[1], 0, 86400, "keep-alive timeout");
  if (!secs || !max) return;
  L(e).keepalive_interval = static_cast<int>(*secs);
  L(e).keepalive_max = static_cast<int>(*max);
}
void SetMaxRedial(Engine& e, Args a) {
  if (auto v = e.Int(a[0], -1, 1000000, "max-redial")) L(e).max_redial = static_cast<int>(*v);
}
void SetRedialDelay(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 0, 86400, "redial-delay")) L(e).redial_delay = static_cast<int>(*v);
}
void SetFsmTimeout(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 1, 60, "fsm-timeout")) L(e).fsm_timeout = static_cast<int>(*v);
}
// Accepted and checked; they only matter for multilink and BoD.
void SetBandwidth(Engine& e, Args a) { e.Int(a[0], 1, 1000000000, "bandwidth"); }
void SetLatency(Engine& e, Args a) { e.Int(a[0], 0, 1000000000, "latency"); }
void SetMrru(Engine& e, Args a) { e.Int(a[0], 296, 4096, "MRRU"); }
void SetMaxChildren(Engine& e, Args a) { e.Int(a[0], 0, 65536, "max-children"); }
void SetIdent(Engine&, Args) {}
void SetAccmap(Engine& e, Args a) {
  std::string_view s = a[0];
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    e.Error(fmt::format("bad accmap \"{}\" (expected a 32-bit hex value)", a[0]));
}

void ActionBundle(Engine& e, Args a) {
  LinkConf& l = L(e);
  if (a.size() > 1 && !a[1].empty())
    e.NotSupported("action regex (the action applies to every peer)");
  if (e.explicit_actions().count(l.name)) {
    e.Warn(fmt::format("link \"{}\" already has an action; only the first is used", l.name));
    return;
  }
  e.explicit_actions().insert(l.name);
  l.action_bundle = a[0];
}
void ActionForward(Engine& e, Args) { e.NotSupported("set link action forward (repeater)"); }
void ActionDrop(Engine& e, Args) { e.NotSupported("set link action drop"); }
void ActionClear(Engine& e, Args) {
  L(e).action_bundle.clear();
  e.explicit_actions().erase(L(e).name);
}

constexpr Command kAction[] = {
    {"bundle", "{bundle} [{regex}]", "Terminate incomings locally", 1, 2, ActionBundle},
    {"forward", "{link} [{regex}]", "Forward incomings", 1, 2, ActionForward},
    {"drop", "[{regex}]", "drop incomings", 0, 1, ActionDrop},
    {"clear", "", "Clear actions", 0, 0, ActionClear},
};
std::span<const Command> ActionCommands() { return kAction; }

// set link enable|disable|accept|deny|yes|no opt ... (mpd5 link.c gConfList)
void LinkOptions(Engine& e, OptVerb v, Args opts) {
  LinkConf& l = L(e);
  const bool on = TurnsOn(v);
  const bool peer_verb = v == OptVerb::kAccept || v == OptVerb::kDeny;
  for (const std::string& o : opts) {
    // Options that have only an enable flag (mpd5 confinfo peered = 0).
    bool* flag = nullptr;
    bool unsupported = false, local_only = false, known = true;
    if (o == "pap") {
      ApplyVerb(v, &l.pap);
    } else if (o == "chap-md5") {
      ApplyVerb(v, &l.chap_md5);
    } else if (o == "chap") {  // alias for the three CHAPs
      ApplyVerb(v, &l.chap_md5);
      ApplyVerb(v, &l.chap_msv1);
      ApplyVerb(v, &l.chap_msv2);
    } else if (o == "chap-msv1") {
      ApplyVerb(v, &l.chap_msv1);
    } else if (o == "chap-msv2") {
      ApplyVerb(v, &l.chap_msv2);
    } else if (o == "eap") {
      ApplyVerb(v, &l.eap);
    } else if (o == "acfcomp") {
      ApplyVerb(v, &l.acfcomp);
    } else if (o == "protocomp") {
      ApplyVerb(v, &l.protocomp);
    } else if (o == "shortseq") {
      // Multilink short sequence numbers; inert until multilink exists.
    } else if (o == "magicnum") {
      flag = &l.magicnum;
    } else if (o == "incoming") {
      flag = &l.incoming;
    } else if (o == "passive") {
      flag = &l.passive;
    } else if (o == "check-magic") {
      local_only = true;
    } else if (o == "multilink" || o == "keep-ms-domain" || o == "no-orig-auth" ||
               o == "callback" || o == "time-remain" || o == "peer-as-calling" ||
               o == "report-mac" || o == "remove-tee") {
      local_only = true;
      unsupported = true;
    } else {
      known = false;
    }
    if (!known) {
      e.Error(fmt::format("unknown link option \"{}\"", o));
      continue;
    }
    if ((flag || local_only) && peer_verb) {
      e.Warn(fmt::format("option \"{}\" can only be enabled or disabled; ignored", o));
      continue;
    }
    if (flag) ApplyVerb(v, flag);
    if (unsupported && on) e.NotSupported(fmt::format("link option \"{}\"", o));
  }
}

template <OptVerb V>
void LinkOpt(Engine& e, Args a) {
  LinkOptions(e, V, a);
}

constexpr Command kLinkSet[] = {
    {"action", "", "Set action on incoming", 0, -1, nullptr, ActionCommands},
    {"bandwidth", "{bps}", "Link bandwidth", 1, 1, SetBandwidth},
    {"latency", "{microsecs}", "Link latency", 1, 1, SetLatency},
    {"accmap", "{hex-value}", "Accmap value", 1, 1, SetAccmap},
    {"mrru", "{value}", "Link MRRU value", 1, 1, SetMrru},
    {"mru", "{value}", "Link MRU value", 1, 1, SetMru},
    {"mtu", "{value}", "Link MTU value", 1, 1, SetMtu},
    {"fsm-timeout", "{seconds}", "FSM retry timeout", 1, 1, SetFsmTimeout},
    {"max-redial", "{num}", "Max connect attempts", 1, 1, SetMaxRedial},
    {"max-children", "{num}", "Max number of children", 1, 1, SetMaxChildren},
    {"redial-delay", "{num}", "Delay between connect attempts", 1, 1, SetRedialDelay},
    {"keep-alive", "{secs} {max}", "LCP echo keep-alives", 2, 2, SetKeepAlive},
    {"ident", "{string}", "LCP ident string", 1, 1, SetIdent},
    {"accept", "{opt ...}", "Accept option", 0, -1, LinkOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, LinkOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, LinkOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, LinkOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, LinkOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, LinkOpt<OptVerb::kNo>},
};

}  // namespace

std::span<const Command> CreateCommands() { return kCreate; }
std::span<const Command> LinkSetCommands() { return kLinkSet; }

}  // namespace mlppp::config
