// Bundle-side shows: bundle (mpd5 bund.c BundStat), iface (iface.c
// IfaceStat), routes, customer (command.c ShowCustomer) and sessions
// (command.c ShowSessions).
#include "control/show.h"

namespace mlppp::control::show {

namespace {

void Traffic(const Env& e, const control::Traffic& t, std::string_view indent) {
  Out(e, "{}Input octets   : {}\n", indent, t.in_octets);
  Out(e, "{}Input frames   : {}\n", indent, t.in_packets);
  Out(e, "{}Output octets  : {}\n", indent, t.out_octets);
  Out(e, "{}Output frames  : {}\n", indent, t.out_packets);
}

// "L1[Opened/UP] " per member link (mpd5 BundShowLinks).
std::string MemberLinks(const Env& e, const BundleView& b) {
  std::string s;
  for (const std::string& name : b.links) {
    const LinkView* l = FindLink(e.snap, name);
    s += fmt::format("{}[{}/{}] ", name, l ? l->lcp_state : "", l ? l->state : "");
  }
  return s;
}

const config::BundleConf* ConfOf(const Env& e, std::string_view name) {
  for (const auto& b : e.conf.bundles)
    if (b.name == name) return &b;
  return nullptr;
}

enum class Filter : uint8_t { kIface, kIp, kUser, kSession, kMsession, kBundle, kLink, kPeer };
constexpr std::pair<std::string_view, Filter> kFilters[] = {
    {"iface", Filter::kIface},       {"ip", Filter::kIp},
    {"user", Filter::kUser},         {"session", Filter::kSession},
    {"msession", Filter::kMsession}, {"bundle", Filter::kBundle},
    {"link", Filter::kLink},         {"peer", Filter::kPeer},
};

bool Matches(Filter f, const std::string& v, const LinkView& l, const BundleView& b) {
  switch (f) {
    case Filter::kIface:
      return v == b.iface;
    case Filter::kIp:
      return v == b.peer_ip;
    case Filter::kUser:
      return v == l.peer_authname;
    case Filter::kSession:
      return v == l.session_id;
    case Filter::kMsession:
      return v == b.msession_id;
    case Filter::kBundle:
      return v == b.name;
    case Filter::kLink:
      // mpd5 accepts "[hex]" ids here too; its name comparison reads the
      // wrong argument (av[1]), which is not reproduced.
      if (v.size() > 2 && v.front() == '[' && v.back() == ']')
        return fmt::format("[{:x}]", l.id) == v;
      return v == l.name;
    case Filter::kPeer:
      return v == l.peer_addr;
  }
  return false;
}

}  // namespace

CommandResult Bundle(const Env& e, Args a) {
  if (a.size() > 1) return Usage();
  std::string name = a.empty() ? e.bundle_name : a[0];
  if (name.empty()) return {CommandCode::kNoContext, ""};
  const BundleView* b = FindBundle(e.snap, name);
  const config::BundleConf* bc = ConfOf(e, name);
  if (!b && !bc) return Fail("Bundle \"" + name + "\" not defined");
  std::string_view kind = !b && bc ? (bc->is_template ? " (template)" : " (static)") : "";
  Out(e, "Bundle '{}'{}:\n", name, kind);
  if (b) {
    Out(e, "\tLinks          : {}\n", MemberLinks(e, *b));
    Out(e, "\tStatus         : {}\n", b->up ? "OPEN" : "CLOSED");
    if (b->up_seconds >= 0) Out(e, "\tSession time   : {} seconds\n", b->up_seconds);
    Out(e, "\tMultiSession Id: {}\n", b->msession_id);
    Out(e, "\tPeer authname  : \"{}\"\n", b->user);
  }
  if (bc) {
    Out(e, "Configuration:\n");
    Out(e, "\tRetry timeout  : {} seconds\n", bc->fsm_timeout);
    Out(e, "Bundle level options:\n");
    OptRow rows[] = {
        {"ipcp", bc->ipcp, std::nullopt},
        {"ipv6cp", bc->ipv6cp, std::nullopt},
        {"compression", bc->compression, std::nullopt},
        {"encryption", bc->encryption, std::nullopt},
        {"crypt-reqd", bc->crypt_reqd, std::nullopt},
    };
    OptStat(e, rows);
  }
  if (b) {
    Out(e, "Traffic stats:\n");
    Traffic(e, b->traffic, "\t");
    Out(e, "\tDropped        : {}\n", b->dropped);
  }
  return Ok();
}

CommandResult Iface(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  const config::BundleConf* bc = e.bundle_conf;
  Out(e, "Interface configuration:\n");
  Out(e, "\tName            : {}\n", b ? b->iface : (bc ? bc->iface.name : ""));
  Out(e, "\tStatus          : {}\n", b && b->up ? "UP" : "DOWN");
  if (b && b->up_seconds >= 0) Out(e, "\tSession time    : {} seconds\n", b->up_seconds);
  if (bc) {
    const config::IfaceConf& i = bc->iface;
    Out(e, "\tMTU             : {} bytes\n", i.mtu);
    Out(e, "\tIdle timeout    : {} seconds\n",
        b && b->idle_timeout ? b->idle_timeout : i.idle_timeout);
    Out(e, "\tSession timeout : {} seconds\n",
        b && b->session_timeout ? b->session_timeout : i.session_timeout);
    Out(e, "\tDescription     : \"{}\"\n", i.description);
    Out(e, "\tGroup           : \"{}\"\n", i.group);
    Out(e, "\tUp-script       : \"{}\"\n", i.up_script);
    Out(e, "\tDown-script     : \"{}\"\n", i.down_script);
    if (i.self_addr || i.peer_addr)
      Out(e, "\tAddresses       : {} -> {}\n", i.self_addr ? Range(*i.self_addr) : "",
          i.peer_addr ? Range(*i.peer_addr) : "");
    Out(e, "Static routes via peer:\n");
    for (const auto& r : i.routes) Out(e, "\t{}\n", Range(r));
  }
  if (b) {
    Out(e, "Interface status:\n");
    Out(e, "\tStatus          : {}\n", !b->iface_open ? "CLOSED" : b->up ? "UP" : "DOWN");
    if (b->mtu) Out(e, "\tMTU             : {} bytes\n", b->mtu);
    if (!b->self_ip.empty()) Out(e, "\tIP Addresses    : {} -> {}\n", b->self_ip, b->peer_ip);
    if (!b->self_ipv6.empty())
      Out(e, "\tIPv6 Addresses  : {}%{} -> {}%{}\n", b->self_ipv6, b->iface, b->peer_ipv6,
          b->iface);
    Out(e, "Traffic stats:\n");
    Traffic(e, b->traffic, "\t");
  }
  return Ok();
}

CommandResult Routes(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  // mpd5 runs netstat; mlpppd lists the routes it adds through its bundles.
  Out(e, "Destination\t\tInterface\n");
  for (const BundleView& b : e.snap.bundles) {
    if (!b.up || b.iface.empty()) continue;
    if (!b.peer_ip.empty()) Out(e, "{}/32\t\t{}\n", b.peer_ip, b.iface);
    const config::BundleConf* bc = ConfOf(e, b.name);
    if (bc)
      for (const auto& r : bc->iface.routes) Out(e, "{}\t\t{}\n", Range(r), b.iface);
  }
  return Ok();
}

CommandResult Customer(const Env& e, Args a) {
  if (!a.empty()) return Usage();
  const BundleView* b = e.bundle;
  if (b && !b->iface.empty()) {
    Out(e, "Interface:\n");
    Out(e, "\tName            : {}\n", b->iface);
    Out(e, "\tStatus          : {}\n", b->up ? "UP" : "DOWN");
    if (b->up) {
      if (b->up_seconds >= 0) Out(e, "\tSession time    : {} seconds\n", b->up_seconds);
      if (b->idle_timeout) Out(e, "\tIdle timeout    : {} seconds\n", b->idle_timeout);
      if (b->session_timeout) Out(e, "\tSession timeout : {} seconds\n", b->session_timeout);
      Out(e, "\tMTU             : {} bytes\n", b->mtu);
    }
    if (!b->self_ip.empty()) Out(e, "\tIP Addresses    : {} -> {}\n", b->self_ip, b->peer_ip);
  }
  if (b) {
    Out(e, "Bundle {}:\n", b->name);
    Out(e, "\tStatus          : {}\n", b->up ? "OPEN" : "CLOSED");
    Out(e, "\tMulti Session Id: {}\n", b->msession_id);
    Out(e, "\tPeer authname   : \"{}\"\n", b->user);
    if (b->up_seconds >= 0) Out(e, "\tSession time    : {} seconds\n", b->up_seconds);
    Out(e, "\tTraffic stats:\n");
    Traffic(e, b->traffic, "\t\t");
  }
  std::vector<const LinkView*> links;
  if (b) {
    for (const auto& n : b->links)
      if (const LinkView* l = FindLink(e.snap, n)) links.push_back(l);
  } else if (e.link) {
    links.push_back(e.link);
  }
  for (const LinkView* l : links) {
    Out(e, "Link {}:\n", l->name);
    Out(e, "\tDevice type     : {}\n", l->type);
    Out(e, "\tStatus          : {}/{}\n", l->lcp_state, l->state);
    Out(e, "\tSession Id      : {}\n", l->session_id);
    if (l->up_seconds >= 0) Out(e, "\tSession time    : {} seconds\n", l->up_seconds);
    Out(e, "\tSelf addr       : {}\n", l->self_addr);
    Out(e, "\tPeer addr       : {}\n", l->peer_addr);
    Out(e, "\tPeer iface      : {}\n", l->device);
    Out(e, "\tCalling         : {}\n", l->calling_num);
    Out(e, "\tCalled          : {}\n", l->called_num);
    if (!l->bundle.empty()) {
      Out(e, "\tTraffic stats:\n");
      Traffic(e, l->traffic, "\t\t");
    }
  }
  return Ok();
}

CommandResult Sessions(const Env& e, Args a) {
  std::optional<Filter> filter;
  if (!a.empty()) {
    int n = 0;
    for (const auto& [name, f] : kFilters) {
      if (name == a[0]) {
        filter = f;
        n = 1;
        break;
      }
      if (name.starts_with(a[0])) {
        filter = f;
        ++n;
      }
    }
    if (n != 1) return {CommandCode::kUnknown, ""};
    if (a.size() != 2) return Usage();
  }
  // One tab-separated line per link of an active session (mpd5 ShowSessions):
  // iface, peer IP, bundle, msession, link, link id, session, user, peer.
  for (const LinkView& l : e.snap.links) {
    if (l.session_id.empty() || l.bundle.empty()) continue;
    const BundleView* b = FindBundle(e.snap, l.bundle);
    if (!b) continue;
    if (filter && !Matches(*filter, a[1], l, *b)) continue;
    Out(e, "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", b->iface, b->peer_ip, b->name, b->msession_id,
        l.name, l.id, l.session_id, l.peer_authname, l.peer_addr);
  }
  return Ok();
}

}  // namespace mlppp::control::show
