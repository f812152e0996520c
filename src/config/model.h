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

struct PppoeConf {            // `set pppoe ...`
  std::string iface;          // iface NAME
  std::string service = "*";  // service NAME ("*" = any on server; client may use AC\Service)
  std::string acname;         // acname NAME (default: hostname)
  uint16_t max_payload = 0;   // RFC 4638 PPP-Max-Payload; 0 = off
};

// L2TP and PPTP endpoints (mpd5 l2tp.c, pptp.c). `self` is an IP literal;
// `peer` is an IP literal, a range IP/width (a server accepts calls from any
// peer in it) or a host name (resolved by the daemon, once or per call:
// `resolve-once`). A port of 0 for the peer means "not given": dial the
// well-known port and accept any source port (mpd5 peer_port 0).
inline constexpr uint16_t kL2tpPort = 1701;  // RFC 2661 §8.1
inline constexpr uint16_t kPptpPort = 1723;  // RFC 2637 control connection (TCP)

struct L2tpConf {                     // `set l2tp ...`, per link
  std::string self_addr;              // "" = any local address
  uint16_t self_port = kL2tpPort;     // port we listen on / send from
  std::string peer_addr;              // "" = any peer (servers)
  std::optional<uint8_t> peer_width;  // `peer IP/width`
  uint16_t peer_port = 0;
  std::string calling_num;  // `callingnum` (ICRQ Calling Number)
  std::string called_num;   // `callednum` (ICRQ/OCRQ Called Number)
  std::string hostname;     // `hostname` (Host Name AVP); "" = system name
  std::string pmask;        // `pmask`: fnmatch(3) on the peer's Host Name
  std::string secret;       // `secret`: tunnel auth and AVP hiding; never logged
  bool outcall = false;     // LNS placing OCRQ; default: LAC sending ICRQ
  bool hidden = false;      // hide AVPs (RFC 2661 §4.3)
  bool length = false;      // L bit on data messages (§3.1)
  bool dataseq = true;      // Ns/Nr on data messages (§5.4)
  bool resolve_once = true;
};

struct PptpConf {                     // `set pptp ...`, per link
  std::string self_addr;              // "" = any local address
  uint16_t self_port = kPptpPort;     // TCP port we listen on
  std::string peer_addr;              // "" = any peer (servers)
  std::optional<uint8_t> peer_width;  // `peer IP/width`
  uint16_t peer_port = 0;
  std::string calling_num;  // `callingnum`
  std::string called_num;   // `callednum`
  bool outcall = true;      // PNS placing OCRQ (as the MS client); off: PAC sending ICRQ
  bool delayed_ack = true;  // RFC 2637 §4.4 acknowledgement timing
  bool always_ack = false;  // ack in every GRE packet
  bool windowing = false;   // §4.2 sliding window
  bool resolve_once = true;
};

struct AuthConf {  // `set auth ...` (mpd5 auth.c)
  std::string authname;
  std::string password;  // secret: never logged
  // Back ends (`set auth enable|disable ...`), tried in mpd5's order:
  // ext-auth or radius-auth, pam-auth, system-auth, internal.
  bool internal = true;
  bool radius_auth = false, radius_acct = false;
  bool ext_auth = false, ext_acct = false;
  bool pam_auth = false, pam_acct = false;
  bool system_auth = false, system_acct = false;
  bool acct_mandatory = true;  // a failed Accounting-Start drops the link
  int max_logins = 0;          // `max-logins N [CI]`; 0 = unlimited
  bool max_logins_ci = false;
  std::string extauth_script, extacct_script;
  int acct_update = 0;  // interim interval, seconds; 0 = none
  uint64_t update_limit_in = 0, update_limit_out = 0;
  int timeout = 40;  // whole auth phase, seconds (mpd5: > 20)
};

struct RadiusServerConf {  // `set radius server NAME SECRET [AUTH [ACCT]]`
  std::string host;
  std::string secret;         // never logged
  uint16_t auth_port = 1812;  // 0 = not used for authentication
  uint16_t acct_port = 1813;  // 0 = not used for accounting
};

struct RadiusConf {                       // `set radius ...` (mpd5 radius.c), per link
  std::vector<RadiusServerConf> servers;  // up to 10, tried in order
  std::string src_addr;                   // source address
  std::string me;                         // NAS-IP-Address
  std::string v6me;                       // NAS-IPv6-Address
  std::string identifier;                 // NAS-Identifier (default host name)
  int timeout = 5;                        // seconds per try
  int retries = 3;
  // Message-Authenticator is always sent and required by mlpppd
  // (BlastRADIUS, CVE-2024-3596); the mpd5 flag is kept for show/compat.
  bool message_authentic = false;
};

struct EapConf {  // `set eap ...`, per link
  Opt md5{false, true};
  bool radius_proxy = false;
};

