#include "daemon/daemon.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include "core/ip_literal.h"
#include "core/latency_histogram.h"
#include "core/log.h"
#include "daemon/timed_backend.h"
#include "os/hostname.h"
#include "os/packet_socket.h"

namespace mlppp::daemon {
namespace {

void RandomBytes(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    // OpenSSL's CSPRNG failing is a local fault; fall back to a weaker source
    // rather than stall PPP negotiation.
    for (auto& b : out) b = static_cast<uint8_t>(std::rand());
  }
}

template <class T>
T RandomValue() {
  T v{};
  RandomBytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof v));
  return v;
}

ppp::Ipv4Range ToRange(const config::Ipv4Range& r) { return {r.addr, r.width}; }

}  // namespace

Daemon::Daemon(event::AsioLoop& loop, config::Config config, DaemonOptions options, AuthDeps auth,
               bundle::IfaceFactory& ifaces)
    : loop_(loop),
      config_(std::move(config)),
      options_(std::move(options)),
      auth_deps_(std::move(auth)),
      ifaces_(ifaces) {
  for (const auto& [name, ranges] : config_.pools)
    for (const auto& r : ranges)
      if (Status st = pools_.Add(name, r.first, r.last); !st.ok())
        MLOG_ERROR(kIpcp, "ippool {}: {}", name, st.message());
  random_.u32 = [] { return RandomValue<uint32_t>(); };
  start_time_ =
      static_cast<uint32_t>(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
  random_.fill = [](std::span<uint8_t> out) { RandomBytes(out); };
  l2tp_ = std::make_unique<L2tpSites>(loop_, config_, random_.fill);
  pptp_ = std::make_unique<PptpSites>(loop_, config_, random_.u32);
}

Daemon::~Daemon() = default;

aaa::AuthBackend& Daemon::AuthFor(const config::LinkConf& conf) {
  auto& chain = auth_chains_[conf.name];
  auto& timed = timed_auth_[conf.name];
  if (!chain) {
    chain = MakeAuthChain(conf, auth_deps_);
    std::string names;
    for (const auto& n : chain->names()) names += (names.empty() ? "" : ", ") + n;
    MLOG_INFO(kAuth, "[{}] authentication back ends: {}", conf.name,
              names.empty() ? "none" : names);
    timed = std::make_unique<TimedBackend>(loop_, *chain, counters_);
  }
  return *timed;
}

link::pppoe::PppoePort* Daemon::Port(const std::string& iface) {
  auto it = ports_.find(iface);
  if (it != ports_.end()) return it->second.get();
  auto disc = os::OpenPacketSocket(loop_.context(), iface, link::pppoe::kEtherTypeDiscovery);
  if (!disc) {
    MLOG_ERROR(kPhys, "pppoe: cannot open {}: {}", iface, disc.error());
    return nullptr;
  }
  auto sess = os::OpenPacketSocket(loop_.context(), iface, link::pppoe::kEtherTypeSession);
  if (!sess) {
    MLOG_ERROR(kPhys, "pppoe: cannot open {}: {}", iface, sess.error());
    return nullptr;
  }
  auto port = std::make_unique<link::pppoe::PppoePort>(loop_, std::move(*disc), std::move(*sess),
                                                       random_.fill);
  auto* p = port.get();
  ports_.emplace(iface, std::move(port));
  return p;
}

std::string Daemon::NextName(const std::string& tmpl) {
  // mpd5 names instances "<template>-<N>" (link.c, bund.c).
  return fmt::format("{}-{}", tmpl, ++instance_counter_[tmpl]);
}

bool Daemon::Start() {
  bool any = false;
  ProbeLoopLag({});
  if (config_.radsrv.open) {
    OpenRadsrv();
    any |= dae_socket_ != nullptr;
  }
  for (const auto& conf : config_.links) {
    if (conf.incoming) any |= StartListener(conf);
  }
  for (const auto& name : config_.opens) {
    const config::LinkConf* conf = config_.FindLink(name);
    if (!conf) continue;
    StartClient(*conf, 0);
    any = true;
  }
  return any;
}

bool Daemon::StartListener(const config::LinkConf& conf) {
  std::string name = conf.name;
  bool tmpl = conf.is_template;
  auto incoming = [this, name, tmpl](std::unique_ptr<link::Driver> driver) {
    const config::LinkConf* c = config_.FindLink(name);
    if (shutting_down_ || !c) return;  // dropping the driver hangs up
    AddLink(std::move(driver), *c, tmpl ? NextName(name) : name, !tmpl, 0);
  };
  if (conf.type == "l2tp") {
    Status st = l2tp_->Listen(conf, incoming);
    if (!st.ok()) {
      MLOG_ERROR(kLink, "[{}] cannot listen for L2TP: {}", conf.name, st.message());
      return false;
    }
    MLOG_INFO(kLink, "[{}] listening for L2TP on {}:{}", conf.name,
              conf.l2tp.self_addr.empty() ? "*" : conf.l2tp.self_addr, conf.l2tp.self_port);
    return true;
  }
  if (conf.type == "pptp") {
    Status st = pptp_->Listen(conf, incoming);
    if (!st.ok()) {
      MLOG_ERROR(kLink, "[{}] cannot listen for PPTP: {}", conf.name, st.message());
      return false;
    }
    MLOG_INFO(kLink, "[{}] listening for PPTP on {}:{}", conf.name,
              conf.pptp.self_addr.empty() ? "*" : conf.pptp.self_addr, conf.pptp.self_port);
    return true;
  }
  if (conf.type != "pppoe") {
    MLOG_ERROR(kLink, "[{}] link type {} cannot accept calls", conf.name, conf.type);
    return false;
  }
  if (conf.pppoe.iface.empty()) {
    MLOG_ERROR(kLink, "[{}] incoming enabled but no `set pppoe iface`", conf.name);
    return false;
  }
  auto* port = Port(conf.pppoe.iface);
  if (!port) return false;
  link::pppoe::PppoeServerConfig sc;
  sc.iface = conf.pppoe.iface;
  sc.service = conf.pppoe.service;
  // mpd5: the AC-Name defaults to the host name.
  sc.ac_name = conf.pppoe.acname.empty() ? os::Hostname() : conf.pppoe.acname;
  sc.max_payload = conf.pppoe.max_payload;
  Status st = port->Listen(sc, incoming);
  if (!st.ok()) {
    MLOG_ERROR(kLink, "[{}] cannot listen on {}: {}", conf.name, conf.pppoe.iface, st.message());
    return false;
  }
  MLOG_INFO(kLink, "[{}] listening for PPPoE on {} (service \"{}\")", conf.name, conf.pppoe.iface,
            conf.pppoe.service);
  return true;
}

void Daemon::StartClient(const config::LinkConf& conf, int redials) {
  std::unique_ptr<link::Driver> driver;
  if (conf.type == "pppoe") {
    auto* port = Port(conf.pppoe.iface);
    if (!port) return;
    link::pppoe::PppoeClientConfig cc;
    cc.iface = conf.pppoe.iface;
    cc.service = conf.pppoe.service == "*" ? "" : conf.pppoe.service;
    cc.max_payload = conf.pppoe.max_payload;
    driver = port->MakeClient(cc);
  } else if (conf.type == "l2tp") {
    driver = l2tp_->Dial(conf);
  } else if (conf.type == "pptp") {
    driver = pptp_->Dial(conf);
  } else {
    MLOG_ERROR(kLink, "[{}] link type {} not supported", conf.name, conf.type);
    return;
  }
  if (driver) AddLink(std::move(driver), conf, conf.name, true, redials);
}

ppp::LinkConfig Daemon::MakeLinkConfig(const config::LinkConf& c,
                                       const link::Driver& driver) const {
  ppp::LinkConfig lc;
  auto& l = lc.lcp;
  uint16_t max = driver.MaxMru();
  l.mru = std::min<uint16_t>(c.mru, max);
  l.max_peer_mru = max;
  // RFC 2516 §7: on PPPoE ACFC must not be requested and must be rejected.
  bool pppoe = c.type == "pppoe";
  l.acfc_enable = c.acfcomp.enable && !pppoe;
  l.acfc_accept = c.acfcomp.accept && !pppoe;
  // RFC 2516 §7: PFC is NOT RECOMMENDED on PPPoE, so we do not ask for it
  // there (we still accept it when the peer asks).
  l.pfc_enable = c.protocomp.enable && !pppoe;
  l.pfc_accept = c.protocomp.accept;
  l.accm_accept = !pppoe;  // RFC 2516 §7: ACCM MUST NOT be used on PPPoE
  l.magic_enable = c.magicnum;
  // Preference when several are allowed: EAP, MS-CHAPv2, MS-CHAPv1,
  // CHAP-MD5, PAP (strongest first; RFC 1661 §6.2 lets the peer Nak).
  const std::pair<const config::Opt*, ppp::AuthType> kAuths[] = {
      {&c.eap, ppp::AuthType::kEap},
      {&c.chap_msv2, ppp::AuthType::kChapMsV2},
      {&c.chap_msv1, ppp::AuthType::kChapMsV1},
      {&c.chap_md5, ppp::AuthType::kChapMd5},
      {&c.pap, ppp::AuthType::kPap}};
  for (const auto& [opt, type] : kAuths) {
    if (opt->enable) l.require_auth.push_back(type);
    if (opt->accept) l.accept_auth.push_back(type);
  }
  lc.eap.md5 = c.eap_conf.md5.enable || c.eap_conf.md5.accept;
  lc.eap.radius_proxy = c.eap_conf.radius_proxy;
  lc.auth_timing.overall = std::chrono::seconds(c.auth.timeout);
  l.echo_interval = std::chrono::seconds(c.keepalive_interval);
  l.echo_max = std::chrono::seconds(c.keepalive_max);
  l.fsm.restart = std::chrono::seconds(c.fsm_timeout);
  l.fsm.passive = c.passive;
  lc.authname = c.auth.authname;
  lc.password = c.auth.password;
  return lc;
}

void Daemon::AddLink(std::unique_ptr<link::Driver> driver, const config::LinkConf& conf,
                     std::string name, bool is_static, int redials) {
  ppp::LinkConfig lc = MakeLinkConfig(conf, *driver);
  // Acct-Session-Id: unique across restarts (start time) and sessions.
  lc.nas_port = static_cast<uint32_t>(++session_counter_);
  lc.session_id = fmt::format("{:08x}-{}", start_time_, session_counter_);
  auto link = std::make_unique<ppp::Link>(loop_, std::move(name), std::move(driver), lc,
                                          AuthFor(conf), *this, random_);
  ppp::Link* raw = link.get();
  LinkSlot slot;
  slot.link = std::move(link);
  slot.conf_name = conf.name;
  slot.is_static = is_static;
  slot.redials = redials;
  links_.emplace(raw, std::move(slot));
  raw->Open();
}

namespace {

ppp::CcpToggle Toggle(const config::Opt& o) { return {o.enable, o.accept}; }

// `set ccp` / `set mppc` as the CCP option handlers take them.
ppp::CcpConfig CcpConfigOf(const config::BundleConf& b) {
  ppp::CcpConfig c;
  c.mppc = Toggle(b.ccp.mppc);
  c.deflate = Toggle(b.ccp.deflate);
  c.pred1 = Toggle(b.ccp.pred1);
  c.mppc_compress = Toggle(b.mppc.compress);
  c.e40 = Toggle(b.mppc.e40);
  c.e56 = Toggle(b.mppc.e56);
  c.e128 = Toggle(b.mppc.e128);
  c.stateless = Toggle(b.mppc.stateless);
  return c;
}

// mpd5 `set mppc enable policy`: the AAA reply's MS-MPPE-Encryption-Types
// (RFC 2548 §2.4.5) replace the configured key strengths, and a Policy of
// 2 (encryption required, §2.4.4) acts as crypt-reqd.
void ApplyMppePolicy(const aaa::AuthResult& auth, bundle::BundleConfig& bc) {
  if (auth.mppe_types) {
    const uint32_t t = *auth.mppe_types;
    auto set = [](ppp::CcpToggle& o, bool on) { o.enable = o.accept = on; };
    set(bc.ccp_conf.e40, t & 2);
    set(bc.ccp_conf.e128, t & 4);
    set(bc.ccp_conf.e56, t & 8);
    if (t & 14) {
      bc.compression = true;
      bc.ccp_conf.mppc.enable = bc.ccp_conf.mppc.accept = true;
    }
  }
  if (auth.mppe_policy == 2u) bc.crypt_reqd = true;
}

}  // namespace

void Daemon::OnLinkNetwork(ppp::Link& link) {
  auto lit = links_.find(&link);
  if (lit == links_.end()) return;
  const config::LinkConf* lconf = config_.FindLink(lit->second.conf_name);
  std::string bname = lconf ? lconf->action_bundle : std::string();
  config::BundleConf* bconf = bname.empty() ? nullptr : config_.FindBundle(bname);
  if (!bconf) {
    MLOG_ERROR(kBund, "[{}] no bundle for this link (`set link action bundle`)", link.name());
    link.Close("no bundle");
    return;
  }
  bundle::BundleConfig bc;
  bc.ipcp = bconf->ipcp;
  bc.ipv6cp = bconf->ipv6cp;
  bc.fsm.restart = std::chrono::seconds(bconf->fsm_timeout);
  bc.iface_name = bconf->iface.name;
  bc.mtu = bconf->iface.mtu;
  for (const auto& r : bconf->iface.routes) bc.routes.push_back({r.addr, r.width});
  bc.compression = bconf->compression;
  bc.crypt_reqd = bconf->crypt_reqd;
  bc.ccp_conf = CcpConfigOf(*bconf);
  bc.encryption = bconf->encryption;
  bc.ecp_conf.dese_bis = Toggle(bconf->ecp.dese_bis);
  bc.ecp_conf.dese_old = Toggle(bconf->ecp.dese_old);
  bc.ecp_key = bconf->ecp.key;
  if (bconf->mppc.policy) ApplyMppePolicy(link.auth_result(), bc);
  const auto& ic = bconf->ipcp_conf;
  auto& ip = bc.ipcp_conf;
  if (ic.self_range)
    ip.self = ToRange(*ic.self_range);
  else if (bconf->iface.self_addr)
    ip.self = ToRange(*bconf->iface.self_addr);
  ip.dns1 = ic.dns1.value_or(0);
  ip.dns2 = ic.dns2.value_or(0);
  ip.request_dns = ic.req_pri_dns || ic.req_sec_dns;

  const aaa::AuthResult& auth = link.auth_result();
  // mpd5 `set auth max-logins N [CI]`, across every back end.
  if (lconf && lconf->auth.max_logins > 0 && !link.peer_authname().empty() &&
      LoginsOf(link.peer_authname(), lconf->auth.max_logins_ci) >=
          static_cast<size_t>(lconf->auth.max_logins)) {
    MLOG_WARN(kAuth, "[{}] user \"{}\" already has {} session(s) (max-logins)", link.name(),
              link.peer_authname(), lconf->auth.max_logins);
    link.Close("max-logins exceeded");
    return;
  }
  // The back end's DNS servers (RADIUS MS-Primary-DNS-Server...) win.
  if (auth.dns[0]) ip.dns1 = *auth.dns[0];
  if (auth.dns[1]) ip.dns2 = *auth.dns[1];
  if (auth.framed_mtu) bc.mtu = std::min<uint16_t>(bc.mtu, *auth.framed_mtu);

  BundleSlot slot;
  slot.conf_name = lit->second.conf_name;
  slot.bundle_conf = bconf->name;
  // The peer's address: the back end's Framed-IP first, then its
  // Framed-Pool, then the configured pool, then the configured range
  // (mpd5 ipcp.c order).
  const std::string& pool_name = !auth.framed_pool.empty() ? auth.framed_pool : ic.peer_pool;
  if (auth.framed_ip) {
    ip.peer = {*auth.framed_ip, 32};
  } else if (!pool_name.empty()) {
    aaa::IpPool* pool = pools_.Find(pool_name);
    auto addr = pool ? pool->Allocate() : std::nullopt;
    if (!addr) {
      MLOG_ERROR(kIpcp, "[{}] ip pool \"{}\" {}", link.name(), pool_name,
                 pool ? "exhausted" : "does not exist");
      link.Close("ip pool exhausted");
      return;
    }
    ip.peer = {*addr, 32};
    slot.pool = pool_name;
    slot.pool_addr = *addr;
  } else if (ic.peer_range) {
    ip.peer = ToRange(*ic.peer_range);
  } else if (bconf->iface.peer_addr) {
    ip.peer = ToRange(*bconf->iface.peer_addr);
  }

  std::string name = bconf->is_template ? NextName(bconf->name) : bconf->name;
  auto b = std::make_unique<bundle::Bundle>(loop_, name, bc, ifaces_, *this,
                                            [] { return RandomValue<uint64_t>(); });
  bundle::Bundle* raw = b.get();
  raw->UseDataBatch(&data_batch_);
  slot.bundle = std::move(b);
  auto& bs = bundles_.emplace(raw, std::move(slot)).first->second;
  IndexSession(bs, link);
  lit->second.bundle = raw;
  lit->second.network_at = loop_.Now();
  Status s = raw->Join(link);
  if (!s.ok()) {
    MLOG_ERROR(kBund, "[{}] {}", name, s.message());
    lit->second.bundle = nullptr;
    ReleaseBundle(bs);
    link.Close("bundle failed");
    return;
  }
  StartSessionTimers(
      bs,
      auth.session_timeout.value_or(
          static_cast<uint32_t>(std::max(0, bconf->iface.session_timeout))),
      auth.idle_timeout.value_or(static_cast<uint32_t>(std::max(0, bconf->iface.idle_timeout))));
}

void Daemon::StartSessionTimers(BundleSlot& slot, uint32_t session, uint32_t idle) {
  bundle::Bundle* b = slot.bundle.get();
  slot.session_timer.reset();
  slot.idle_timer.reset();
  slot.session_secs = session;
  slot.idle_secs = idle;
  if (session > 0) {
    slot.session_timer = loop_.CreateTimer();
    slot.session_timer->Start(std::chrono::seconds(session), [this, b, session] {
      auto it = bundles_.find(b);
      if (it == bundles_.end() || !it->second.link) return;
      MLOG_INFO(kBund, "[{}] session timeout ({} s)", b->name(), session);
      it->second.link->Close("session timeout");
    });
  }
  if (idle > 0) {
    // Checked every `idle` seconds: a session with no packet in either
    // direction over a whole period is closed (mpd5 iface idle timeout).
    slot.idle_timer = loop_.CreateTimer();
    slot.idle_timer->Start(std::chrono::seconds(idle), [this, b, idle] { IdleCheck(b, idle); });
  }
}

void Daemon::IdleCheck(bundle::Bundle* b, uint32_t idle) {
  // Checked every `idle` seconds: a session with no packet in either
  // direction over a whole period is closed (mpd5 iface idle timeout).
  auto it = bundles_.find(b);
  if (it == bundles_.end() || !it->second.link) return;
  const auto& c = b->counters();
  uint64_t now = c.in_packets + c.out_packets;
  if (now == it->second.idle_seen) {
    MLOG_INFO(kBund, "[{}] idle timeout ({} s)", b->name(), idle);
    it->second.link->Close("idle timeout");
    return;
  }
  it->second.idle_seen = now;
  it->second.idle_timer->Start(std::chrono::seconds(idle), [this, b, idle] { IdleCheck(b, idle); });
}

size_t Daemon::LoginsOf(const std::string& user, bool case_insensitive) const {
  return sessions_.Logins(user, case_insensitive);
}

namespace {

// RFC 2866 §5.10 Acct-Terminate-Cause for why the link went down (the
// reason a Close() gave, empty when the peer ended the session).
std::string TerminateCause(std::string_view reason) {
  if (reason.empty() || reason == "PADT received") return "User-Request";
  if (reason == "session timeout") return "Session-Timeout";
  if (reason == "idle timeout") return "Idle-Timeout";
  if (reason == "keep-alive timeout") return "Lost-Carrier";
  if (reason == "administrative shutdown") return "NAS-Reboot";
  if (reason == "admin reset") return "Admin-Reset";
  return "NAS-Request";  // our own closes: accounting drop, max-logins, errors
}

}  // namespace

void Daemon::IndexSession(BundleSlot& slot, ppp::Link& link) {
  slot.link = &link;
  slot.indexed_user = link.peer_authname();
  slot.indexed_session = link.session_id();
  sessions_.Add(&slot, slot.indexed_user, slot.indexed_session);
}

void Daemon::UnindexSession(BundleSlot& slot) {
  if (!slot.link) return;
  sessions_.Remove(slot.indexed_user, slot.indexed_session);
  slot.link = nullptr;
}

void Daemon::ReleaseBundle(BundleSlot& slot) {
  UnindexSession(slot);
  if (slot.acct) {
    ++acct_stops_pending_;
    slot.acct->Stop(TerminateCause(slot.stop_reason), [this, alive = std::weak_ptr(alive_)] {
      if (alive.expired()) return;
      --acct_stops_pending_;
      MaybeFinish();
    });
    slot.acct.reset();
    slot.acct_sinks.clear();
  }
  if (!slot.pool.empty())
    if (aaa::IpPool* pool = pools_.Find(slot.pool)) pool->Release(slot.pool_addr);
  slot.pool.clear();
  bundle::Bundle* key = slot.bundle.get();
  auto owned = std::move(slot.bundle);
  bundles_.erase(key);
  loop_.DeferDelete(std::move(owned));
  if (shutting_down_) MaybeFinish();
}

void Daemon::OnLinkLeftNetwork(ppp::Link& link) {
  auto it = links_.find(&link);
  if (it == links_.end() || !it->second.bundle) return;
  it->second.bundle->Leave(link);
}

void Daemon::OnLinkDead(ppp::Link& link, std::string_view reason) {
  auto it = links_.find(&link);
  if (it == links_.end()) return;
  LinkSlot slot = std::move(it->second);
  links_.erase(it);
  if (slot.bundle) {
    slot.bundle->Leave(link);
    auto bit = bundles_.find(slot.bundle);
    if (bit != bundles_.end()) UnindexSession(bit->second);
  }
  auto info = link.peer_info();
  // One line per session event, naming the session every way an operator
  // may look for it: interface, session id, user, peer.
  MLOG_INFO(kLink, "[{}] session closed: iface {} session {} user \"{}\" peer {}: {}", link.name(),
            slot.bundle ? slot.bundle->iface_name() : "-", link.session_id(), link.peer_authname(),
            info.peer_addr, reason);
  // A session that never came up is a failed setup, counted by cause.
  // Causes may carry a peer's text (a CDN message): bounded in length and
  // in number, so a hostile peer cannot grow the table or the metrics.
  if (!slot.session_up && !shutting_down_) {
    std::pair<std::string, std::string> key{
        info.type, reason.empty() ? "unknown" : std::string(reason.substr(0, 64))};
    if (!counters_.failures.contains(key) && counters_.failures.size() >= 64) key.second = "other";
    ++counters_.failures[key];
  }
  const config::LinkConf* conf = config_.FindLink(slot.conf_name);
  loop_.DeferDelete(std::move(slot.link));
  // Client redial (mpd5 `set link max-redial`: -1 never, 0 forever, N times).
  if (!shutting_down_ && !slot.admin_closed && conf && slot.is_static && conf->max_redial != -1 &&
      (conf->max_redial == 0 || slot.redials < conf->max_redial)) {
    auto timer = loop_.CreateTimer();
    auto* t = timer.get();
    std::string name = conf->name;
    int next = slot.redials + 1;
    redial_timers_.push_back(std::move(timer));
    t->Start(std::chrono::seconds(conf->redial_delay), [this, name, next, t] {
      if (const config::LinkConf* c = config_.FindLink(name); c && !shutting_down_)
        StartClient(*c, next);
      std::erase_if(redial_timers_, [t](const auto& p) { return p.get() == t; });
    });
    return;
  }
  MaybeFinish();
}

void Daemon::OnNetworkFrame(ppp::Link& link, uint16_t protocol, Packet&& info) {
  auto it = links_.find(&link);
  if (it == links_.end() || !it->second.bundle) {
    link.RejectProtocol(protocol, info.span());
    return;
  }
  it->second.bundle->Input(link, protocol, std::move(info));
}

void Daemon::OnProtocolRejected(ppp::Link& link, uint16_t protocol) {
  auto it = links_.find(&link);
  if (it != links_.end() && it->second.bundle) it->second.bundle->ProtocolRejected(protocol);
}

void Daemon::OnBundleUp(bundle::Bundle& b) {
  auto* link = b.link();
  auto info = link ? link->peer_info() : link::PeerInfo{};
  const auto* v4 = b.ipcp_result();
  MLOG_INFO(kBund, "[{}] session up: iface {} link {} session {} user \"{}\" peer {} ip {} -> {}",
            b.name(), b.iface_name(), link ? link->name() : "-", link ? link->session_id() : "-",
            link ? link->peer_authname() : "", info.peer_addr, v4 ? Ipv4ToString(v4->local) : "-",
            v4 ? Ipv4ToString(v4->peer) : "-");
  ++counters_.setups[info.type];
  if (link)
    if (auto lit = links_.find(link); lit != links_.end()) lit->second.session_up = true;
  auto it = bundles_.find(&b);
  if (it != bundles_.end()) it->second.up_at = loop_.Now();
  if (it != bundles_.end() && !it->second.acct) StartAccounting(it->second, b);
}

AcctBackends& Daemon::AcctFor(const config::LinkConf& conf) {
  auto it = acct_backends_.find(conf.name);
  if (it == acct_backends_.end())
    it = acct_backends_
             .emplace(conf.name, MakeAcctBackends(loop_, conf, auth_deps_.run_blocking,
                                                  auth_deps_.radius_stats))
             .first;
  return it->second;
}

void Daemon::StartAccounting(BundleSlot& slot, bundle::Bundle& b) {
  const config::LinkConf* conf = config_.FindLink(slot.conf_name);
  ppp::Link* link = slot.link;
  if (!conf || !link) return;
  AcctBackends& backends = AcctFor(*conf);
  if (backends.empty()) return;
  const aaa::AuthResult& auth = link->auth_result();
  if (backends.radius)
    slot.acct_sinks.push_back(std::make_unique<RadiusAcctSink>(*backends.radius, auth.radius_class,
                                                               conf->auth.radius_auth));
  // mpd5's order: radius, pam, system, ext.
  if (backends.pam) slot.acct_sinks.push_back(std::make_unique<PamAcctSink>(*backends.pam));
  if (backends.system)
    slot.acct_sinks.push_back(std::make_unique<SystemAcctSink>(*backends.system));
  if (backends.ext) slot.acct_sinks.push_back(std::make_unique<ExtAcctSink>(*backends.ext));
  std::vector<AcctSink*> sinks;
  for (auto& sink : slot.acct_sinks) sinks.push_back(sink.get());

  aaa::AcctEvent base;
  base.user = link->peer_authname();
  auto info = link->peer_info();
  base.session.acct_session_id = link->session_id();
  base.session.acct_multi_session_id = link->session_id();
  base.session.link = link->name();
  base.session.bundle = b.name();
  base.session.nas_port = link->nas_port();
  base.session.nas_port_type = info.type;
  base.session.calling_station_id = info.peer_addr;
  base.session.called_station_id = info.self_addr;
  base.session.peer_mac_addr = info.peer_addr;
  base.session.peer_iface = info.iface;
  base.session.peer_name = link->peer_authname();
  base.iface = b.iface_name();
  if (const auto* v4 = b.ipcp_result()) base.framed_ip = v4->peer;
  SessionAccounting::Settings st;
  st.interim_seconds =
      EffectiveInterim(auth.acct_interim, static_cast<uint32_t>(conf->auth.acct_update));
  st.update_limit_in = conf->auth.update_limit_in;
  st.update_limit_out = conf->auth.update_limit_out;
  st.acct_mandatory = conf->auth.acct_mandatory;
  bundle::Bundle* bp = &b;
  slot.acct = std::make_unique<SessionAccounting>(
      loop_, std::move(sinks), std::move(base), st,
      [bp] {
        const auto& c = bp->counters();
        return AcctCounters{c.in_octets, c.in_packets, c.out_octets, c.out_packets};
      },
      [this, bp](std::string reason) {
        auto it = bundles_.find(bp);
        if (it == bundles_.end() || !it->second.link) return;
        MLOG_WARN(kBund, "[{}] closing: {}", bp->name(), reason);
        it->second.link->Close(reason);
      });
  slot.acct->Start();
}

void Daemon::OnBundleDown(bundle::Bundle& b, std::string_view reason) {
  auto it = bundles_.find(&b);
  if (it == bundles_.end()) return;
  MLOG_INFO(kBund, "[{}] bundle down: {}", b.name(), reason);
  // Why the session ended, before our own Close() below overwrites it.
  if (it->second.link) it->second.stop_reason = it->second.link->close_reason();
  if (it->second.link) {
    auto lit = links_.find(it->second.link);
    if (lit != links_.end()) lit->second.bundle = nullptr;
    it->second.link->Close(reason);
  }
  ReleaseBundle(it->second);
}

void Daemon::MaybeFinish() {
  if (shutting_down_ && links_.empty() && bundles_.empty() && acct_stops_pending_ == 0) {
    // Every session is gone. The tunnels end next, and the peers hear it:
    // PPTP calls first get their Call-Disconnect-Notify, then StopCCRQ
    // waits for its reply (RFC 2637 §2.3); L2TP's StopCCN waits for its
    // acknowledgement (RFC 2661 §5.7). The grace timer bounds all of it.
    if (!tunnels_stopped_ && pptp_->CallsGone()) {
      tunnels_stopped_ = true;
      l2tp_->StopAll("administrative shutdown");
      pptp_->StopAll();
    }
    if (!tunnels_stopped_ || !l2tp_->Quiet() || !pptp_->Quiet()) {
      // The nodes report no events for these; look again shortly.
      if (!tunnel_poll_) tunnel_poll_ = loop_.CreateTimer();
      if (!tunnel_poll_->Running())
        tunnel_poll_->Start(std::chrono::milliseconds(20), [this] { MaybeFinish(); });
      return;
    }
    if (shutdown_timer_) shutdown_timer_->Stop();
    if (auto done = std::move(shutdown_done_)) {
      shutdown_done_ = nullptr;
      loop_.Post(done);
    }
    return;
  }
  if (options_.one_shot || config_.one_shot) {
    bool any_static = false;
    for (const auto& [_, slot] : links_) any_static |= slot.is_static;
    if (!any_static && redial_timers_.empty()) {
      MLOG_INFO(kEvents, "one-shot: last link gone, exiting");
      Shutdown([this] { loop_.Stop(); });
    }
  }
}

void Daemon::LogStats() {
  LatencyHistogram rtt;
  for (const auto& [link, _] : links_) rtt.Merge(link->TakeEchoRtt());
  // kBund: on by default (mpd5's defaults), as an operator asked for it.
  MLOG_INFO(kBund,
            "stats: {} link(s), {} bundle(s); LCP echo round trip since the last report, over {} "
            "replies: mean {} us, p50 {} us, p99 {} us, p99.9 {} us, max {} us",
            links_.size(), bundles_.size(), rtt.count(), rtt.mean_us(), rtt.QuantileUs(0.5),
            rtt.QuantileUs(0.99), rtt.QuantileUs(0.999), rtt.max_us());
}

void Daemon::Shutdown(std::function<void()> done, event::Duration grace) {
  if (shutting_down_) return;
  LogStats();
  shutting_down_ = true;
  shutdown_done_ = std::move(done);
  redial_timers_.clear();
  MLOG_INFO(kEvents, "shutting down: closing {} link(s)", links_.size());
  std::vector<ppp::Link*> all;
  for (auto& [l, _] : links_) all.push_back(l);
  for (auto* l : all) l->Close("administrative shutdown");
  shutdown_timer_ = loop_.CreateTimer();
  shutdown_timer_->Start(grace, [this] {
    MLOG_WARN(kEvents, "shutdown: {} link(s) did not close in time", links_.size());
    if (auto d = std::move(shutdown_done_)) {
      shutdown_done_ = nullptr;
      d();
    }
  });
  MaybeFinish();
}

void Daemon::OpenRadsrv() {
  const config::RadsrvConf& rc = config_.radsrv;
  aaa::radius::DaeConfig dc;
  for (const auto& p : rc.peers) dc.peers.push_back({p.addr, p.secret});
  dc.coa = rc.coa;
  dc.disconnect = rc.disconnect;
  dc.wall_clock = [] { return static_cast<int64_t>(std::time(nullptr)); };
  dae_ = std::make_unique<aaa::radius::DaeServer>(loop_, *this, std::move(dc));
  auto sock = os::UdpServer::Open(loop_.context(), rc.self_addr, rc.port,
                                  [this](std::span<const uint8_t> d, const std::string& from,
                                         const os::UdpServer::ReplyFn& reply) {
                                    if (auto r = dae_->Handle(d, from)) reply(*r);
                                  });
  if (!sock.ok()) {
    MLOG_ERROR(kRadius, "radsrv: cannot listen on {} port {}: {}", rc.self_addr, rc.port,
               sock.error());
    return;
  }
  dae_socket_ = std::move(*sock);
  MLOG_INFO(kRadius, "radsrv: listening on {} port {} ({} peers)", rc.self_addr, rc.port,
            rc.peers.size());
}

Daemon::BundleSlot* Daemon::FindSession(const std::string& session_id) {
  return sessions_.Find(session_id);
}

std::vector<std::string> Daemon::FindSessions(const aaa::radius::SessionSelector& sel) {
  // mpd5 radsrv.c: every identification attribute present must match.
  std::vector<std::string> out;
  if (sel.acct_session_id) {  // the usual case: straight to the session
    BundleSlot* slot = FindSession(*sel.acct_session_id);
    if (!slot) return out;
    auto one = sel;
    one.acct_session_id.reset();
    if (Matches(*slot, one)) out.push_back(*sel.acct_session_id);
    return out;
  }
  for (auto& [b, slot] : bundles_) {
    if (Matches(slot, sel)) out.push_back(slot.link->session_id());
  }
  return out;
}

// mpd5 radsrv.c: every identification attribute present must match.
bool Daemon::Matches(const BundleSlot& slot, const aaa::radius::SessionSelector& sel) const {
  const bundle::Bundle* b = slot.bundle.get();
  ppp::Link* l = slot.link;
  if (!l) return false;
  auto info = l->peer_info();
  const auto* v4 = b->ipcp_result();
  if (sel.user_name && *sel.user_name != l->peer_authname()) return false;
  if (sel.acct_session_id && *sel.acct_session_id != l->session_id()) return false;
  if (sel.acct_multi_session_id && *sel.acct_multi_session_id != l->session_id()) return false;
  if (sel.framed_ip && (!v4 || v4->peer != *sel.framed_ip)) return false;
  if (sel.nas_port && *sel.nas_port != l->nas_port()) return false;
  if (sel.nas_port_id && *sel.nas_port_id != info.iface) return false;
  if (sel.calling_station_id && *sel.calling_station_id != info.peer_addr) return false;
  if (sel.called_station_id && *sel.called_station_id != info.self_addr) return false;
  if (sel.mpd_link && *sel.mpd_link != l->name()) return false;
  if (sel.mpd_bundle && *sel.mpd_bundle != b->name()) return false;
  if (sel.mpd_iface && *sel.mpd_iface != b->iface_name()) return false;
  return true;
}

void Daemon::Disconnect(const std::string& session) {
  // Called from inside the DAE request handling: close after it returns.
  loop_.Post([this, session] {
    if (BundleSlot* slot = FindSession(session); slot && slot->link) {
      MLOG_INFO(kRadius, "radsrv: Disconnect-Request for session {}", session);
      slot->link->Close("admin reset");
    }
  });
}

bool Daemon::ApplyCoa(const std::string& session, const aaa::radius::CoaChanges& changes) {
  BundleSlot* slot = FindSession(session);
  if (!slot) return false;
  MLOG_INFO(kRadius, "radsrv: CoA-Request for session {}", session);
  // mpd5: CoA restarts the session and idle timers with the new values.
  if (changes.session_timeout || changes.idle_timeout)
    StartSessionTimers(*slot, changes.session_timeout.value_or(slot->session_secs),
                       changes.idle_timeout.value_or(slot->idle_secs));
  return true;
}

}  // namespace mlppp::daemon
