#include "bundle/bundle.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include "core/ip_literal.h"
#include "ppp/ccp/default_codecs.h"
#include "ppp/ecp/default_codecs.h"
#include "ppp/protocol.h"

namespace mlppp::bundle {
namespace {

constexpr uint16_t kIpv4 = static_cast<uint16_t>(ppp::Proto::kIpv4);
constexpr uint16_t kIpv6 = static_cast<uint16_t>(ppp::Proto::kIpv6);
constexpr uint16_t kIpcp = static_cast<uint16_t>(ppp::Proto::kIpcp);
constexpr uint16_t kIpv6cp = static_cast<uint16_t>(ppp::Proto::kIpv6cp);
constexpr uint16_t kCcp = static_cast<uint16_t>(ppp::Proto::kCcp);
constexpr uint16_t kCompressed = static_cast<uint16_t>(ppp::Proto::kCompressed);
constexpr uint16_t kEcp = static_cast<uint16_t>(ppp::Proto::kEcp);
constexpr uint16_t kEncrypted = static_cast<uint16_t>(ppp::Proto::kEncrypted);
// What CCP may add to a packet: MPPC/MPPE's header and inner protocol (4,
// RFC 3078 §3), Deflate's sequence number and protocol (3, RFC 1979 §2.2),
// Predictor-1's length, protocol and FCS (6, RFC 1978 §4). The interface MTU
// leaves room for the largest so that no packet outgrows the peer's MRU.
constexpr uint16_t kCcpOverhead = 6;
// ECP's DESE: sequence number, protocol and up to 8 octets of padding
// (DESE-bis adds a whole block when the data ends like padding, RFC 2419).
constexpr uint16_t kEcpOverhead = 12;

constexpr size_t Index(Ncp n) { return static_cast<size_t>(n); }

}  // namespace

std::string_view NcpName(Ncp n) {
  switch (n) {
    case Ncp::kIpcp:
      return "IPCP";
    case Ncp::kIpv6cp:
      return "IPV6CP";
    case Ncp::kCcp:
      return "CCP";
    case Ncp::kEcp:
      return "ECP";
  }
  return "?";
}

Bundle::Bundle(event::Loop& loop, std::string name, BundleConfig config, IfaceFactory& ifaces,
               BundleEvents& events, std::function<uint64_t()> random64)
    : loop_(loop),
      name_(std::move(name)),
      config_(std::move(config)),
      ifaces_(ifaces),
      events_(events),
      random64_(std::move(random64)) {}

Bundle::~Bundle() {
  *alive_ = false;
  if (batch_) batch_->Cancel(*this);
}

const std::string& Bundle::iface_name() const {
  static const std::string kNone = "-";
  return iface_ ? iface_->name() : kNone;
}

const ppp::IpcpResult* Bundle::ipcp_result() const {
  return ipcp_ && ipcp_->fsm().state() == ppp::FsmState::kOpened ? &ipcp_->result() : nullptr;
}
const ppp::Ipv6cpResult* Bundle::ipv6cp_result() const {
  return ipv6cp_ && ipv6cp_->fsm().state() == ppp::FsmState::kOpened ? &ipv6cp_->result() : nullptr;
}

Status Bundle::Join(ppp::Link& link) {
  if (link_) return Status::Error("bundle already has a link (multilink not supported yet)");
  auto iface = ifaces_.Create(config_.iface_name);
  if (!iface) return Status::Error("cannot create interface: " + iface.error());
  iface_ = std::move(*iface);
  link_ = &link;
  ending_ = false;
  iface_->SetReceiver([this](IpFamily fam, Packet&& pkt) { FromIface(fam, std::move(pkt)); });
  MLOG_INFO(kBund, "[{}] link {} joined, interface {}", name_, link.name(), iface_->name());

  auto send = [this](uint16_t proto, Packet&& info) { SendNcp(proto, std::move(info)); };
  if (config_.crypt_reqd && !config_.compression) {
    // MPPE is negotiated by CCP: without it nothing could be encrypted.
    MLOG_WARN(kBund, "[{}] crypt-reqd set but compression (CCP, for MPPE) is not enabled", name_);
  }
  if (config_.compression) {
    auto keys = link.mppe_keys();
    ppp::CcpConfig cc = config_.ccp_conf;
    cc.have_mppe_keys = keys.has_value();
    cc.require_mppe = config_.crypt_reqd && !config_.encryption;
    // A decompressor never yields more than we agreed to receive.
    ccp_codecs_ = std::make_unique<ppp::DefaultCcpCodecs>(keys, link.lcp_result().our_mru);
    ccp_ = std::make_unique<ppp::Ccp>(loop_, cc, *ccp_codecs_, send, *this, config_.fsm);
    ccp_->fsm().Open();
    ccp_->fsm().Up();
  } else {
    ccp_finished_ = true;
  }
  if (config_.encryption) {
    ppp::EcpConfig ec = config_.ecp_conf;
    ec.have_key = !config_.ecp_key.empty();
    ecp_codecs_ = std::make_unique<ppp::DefaultEcpCodecs>(config_.ecp_key);
    ecp_ = std::make_unique<ppp::Ecp>(loop_, ec, *ecp_codecs_, random64_, send, *this, config_.fsm);
    ecp_->fsm().Open();
    ecp_->fsm().Up();
  } else {
    ecp_finished_ = true;
  }
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
  if (config_.crypt_reqd && !config_.compression && !config_.encryption) {
    MLOG_WARN(kBund, "[{}] crypt-reqd without compression (MPPE) or encryption (ECP)", name_);
    Close("encryption required (crypt-reqd) but not enabled");
  }
  return Status::Ok();
}

void Bundle::Leave(ppp::Link& link) {
  if (link_ != &link) return;
  MLOG_INFO(kBund, "[{}] link {} left", name_, link.name());
  ending_ = true;
  if (ipcp_) ipcp_->fsm().Down();
  if (ipv6cp_) ipv6cp_->fsm().Down();
  if (ccp_) ccp_->fsm().Down();
  if (ecp_) ecp_->fsm().Down();
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
  ending_ = true;
  reopen_pending_.fill(false);
  if (ipcp_) ipcp_->fsm().Close(reason);
  if (ipv6cp_) ipv6cp_->fsm().Close(reason);
  if (ccp_) ccp_->fsm().Close(reason);
  if (ecp_) ecp_->fsm().Close(reason);
}

ppp::Fsm* Bundle::NcpFsm(Ncp n) {
  switch (n) {
    case Ncp::kIpcp:
      return ipcp_ ? &ipcp_->fsm() : nullptr;
    case Ncp::kIpv6cp:
      return ipv6cp_ ? &ipv6cp_->fsm() : nullptr;
    case Ncp::kCcp:
      return ccp_ ? &ccp_->fsm() : nullptr;
    case Ncp::kEcp:
      return ecp_ ? &ecp_->fsm() : nullptr;
  }
  return nullptr;
}

bool& Bundle::NcpFinished(Ncp n) {
  switch (n) {
    case Ncp::kIpcp:
      return ipcp_finished_;
    case Ncp::kIpv6cp:
      return ipv6cp_finished_;
    case Ncp::kCcp:
      return ccp_finished_;
    case Ncp::kEcp:
      break;
  }
  return ecp_finished_;
}

Status Bundle::CloseNcp(Ncp n) {
  ppp::Fsm* fsm = NcpFsm(n);
  if (!fsm) return Status::Error(fmt::format("{} is not enabled on bundle {}", NcpName(n), name_));
  admin_closed_[Index(n)] = true;
  reopen_pending_[Index(n)] = false;
  MLOG_INFO(kBund, "[{}] {}: close (administrative) in state {}", name_, NcpName(n),
            ppp::FsmStateName(fsm->state()));
  // RFC 1661 §4.3 Close: Opened sends Terminate-Request (tld first, so the
  // NCP's data stops now); Closed/Stopped just become Closed.
  fsm->Close("administratively closed");
  return Status::Ok();
}

bool Bundle::ip_ncps_gone() const {
  // An NCP the bundle does not run counts as finished (see the constructor).
  return (ipcp_finished_ || ncp_admin_closed(Ncp::kIpcp)) &&
         (ipv6cp_finished_ || ncp_admin_closed(Ncp::kIpv6cp));
}

Status Bundle::OpenNcp(Ncp n) {
  ppp::Fsm* fsm = NcpFsm(n);
  if (!fsm) return Status::Error(fmt::format("{} is not enabled on bundle {}", NcpName(n), name_));
  if (!link_ || down_reported_) return Status::Error(fmt::format("bundle {} is going down", name_));
  admin_closed_[Index(n)] = false;
  MLOG_INFO(kBund, "[{}] {}: open (administrative) in state {}", name_, NcpName(n),
            ppp::FsmStateName(fsm->state()));
  switch (fsm->state()) {
    case ppp::FsmState::kClosing:
    case ppp::FsmState::kStopping:
      // RFC 1661 §4.1: Open here leads to Stopping and then Stopped, where
      // neither side would send a Configure-Request again. Wait for the
      // close to finish and open from Closed (ReopenIfPending).
      reopen_pending_[Index(n)] = true;
      return Status::Ok();
    case ppp::FsmState::kStopped:
      // Stopped + Open stays Stopped (§4.1); via Closed it negotiates.
      fsm->Close("reopening");
      [[fallthrough]];
    case ppp::FsmState::kClosed:
      NcpFinished(n) = false;
      fsm->Open();  // irc, scr: Configure-Request, Req-Sent
      CheckUp();
      return Status::Ok();
    default:
      // Negotiating or Opened: already open (mpd5's FsmOpen does nothing).
      return Status::Ok();
  }
}

bool Bundle::ReopenIfPending(Ncp n) {
  if (!reopen_pending_[Index(n)]) return false;
  reopen_pending_[Index(n)] = false;
  ppp::Fsm* fsm = NcpFsm(n);
  if (!fsm || !link_ || down_reported_) return false;
  switch (fsm->state()) {
    case ppp::FsmState::kStopped:
      fsm->Close("reopening");
      [[fallthrough]];
    case ppp::FsmState::kClosed:
      MLOG_INFO(kBund, "[{}] {}: closed; opening again as requested", name_, NcpName(n));
      fsm->Open();
      return true;
    case ppp::FsmState::kReqSent:
    case ppp::FsmState::kAckRcvd:
    case ppp::FsmState::kAckSent:
    case ppp::FsmState::kOpened:
      return true;  // the peer's Configure-Request got there first
    default:
      return false;
  }
}

Status Bundle::CloseIface() {
  if (!iface_) return Status::Error(fmt::format("bundle {} has no interface", name_));
  if (!iface_open_) return Status::Ok();
  iface_open_ = false;
  MLOG_INFO(kIface, "[{}] {}: close (administrative): no packets pass", name_, iface_name());
  iface_->SetAdminUp(false, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
    if (!alive.lock() || s.ok()) return;
    MLOG_WARN(kIface, "[{}] taking {} down failed: {}", name_, iface_name(), s.message());
  });
  return Status::Ok();
}

