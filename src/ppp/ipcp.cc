#include "ppp/ipcp.h"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "core/ip_literal.h"
#include "core/wire.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

CpOption AddrOption(uint8_t type, uint32_t addr) {
  CpOption o;
  o.type = type;
  WireWriter w(o.data);
  w.U32(addr);
  return o;
}

// A 4-octet address option (RFC 1332 §3.3, RFC 1877 §1.1); nullopt if the
// option's length is wrong.
std::optional<uint32_t> AddrValue(const CpOption& o) {
  if (o.data.size() != 4) return std::nullopt;
  WireReader r(o.data);
  return r.U32();
}

constexpr uint8_t T(IpcpOpt o) { return static_cast<uint8_t>(o); }

}  // namespace

std::string_view IpcpOptName(uint8_t type) {
  switch (static_cast<IpcpOpt>(type)) {
    case IpcpOpt::kIpAddresses:
      return "IP-Addresses";
    case IpcpOpt::kIpCompression:
      return "IP-Compression-Protocol";
    case IpcpOpt::kIpAddress:
      return "IP-Address";
    case IpcpOpt::kPrimaryDns:
      return "Primary-DNS";
    case IpcpOpt::kPrimaryNbns:
      return "Primary-NBNS";
    case IpcpOpt::kSecondaryDns:
      return "Secondary-DNS";
    case IpcpOpt::kSecondaryNbns:
      return "Secondary-NBNS";
  }
  return "unknown";
}

bool InRange(uint32_t addr, const Ipv4Range& range) {
  if (range.width == 0) return true;
  uint8_t width = range.width > 32 ? 32 : range.width;
  uint32_t mask = width == 32 ? 0xffffffffu : ~(0xffffffffu >> width);
  return (addr & mask) == (range.addr & mask);
}

Ipcp::Ipcp(event::Loop& loop, IpcpConfig config, ControlSender send, IpcpEvents& events,
           FsmConfig fsm)
    : loop_(loop),
      config_(config),
      events_(events),
      fsm_(loop, static_cast<uint16_t>(Proto::kIpcp), "IPCP", *this, std::move(send), fsm) {
  ResetOptions();
}

Ipcp::~Ipcp() { *alive_ = false; }

void Ipcp::ResetOptions() {
  send_addr_ = true;
  want_local_ = config_.self.addr;
  send_dns1_ = send_dns2_ = config_.request_dns;
  want_dns1_ = want_dns2_ = 0;
  nak_missing_addr_ = true;
  close_reason_.clear();
  // The Fsm calls this just before our first Configure-Request, possibly
  // after it acked the peer's: keep what we acked for the peer.
  result_.local = result_.dns1 = result_.dns2 = 0;
}

std::vector<CpOption> Ipcp::BuildConfReq() {
  std::vector<CpOption> opts;
  if (send_addr_) opts.push_back(AddrOption(T(IpcpOpt::kIpAddress), want_local_));
  if (send_dns1_) opts.push_back(AddrOption(T(IpcpOpt::kPrimaryDns), want_dns1_));
  if (send_dns2_) opts.push_back(AddrOption(T(IpcpOpt::kSecondaryDns), want_dns2_));
  return opts;
}

ConfReqVerdict Ipcp::CheckConfReq(std::span<const CpOption> opts) {
  std::vector<CpOption> nak, rej;
  bool saw_addr = false;
  uint32_t peer_addr = 0;
  for (const CpOption& o : opts) {
    switch (static_cast<IpcpOpt>(o.type)) {
      case IpcpOpt::kIpAddress: {
        auto a = AddrValue(o);
        if (!a || saw_addr) {
          ++peer_errors_;
          MLOG_PEER_ERROR(limit_, kIpcp, "IPCP: bad or repeated IP-Address option rejected");
          rej.push_back(o);
          break;
        }
        saw_addr = true;
        // RFC 1332 §3.3: a non-zero address we can live with is acked; 0
        // asks us to assign one; anything else is Nak'ed with ours for it.
        bool clash = *a == want_local_ && *a != 0;
        if (*a != 0 && InRange(*a, config_.peer) && !clash) {
          peer_addr = *a;
        } else if (config_.peer.addr != 0 && config_.peer.addr != want_local_) {
          nak.push_back(AddrOption(o.type, config_.peer.addr));
        } else {
          rej.push_back(o);  // nothing to give
        }
        break;
      }
      case IpcpOpt::kPrimaryDns:
      case IpcpOpt::kSecondaryDns: {
        // RFC 1877 §1.1, §1.3: we hand out what is configured; nothing → Rej.
        uint32_t mine = o.type == T(IpcpOpt::kPrimaryDns) ? config_.dns1 : config_.dns2;
        auto a = AddrValue(o);
        if (mine == 0 || !a) {
          rej.push_back(o);
        } else if (*a != mine) {
          nak.push_back(AddrOption(o.type, mine));
        }
        break;
      }
      default:
        // IP-Compression-Protocol (VJ, not yet), the deprecated IP-Addresses,
        // NBNS and anything unknown (RFC 1661 §5.4).
        MLOG_DEBUG(kIpcp, "IPCP: rejecting {} ({})", IpcpOptName(o.type), o.type);
        rej.push_back(o);
        break;
    }
  }
  if (!rej.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kRej, std::move(rej)};
  if (!saw_addr && config_.peer.addr != 0 && nak_missing_addr_) {
    // RFC 1661 §5.3 lets a Nak suggest an option the peer left out: offer
    // it its address once; if it still leaves it out, it gets peer.addr
    // anyway (pppd behaves the same).
    nak_missing_addr_ = false;
    nak.push_back(AddrOption(T(IpcpOpt::kIpAddress), config_.peer.addr));
  }
  if (!nak.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kNak, std::move(nak)};
  result_.peer = saw_addr ? peer_addr : config_.peer.addr;
  MLOG_DEBUG(kIpcp, "IPCP: acking peer address {}", Ipv4ToString(result_.peer));
  return ConfReqVerdict{ConfReqVerdict::Kind::kAck, {}};
}

