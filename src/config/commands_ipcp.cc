// `set ipcp ...`, `set ipv6cp ...`, `set ippool ...` (mpd5 ipcp.c, ipv6cp.c,
// ippool.c; reference §1.3, §1.14).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

IpcpConf& P(Engine& e) { return e.CurrentBundle()->ipcp_conf; }

// ranges SELF[/W] PEER[/W] | ranges SELF[/W] ippool POOL
void SetRanges(Engine& e, Args a) {
  if (a[0] == "ippool") {
    e.NotSupported("an ippool for our own address");
    return;
  }
  auto self = e.Range(a[0], "self range");
  if (!self) return;
  if (a[1] == "ippool") {
    if (a.size() != 3) {
      e.Error("usage: set ipcp ranges {self}[/{width}] ippool {pool}");
      return;
    }
    P(e).self_range = self;
    P(e).peer_range.reset();
    P(e).peer_pool = a[2];
    return;
  }
  if (a.size() != 2) {
    e.Error("usage: set ipcp ranges {self}[/{width}] {peer}[/{width}]");
    return;
  }
  auto peer = e.Range(a[1], "peer range");
  if (!peer) return;
  P(e).self_range = self;
  P(e).peer_range = peer;
  P(e).peer_pool.clear();
}

void SetDns(Engine& e, Args a) {
  auto d1 = e.Addr(a[0], "primary DNS");
  std::optional<uint32_t> d2;
  if (a.size() > 1 && !(d2 = e.Addr(a[1], "secondary DNS"))) return;
  if (!d1) return;
  P(e).dns1 = d1;
  P(e).dns2 = d2;
}

void SetNbns(Engine& e, Args a) {
  if (!e.Addr(a[0], "primary NBNS")) return;
  if (a.size() > 1 && !e.Addr(a[1], "secondary NBNS")) return;
  e.NotSupported("NBNS (WINS) servers");
}

void IpcpOptions(Engine& e, OptVerb v, Args opts) {
  const bool peer_verb = v == OptVerb::kAccept || v == OptVerb::kDeny;
  for (const std::string& o : opts) {
    if (o == "vjcomp") {  // peered in mpd5
      if (TurnsOn(v)) e.NotSupported("Van Jacobson compression (vjcomp)");
      continue;
    }
    bool* flag = nullptr;
    bool unsupported = false;
    if (o == "req-pri-dns") {
      flag = &P(e).req_pri_dns;
    } else if (o == "req-sec-dns") {
      flag = &P(e).req_sec_dns;
    } else if (o == "req-pri-nbns" || o == "req-sec-nbns" || o == "pretend-ip") {
      unsupported = true;
    } else {
      e.Error(fmt::format("unknown ipcp option \"{}\"", o));
      continue;
    }
    if (peer_verb) {
      e.Warn(fmt::format("option \"{}\" can only be enabled or disabled; ignored", o));
      continue;
    }
    if (flag) ApplyVerb(v, flag);
    if (unsupported && TurnsOn(v)) e.NotSupported(fmt::format("ipcp option \"{}\"", o));
  }
}

template <OptVerb V>
void IpcpOpt(Engine& e, Args a) {
  IpcpOptions(e, V, a);
}

constexpr Command kIpcpSet[] = {
    {"ranges", "{self}[/{width}]|ippool {pool} {peer}[/{width}]|ippool {pool}",
     "Allowed IP address ranges", 2, 3, SetRanges},
    {"dns", "{primary} [{secondary}]", "Set peer DNS servers", 1, 2, SetDns},
    {"nbns", "{primary} [{secondary}]", "Set peer NBNS servers", 1, 2, SetNbns},
    {"accept", "{opt ...}", "Accept option", 0, -1, IpcpOpt<OptVerb::kAccept>},
    {"deny", "{opt ...}", "Deny option", 0, -1, IpcpOpt<OptVerb::kDeny>},
    {"enable", "{opt ...}", "Enable option", 0, -1, IpcpOpt<OptVerb::kEnable>},
    {"disable", "{opt ...}", "Disable option", 0, -1, IpcpOpt<OptVerb::kDisable>},
    {"yes", "{opt ...}", "Enable and accept option", 0, -1, IpcpOpt<OptVerb::kYes>},
    {"no", "{opt ...}", "Disable and deny option", 0, -1, IpcpOpt<OptVerb::kNo>},
};

// IPV6CP negotiates only the Interface-Identifier: it has no options (mpd5).
void Ipv6cpOpt(Engine& e, Args a) {
  for (const std::string& o : a) e.Error(fmt::format("unknown ipv6cp option \"{}\"", o));
}

constexpr Command kIpv6cpSet[] = {
    {"accept", "", "Accept option", 0, -1, Ipv6cpOpt},
    {"deny", "", "Deny option", 0, -1, Ipv6cpOpt},
    {"enable", "", "Enable option", 0, -1, Ipv6cpOpt},
    {"disable", "", "Disable option", 0, -1, Ipv6cpOpt},
    {"yes", "", "Enable and accept option", 0, -1, Ipv6cpOpt},
    {"no", "", "Disable and deny option", 0, -1, Ipv6cpOpt},
};

// add POOL FIRST LAST; may be given several times per pool.
void PoolAdd(Engine& e, Args a) {
  auto first = e.Addr(a[1], "first pool address");
  auto last = e.Addr(a[2], "last pool address");
  if (!first || !last) return;
  if (*first > *last) {
    e.Error(
        fmt::format("ippool \"{}\": first address {} is after last address {}", a[0], a[1], a[2]));
    return;
  }
  for (const auto& r : e.config().pools) {
    for (const auto& x : r.second) {
      if (*first <= x.last && x.first <= *last) {
        e.Error(
            fmt::format("ippool \"{}\": {}-{} overlaps pool \"{}\"", a[0], a[1], a[2], r.first));
        return;
      }
    }
  }
  e.config().pools[a[0]].push_back(IpPoolRange{*first, *last});
}

constexpr Command kIppoolSet[] = {
    {"add", "{pool} {start} {end}", "Add IP range to the pool", 3, 3, PoolAdd},
};

}  // namespace

std::span<const Command> IpcpSetCommands() { return kIpcpSet; }
std::span<const Command> Ipv6cpSetCommands() { return kIpv6cpSet; }
std::span<const Command> IppoolSetCommands() { return kIppoolSet; }

}  // namespace mlppp::config
