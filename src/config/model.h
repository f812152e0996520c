// config/: the mpd.conf language — reader (labels, continuation, quoting),
// command tables, and the typed configuration the commands build. The same
// engine will serve the console later.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlppp::config {

// mpd5's two flags per negotiable option: enable = we ask for / do it;
// accept = we allow the peer to (`set link enable|disable|accept|deny`).
struct Opt {
  bool enable = false;
  bool accept = false;
};

struct Ipv4Range {  // a.b.c.d/width; host order
  uint32_t addr = 0;
  uint8_t width = 32;
};

struct PppoeConf {           // `set pppoe ...`
  std::string iface;         // iface NAME
  std::string service = "*"; // service NAME ("*" = any on server; client may use AC\Service)
  std::string acname;        // acname NAME (default: hostname)
  uint16_t max_payload = 0;  // RFC 4638 PPP-Max-Payload; 0 = off
};

struct AuthConf {  // `set auth ...`
  std::string authname;
  std::string password;  // secret: never logged
};

struct LinkConf {
  std::string name;
  bool is_template = false;
  std::string type;  // "pppoe"
  // `set link ...` options and defaults as in mpd5 (link.c).
  Opt pap{false, true};
  Opt chap_md5{false, true};
  Opt acfcomp{true, true};
  Opt protocomp{true, true};
  bool magicnum = true;
  bool incoming = false;
  bool passive = false;
  uint16_t mru = 1500;
  uint16_t mtu = 1500;
  int keepalive_interval = 5;  // keep-alive SECS MAX; 0 disables
  int keepalive_max = 40;
  int max_redial = -1;   // -1 never redial, 0 forever
  int redial_delay = 1;
  int fsm_timeout = 2;
  std::string action_bundle;  // `set link action bundle B`
  PppoeConf pppoe;
  AuthConf auth;
};

struct IfaceConf {  // `set iface ...`
  std::optional<Ipv4Range> self_addr;  // `addrs self peer`
  std::optional<Ipv4Range> peer_addr;
  std::vector<Ipv4Range> routes;       // `route dest[/width]`, default = 0/0
  std::string name;                    // `name NAME`
  uint16_t mtu = 1500;
  // Added by the config engine (fields at the end, contract unchanged above).
  int idle_timeout = 0;     // `idle SECS` (0 = none)
  int session_timeout = 0;  // `session SECS` (0 = none)
  std::string up_script;    // `up-script PROG`
  std::string down_script;  // `down-script PROG`
  std::string description;  // `description TEXT`
  std::string group;        // `group NAME`
};

struct IpcpConf {  // `set ipcp ...`
  // ranges SELF PEER | ranges SELF ippool POOL
  std::optional<Ipv4Range> self_range;
  std::optional<Ipv4Range> peer_range;
  std::string peer_pool;
  std::optional<uint32_t> dns1, dns2;  // `dns primary [secondary]`
  bool req_pri_dns = false, req_sec_dns = false;
};

struct BundleConf {
  std::string name;
  bool is_template = false;
  bool ipcp = true;     // `set bundle enable ipcp` (default enable)
  bool ipv6cp = false;  // `set bundle enable ipv6cp` (default disable)
  int fsm_timeout = 2;
  IfaceConf iface;
  IpcpConf ipcp_conf;
};

struct IpPoolRange {
  uint32_t first = 0;  // host order, inclusive
  uint32_t last = 0;
};

struct Config {
  std::vector<LinkConf> links;      // in creation order
  std::vector<BundleConf> bundles;
  std::map<std::string, std::vector<IpPoolRange>> pools;  // `set ippool add`
  std::vector<std::string> opens;   // links named by `open`, in order
  bool one_shot = false;
  // Added by the config engine: `log +x -y`, as bit masks indexed by
  // log::Cat. The daemon applies (DefaultMask() | log_enable) & ~log_disable.
  uint64_t log_enable = 0;
  uint64_t log_disable = 0;

  LinkConf* FindLink(const std::string& n);
  BundleConf* FindBundle(const std::string& n);
};

}  // namespace mlppp::config