Status Bundle::OpenIface() {
  if (!iface_) return Status::Error(fmt::format("bundle {} has no interface", name_));
  if (iface_open_) return Status::Ok();
  iface_open_ = true;
  MLOG_INFO(kIface, "[{}] {}: open (administrative)", name_, iface_name());
  iface_->SetAdminUp(true, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
    if (!alive.lock()) return;
    if (!s.ok()) {
      MLOG_WARN(kIface, "[{}] bringing {} up failed: {}", name_, iface_name(), s.message());
      return;
    }
    // A link brought down loses its routes (and, for IPv6, addresses) in
    // the kernel: apply again what the open NCPs negotiated.
    if (!iface_open_) return;
    ApplyV4();
    ApplyV6();
  });
  return Status::Ok();
}

bool Bundle::encrypted() const {
  if (ecp_ && ecp_->opened() && ecp_->result().send.method != ppp::EcpMethod::kNone &&
      ecp_->result().recv.method != ppp::EcpMethod::kNone)
    return true;
  if (!ccp_ || !ccp_->opened()) return false;
  const ppp::CcpResult& r = ccp_->result();
  return (r.send.mppc_bits & ppp::kMppeKeyBits) && (r.recv.mppc_bits & ppp::kMppeKeyBits);
}

bool Bundle::DataReady(uint16_t protocol) const {
  return protocol == kIpv4 ? v4_ready_ : protocol == kIpv6 ? v6_ready_ : false;
}

