#include "control/web/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "control/web/api_json.h"

namespace mlppp::control::web {
namespace {

// Session and link types always reported, even at zero, so dashboards see
// the series from the start.
constexpr std::array<std::string_view, 3> kTypes = {"pppoe", "l2tp", "pptp"};

void Family(std::string* out, std::string_view name, std::string_view type, std::string_view help) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// `name{k1="v1",...} value`
template <class V>
void Sample(std::string* out, std::string_view name,
            std::initializer_list<std::pair<std::string_view, std::string_view>> labels, V value) {
  *out += name;
  if (labels.size() > 0) {
    *out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) *out += ',';
      first = false;
      *out += fmt::format("{}=\"{}\"", k, EscapeLabelValue(v));
    }
    *out += '}';
  }
  *out += fmt::format(" {}\n", value);
}

void Histogram(std::string* out, std::string_view name, std::string_view help,
               const LatencyHistogram& h) {
  Family(out, name, "histogram", help);
  auto cum = CumulativeBuckets(h);
  std::string bucket = fmt::format("{}_bucket", name);
  // Bucket b holds samples under 2^b µs; the last one is open-ended.
  for (size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b) {
    std::string le = fmt::format("{}", std::ldexp(1e-6, static_cast<int>(b)));
    Sample(out, bucket, {{"le", le}}, cum[b]);
  }
  Sample(out, bucket, {{"le", "+Inf"}}, h.count());
  double sum = static_cast<double>(h.sum_us()) * 1e-6;
  Sample(out, fmt::format("{}_sum", name), {}, sum);
  Sample(out, fmt::format("{}_count", name), {}, h.count());
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::array<uint64_t, LatencyHistogram::kBuckets> CumulativeBuckets(const LatencyHistogram& h) {
  std::array<uint64_t, LatencyHistogram::kBuckets> cum{};
  uint64_t total = 0;
  for (size_t b = 0; b < LatencyHistogram::kBuckets; ++b) cum[b] = total += h.bucket(b);
  return cum;
}

std::string RenderMetrics(const Snapshot& snap) {
  const DaemonCounters& c = snap.counters;
  std::string out;

  // Sessions: one per bundle, typed by its first link.
  std::map<std::pair<std::string, std::string>, uint64_t> sessions;
  for (std::string_view t : kTypes) {
    sessions[{std::string(t), "up"}] = 0;
    sessions[{std::string(t), "down"}] = 0;
  }
  for (const auto& b : snap.bundles) ++sessions[{BundleType(snap, b), b.up ? "up" : "down"}];
  Family(&out, "mlpppd_sessions", "gauge", "Sessions (bundles) by state and link type.");
  for (const auto& [key, n] : sessions) {
    Sample(&out, "mlpppd_sessions", {{"state", key.second}, {"type", key.first}}, n);
  }

  std::map<std::pair<std::string, std::string>, uint64_t> links;
  for (std::string_view t : kTypes) {
    for (std::string_view s : {"down", "connecting", "ready", "up"}) {
      links[{std::string(t), std::string(s)}] = 0;
    }
  }
  for (const auto& l : snap.links) {
    if (!l.is_template) ++links[{l.type, Lower(l.state)}];
  }
  Family(&out, "mlpppd_links", "gauge", "Live links by link type and state.");
  for (const auto& [key, n] : links) {
    Sample(&out, "mlpppd_links", {{"type", key.first}, {"state", key.second}}, n);
  }

  Family(&out, "mlpppd_session_setups_total", "counter",
         "Sessions that reached the network phase, by link type.");
  std::map<std::string, uint64_t> setups(c.setups.begin(), c.setups.end());
  for (std::string_view t : kTypes) setups.try_emplace(std::string(t), 0);
  for (const auto& [type, n] : setups) {
    Sample(&out, "mlpppd_session_setups_total", {{"type", type}}, n);
  }

  Family(&out, "mlpppd_session_failures_total", "counter",
         "Sessions that ended before coming up, by link type and cause.");
  for (const auto& [key, n] : c.failures) {
    Sample(&out, "mlpppd_session_failures_total", {{"type", key.first}, {"cause", key.second}}, n);
  }

  Histogram(&out, "mlpppd_auth_latency_seconds",
            "Time from an authentication request to its verdict.", c.auth_latency);

  Family(&out, "mlpppd_auth_results_total", "counter", "Authentication verdicts.");
  Sample(&out, "mlpppd_auth_results_total", {{"result", "accept"}}, c.auth_accepts);
  Sample(&out, "mlpppd_auth_results_total", {{"result", "reject"}}, c.auth_rejects);

  const std::pair<std::string_view, uint64_t> radius[] = {{"requests", c.radius_requests},
                                                          {"timeouts", c.radius_timeouts},
                                                          {"retransmits", c.radius_retransmits},
                                                          {"replies", c.radius_replies},
                                                          {"bad_replies", c.radius_bad_replies}};
  for (const auto& [what, n] : radius) {
    std::string name = fmt::format("mlpppd_radius_{}_total", what);
    Family(&out, name, "counter", fmt::format("RADIUS {}.", what));
    Sample(&out, name, {}, n);
  }

  Family(&out, "mlpppd_interface_octets_total", "counter",
         "IP octets on each session interface; in = from the peer.");
  for (const auto& b : snap.bundles) {
    if (b.iface.empty()) continue;
    Sample(&out, "mlpppd_interface_octets_total", {{"iface", b.iface}, {"direction", "in"}},
           b.traffic.in_octets);
    Sample(&out, "mlpppd_interface_octets_total", {{"iface", b.iface}, {"direction", "out"}},
           b.traffic.out_octets);
  }
  Family(&out, "mlpppd_interface_packets_total", "counter",
         "IP packets on each session interface; in = from the peer.");
  for (const auto& b : snap.bundles) {
    if (b.iface.empty()) continue;
    Sample(&out, "mlpppd_interface_packets_total", {{"iface", b.iface}, {"direction", "in"}},
           b.traffic.in_packets);
    Sample(&out, "mlpppd_interface_packets_total", {{"iface", b.iface}, {"direction", "out"}},
           b.traffic.out_packets);
  }

  Histogram(&out, "mlpppd_event_loop_lag_seconds",
            "How late the event loop ran its periodic timer.", c.loop_lag);

  Family(&out, "mlpppd_uptime_seconds", "gauge", "Seconds since the daemon started.");
  Sample(&out, "mlpppd_uptime_seconds", {}, snap.uptime_seconds);
  Family(&out, "mlpppd_build_info", "gauge", "Always 1; the version as a label.");
  Sample(&out, "mlpppd_build_info", {{"version", snap.version}}, 1);
  return out;
}

}  // namespace mlppp::control::web
