// control/: the operator's side of the daemon — the telnet console
// (console/), the web interface with its JSON API, Prometheus metrics and
// dashboard (web/), and the command shell both of them run. Everything here
// reads a Snapshot the daemon builds on request and acts only through the
// Controller interface (controller.h), so it runs in tests against a fake
// and never reaches into daemon internals.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/latency_histogram.h"

namespace mlppp::control {

struct Traffic {
  uint64_t in_octets = 0, in_packets = 0, out_octets = 0, out_packets = 0;
};

// One link (mpd5 `show link`): a live session's link, or an idle link
// configuration (a template, or a static link that is down).
struct LinkView {
  std::string name;          // "L1", or an instance "pppoe-3"
  uint32_t id = 0;           // mpd5's link id, selectable as `link [hex]`
  std::string conf_name;     // the configuration (template) it was made from
  std::string type;          // "pppoe", "l2tp", "pptp"
  bool is_template = false;  // idle configuration: no live link
  // mpd5's phys state (gPhysStateNames): "DOWN", "CONNECTING", "READY", "UP".
  std::string state;
  std::string phase;       // RFC 1661 §3.2 phase name ("Dead" ... "Network")
  std::string lcp_state;   // RFC 1661 §4.2 state name ("Initial" ... "Opened")
  std::string bundle;      // "" when in no bundle
  std::string session_id;  // Acct-Session-Id
  std::string peer_authname;
  std::string auth_method;  // "PAP", "CHAP-MD5", "MS-CHAPv2", "EAP", or ""
  std::string device;       // local interface or socket the link runs on
  std::string peer_addr;    // outer peer address: MAC, IP[:port]
  std::string self_addr;
  std::string calling_num, called_num;
  uint16_t mru = 0, peer_mru = 0;  // negotiated (LCP)
  int64_t up_seconds = -1;         // since LCP up; -1 when not up
  Traffic traffic;                 // PPP frames and octets on the link
  uint64_t bad_frames = 0;
};

// One bundle (mpd5 `show bundle`, `show iface`, `show ipcp`): the network
// layer of a session.
struct BundleView {
  std::string name;       // "B1", or an instance "B-3"
  std::string conf_name;  // the configuration (template) it was made from
  std::string iface;      // "ppp0" (TUN)
  bool up = false;        // every enabled NCP opened and the interface configured
  bool iface_open = true;  // false after `close iface` (data path stopped)
  // FSM state names (RFC 1661 §4.2); "" when the protocol does not run.
  std::string ipcp_state, ipv6cp_state, ccp_state, ecp_state;
  std::string self_ip, peer_ip;               // IPCP; "" until negotiated
  std::string self_ipv6, peer_ipv6;           // IPV6CP interface identifiers
  std::vector<std::string> dns;               // IPCP DNS given to the peer
  std::string ccp_method_in, ccp_method_out;  // e.g. "MPPE 128 bit, stateless"
  std::string ecp_method_in, ecp_method_out;  // e.g. "DESE-bis"
  uint64_t ccp_resets_sent = 0, ccp_resets_received = 0;
  std::string msession_id;         // Acct-Multi-Session-Id
  std::string session_id;          // Acct-Session-Id of its (first) link
  std::string user;                // the peer's auth name
  std::vector<std::string> links;  // member link names
  uint16_t mtu = 0;
  int64_t up_seconds = -1;                         // since the bundle came up; -1 when not up
  uint32_t session_timeout = 0, idle_timeout = 0;  // seconds; 0 = none
  Traffic traffic;                                 // IP on the interface side: in = from the peer
  uint64_t dropped = 0;
};

// Daemon-wide figures for `show summary` and /metrics.
struct DaemonCounters {
  // Sessions that reached the network phase / bundle up, by link type.
  std::map<std::string, uint64_t> setups;
  // Sessions that ended before coming up, by (link type, cause), e.g.
  // ("pppoe", "auth failed"), ("l2tp", "lcp timeout").
  std::map<std::pair<std::string, std::string>, uint64_t> failures;
  LatencyHistogram auth_latency;  // authentication request → verdict
  uint64_t auth_accepts = 0, auth_rejects = 0;
  uint64_t radius_requests = 0, radius_timeouts = 0, radius_retransmits = 0;
  uint64_t radius_replies = 0, radius_bad_replies = 0;
  LatencyHistogram loop_lag;  // how late the event loop ran a periodic timer
};

struct Snapshot {
  std::string version;  // "mlpppd 0.1.0"
  int pid = 0;
  int64_t started_unix = 0;  // wall clock at start
  int64_t uptime_seconds = 0;
  std::vector<LinkView> links;      // live links first, then idle configurations
  std::vector<BundleView> bundles;  // live bundles
  DaemonCounters counters;
};

}  // namespace mlppp::control
