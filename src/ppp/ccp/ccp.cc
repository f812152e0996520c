#include "ppp/ccp/ccp.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/wire.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

constexpr uint8_t T(CcpOpt o) { return static_cast<uint8_t>(o); }
constexpr uint8_t kDeflateMethod = 8;  // RFC 1979 §2.1: the only Method
constexpr uint8_t kMinWindow = 9;      // zlib's raw deflate cannot do 8 (pppd asks 9+ too)
constexpr uint8_t kMaxWindow = 15;

CpOption MppcOption(uint32_t bits) {
  CpOption o;
  o.type = T(CcpOpt::kMppc);
  WireWriter w(o.data);
  w.U32(bits);
  return o;
}

// RFC 1979 §2.1: Window in the high nibble (log2 - 8), Method in the low;
// Check-Method 0 = sequence number.
CpOption DeflateOption(uint8_t type, uint8_t window) {
  return CpOption{type, {static_cast<uint8_t>(((window - 8) << 4) | kDeflateMethod), 0}};
}

std::optional<uint32_t> MppcValue(const CpOption& o) {
  if (o.data.size() != 4) return std::nullopt;
  WireReader r(o.data);
  return r.U32();
}

bool IsDeflate(uint8_t type) {
  return type == T(CcpOpt::kDeflate) || type == T(CcpOpt::kDeflateDraft);
}

uint32_t Strongest(uint32_t key_bits) {
  if (key_bits & kMppe128) return kMppe128;
  if (key_bits & kMppe56) return kMppe56;
  if (key_bits & kMppe40) return kMppe40;
  return 0;
}

// What our request (as acked) means for the direction we receive.
CcpDirection DirectionOf(std::span<const CpOption> opts) {
  CcpDirection d;
  for (const CpOption& o : opts) {
    if (o.type == T(CcpOpt::kMppc)) {
      if (auto v = MppcValue(o)) d = {CcpMethod::kMppc, *v, 0};
    } else if (IsDeflate(o.type) && o.data.size() == 2) {
      d = {CcpMethod::kDeflate, 0, static_cast<uint8_t>((o.data[0] >> 4) + 8)};
    } else if (o.type == T(CcpOpt::kPred1)) {
      d = {CcpMethod::kPred1, 0, 0};
    }
  }
  return d;
}

}  // namespace

std::string_view CcpOptName(uint8_t type) {
  switch (static_cast<CcpOpt>(type)) {
    case CcpOpt::kPred1:
      return "Predictor-1";
    case CcpOpt::kPred2:
      return "Predictor-2";
    case CcpOpt::kPuddle:
      return "Puddle-Jumper";
    case CcpOpt::kHpPpc:
      return "HP-PPC";
    case CcpOpt::kStac:
      return "Stac-LZS";
    case CcpOpt::kMppc:
      return "MPPC/MPPE";
    case CcpOpt::kGandalf:
      return "Gandalf-FZA";
    case CcpOpt::kV42bis:
      return "V.42bis";
    case CcpOpt::kBsdCompress:
      return "BSD-Compress";
    case CcpOpt::kLzsDcp:
      return "LZS-DCP";
    case CcpOpt::kDeflateDraft:
      return "Deflate-draft";
    case CcpOpt::kDeflate:
      return "Deflate";
  }
  return "unknown";
}

std::string MppcBitsText(uint32_t bits) {
  std::string s;
  auto add = [&s](std::string_view w) {
    if (!s.empty()) s += ' ';
    s += w;
  };
  if (bits & kMppe40) add("e40");
  if (bits & kMppe56) add("e56");
  if (bits & kMppe128) add("e128");
  if (bits & kMppeStateless) add("stateless");
  if (bits & kMppcCompress) add("compress");
  if (s.empty()) s = "none";
  return s;
}

std::string_view CcpMethodName(CcpMethod m) {
  switch (m) {
    case CcpMethod::kNone:
      return "none";
    case CcpMethod::kMppc:
      return "mppc";
    case CcpMethod::kDeflate:
      return "deflate";
    case CcpMethod::kPred1:
      return "pred1";
  }
  return "?";
}

