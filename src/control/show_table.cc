// The `show` table (mpd5 command.c ShowCommands[], all privilege 0) and the
// helpers the show files share.
#include <fmt/format.h>

#include "control/show.h"
#include "core/ip_literal.h"

namespace mlppp::control::show {

std::span<const Command> Commands() {
  using N = Needs;
  // mpd5's order and descriptions; needs as its AdmitBund/AdmitLink/AdmitRep.
  static constexpr Command kShow[] = {
      {"bundle", "[{name}]", "Bundle status", N::kNothing, Bundle},
      {"customer", "", "Customer summary", N::kNothing, Customer},
      {"repeater", "[{name}]", "Repeater status", N::kRepeater, Repeater},
      {"ccp", "", "CCP status", N::kBundle, Ccp},
      {"mppc", "", "MPPC status", N::kBundle, Mppc},
      {"ecp", "", "ECP status", N::kBundle, Ecp},
      {"eap", "", "EAP status", N::kLink, Eap},
      {"events", "", "Current events", N::kNothing, Events},
      {"ipcp", "", "IPCP status", N::kBundle, Ipcp},
      {"ipv6cp", "", "IPV6CP status", N::kBundle, Ipv6cp},
      {"ippool", "", "IP pool status", N::kNothing, Ippool},
      {"iface", "", "Interface status", N::kBundle, Iface},
      {"routes", "", "IP routing table", N::kNothing, Routes},
      {"layers", "", "Layers to open/close", N::kNothing, Layers},
      {"device", "", "Physical device status", N::kLink, Device},
      {"pptp", "", "PPTP tunnels status", N::kNothing, Pptp},
      {"l2tp", "", "L2TP tunnels status", N::kNothing, L2tp},
      {"link", "", "Link status", N::kLink, Link},
      {"auth", "", "Auth status", N::kLink, Auth},
      {"radius", "", "RADIUS status", N::kLink, Radius},
      {"radsrv", "", "RADIUS server status", N::kNothing, Radsrv},
      {"lcp", "", "LCP status", N::kLink, Lcp},
      {"nat", "", "NAT status", N::kBundle, Nat},
      {"mem", "", "Memory map", N::kNothing, Mem},
      {"console", "", "Console status", N::kNothing, Console},
      {"web", "", "Web status", N::kNothing, Web},
      {"user", "", "Console users", N::kNothing, User},
      {"global", "", "Global settings", N::kNothing, Global},
      {"types", "", "Supported device types", N::kNothing, Types},
      {"version", "", "Version string", N::kNothing, Version},
      {"sessions", "[ {param} {value} ]", "Active sessions", N::kNothing, Sessions},
      {"summary", "", "Daemon status summary", N::kNothing, Summary},
      {"netflow", "", "NetFlow settings", N::kNothing, Netflow},
  };
  return kShow;
}

std::string Range(const config::Ipv4Range& r) {
  return fmt::format("{}/{}", Ipv4ToString(r.addr), r.width);
}

std::string_view EnableWord(bool on) { return on ? "enable" : "disable"; }

void OptStat(const Env& e, std::span<const OptRow> rows) {
  bool peered = false;
  for (const OptRow& r : rows) peered |= r.accept.has_value();
  if (peered) Out(e, "\t\t\tSelf\t\tPeer\n");
  for (const OptRow& r : rows) {
    Out(e, "\t{:<10}\t{}", r.name, EnableWord(r.enable));
    if (r.accept) Out(e, "\t\t{}", *r.accept ? "accept" : "deny");
    Out(e, "\n");
  }
}

const BundleView* FindBundle(const Snapshot& s, std::string_view name) {
  for (const BundleView& b : s.bundles)
    if (b.name == name) return &b;
  return nullptr;
}

const LinkView* FindLink(const Snapshot& s, std::string_view name) {
  for (const LinkView& l : s.links)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace mlppp::control::show