void Bundle::DeliverData(uint16_t protocol, Packet&& info, bool via_crypto) {
  if (config_.crypt_reqd && !via_crypto) {
    counters_.unencrypted_dropped++;
    counters_.dropped++;
    return;
  }
  if (!iface_open_) {
    // `close iface`: nothing reaches the host (decoders above still saw
    // the packet, so compression history stays in step).
    counters_.dropped++;
    return;
  }
  if (!DataReady(protocol)) {
    // Data for an NCP that is not open (RFC 1661 §3.5), or a protocol we
    // never carry inside a compressed datagram: discarded.
    counters_.dropped++;
    return;
  }
  counters_.in_packets++;
  counters_.in_octets += info.size();
  iface_->Deliver(protocol == kIpv4 ? IpFamily::kV4 : IpFamily::kV6, std::move(info));
}

void Bundle::SendNcp(uint16_t protocol, Packet&& info) {
  if (link_) link_->SendNetwork(protocol, std::move(info));
}

void Bundle::InputData(uint16_t protocol, Packet&& info, bool decrypted) {
  switch (protocol) {
    case kIpv4:
    case kIpv6:
      // RFC 1979 §2.1: a packet the peer's compressor sent as it was still
      // belongs to the history of a method like Deflate — unless ECP runs
      // and this one did not come through it (injected, or stale).
      if (ccp_ && ccp_->decoder() && (decrypted || !(ecp_ && ecp_->decoder())))
        ccp_->decoder()->Incompressible(protocol, info.span());
      DeliverData(protocol, std::move(info), decrypted);
      return;
    case kCompressed: {
      // RFC 1962 §2: a Compressed datagram while CCP is not Opened (or for a
      // direction without a method) is discarded; Decode counts it.
      ppp::ccp::CryptJob job;
      ppp::ccp::DecodeResult r =
          batch_ ? ccp_->DecodeDeferred(info, batch_->runner(), job) : ccp_->Decode(info);
      if (r.kind != ppp::ccp::DecodeResult::Kind::kOk) break;
      bool mppe = ccp_->result().recv.mppc_bits & ppp::kMppeKeyBits;
      if (job) {
        batch_->AddRx(*this, std::move(job), decrypted || mppe, std::move(info));
        return;
      }
      if (r.protocol != kIpv4 && r.protocol != kIpv6) break;
      DeliverData(r.protocol, std::move(info), decrypted || mppe);
      return;
    }
    case kEncrypted: {
      // RFC 1968 §4: ECP wraps whatever CCP produced (compression first).
      ppp::ccp::DecodeResult r = ecp_->Decode(info);
      if (r.kind != ppp::ccp::DecodeResult::Kind::kOk || r.protocol == kEncrypted) break;
      if (r.protocol == kCompressed && !ccp_) break;
      InputData(r.protocol, std::move(info), true);
      return;
    }
    default:
      break;
  }
  counters_.dropped++;
}

