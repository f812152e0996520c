#include "bundle/bundle.h"

#include <arpa/inet.h>

#include "ppp/protocol.h"

namespace mlppp::bundle {
namespace {

constexpr uint16_t kIpv4 = static_cast<uint16_t>(ppp::Proto::kIpv4);
constexpr uint16_t kIpv6 = static_cast<uint16_t>(ppp::Proto::kIpv6);
constexpr uint16_t kIpcp = static_cast<uint16_t>(ppp::Proto::kIpcp);
constexpr uint16_t kIpv6cp = static_cast<uint16_t>(ppp::Proto::kIpv6cp);

std::string Ip4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

std::string Ifid(const std::array<uint8_t, 8>& id) {
  return fmt::format("{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}", id[0], id[1], id[2],
                     id[3], id[4], id[5], id[6], id[7]);
}

}  // namespace

Bundle::Bundle(event::Loop& loop, std::string name, BundleConfig config, IfaceFactory& ifaces,
               BundleEvents& events, std::function<uint64_t()> random64)
    : loop_(loop),
      name_(std::move(name)),
      config_(std::move(config)),
      ifaces_(ifaces),
      events_(events),
      random64_(std::move(random64)) {}

Bundle::~Bundle() { *alive_ = false; }

const std::string& Bundle::iface_name() const {
  static const std::string kNone = "-";
  return iface_ ? iface_->name() : kNone;
}

const ppp::IpcpResult* Bundle::ipcp_result() const {
  return ipcp_ && ipcp_->fsm().state() == ppp::FsmState::kOpened ? &ipcp_->result() : nullptr;
}
const ppp::Ipv6cpResult* Bundle::ipv6cp_result() const {
  return ipv6cp_ && ipv6cp_->fsm().state() == ppp::FsmState::kOpened ? &ipv6cp_->result()
                                                                      : nullptr;
}

Status Bundle::Join(ppp::Link& link) {
  if (link_) return Status::Error("bundle already has a link (multilink not supported yet)");
  auto iface = ifaces_.Create(config_.iface_name);
  if (!iface) return Status::Error("cannot create interface: " + iface.error());
  iface_ = std::move(*iface);
  link_ = &link;
  iface_->SetReceiver([this](IpFamily fam, Packet&& pkt) { FromIface(fam, std::move(pkt)); });
  MLOG_INFO(kBund, "[{}] link {} joined, interface {}", name_, link.name(), iface_->name());

  auto send = [this](uint16_t proto, Packet&& info) { SendNcp(proto, std::move(info)); };
  if (config_.ipcp) {
    ipcp_ = std::make_unique<ppp::Ipcp>(loop_, config_.ipcp_conf, send, *this, config_.fsm);
    ipcp_->fsm().Open();
    ipcp_->fsm().Up();
  } else {
    ipcp_finished_ = true;
  }
  if (config_.ipv6cp) {
    ipv6cp_ = std::make_unique<ppp::Ipv6cp>(loop_, config_.ipv6cp_conf, send, *this, random64_,
                                            config_.fsm);
    ipv6cp_->fsm().Open();
    ipv6cp_->fsm().Up();
  } else {
    ipv6cp_finished_ = true;
  }
  if (!config_.ipcp && !config_.ipv6cp) CheckAllFinished("no network protocol enabled");
  return Status::Ok();
}

void Bundle::Leave(ppp::Link& link) {
  if (link_ != &link) return;
  MLOG_INFO(kBund, "[{}] link {} left", name_, link.name());
  if (ipcp_) ipcp_->fsm().Down();
  if (ipv6cp_) ipv6cp_->fsm().Down();
  link_ = nullptr;
  up_ = false;
  v4_ready_ = v6_ready_ = false;
  if (iface_) loop_.DeferDelete(std::move(iface_));
  CheckAllFinished("link left");
  if (!down_reported_) {
    down_reported_ = true;
    loop_.Post([this, alive = std::weak_ptr<bool>(alive_)] {
      if (alive.lock()) events_.OnBundleDown(*this, "link left");
    });
  }
}

void Bundle::Close(std::string_view reason) {
  MLOG_INFO(kBund, "[{}] close: {}", name_, reason);
  if (ipcp_) ipcp_->fsm().Close(reason);
  if (ipv6cp_) ipv6cp_->fsm().Close(reason);
}

void Bundle::SendNcp(uint16_t protocol, Packet&& info) {
  if (link_) link_->SendNetwork(protocol, std::move(info));
}

void Bundle::Input(ppp::Link& link, uint16_t protocol, Packet&& info) {
  switch (protocol) {
    case kIpv4:
      if (!v4_ready_) break;
      counters_.in_packets++;
      counters_.in_octets += info.size();
      iface_->Deliver(IpFamily::kV4, std::move(info));
      return;
    case kIpv6:
      if (!v6_ready_) break;
      counters_.in_packets++;
      counters_.in_octets += info.size();
      iface_->Deliver(IpFamily::kV6, std::move(info));
      return;
    case kIpcp:
      if (ipcp_) {
        ipcp_->fsm().Input(info.span());
        return;
      }
      link.RejectProtocol(protocol, info.span());
      return;
    case kIpv6cp:
      if (ipv6cp_) {
        ipv6cp_->fsm().Input(info.span());
        return;
      }
      link.RejectProtocol(protocol, info.span());
      return;
    default:
      // RFC 1661 §5.7: an unsupported protocol gets Protocol-Reject.
      link.RejectProtocol(protocol, info.span());
      return;
  }
  // Data for an NCP that is not open: discarded (RFC 1661 §3.5).
  counters_.dropped++;
}

void Bundle::ProtocolRejected(uint16_t protocol) {
  if (protocol == kIpcp && ipcp_) ipcp_->fsm().ProtocolRejected();
  if (protocol == kIpv6cp && ipv6cp_) ipv6cp_->fsm().ProtocolRejected();
}

void Bundle::FromIface(IpFamily fam, Packet&& pkt) {
  if (!link_ || (fam == IpFamily::kV4 ? !v4_ready_ : !v6_ready_)) {
    counters_.dropped++;
    return;
  }
  counters_.out_packets++;
  counters_.out_octets += pkt.size();
  link_->SendNetwork(fam == IpFamily::kV4 ? kIpv4 : kIpv6, std::move(pkt));
}

void Bundle::OnIpcpUp(const ppp::IpcpResult& r) {
  MLOG_INFO(kIpcp, "[{}] IPCP up: {} -> {}", name_, Ip4(r.local), Ip4(r.peer));
  Ipv4Params p;
  p.local = r.local;
  p.peer = r.peer;
  p.mtu = config_.mtu;
  if (link_) p.mtu = std::min<uint16_t>(p.mtu, link_->lcp_result().peer_mru);
  p.routes = config_.routes;
  iface_->ConfigureV4(p, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
    if (!alive.lock()) return;
    if (!s.ok()) {
      MLOG_ERROR(kIface, "[{}] configuring {} failed: {}", name_, iface_name(), s.message());
      Close("interface configuration failed");
      return;
    }
    if (!ipcp_ || ipcp_->fsm().state() != ppp::FsmState::kOpened) return;
    v4_ready_ = true;
    MLOG_INFO(kIface, "[{}] {} inet {} -> {} up", name_, iface_name(), Ip4(ipcp_->result().local),
              Ip4(ipcp_->result().peer));
    CheckUp();
  });
}

