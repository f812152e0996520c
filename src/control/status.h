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

// What the back end that authenticated a link answered (mpd5 auth.c
// struct authparams, shown by `show auth` and `show radius`).
struct AuthParamsView {
  bool ok = false;               // the peer authenticated
  bool by_radius = false;        // and RADIUS is in the link's back ends (radius-auth)
  std::string ip_range;          // Framed-IP-Address[/width]; "" when not given
  std::string pool;              // Framed-Pool
  std::vector<std::string> dns;  // up to two
  uint16_t mtu = 0;              // Framed-MTU; 0 = not given
  uint32_t session_timeout = 0, idle_timeout = 0, acct_update = 0;  // seconds; 0 = not given
  std::vector<std::string> routes;                                  // Framed-Route, as sent
  uint32_t mppe_policy = 0, mppe_types = 0;  // RFC 2548 §2.4.4-2.4.5; 0 = not given
  bool mppe_keys = false;
  std::string state_hex, class_hex;  // RADIUS State and (first) Class, hex
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
  // LCP as negotiated (mpd5 LcpStat): our side asks, the peer's side is
  // what it asked and we acked. Zero / false until LCP opened.
  uint32_t magic = 0, peer_magic = 0;                 // RFC 1661 §6.4
  bool acfcomp = false, protocomp = false;            // we ask for them (RFC 1661 §6.5-6.6)
  bool peer_acfcomp = false, peer_protocomp = false;  // the peer asked, we acked
  std::string peer_auth_method;  // what the peer makes us authenticate with, or ""
  bool incoming = false;         // the peer called (mpd5 "Incoming: YES")
  std::string service;           // PPPoE Service-Name the peer asked for
  AuthParamsView auth;           // what the auth back end answered
};

// One bundle (mpd5 `show bundle`, `show iface`, `show ipcp`): the network
// layer of a session.
struct BundleView {
  std::string name;        // "B1", or an instance "B-3"
  std::string conf_name;   // the configuration (template) it was made from
  std::string iface;       // "ppp0" (TUN)
  bool up = false;         // every enabled NCP opened and the interface configured
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

// One L2TP tunnel or PPTP control connection (mpd5 `show l2tp`, `show pptp`:
// l2tp.c L2tpsStat, pptp_ctrl.c PptpsStat) with its calls.
struct TunnelView {
  std::string type;  // "l2tp", "pptp"
  std::string name;  // "l2tp0", "pptp0": numbered in snapshot order
  std::string self_addr, peer_addr;
  uint16_t self_port = 0, peer_port = 0;  // 0 = not known
  std::string state;                      // mpd5's control connection state name
  uint32_t calls = 0;                     // calls in the tunnel, in any state
  // The calls' link names, when known: the daemon's tunnel records do not
  // map sessions to links, so it leaves this empty.
  std::vector<std::string> links;
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
  std::vector<TunnelView> tunnels;  // every L2TP tunnel and PPTP control connection
  DaemonCounters counters;
};

}  // namespace mlppp::control