void Bundle::Input(ppp::Link& link, uint16_t protocol, Packet&& info) {
  switch (protocol) {
    case kIpv4:
    case kIpv6:
      InputData(protocol, std::move(info), false);
      return;
    case kCompressed:
      if (!ccp_) break;
      InputData(protocol, std::move(info), false);
      return;
    case kEncrypted:
      if (!ecp_) break;
      InputData(protocol, std::move(info), false);
      return;
    case kIpcp:
      if (!ipcp_) break;
      ipcp_->fsm().Input(info.span());
      return;
    case kIpv6cp:
      if (!ipv6cp_) break;
      ipv6cp_->fsm().Input(info.span());
      return;
    case kCcp:
      if (!ccp_) break;
      ccp_->fsm().Input(info.span());
      return;
    case kEcp:
      if (!ecp_) break;
      ecp_->fsm().Input(info.span());
      return;
    default:
      break;
  }
  // RFC 1661 §5.7: a protocol we do not run gets Protocol-Reject.
  link.RejectProtocol(protocol, info.span());
}

void Bundle::ProtocolRejected(uint16_t protocol) {
  if (protocol == kIpcp && ipcp_) ipcp_->fsm().ProtocolRejected();
  if (protocol == kIpv6cp && ipv6cp_) ipv6cp_->fsm().ProtocolRejected();
  if (protocol == kCcp && ccp_) ccp_->fsm().ProtocolRejected();
  if (protocol == kEcp && ecp_) ecp_->fsm().ProtocolRejected();
}