void Bundle::OnIpcpDown() {
  MLOG_INFO(kIpcp, "[{}] IPCP down", name_);
  v4_ready_ = false;
  up_ = false;
}

void Bundle::OnIpcpFinished(std::string_view reason) {
  ipcp_finished_ = true;
  CheckAllFinished(reason);
}

void Bundle::OnIpv6cpUp(const ppp::Ipv6cpResult& r) {
  MLOG_INFO(kIpv6cp, "[{}] IPV6CP up: {} -> {}", name_, Ifid(r.local_id), Ifid(r.peer_id));
  Ipv6Params p;
  p.local_id = r.local_id;
  p.peer_id = r.peer_id;
  iface_->ConfigureV6(p, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
    if (!alive.lock()) return;
    if (!s.ok()) {
      MLOG_ERROR(kIface, "[{}] configuring IPv6 on {} failed: {}", name_, iface_name(),
                 s.message());
      Close("interface configuration failed");
      return;
    }
    if (!ipv6cp_ || ipv6cp_->fsm().state() != ppp::FsmState::kOpened) return;
    v6_ready_ = true;
    MLOG_INFO(kIface, "[{}] {} inet6 fe80::{} up", name_, iface_name(),
              Ifid(ipv6cp_->result().local_id));
    CheckUp();
  });
}

void Bundle::OnIpv6cpDown() {
  MLOG_INFO(kIpv6cp, "[{}] IPV6CP down", name_);
  v6_ready_ = false;
  up_ = false;
}

void Bundle::OnIpv6cpFinished(std::string_view reason) {
  ipv6cp_finished_ = true;
  CheckAllFinished(reason);
}

void Bundle::CheckUp() {
  bool v4_ok = !config_.ipcp || v4_ready_;
  bool v6_ok = !config_.ipv6cp || v6_ready_;
  // One NCP that finished (e.g. peer rejected IPV6CP) must not hold the
  // session back: up when every NCP still running is ready.
  if (ipcp_finished_) v4_ok = true;
  if (ipv6cp_finished_) v6_ok = true;
  if (up_ || !(v4_ok && v6_ok) || !(v4_ready_ || v6_ready_)) return;
  up_ = true;
  MLOG_INFO(kBund, "[{}] session up on {}", name_, iface_name());
  events_.OnBundleUp(*this);
}

void Bundle::CheckAllFinished(std::string_view reason) {
  if (!ipcp_finished_ || !ipv6cp_finished_ || down_reported_) {
    if (!down_reported_) CheckUp();
    return;
  }
  down_reported_ = true;
  std::string r(reason);
  MLOG_INFO(kBund, "[{}] no network protocols left: {}", name_, r);
  loop_.Post([this, r, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) events_.OnBundleDown(*this, r);
  });
}

}  // namespace mlppp::bundle
