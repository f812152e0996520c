#include "ppp/ecp/ecp.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint8_t T(EcpOpt o) { return static_cast<uint8_t>(o); }

EcpMethod MethodOf(uint8_t type) {
  if (type == T(EcpOpt::kDeseBis)) return EcpMethod::kDeseBis;
  if (type == T(EcpOpt::kDese)) return EcpMethod::kDese;
  return EcpMethod::kNone;
}

CpOption NonceOption(uint8_t type, const std::array<uint8_t, 8>& nonce) {
  return CpOption{type, std::vector<uint8_t>(nonce.begin(), nonce.end())};
}

std::string DirectionText(const EcpDirection& d) { return std::string(EcpMethodName(d.method)); }

}  // namespace

std::string_view EcpOptName(uint8_t type) {
  switch (static_cast<EcpOpt>(type)) {
    case EcpOpt::kOui:
      return "OUI";
    case EcpOpt::kDese:
      return "DESE";
    case EcpOpt::k3Dese:
      return "3DESE";
    case EcpOpt::kDeseBis:
      return "DESE-bis";
  }
  return "unknown";
}

std::string_view EcpMethodName(EcpMethod m) {
  switch (m) {
    case EcpMethod::kNone:
      return "none";
    case EcpMethod::kDese:
      return "dese-old";
    case EcpMethod::kDeseBis:
      return "dese-bis";
  }
  return "?";
}

Ecp::Ecp(event::Loop& loop, EcpConfig config, EcpCodecFactory& codecs,
         std::function<uint64_t()> random64, ControlSender send, CodecCpEvents& events,
         FsmConfig fsm)
    : CodecCp(loop, static_cast<uint16_t>(Proto::kEcp), "ECP", log::Cat::kEcp, std::move(send),
              events, fsm),
      config_(config),
      codecs_(codecs),
      random64_(std::move(random64)) {
  ResetOptions();
}

bool Ecp::Accepts(uint8_t type) const {
  if (!config_.have_key) return false;
  if (type == T(EcpOpt::kDeseBis)) return config_.dese_bis.accept;
  if (type == T(EcpOpt::kDese)) return config_.dese_old.accept;
  return false;
}

void Ecp::ResetOptions() {
  bis_rejected_ = old_rejected_ = false;
  uint64_t r = random64_();
  for (size_t i = 0; i < nonce_.size(); ++i) nonce_[i] = static_cast<uint8_t>(r >> (8 * i));
  // The Fsm calls this before our first request, possibly after it acked
  // the peer's: what we receive (result_.recv) stays.
  result_.send = {};
}

std::vector<CpOption> Ecp::BuildConfReq() {
  // One method at a time, DESE-bis first (mpd5's order), as CCP does.
  if (!config_.have_key) return {};
  if (!bis_rejected_ && config_.dese_bis.enable) return {NonceOption(T(EcpOpt::kDeseBis), nonce_)};
  if (!old_rejected_ && config_.dese_old.enable) return {NonceOption(T(EcpOpt::kDese), nonce_)};
  return {};
}

ConfReqVerdict Ecp::CheckConfReq(std::span<const CpOption> opts) {
  std::vector<CpOption> rej;
  std::optional<EcpDirection> chosen;
  for (const CpOption& o : opts) {
    bool known = o.type == T(EcpOpt::kDeseBis) || o.type == T(EcpOpt::kDese);
    if (known && o.data.size() != 8) {
      ++peer_errors_;
      MLOG_PEER_ERROR(limit(), kEcp, "ECP: {} option of length {} rejected", EcpOptName(o.type),
                      o.data.size());
      rej.push_back(o);
    } else if (known && !chosen && Accepts(o.type)) {
      EcpDirection d;
      d.method = MethodOf(o.type);
      std::copy(o.data.begin(), o.data.end(), d.nonce.begin());
      chosen = d;
    } else {
      MLOG_DEBUG(kEcp, "ECP: rejecting {} ({})", EcpOptName(o.type), o.type);
      rej.push_back(o);
    }
  }
  if (!rej.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kRej, std::move(rej)};
  result_.recv = chosen.value_or(EcpDirection{});
  return ConfReqVerdict{ConfReqVerdict::Kind::kAck, {}};
}

void Ecp::OnConfAck(std::span<const CpOption> opts) {
  result_.send = {};
  for (const CpOption& o : opts) {
    EcpMethod m = MethodOf(o.type);
    if (m != EcpMethod::kNone && o.data.size() == 8) {
      result_.send.method = m;
      std::copy(o.data.begin(), o.data.end(), result_.send.nonce.begin());
    }
  }
}

void Ecp::OnConfNak(std::span<const CpOption> opts) {
  // RFC 1969 §5: a Nak'ed nonce is only a suggestion; the nonce is ours to
  // choose, so a Nak changes nothing but the method when it names another.
  for (const CpOption& o : opts) {
    if (o.type == T(EcpOpt::kDeseBis) && !config_.dese_bis.enable) bis_rejected_ = true;
    if (o.type == T(EcpOpt::kDese) && !config_.dese_old.enable) old_rejected_ = true;
  }
}

void Ecp::OnConfRej(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    if (o.type == T(EcpOpt::kDeseBis)) bis_rejected_ = true;
    if (o.type == T(EcpOpt::kDese)) old_rejected_ = true;
  }
}

Result<CodecCp::Codecs> Ecp::MakeCodecs() {
  return BuildCodecs(
      codecs_, result_.send, result_.recv,
      [](const EcpDirection& d) { return d.method != EcpMethod::kNone; }, DirectionText);
}

}  // namespace mlppp::ppp