void Bundle::FromIface(IpFamily fam, Packet&& pkt) {
  // Packets of ours still in the batch go first: a packet enciphered now,
  // not through the batch (ECP after MPPE), must not overtake them
  // (stateful MPPE takes them in order). Done before anything is looked
  // at: handing the batch on may change what runs here.
  if (deferred_any_ && ecp_ && ecp_->encoder() && batch_->Holds(*this)) batch_->Flush();
  if (!link_ || !iface_open_ || (fam == IpFamily::kV4 ? !v4_ready_ : !v6_ready_)) {
    counters_.dropped++;
    return;
  }
  uint16_t protocol = fam == IpFamily::kV4 ? kIpv4 : kIpv6;
  ppp::ccp::Encoder* enc = ccp_ ? ccp_->encoder() : nullptr;
  ppp::ccp::Encoder* crypt = ecp_ ? ecp_->encoder() : nullptr;
  bool encrypting = crypt || (enc && (ccp_->result().send.mppc_bits & ppp::kMppeKeyBits));
  if (config_.crypt_reqd && !encrypting) {
    counters_.unencrypted_dropped++;
    counters_.dropped++;
    return;
  }
  counters_.out_packets++;
  counters_.out_octets += pkt.size();
  // MPPE alone (no ECP after it) leaves its pass to the batch.
  bool defer = batch_ && enc && !crypt;
  if (enc) {
    ppp::ccp::CryptJob job;
    ppp::ccp::EncodeResult r = defer ? enc->EncodeDeferred(protocol, pkt, batch_->runner(), job)
                                     : enc->Encode(protocol, pkt);
    if (job) {
      deferred_any_ = true;
      batch_->AddTx(*this, std::move(job), kCompressed, std::move(pkt));
      return;
    }
    switch (r) {
      case ppp::ccp::EncodeResult::kDatagram:
        protocol = kCompressed;
        break;
      case ppp::ccp::EncodeResult::kUncompressed:
        break;
      case ppp::ccp::EncodeResult::kDrop:
        counters_.dropped++;
        return;
    }
  }
  if (crypt) {
    // RFC 1968 §4: encryption after compression.
    if (crypt->Encode(protocol, pkt) != ppp::ccp::EncodeResult::kDatagram) {
      counters_.dropped++;
      return;
    }
    protocol = kEncrypted;
  }
  link_->SendNetwork(protocol, std::move(pkt));
}

void Bundle::FinishBatchedTx(uint16_t protocol, Packet&& pkt) {
  // CCP left Opened meanwhile: the peer discards what the old method made
  // (RFC 1962 §2), so it is not sent.
  if (!link_ || !ccp_ || !ccp_->opened()) {
    counters_.dropped++;
    return;
  }
  link_->SendNetwork(protocol, std::move(pkt));
}

void Bundle::DropBatched() {
  counters_.dropped++;
  MLOG_PEER_ERROR(drop_log_, kCcp, "[{}] MPPE cipher failed: packet dropped", name_);
}

void Bundle::FinishBatchedRx(bool decrypted, Packet&& pkt) {
  // Decrypted already: delivered even if CCP has left Opened since, as the
  // one-at-a-time path would have done when it arrived.
  ppp::ccp::DecodeResult r = ppp::ccp::FinishDeferred(pkt);
  if (r.kind != ppp::ccp::DecodeResult::Kind::kOk || (r.protocol != kIpv4 && r.protocol != kIpv6)) {
    counters_.dropped++;
    return;
  }
  DeliverData(r.protocol, std::move(pkt), decrypted);
}