std::string CcpDirectionText(const CcpDirection& d) {
  switch (d.method) {
    case CcpMethod::kMppc:
      return fmt::format("mppc({})", MppcBitsText(d.mppc_bits));
    case CcpMethod::kDeflate:
      return fmt::format("deflate({})", d.deflate_window);
    default:
      return std::string(CcpMethodName(d.method));
  }
}

Ccp::Ccp(event::Loop& loop, CcpConfig config, CcpCodecFactory& codecs, ControlSender send,
         CodecCpEvents& events, FsmConfig fsm)
    : CodecCp(loop, static_cast<uint16_t>(Proto::kCcp), "CCP", log::Cat::kCcp, std::move(send),
              events, fsm),
      config_(config),
      codecs_(codecs) {
  config_.deflate_window = std::clamp(config_.deflate_window, kMinWindow, kMaxWindow);
  ResetOptions();
}

uint32_t Ccp::MppcMask(bool enable) const {
  auto on = [enable](const CcpToggle& t) { return enable ? t.enable : t.accept; };
  if (!on(config_.mppc)) return 0;
  uint32_t bits = 0;
  if (on(config_.mppc_compress)) bits |= kMppcCompress;
  if (config_.have_mppe_keys) {
    if (on(config_.e40)) bits |= kMppe40;
    if (on(config_.e56)) bits |= kMppe56;
    if (on(config_.e128)) bits |= kMppe128;
  }
  // Stateless is a property of MPPE/MPPC history; alone it means nothing.
  if (bits && on(config_.stateless)) bits |= kMppeStateless;
  return bits;
}

void Ccp::ResetOptions() {
  mppc_rejected_ = deflate_rejected_ = pred1_rejected_ = false;
  want_mppc_bits_ = MppcMask(true);
  want_deflate_window_ = config_.deflate_window;
  // As in IPCP: the Fsm calls this before our first request, possibly after
  // it acked the peer's, so what we send (result_.send) stays.
  result_.recv = {};
}

std::vector<CpOption> Ccp::BuildConfReq() {
  // RFC 1962 §2: one method per direction; we ask for one at a time, in
  // mpd5's order of preference, and fall back when the peer rejects it.
  if (!mppc_rejected_ && want_mppc_bits_ != 0) return {MppcOption(want_mppc_bits_)};
  if (!deflate_rejected_ && config_.deflate.enable)
    return {DeflateOption(T(CcpOpt::kDeflate), want_deflate_window_)};
  if (!pred1_rejected_ && config_.pred1.enable) return {CpOption{T(CcpOpt::kPred1), {}}};
  return {};
}

std::optional<uint32_t> Ccp::ChooseMppcBits(uint32_t requested) const {
  const uint32_t allowed = MppcMask(false);
  uint32_t out = 0;
  if (requested & allowed & kMppcCompress) out |= kMppcCompress;
  // RFC 3078 §2: exactly one key strength may end up set; a peer offering
  // several gets a Nak naming the strongest we allow, one offering only
  // strengths we refuse gets our strongest instead.
  uint32_t key = Strongest(requested & allowed & kMppeKeyBits);
  if (!key && ((requested & kMppeKeyBits) || config_.require_mppe))
    key = Strongest(allowed & kMppeKeyBits);
  out |= key;
  if (!out) return std::nullopt;
  if (requested & allowed & kMppeStateless) out |= kMppeStateless;
  return out;
}

