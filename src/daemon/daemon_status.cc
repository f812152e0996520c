// The operator's view of the daemon (control::Snapshot) and its actions:
// open/close a layer, disconnect a session, shut down. mpd5 console.c and
// web.c read the same state under their giant lock; we read it on the loop.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <vector>

#include "core/ip_literal.h"
#include "core/log.h"
#include "core/version.h"
#include "daemon/daemon.h"
#include "daemon/redial_hold.h"
#include "daemon/tunnel_views.h"

namespace mlppp::daemon {
namespace {

int64_t Seconds(event::Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

// mpd5's phys states (gPhysStateNames) for a live link: dialling until the
// driver is up, then up.
std::string PhysState(const ppp::Link& l) {
  return l.phase() == ppp::Phase::kDead ? "CONNECTING" : "UP";
}

// CodecCp::summary() is "send X recv Y"; the view keeps each direction.
void SplitSummary(const std::string& s, std::string* out, std::string* in) {
  auto r = s.find(" recv ");
  if (s.rfind("send ", 0) == 0 && r != std::string::npos) {
    *out = s.substr(5, r - 5);
    *in = s.substr(r + 6);
  } else {
    *out = *in = s;
  }
}

// config::Config::FindLink for the const views.
const config::LinkConf* LinkConfOf(const config::Config& config, const std::string& name) {
  for (const config::LinkConf& c : config.links)
    if (c.name == name) return &c;
  return nullptr;
}

std::string Hex(const std::vector<uint8_t>& bytes) {
  std::string s;
  for (uint8_t b : bytes) s += fmt::format("{:02X}", b);
  return s;
}

// The back end's answer as `show auth` / `show radius` print it (mpd5
// struct authparams). mlpppd does not record which back end of the chain
// answered: an accepted peer on a link with radius-auth counts as RADIUS.
control::AuthParamsView AuthParamsOf(const aaa::AuthResult& r, const config::LinkConf* conf) {
  control::AuthParamsView a;
  a.ok = r.ok;
  a.by_radius = r.ok && conf && conf->auth.radius_auth;
  if (r.framed_ip) a.ip_range = fmt::format("{}/{}", Ipv4ToString(*r.framed_ip), r.framed_ip_width);
  a.pool = r.framed_pool;
  for (const auto& d : r.dns)
    if (d) a.dns.push_back(Ipv4ToString(*d));
  a.mtu = r.framed_mtu.value_or(0);
  a.session_timeout = r.session_timeout.value_or(0);
  a.idle_timeout = r.idle_timeout.value_or(0);
  a.acct_update = r.acct_interim.value_or(0);
  a.routes = r.framed_routes;
  a.mppe_policy = r.mppe_policy.value_or(0);
  a.mppe_types = r.mppe_types.value_or(0);
  a.mppe_keys = r.mppe.has_value();
  a.state_hex = Hex(r.state);
  if (!r.radius_class.empty()) a.class_hex = Hex(r.radius_class.front());
  return a;
}

}  // namespace

control::LinkView Daemon::ViewOf(const ppp::Link& l, const LinkSlot& slot) const {
  control::LinkView v;
  auto info = l.peer_info();
  v.name = l.name();
  v.id = l.nas_port();
  v.conf_name = slot.conf_name;
  v.type = info.type;
  v.state = PhysState(l);
  v.phase = ppp::PhaseName(l.phase());
  v.lcp_state = ppp::FsmStateName(l.lcp_state());
  if (slot.bundle) v.bundle = slot.bundle->name();
  v.session_id = l.session_id();
  v.peer_authname = l.peer_authname();
  if (l.lcp_result().peer_must_auth != ppp::AuthType::kNone)
    v.auth_method = ppp::AuthTypeName(l.lcp_result().peer_must_auth);
  v.device = info.iface;
  v.peer_addr = info.peer_addr;
  v.self_addr = info.self_addr;
  const ppp::LcpResult& lcp = l.lcp_result();
  v.acfcomp = l.lcp().config().acfc_enable;
  v.protocomp = l.lcp().config().pfc_enable;
  if (l.lcp_state() == ppp::FsmState::kOpened) {
    v.mru = lcp.our_mru;
    v.peer_mru = lcp.peer_mru;
    v.magic = lcp.our_magic;
    v.peer_magic = lcp.peer_magic;
    v.peer_acfcomp = lcp.send_acfc;
    v.peer_protocomp = lcp.send_pfc;
    if (lcp.we_must_auth != ppp::AuthType::kNone)
      v.peer_auth_method = ppp::AuthTypeName(lcp.we_must_auth);
  }
  v.service = info.service;
  // Calls come from a listener (`set link enable incoming`) or are dialled
  // (`open`): a template's instance always answered; a static link that
  // listens answered unless it is one the configuration opens.
  const config::LinkConf* conf = LinkConfOf(config_, slot.conf_name);
  v.incoming = conf && conf->incoming &&
               (conf->is_template || std::find(config_.opens.begin(), config_.opens.end(),
                                               conf->name) == config_.opens.end());
  v.auth = AuthParamsOf(l.auth_result(), conf);
  if (l.phase() == ppp::Phase::kNetwork && slot.network_at != event::TimePoint{})
    v.up_seconds = Seconds(loop_.Now() - slot.network_at);
  const auto& c = l.counters();
  v.traffic = {c.rx_octets, c.rx_frames, c.tx_octets, c.tx_frames};
  v.bad_frames = c.bad_frames;
  return v;
}

control::BundleView Daemon::ViewOf(const BundleSlot& slot) const {
  const bundle::Bundle& b = *slot.bundle;
  control::BundleView v;
  v.name = b.name();
  v.conf_name = slot.bundle_conf;
  v.iface = b.iface_name();
  v.up = b.up();
  v.iface_open = b.iface_open();
  if (const auto* p = b.ipcp()) v.ipcp_state = ppp::FsmStateName(p->fsm().state());
  if (const auto* p = b.ipv6cp()) v.ipv6cp_state = ppp::FsmStateName(p->fsm().state());
  if (const auto* p = b.ccp()) {
    v.ccp_state = ppp::FsmStateName(p->fsm().state());
    if (p->opened()) SplitSummary(p->summary(), &v.ccp_method_out, &v.ccp_method_in);
    v.ccp_resets_sent = p->counters().reset_requests_sent;
    v.ccp_resets_received = p->counters().reset_requests_rcvd;
  }
  if (const auto* p = b.ecp()) {
    v.ecp_state = ppp::FsmStateName(p->fsm().state());
    if (p->opened()) SplitSummary(p->summary(), &v.ecp_method_out, &v.ecp_method_in);
  }
  if (const auto* r = b.ipcp_result()) {
    v.self_ip = Ipv4ToString(r->local);
    v.peer_ip = Ipv4ToString(r->peer);
    if (r->dns1) v.dns.push_back(Ipv4ToString(r->dns1));
    if (r->dns2) v.dns.push_back(Ipv4ToString(r->dns2));
  }
  if (const auto* r = b.ipv6cp_result()) {
    v.self_ipv6 = ppp::InterfaceIdString(r->local_id);
    v.peer_ipv6 = ppp::InterfaceIdString(r->peer_id);
  }
  if (slot.link) {
    v.session_id = slot.link->session_id();
    v.msession_id = slot.link->session_id();
    v.user = slot.link->peer_authname();
    v.links.push_back(slot.link->name());
    v.mtu = slot.link->lcp_result().peer_mru;
  }
  if (b.up() && slot.up_at != event::TimePoint{}) v.up_seconds = Seconds(loop_.Now() - slot.up_at);
  v.session_timeout = slot.session_secs;
  v.idle_timeout = slot.idle_secs;
  const auto& c = b.counters();
  v.traffic = {c.in_octets, c.in_packets, c.out_octets, c.out_packets};
  v.dropped = c.dropped;
  return v;
}

control::Snapshot Daemon::BuildSnapshot() {
  control::Snapshot s;
  s.version = kVersionString;
  s.pid = static_cast<int>(getpid());
  s.started_unix = start_time_;
  s.uptime_seconds = static_cast<int64_t>(std::time(nullptr)) - start_time_;
  std::set<std::string> live_confs;
  for (const auto& [l, slot] : links_) {
    s.links.push_back(ViewOf(*l, slot));
    if (slot.is_static) live_confs.insert(slot.conf_name);
  }
  std::sort(s.links.begin(), s.links.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  // Idle configurations: templates, and static links not running now.
  for (const auto& c : config_.links) {
    if (live_confs.contains(c.name)) continue;
    control::LinkView v;
    v.name = c.name;
    v.conf_name = c.name;
    v.type = c.type;
    v.is_template = c.is_template;
    v.state = "DOWN";
    v.phase = ppp::PhaseName(ppp::Phase::kDead);
    v.lcp_state = ppp::FsmStateName(ppp::FsmState::kInitial);
    s.links.push_back(std::move(v));
  }
  // The sites' real tunnels (mpd5 `show l2tp` / `show pptp`).
  if (l2tp_ && pptp_) AddTunnelViews(l2tp_->Tunnels(), pptp_->Connections(), &s);
  for (const auto& [b, slot] : bundles_) s.bundles.push_back(ViewOf(slot));
  std::sort(s.bundles.begin(), s.bundles.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  s.counters = counters_;
  if (auth_deps_.radius_stats) {
    auto r = auth_deps_.radius_stats->Sum();
    s.counters.radius_requests = r.requests;
    s.counters.radius_timeouts = r.timeouts;
    s.counters.radius_retransmits = r.retransmits;
    s.counters.radius_replies = r.replies;
    s.counters.radius_bad_replies = r.malformed + r.unknown_id + r.wrong_code +
                                    r.bad_authenticator + r.missing_message_authenticator +
                                    r.bad_message_authenticator;
  }
  return s;
}

ppp::Link* Daemon::FindLinkByName(const std::string& name) const {
  for (const auto& [l, _] : links_)
    if (l->name() == name) return l;
  return nullptr;
}

Daemon::BundleSlot* Daemon::FindBundleByName(const std::string& name) {
  for (auto& [b, slot] : bundles_)
    if (b->name() == name) return &slot;
  return nullptr;
}

namespace {

// The NCP a console layer names; nullopt for iface, bund, link, device.
std::optional<bundle::Ncp> NcpOf(control::Layer layer) {
  switch (layer) {
    case control::Layer::kIpcp:
      return bundle::Ncp::kIpcp;
    case control::Layer::kIpv6cp:
      return bundle::Ncp::kIpv6cp;
    case control::Layer::kCcp:
      return bundle::Ncp::kCcp;
    case control::Layer::kEcp:
      return bundle::Ncp::kEcp;
    default:
      return std::nullopt;
  }
}

// The daemon's slot of a bundle's link, if it still has one.
template <class Links>
auto* SlotOfLink(Links& links, ppp::Link* link) {
  auto it = link ? links.find(link) : links.end();
  return it == links.end() ? nullptr : &it->second;
}

}  // namespace

Status Daemon::OpenLayer(const std::string& link, const std::string& bundle, control::Layer layer) {
  using control::Layer;
  if (shutting_down_) return Status::Error("shutting down");
  if (layer == Layer::kLink || layer == Layer::kDevice) {
    if (link.empty()) return Status::Error("no link selected");
    if (FindLinkByName(link)) return Status::Ok();  // already open (mpd5: no-op)
    const config::LinkConf* conf = config_.FindLink(link);
    if (!conf) return Status::Error(fmt::format("link \"{}\" not found", link));
    if (conf->is_template || conf->type.empty())
      return Status::Error(fmt::format("link \"{}\" is a template: it only answers calls", link));
    MLOG_INFO(kLink, "[{}] open (console)", link);
    StartClient(*conf, 0);
    return Status::Ok();
  }
  if (layer == Layer::kBund) {
    if (bundle.empty()) return Status::Error("no bundle selected");
    // A bundle opens when one of its links reaches the network phase.
    if (FindBundleByName(bundle)) return Status::Ok();
    return Status::Error(fmt::format("bundle \"{}\" has no link up: open a link", bundle));
  }
  // One network layer of a live bundle (mpd5 IpcpOpenCmd, CcpOpenCmd,
  // IfaceOpenCmd...): the rest of the session is untouched.
  BundleSlot* slot = FindLayerBundle(link, bundle);
  if (!slot)
    return Status::Error(
        bundle.empty() && link.empty()
            ? "no bundle selected"
            : fmt::format("bundle \"{}\" is not open", bundle.empty() ? link : bundle));
  MLOG_INFO(kBund, "[{}] open {} (console)", slot->bundle->name(), control::LayerName(layer));
  if (auto ncp = NcpOf(layer)) {
    Status s = slot->bundle->OpenNcp(*ncp);
    // An IP NCP open again before the session finished: the session goes
    // on, so the hold CloseLayer set for closing the last one is lifted.
    if (s)
      if (auto* ls = SlotOfLink(links_, slot->link))
        RedialHold(ls->admin_closed, ls->closed_by_last_ncp)
            .NcpOpened(slot->bundle->ip_ncps_gone());
    return s;
  }
  return slot->bundle->OpenIface();
}

Status Daemon::CloseLayer(const std::string& link, const std::string& bundle,
                          control::Layer layer) {
  using control::Layer;
  if (layer == Layer::kLink || layer == Layer::kDevice) {
    ppp::Link* l = link.empty() ? nullptr : FindLinkByName(link);
    if (!l)
      return Status::Error(link.empty() ? "no link selected"
                                        : fmt::format("link \"{}\" is not open", link));
    LinkSlot& ls = links_.at(l);
    RedialHold(ls.admin_closed, ls.closed_by_last_ncp).ByOperator();
    MLOG_INFO(kLink, "[{}] close (console)", link);
    l->Close("admin close");
    return Status::Ok();
  }
  BundleSlot* slot = layer == Layer::kBund ? (bundle.empty() ? nullptr : FindBundleByName(bundle))
                                           : FindLayerBundle(link, bundle);
  if (!slot)
    return Status::Error(
        bundle.empty() && (layer == Layer::kBund || link.empty())
            ? "no bundle selected"
            : fmt::format("bundle \"{}\" is not open", bundle.empty() ? link : bundle));
  MLOG_INFO(kBund, "[{}] close {} (console)", slot->bundle->name(), control::LayerName(layer));
  if (layer == Layer::kBund) {
    // mpd5 BundCloseCmd: the whole session, and its links do not redial.
    if (auto* ls = SlotOfLink(links_, slot->link))
      RedialHold(ls->admin_closed, ls->closed_by_last_ncp).ByOperator();
    slot->bundle->Close("admin close");
    return Status::Ok();
  }
  // One network layer (mpd5 IpcpCloseCmd: FsmClose; IfaceCloseCmd): the
  // session stays, unless that leaves it nothing to carry (the bundle's
  // own rule, as mpd5's BundNcpsFinish).
  if (auto ncp = NcpOf(layer)) {
    Status s = slot->bundle->CloseNcp(*ncp);
    // The last IP NCP closed ends the session: as after `close bund`, its
    // link does not redial (mpd5 closes the links, BundCloseLinks), unless
    // an NCP is opened again before the session finished (OpenLayer).
    if (s && slot->bundle->ip_ncps_gone())
      if (auto* ls = SlotOfLink(links_, slot->link))
        RedialHold(ls->admin_closed, ls->closed_by_last_ncp).ByLastIpNcpClose();
    return s;
  }
  return slot->bundle->CloseIface();
}

Daemon::BundleSlot* Daemon::FindLayerBundle(const std::string& link, const std::string& bundle) {
  if (!bundle.empty()) return FindBundleByName(bundle);
  // No bundle selected: the selected link's (mpd5's context follows the
  // link to its bundle).
  ppp::Link* l = link.empty() ? nullptr : FindLinkByName(link);
  if (!l) return nullptr;
  bundle::Bundle* b = links_.at(l).bundle;
  auto it = b ? bundles_.find(b) : bundles_.end();
  return it == bundles_.end() ? nullptr : &it->second;
}

Status Daemon::AdminDisconnect(const std::string& session_id) {
  BundleSlot* slot = FindSession(session_id);
  if (!slot || !slot->link) return Status::Error(fmt::format("no session \"{}\"", session_id));
  MLOG_INFO(kBund, "[{}] disconnect requested by operator: session {} user \"{}\"",
            slot->bundle->name(), session_id, slot->link->peer_authname());
  if (auto* ls = SlotOfLink(links_, slot->link))
    RedialHold(ls->admin_closed, ls->closed_by_last_ncp).ByOperator();
  slot->link->Close("admin reset");
  return Status::Ok();
}

void Daemon::RequestShutdown() {
  MLOG_INFO(kConsole, "shutdown requested by operator");
  if (options_.request_shutdown) loop_.Post(options_.request_shutdown);
}

void Daemon::ProbeLoopLag(event::TimePoint due) {
  if (!lag_timer_) lag_timer_ = loop_.CreateTimer();
  if (due != event::TimePoint{}) {
    auto late = loop_.Now() - due;
    counters_.loop_lag.Add(late < event::Duration::zero() ? event::Duration::zero() : late);
  }
  constexpr auto kPeriod = std::chrono::seconds(1);
  auto next = loop_.Now() + kPeriod;
  lag_timer_->Start(kPeriod, [this, next] { ProbeLoopLag(next); });
}

}  // namespace mlppp::daemon
