// `set bundle ...` (mpd5 bund.c; reference §1.3).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

BundleConf& B(Engine& e) { return *e.CurrentBundle(); }

void BundleOptions(Engine& e, OptVerb v, Args opts) {
  BundleConf& b = B(e);
  for (const std::string& o : opts) {
    bool* flag = nullptr;
    if (o == "ipcp") {
      flag = &b.ipcp;
    } else if (o == "ipv6cp") {
      flag = &b.ipv6cp;
    } else if (o == "compression") {
      flag = &b.compression;
    } else if (o == "encryption") {
      flag = &b.encryption;
    } else if (o == "crypt-reqd") {
      flag = &b.crypt_reqd;
    } else if (o == "bw-manage" || o == "round-robin") {
      if (TurnsOn(v)) e.NotSupported(fmt::format("bundle option \"{}\"", o));
      continue;
    } else {
      e.Error(fmt::format("unknown bundle option \"{}\"", o));
      continue;
    }
    if (v == OptVerb::kAccept || v == OptVerb::kDeny) {
      e.Warn(fmt::format("option \"{}\" can only be enabled or disabled; ignored", o));
      continue;
    }
    ApplyVerb(v, flag);
  }
}

template <OptVerb V>
void BundleOpt(Engine& e, Args a) {
  BundleOptions(e, V, a);
}

void SetFsmTimeout(Engine& e, Args a) {
  if (auto v = e.Int(a[0], 1, 60, "fsm-timeout")) B(e).fsm_timeout = static_cast<int>(*v);
}

void SetLinks(Engine& e, Args) { e.NotSupported("set bundle links (dial/bandwidth on demand)"); }

// Bandwidth-on-demand knobs: checked, then ignored with a warning.
void SetBod(Engine& e, Args a) {
  if (e.Int(a[0], 0, 1000000, e.CommandText())) e.NotSupported("bandwidth on demand");
}

constexpr Command kBundleSet[] = {
    {"period", "{seconds}", "BoD sampling period", 1, 1, SetBod},
    {"lowat", "{percent}", "BoD low water mark", 1, 1, SetBod},
    {"hiwat", "{percent}", "BoD high water mark", 1, 1, SetBod},
    {"min-con", "{seconds}", "BoD min connected time", 1, 1, SetBod},
    {"min-dis", "{seconds}", "BoD min disconnected time", 1, 1, SetBod},
    {"links", "{link ...}", "Links list for BoD/DoD", 0, -1, SetLinks},
    {"fsm-timeout", "{seconds}", "FSM retry timeout", 1, 1, SetFsmTimeout},
    {"accept", "{opt ...}", "Accept option", 0, -1, BundleOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, BundleOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, BundleOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, BundleOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, BundleOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, BundleOpt<OptVerb::kNo>},
};

}  // namespace

std::span<const Command> BundleSetCommands() { return kBundleSet; }

}  // namespace mlppp::config
