#include "ppp/ipv6cp.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/wire.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint8_t kIdOpt = static_cast<uint8_t>(Ipv6cpOpt::kInterfaceId);
constexpr InterfaceId kZero{};

InterfaceId FromU64(uint64_t v) {
  InterfaceId id{};
  std::vector<uint8_t> b;
  WireWriter w(b);
  w.U64(v);
  std::copy(b.begin(), b.end(), id.begin());
  return id;
}

CpOption IdOption(const InterfaceId& id) {
  CpOption o;
  o.type = kIdOpt;
  o.data.assign(id.begin(), id.end());
  return o;
}

std::optional<InterfaceId> IdValue(const CpOption& o) {
  if (o.data.size() != 8) return std::nullopt;
  InterfaceId id{};
  std::copy(o.data.begin(), o.data.end(), id.begin());
  return id;
}

}  // namespace

std::string InterfaceIdString(const InterfaceId& id) {
  return fmt::format("{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}:{:02x}{:02x}", id[0], id[1], id[2],
                     id[3], id[4], id[5], id[6], id[7]);
}

std::string_view Ipv6cpOptName(uint8_t type) {
  switch (static_cast<Ipv6cpOpt>(type)) {
    case Ipv6cpOpt::kInterfaceId:
      return "Interface-Identifier";
    case Ipv6cpOpt::kIpv6Compression:
      return "IPv6-Compression-Protocol";
  }
  return "unknown";
}

Ipv6cp::Ipv6cp(event::Loop& loop, Ipv6cpConfig config, ControlSender send, Ipv6cpEvents& events,
               std::function<uint64_t()> random, FsmConfig fsm)
    : loop_(loop),
      config_(config),
      events_(events),
      random_(std::move(random)),
      fsm_(loop, static_cast<uint16_t>(Proto::kIpv6cp), "IPV6CP", *this, std::move(send), fsm) {
  local_id_ = config_.local_id == kZero ? NewId(kZero, kZero) : config_.local_id;
  ResetOptions();
}

Ipv6cp::~Ipv6cp() { *alive_ = false; }

InterfaceId Ipv6cp::NewId(const InterfaceId& a, const InterfaceId& b) {
  for (int i = 0; i < 16 && random_; ++i) {
    InterfaceId id = FromU64(random_());
    if (id != kZero && id != a && id != b) return id;
  }
  // A broken random source must not hang us: one of 1, 2, 3 differs from
  // both (RFC 5072 §4.1 only needs non-zero and distinct).
  for (uint64_t v = 1;; ++v) {
    InterfaceId id = FromU64(v);
    if (id != a && id != b) return id;
  }
}

void Ipv6cp::ResetOptions() {
  if (config_.local_id != kZero) local_id_ = config_.local_id;
  send_id_ = true;
  collisions_ = 0;
  nak_missing_id_ = true;
  // Called before our first request, possibly after we acked the peer's:
  // the peer's identifier stays.
  result_.local_id = {};
}

std::vector<CpOption> Ipv6cp::BuildConfReq() {
  if (!send_id_) return {};
  return {IdOption(local_id_)};
}

ConfReqVerdict Ipv6cp::CheckConfReq(std::span<const CpOption> opts) {
  std::vector<CpOption> nak, rej;
  bool saw_id = false;
  InterfaceId peer{};
  for (const CpOption& o : opts) {
    if (o.type != kIdOpt) {
      // IPv6-Compression-Protocol (not supported) and anything unknown.
      MLOG_DEBUG(kIpv6cp, "IPV6CP: rejecting {} ({})", Ipv6cpOptName(o.type), o.type);
      rej.push_back(o);
      continue;
    }
    auto id = IdValue(o);
    if (!id || saw_id) {
      ++peer_errors_;
      MLOG_PEER_ERROR(limit_, kIpv6cp, "IPV6CP: bad or repeated Interface-Identifier rejected");
      rej.push_back(o);
      continue;
    }
    saw_id = true;
    seen_peer_id_ = *id;
    if (*id == kZero) {
      // RFC 5072 §4.1: suggest a non-zero identifier other than ours.
      nak.push_back(IdOption(NewId(local_id_, kZero)));
    } else if (*id == local_id_) {
      // RFC 5072 §4.1: equal identifiers; suggest another one for the peer,
      // and if this keeps happening change ours too.
      if (++collisions_ >= 2) local_id_ = NewId(local_id_, *id);
      nak.push_back(IdOption(NewId(local_id_, *id)));
      MLOG_DEBUG(kIpv6cp, "IPV6CP: identifier collision on {} (#{})", InterfaceIdString(*id),
                 collisions_);
    } else {
      peer = *id;
    }
  }
  if (!rej.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kRej, std::move(rej)};
  if (!saw_id && nak_missing_id_) {
    // RFC 5072 §4.1: the option SHOULD be appended to a Nak once.
    nak_missing_id_ = false;
    nak.push_back(IdOption(NewId(local_id_, kZero)));
  }
  if (!nak.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kNak, std::move(nak)};
  result_.peer_id = peer;
  return ConfReqVerdict{ConfReqVerdict::Kind::kAck, {}};
}

void Ipv6cp::OnConfAck(std::span<const CpOption> /*opts*/) { result_.local_id = local_id_; }

void Ipv6cp::OnConfNak(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    if (o.type != kIdOpt) continue;  // suggestions for options we do not want
    auto id = IdValue(o);
    if (!id) {
      ++peer_errors_;
      MLOG_PEER_ERROR(limit_, kIpv6cp, "IPV6CP: Nak'ed Interface-Identifier of length {} ignored",
                      o.data.size());
      continue;
    }
    // RFC 5072 §4.1: take the suggestion unless it is zero or the peer's
    // own identifier; then choose a fresh one.
    if (*id != kZero && *id != seen_peer_id_) {
      local_id_ = *id;
    } else {
      local_id_ = NewId(local_id_, seen_peer_id_);
    }
    send_id_ = true;
    MLOG_DEBUG(kIpv6cp, "IPV6CP: our identifier is now {}", InterfaceIdString(local_id_));
  }
}

void Ipv6cp::OnConfRej(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    // RFC 5072 §4.1: without the option we still use our identifier.
    if (o.type == kIdOpt) send_id_ = false;
  }
}

void Ipv6cp::ThisLayerUp() {
  if (result_.local_id == kZero) result_.local_id = local_id_;
  MLOG_INFO(kIpv6cp, "IPV6CP: up, local {} peer {}", InterfaceIdString(result_.local_id),
            InterfaceIdString(result_.peer_id));
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive, r = result_] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpv6cpUp(r);
  });
}

void Ipv6cp::ThisLayerDown() {
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpv6cpDown();
  });
}

void Ipv6cp::ThisLayerStarted() {}

void Ipv6cp::ThisLayerFinished() {
  std::string reason = fsm_.failure_reason().empty() ? "finished" : fsm_.failure_reason();
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive, reason = std::move(reason)] {
    auto a = alive.lock();
    if (a && *a) events_.OnIpv6cpFinished(reason);
  });
}

}  // namespace mlppp::ppp