void Bundle::OnIpcpUp(const ppp::IpcpResult& r) {
  MLOG_INFO(kIpcp, "[{}] IPCP up: {} -> {}", name_, Ipv4ToString(r.local), Ipv4ToString(r.peer));
  ApplyV4();
}

void Bundle::ApplyV4() {
  if (!iface_ || !ipcp_ || ipcp_->fsm().state() != ppp::FsmState::kOpened) return;
  const ppp::IpcpResult& r = ipcp_->result();
  Ipv4Params p;
  p.local = r.local;
  p.peer = r.peer;
  p.mtu = config_.mtu;
  if (link_) p.mtu = std::min<uint16_t>(p.mtu, link_->lcp_result().peer_mru);
  if (config_.compression) p.mtu -= kCcpOverhead;
  if (config_.encryption) p.mtu -= kEcpOverhead;
  p.routes = config_.routes;
  applied_v4_ = p;
  iface_->ConfigureV4(p, [this, alive = std::weak_ptr<bool>(alive_), gen = ++v4_gen_](Status s) {
    if (!alive.lock() || gen != v4_gen_) return;
    if (!s.ok()) {
      MLOG_ERROR(kIface, "[{}] configuring {} failed: {}", name_, iface_name(), s.message());
      Close("interface configuration failed");
      return;
    }
    if (!ipcp_ || ipcp_->fsm().state() != ppp::FsmState::kOpened) return;
    v4_ready_ = true;
    MLOG_INFO(kIface, "[{}] {} inet {} -> {} up", name_, iface_name(),
              Ipv4ToString(ipcp_->result().local), Ipv4ToString(ipcp_->result().peer));
    CheckUp();
  });
}

void Bundle::OnIpcpDown() {
  MLOG_INFO(kIpcp, "[{}] IPCP down", name_);
  v4_ready_ = false;
  ++v4_gen_;
  // mpd5 IpcpLayerDown -> BundNcpsLeave -> IfaceIpIfaceDown: the address
  // and routes go while IPCP is not open.
  if (iface_ && applied_v4_ && !ending_) {
    iface_->UnconfigureV4(*applied_v4_, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
      if (alive.lock() && !s.ok())
        MLOG_WARN(kIface, "[{}] removing IPv4 from {} failed: {}", name_, iface_name(),
                  s.message());
    });
  }
  applied_v4_.reset();
  CheckUp();
}

void Bundle::OnIpcpFinished(std::string_view reason) {
  if (ReopenIfPending(Ncp::kIpcp)) return;
  ipcp_finished_ = true;
  CheckAllFinished(reason);
}

void Bundle::OnIpv6cpUp(const ppp::Ipv6cpResult& r) {
  MLOG_INFO(kIpv6cp, "[{}] IPV6CP up: {} -> {}", name_, ppp::InterfaceIdString(r.local_id),
            ppp::InterfaceIdString(r.peer_id));
  ApplyV6();
}

void Bundle::ApplyV6() {
  if (!iface_ || !ipv6cp_ || ipv6cp_->fsm().state() != ppp::FsmState::kOpened) return;
  Ipv6Params p;
  p.local_id = ipv6cp_->result().local_id;
  p.peer_id = ipv6cp_->result().peer_id;
  applied_v6_ = p;
  iface_->ConfigureV6(p, [this, alive = std::weak_ptr<bool>(alive_), gen = ++v6_gen_](Status s) {
    if (!alive.lock() || gen != v6_gen_) return;
    if (!s.ok()) {
      MLOG_ERROR(kIface, "[{}] configuring IPv6 on {} failed: {}", name_, iface_name(),
                 s.message());
      Close("interface configuration failed");
      return;
    }
    if (!ipv6cp_ || ipv6cp_->fsm().state() != ppp::FsmState::kOpened) return;
    v6_ready_ = true;
    MLOG_INFO(kIface, "[{}] {} inet6 fe80::{} up", name_, iface_name(),
              ppp::InterfaceIdString(ipv6cp_->result().local_id));
    CheckUp();
  });
}

