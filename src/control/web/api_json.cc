#include "control/web/api_json.h"

namespace mlppp::control::web {
namespace {

const LinkView* FirstLink(const Snapshot& snap, const BundleView& b) {
  if (b.links.empty()) return nullptr;
  for (const auto& l : snap.links) {
    if (l.name == b.links.front()) return &l;
  }
  return nullptr;
}

void PutTraffic(const Traffic& t, Json* j) {
  (*j)["in_octets"] = t.in_octets;
  (*j)["out_octets"] = t.out_octets;
  (*j)["in_packets"] = t.in_packets;
  (*j)["out_packets"] = t.out_packets;
}

Json LatencyJson(const LatencyHistogram& h) {
  Json j;
  j["count"] = h.count();
  j["mean"] = h.mean_us();
  j["p50"] = h.QuantileUs(0.5);
  j["p99"] = h.QuantileUs(0.99);
  j["max"] = h.max_us();
  return j;
}

}  // namespace

std::string BundleType(const Snapshot& snap, const BundleView& b) {
  const LinkView* l = FirstLink(snap, b);
  return l ? l->type : "";
}

Json SessionsJson(const Snapshot& snap, const SessionFilter& filter) {
  Json list = Json::array();
  for (const auto& b : snap.bundles) {
    const LinkView* l = FirstLink(snap, b);
    std::string type = l ? l->type : "";
    if (!filter.user.empty() && b.user != filter.user) continue;
    if (!filter.iface.empty() && b.iface != filter.iface) continue;
    if (!filter.type.empty() && type != filter.type) continue;
    Json j;
    j["session_id"] = b.session_id;
    j["link"] = l ? l->name : "";
    j["bundle"] = b.name;
    j["iface"] = b.iface;
    j["type"] = type;
    j["user"] = b.user;
    j["peer_addr"] = l ? l->peer_addr : "";
    j["ip"] = b.peer_ip;
    j["state"] = b.up ? "up" : "down";
    j["up_seconds"] = b.up_seconds;
    PutTraffic(b.traffic, &j);
    list.push_back(std::move(j));
  }
  Json out;
  out["sessions"] = std::move(list);
  return out;
}

Json LinksJson(const Snapshot& snap) {
  Json list = Json::array();
  for (const auto& l : snap.links) {
    Json j;
    j["name"] = l.name;
    j["id"] = l.id;
    j["conf_name"] = l.conf_name;
    j["type"] = l.type;
    j["is_template"] = l.is_template;
    j["state"] = l.state;
    j["phase"] = l.phase;
    j["lcp_state"] = l.lcp_state;
    j["bundle"] = l.bundle;
    j["session_id"] = l.session_id;
    j["peer_authname"] = l.peer_authname;
    j["auth_method"] = l.auth_method;
    j["device"] = l.device;
    j["peer_addr"] = l.peer_addr;
    j["self_addr"] = l.self_addr;
    j["calling_num"] = l.calling_num;
    j["called_num"] = l.called_num;
    j["mru"] = l.mru;
    j["peer_mru"] = l.peer_mru;
    j["up_seconds"] = l.up_seconds;
    PutTraffic(l.traffic, &j);
    j["bad_frames"] = l.bad_frames;
    list.push_back(std::move(j));
  }
  Json out;
  out["links"] = std::move(list);
  return out;
}

Json BundlesJson(const Snapshot& snap) {
  Json list = Json::array();
  for (const auto& b : snap.bundles) {
    Json j;
    j["name"] = b.name;
    j["iface"] = b.iface;
    j["up"] = b.up;
    j["ipcp_state"] = b.ipcp_state;
    j["ipv6cp_state"] = b.ipv6cp_state;
    j["ccp_state"] = b.ccp_state;
    j["ecp_state"] = b.ecp_state;
    j["self_ip"] = b.self_ip;
    j["peer_ip"] = b.peer_ip;
    j["self_ipv6"] = b.self_ipv6;
    j["peer_ipv6"] = b.peer_ipv6;
    j["dns"] = b.dns;
    j["ccp_method_in"] = b.ccp_method_in;
    j["ccp_method_out"] = b.ccp_method_out;
    j["ecp_method_in"] = b.ecp_method_in;
    j["ecp_method_out"] = b.ecp_method_out;
    j["ccp_resets_sent"] = b.ccp_resets_sent;
    j["ccp_resets_received"] = b.ccp_resets_received;
    j["msession_id"] = b.msession_id;
    j["session_id"] = b.session_id;
    j["user"] = b.user;
    j["links"] = b.links;
    j["mtu"] = b.mtu;
    j["up_seconds"] = b.up_seconds;
    j["session_timeout"] = b.session_timeout;
    j["idle_timeout"] = b.idle_timeout;
    PutTraffic(b.traffic, &j);
    j["dropped"] = b.dropped;
    list.push_back(std::move(j));
  }
  Json out;
  out["bundles"] = std::move(list);
  return out;
}

Json InterfacesJson(const Snapshot& snap) {
  Json list = Json::array();
  for (const auto& b : snap.bundles) {
    if (b.iface.empty()) continue;
    Json j;
    j["name"] = b.iface;
    j["bundle"] = b.name;
    j["mtu"] = b.mtu;
    j["up"] = b.up;
    PutTraffic(b.traffic, &j);
    list.push_back(std::move(j));
  }
  Json out;
  out["interfaces"] = std::move(list);
  return out;
}

Json CountersJson(const Snapshot& snap) {
  const DaemonCounters& c = snap.counters;
  Json out;
  out["version"] = snap.version;
  out["pid"] = snap.pid;
  out["started_unix"] = snap.started_unix;
  out["uptime_seconds"] = snap.uptime_seconds;
  uint64_t up = 0, links = 0;
  Traffic total;
  for (const auto& b : snap.bundles) {
    if (b.up) ++up;
    total.in_octets += b.traffic.in_octets;
    total.out_octets += b.traffic.out_octets;
    total.in_packets += b.traffic.in_packets;
    total.out_packets += b.traffic.out_packets;
  }
  for (const auto& l : snap.links) {
    if (!l.is_template) ++links;
  }
  out["sessions_up"] = up;
  out["links"] = links;
  out["setups"] = Json::object();
  for (const auto& [type, n] : c.setups) out["setups"][type] = n;
  out["failures"] = Json::array();
  for (const auto& [key, n] : c.failures) {
    out["failures"].push_back(Json{{"type", key.first}, {"cause", key.second}, {"count", n}});
  }
  out["auth"]["accepts"] = c.auth_accepts;
  out["auth"]["rejects"] = c.auth_rejects;
  out["auth"]["latency_us"] = LatencyJson(c.auth_latency);
  out["radius"]["requests"] = c.radius_requests;
  out["radius"]["timeouts"] = c.radius_timeouts;
  out["radius"]["retransmits"] = c.radius_retransmits;
  out["radius"]["replies"] = c.radius_replies;
  out["radius"]["bad_replies"] = c.radius_bad_replies;
  out["loop_lag_us"] = LatencyJson(c.loop_lag);
  Json totals;
  PutTraffic(total, &totals);
  out["totals"] = std::move(totals);
  return out;
}

}  // namespace mlppp::control::web