ConfReqVerdict Ccp::CheckConfReq(std::span<const CpOption> opts) {
  std::vector<CpOption> nak, rej;
  std::optional<CcpDirection> chosen;
  for (const CpOption& o : opts) {
    if (o.type == T(CcpOpt::kMppc)) {
      auto bits = MppcValue(o);
      if (!bits) {
        ++peer_errors_;
        MLOG_PEER_ERROR(limit(), kCcp, "CCP: MPPC option of length {} rejected", o.data.size());
        rej.push_back(o);
        continue;
      }
      auto want = chosen ? std::nullopt : ChooseMppcBits(*bits);
      if (!want) {
        MLOG_DEBUG(kCcp, "CCP: rejecting MPPC/MPPE {}", MppcBitsText(*bits));
        rej.push_back(o);
      } else if (*want != *bits) {
        nak.push_back(MppcOption(*want));
      } else {
        chosen = CcpDirection{CcpMethod::kMppc, *bits, 0};
      }
    } else if (IsDeflate(o.type)) {
      if (o.data.size() != 2 || chosen || !config_.deflate.accept) {
        rej.push_back(o);
        continue;
      }
      uint8_t window = static_cast<uint8_t>((o.data[0] >> 4) + 8);
      bool method_ok = (o.data[0] & 0x0f) == kDeflateMethod && o.data[1] == 0;
      if (!method_ok || window < kMinWindow || window > kMaxWindow) {
        // RFC 1979 §2.1: suggest what we can do.
        nak.push_back(DeflateOption(o.type, std::clamp(window, kMinWindow, kMaxWindow)));
      } else {
        chosen = CcpDirection{CcpMethod::kDeflate, 0, window};
      }
    } else if (o.type == T(CcpOpt::kPred1)) {
      if (!o.data.empty() || chosen || !config_.pred1.accept) {
        rej.push_back(o);
      } else {
        chosen = CcpDirection{CcpMethod::kPred1, 0, 0};
      }
    } else {
      // BSD-Compress, Stac, ... and anything unknown (RFC 1661 §5.4).
      MLOG_DEBUG(kCcp, "CCP: rejecting {} ({})", CcpOptName(o.type), o.type);
      rej.push_back(o);
    }
  }
  if (!rej.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kRej, std::move(rej)};
  if (!nak.empty()) return ConfReqVerdict{ConfReqVerdict::Kind::kNak, std::move(nak)};
  result_.send = chosen.value_or(CcpDirection{});
  return ConfReqVerdict{ConfReqVerdict::Kind::kAck, {}};
}

void Ccp::OnConfAck(std::span<const CpOption> opts) { result_.recv = DirectionOf(opts); }

void Ccp::OnConfNak(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    if (o.type == T(CcpOpt::kMppc)) {
      auto bits = MppcValue(o);
      if (!bits) {
        ++peer_errors_;
        continue;
      }
      // Take the peer's choice where we enabled it (RFC 3078 §2: it names
      // the one strength it will use); nothing in common = give up on it.
      uint32_t mine = MppcMask(true);
      uint32_t next = *bits & mine & (kMppcCompress | kMppeStateless);
      next |= Strongest(*bits & mine & kMppeKeyBits);
      if (next & (kMppcCompress | kMppeKeyBits)) {
        want_mppc_bits_ = next;
      } else {
        mppc_rejected_ = true;
      }
    } else if (IsDeflate(o.type) && o.data.size() == 2) {
      uint8_t window = static_cast<uint8_t>((o.data[0] >> 4) + 8);
      if ((o.data[0] & 0x0f) == kDeflateMethod && window >= kMinWindow &&
          window <= want_deflate_window_) {
        want_deflate_window_ = window;
      } else {
        deflate_rejected_ = true;
      }
    }
  }
}

void Ccp::OnConfRej(std::span<const CpOption> opts) {
  for (const CpOption& o : opts) {
    if (o.type == T(CcpOpt::kMppc)) mppc_rejected_ = true;
    if (IsDeflate(o.type)) deflate_rejected_ = true;
    if (o.type == T(CcpOpt::kPred1)) pred1_rejected_ = true;
  }
}

Result<CodecCp::Codecs> Ccp::MakeCodecs() {
  return BuildCodecs(
      codecs_, result_.send, result_.recv,
      [](const CcpDirection& d) { return d.method != CcpMethod::kNone; }, CcpDirectionText);
}

}  // namespace mlppp::ppp