struct LinkConf {
  std::string name;
  bool is_template = false;
  std::string type;  // "pppoe", "l2tp" or "pptp"
  // `set link ...` options and defaults as in mpd5 (link.c).
  Opt pap{false, true};
  Opt chap_md5{false, true};
  Opt chap_msv1{false, false};  // mpd5: disable / deny
  Opt chap_msv2{false, true};
  Opt eap{false, true};
  Opt acfcomp{true, true};
  Opt protocomp{true, true};
  bool magicnum = true;
  bool incoming = false;
  bool passive = false;
  uint16_t mru = 1500;
  uint16_t mtu = 1500;
  int keepalive_interval = 5;  // keep-alive SECS MAX; 0 disables
  int keepalive_max = 40;
  int max_redial = -1;  // -1 never redial, 0 forever
  int redial_delay = 1;
  int fsm_timeout = 2;
  std::string action_bundle;  // `set link action bundle B`
  PppoeConf pppoe;
  L2tpConf l2tp;
  PptpConf pptp;
  AuthConf auth;
  RadiusConf radius;
  EapConf eap_conf;
};

struct IfaceConf {                     // `set iface ...`
  std::optional<Ipv4Range> self_addr;  // `addrs self peer`
  std::optional<Ipv4Range> peer_addr;
  std::vector<Ipv4Range> routes;  // `route dest[/width]`, default = 0/0
  std::string name;               // `name NAME`
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

struct CcpConf {  // `set ccp ...` (mpd5 ccp.c): every method disable/deny by default
  Opt mppc, deflate, pred1;
};

struct MppcConf {  // `set mppc ...` (mpd5 ccp_mppc.c), used when `set ccp ... mppc`
  Opt compress, e40, e56, e128, stateless;
  bool policy = false;  // enable-only: MPPE types from RADIUS MS-MPPE-Encryption-*
};

struct EcpConf {  // `set ecp ...` (mpd5 ecp.c)
  Opt dese_bis, dese_old;
  std::string key;  // `set ecp key`; never logged
};

struct BundleConf {
  std::string name;
  bool is_template = false;
  bool ipcp = true;          // `set bundle enable ipcp` (default enable)
  bool ipv6cp = false;       // `set bundle enable ipv6cp` (default disable)
  bool compression = false;  // `set bundle enable compression`: run CCP
  bool encryption = false;   // `set bundle enable encryption`: run ECP
  bool crypt_reqd = false;   // `set bundle enable crypt-reqd`
  CcpConf ccp;
  MppcConf mppc;
  EcpConf ecp;
  int fsm_timeout = 2;
  IfaceConf iface;
  IpcpConf ipcp_conf;
};

struct IpPoolRange {
  uint32_t first = 0;  // host order, inclusive
  uint32_t last = 0;
};

struct RadsrvPeerConf {  // `set radsrv peer IP SECRET`
  std::string addr;
  std::string secret;  // never logged
};

struct RadsrvConf {  // `set radsrv ...` (mpd5 radsrv.c; RFC 5176 DAE server), global
  std::string self_addr = "0.0.0.0";
  uint16_t port = 3799;
  std::vector<RadsrvPeerConf> peers;
  bool open = false;
  bool coa = true, disconnect = true;
};

// `set console ...` / `set web ...` (mpd5 console.c, web.c): where the
// telnet console and the HTTP interface listen, whether they are open, and
// whether they ask for a login (`auth`).
struct ListenerConf {
  std::string self_addr = "127.0.0.1";
  uint16_t port = 0;
  bool open = false;
  bool auth = true;
};

// `set user NAME PASSWORD [admin|operator|user]`: a console/web user. The
// privilege names are control::Privilege's; mpd5's default is `user`.
struct UserConf {
  std::string name;
  std::string password;  // never logged
  std::string priv = "user";
};

struct Config {
  std::vector<LinkConf> links;  // in creation order
  std::vector<BundleConf> bundles;
  std::map<std::string, std::vector<IpPoolRange>> pools;  // `set ippool add`
  std::vector<std::string> opens;                         // links named by `open`, in order
  bool one_shot = false;
  RadsrvConf radsrv;
  // Added by the config engine: `log +x -y`, as bit masks indexed by
  // log::Cat. The daemon applies (DefaultMask() | log_enable) & ~log_disable.
  uint64_t log_enable = 0;
  uint64_t log_disable = 0;
  // `set global l2tptimeout|l2tplimit|pptptimeout|pptplimit` (mpd5 defaults):
  // idle tunnel shutdown delay in seconds, and calls per tunnel before a new
  // tunnel is opened.
  int l2tp_timeout = 10;
  int l2tp_limit = 100;
  int pptp_timeout = 10;
  int pptp_limit = 100;
  ListenerConf console{.port = 5005};
  ListenerConf web{.port = 5006};
  std::vector<UserConf> users;  // in order; a name given twice keeps the last

  LinkConf* FindLink(const std::string& n);
  BundleConf* FindBundle(const std::string& n);
};

}  // namespace mlppp::config