void Bundle::OnIpv6cpDown() {
  MLOG_INFO(kIpv6cp, "[{}] IPV6CP down", name_);
  v6_ready_ = false;
  ++v6_gen_;
  // mpd5 Ipv6cpLayerDown -> IfaceIpv6IfaceDown.
  if (iface_ && applied_v6_ && !ending_) {
    iface_->UnconfigureV6(*applied_v6_, [this, alive = std::weak_ptr<bool>(alive_)](Status s) {
      if (alive.lock() && !s.ok())
        MLOG_WARN(kIface, "[{}] removing IPv6 from {} failed: {}", name_, iface_name(),
                  s.message());
    });
  }
  applied_v6_.reset();
  CheckUp();
}

void Bundle::OnIpv6cpFinished(std::string_view reason) {
  if (ReopenIfPending(Ncp::kIpv6cp)) return;
  ipv6cp_finished_ = true;
  CheckAllFinished(reason);
}

void Bundle::OnCodecCpUp(ppp::CodecCp& cp) {
  log::Cat cat = &cp == ecp_.get() ? log::Cat::kEcp : log::Cat::kCcp;
  log::Logf(log::Level::kInfo, cat, "[{}] {} up: {}", name_, cp.fsm().name(), cp.summary());
  CheckCrypt();
  CheckUp();
}

void Bundle::OnCodecCpDown(ppp::CodecCp& cp) {
  log::Cat cat = &cp == ecp_.get() ? log::Cat::kEcp : log::Cat::kCcp;
  log::Logf(log::Level::kInfo, cat, "[{}] {} down", name_, cp.fsm().name());
  // crypt-reqd: no longer encrypted, so no longer up.
  CheckUp();
}

void Bundle::OnCodecCpFinished(ppp::CodecCp& cp, std::string_view reason) {
  bool is_ecp = &cp == ecp_.get();
  if (ReopenIfPending(is_ecp ? Ncp::kEcp : Ncp::kCcp)) return;
  (is_ecp ? ecp_finished_ : ccp_finished_) = true;
  log::Logf(log::Level::kInfo, is_ecp ? log::Cat::kEcp : log::Cat::kCcp,
            "[{}] {} finished: {}; data goes {}", name_, cp.fsm().name(), reason,
            is_ecp ? "unencrypted by ECP" : "uncompressed");
  CheckCrypt();
}

void Bundle::CheckCrypt() {
  if (!config_.crypt_reqd || down_reported_ || encrypted()) return;
  // mpd5 bund.c: with crypt-reqd a session that does not agree on
  // encryption both ways is closed — once CCP (MPPE) and ECP have both
  // reached a verdict.
  bool ccp_settled = ccp_finished_ || (ccp_ && ccp_->opened());
  bool ecp_settled = ecp_finished_ || (ecp_ && ecp_->opened());
  if (!ccp_settled || !ecp_settled) return;
  MLOG_WARN(kBund, "[{}] encryption required (crypt-reqd) but not agreed both ways", name_);
  Close("encryption required but not agreed (crypt-reqd)");
}

bool Bundle::Ready() const {
  if (!link_ || down_reported_) return false;
  // crypt-reqd: the session is not up, and carries nothing, until both
  // directions are encrypted.
  if (config_.crypt_reqd && !encrypted()) return false;
  // One NCP that finished (e.g. peer rejected IPV6CP) or that the operator
  // closed must not hold the session back: up when every NCP still wanted
  // is ready, and at least one carries data.
  bool v4_ok = !ipcp_ || v4_ready_ || ipcp_finished_ || ncp_admin_closed(Ncp::kIpcp);
  bool v6_ok = !ipv6cp_ || v6_ready_ || ipv6cp_finished_ || ncp_admin_closed(Ncp::kIpv6cp);
  return v4_ok && v6_ok && (v4_ready_ || v6_ready_);
}

void Bundle::CheckUp() {
  const bool ready = Ready();
  if (ready == up_) return;
  up_ = ready;
  if (!up_) {
    MLOG_INFO(kBund, "[{}] session not ready: waiting for its network protocols", name_);
    return;
  }
  MLOG_INFO(kBund, "[{}] session up on {}", name_, iface_name());
  // An NCP renegotiated or reopened brings the session back up; the owner
  // (accounting, setup figures) hears of the first time only.
  if (up_reported_) return;
  up_reported_ = true;
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