void Ipcp::OnConfAck(std::span<const CpOption> /*opts*/) {
  // The FSM checked that the Ack repeats our request, so our wants stand.
  result_.local = send_addr_ ? want_local_ : config_.self.addr;
  result_.dns1 = send_dns1_ ? want_dns1_ : 0;
  result_.dns2 = send_dns2_ ? want_dns2_ : 0;
}

bool Ipcp::AcceptableLocal(uint32_t addr) const {
  if (addr == 0) return false;
  if (config_.self.addr == 0) return true;  // we asked to be assigned one
  return InRange(addr, config_.self);
}

void Ipcp::OnConfNak(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    auto a = AddrValue(o);
    if (!a) {
      ++peer_errors_;
      MLOG_PEER_ERROR(limit_, kIpcp, "IPCP: Nak'ed {} with bad length {} ignored",
                      IpcpOptName(o.type), o.data.size());
      continue;
    }
    switch (static_cast<IpcpOpt>(o.type)) {
      case IpcpOpt::kIpAddress:
        if (AcceptableLocal(*a)) {
          MLOG_DEBUG(kIpcp, "IPCP: peer assigns us {}", Ipv4ToString(*a));
          want_local_ = *a;
          send_addr_ = true;
        } else {
          MLOG_DEBUG(kIpcp, "IPCP: peer's suggestion {} not acceptable, keeping {}",
                     Ipv4ToString(*a), Ipv4ToString(want_local_));
        }
        break;
      case IpcpOpt::kPrimaryDns:
        // A Nak'ed 0.0.0.0 would have us ask for nothing forever.
        if (config_.request_dns && *a != 0) {
          want_dns1_ = *a;
          send_dns1_ = true;
        }
        break;
      case IpcpOpt::kSecondaryDns:
        if (config_.request_dns && *a != 0) {
          want_dns2_ = *a;
          send_dns2_ = true;
        }
        break;
      default:
        break;  // suggestions for options we do not want
    }
  }
}

void Ipcp::OnConfRej(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    switch (static_cast<IpcpOpt>(o.type)) {
      case IpcpOpt::kIpAddress:
        send_addr_ = false;
        if (want_local_ == 0) {
          // RFC 1332 §3.3: without the option we have no address at all.
          // The Fsm queues an event raised from inside a handler call, so
          // this Close runs right after the current one, before any input.
          close_reason_ = "peer rejected IP-Address and we have no address";
          fsm_.Close(close_reason_);
        }
        break;
      case IpcpOpt::kPrimaryDns:
        send_dns1_ = false;
        break;
      case IpcpOpt::kSecondaryDns:
        send_dns2_ = false;
        break;
      default:
        break;
    }
  }
}

void Ipcp::ThisLayerUp() {
  MLOG_INFO(kIpcp, "IPCP: up, local {} peer {} dns {} {}", Ipv4ToString(result_.local),
            Ipv4ToString(result_.peer), Ipv4ToString(result_.dns1), Ipv4ToString(result_.dns2));
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive, r = result_] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpcpUp(r);
  });
}

void Ipcp::ThisLayerDown() {
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpcpDown();
  });
}

void Ipcp::ThisLayerStarted() {}

void Ipcp::ThisLayerFinished() {
  std::string reason = !close_reason_.empty()           ? close_reason_
                       : !fsm_.failure_reason().empty() ? fsm_.failure_reason()
                                                        : "finished";
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive, reason = std::move(reason)] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpcpFinished(reason);
  });
}

}  // namespace mlppp::ppp
