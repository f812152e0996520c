// CCP, the Compression Control Protocol (RFC 1962): option handlers for the
// shared RFC 1661 automaton that agree on one compression method per
// direction — MPPC/MPPE (option 18, RFC 2118 §2 and RFC 3078 §2), Deflate
// (option 26 and the draft's 24 that pppd still offers, RFC 1979 §2.1) or
// Predictor-1 (option 1, RFC 1978 §4). Our Configure-Request names what we
// want to receive; the peer's names what we send (RFC 1962 §2).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "ppp/ccp/codec.h"
#include "ppp/ccp/codec_cp.h"

namespace mlppp::ppp {

// RFC 1962 §4 option types (IANA "PPP CCP Configuration Option Types").
enum class CcpOpt : uint8_t {
  kPred1 = 1,
  kPred2 = 2,
  kPuddle = 3,
  kHpPpc = 16,
  kStac = 17,
  kMppc = 18,
  kGandalf = 19,
  kV42bis = 20,
  kBsdCompress = 21,
  kLzsDcp = 23,
  kDeflateDraft = 24,  // draft-ietf-pppext-deflate, still offered by pppd
  kDeflate = 26,
};
std::string_view CcpOptName(uint8_t type);

// The 32-bit Supported Bits of option 18 (RFC 3078 §2; pppd's MPPE_*_BIT).
inline constexpr uint32_t kMppeStateless = 0x01000000;  // H
inline constexpr uint32_t kMppe56 = 0x00000080;         // M
inline constexpr uint32_t kMppe128 = 0x00000040;        // S
inline constexpr uint32_t kMppe40 = 0x00000020;         // L
inline constexpr uint32_t kMppeObsolete = 0x00000010;   // D (RFC 3078: never set)
inline constexpr uint32_t kMppcCompress = 0x00000001;   // C (RFC 2118)
inline constexpr uint32_t kMppeKeyBits = kMppe40 | kMppe56 | kMppe128;
// "e128 stateless compress" for logs.
std::string MppcBitsText(uint32_t bits);

enum class CcpMethod : uint8_t { kNone, kMppc, kDeflate, kPred1 };
std::string_view CcpMethodName(CcpMethod m);

// What one direction agreed on.
struct CcpDirection {
  CcpMethod method = CcpMethod::kNone;
  uint32_t mppc_bits = 0;      // kMppc: exactly one key strength (or none) plus C/H
  uint8_t deflate_window = 0;  // kDeflate: log2 of the window, 9..15
  bool operator==(const CcpDirection&) const = default;
};
std::string CcpDirectionText(const CcpDirection& d);

struct CcpResult {
  CcpDirection send;  // the peer's acked request: what our Encoder produces
  CcpDirection recv;  // our acked request: what our Decoder takes
};

// mpd5's enable (we ask the peer to send it to us) and accept (we send it
// when the peer asks) per method and per option-18 bit.
struct CcpToggle {
  bool enable = false;
  bool accept = false;
};

struct CcpConfig {
  CcpToggle mppc, deflate, pred1;  // `set ccp enable|accept mppc deflate pred1`
  // `set mppc ...`: meaningful only with mppc above.
  CcpToggle mppc_compress, e40, e56, e128, stateless;
  // False when authentication produced no MPPE keys (not MS-CHAP, no
  // MS-MPPE-*-Key from RADIUS): then no key strength is offered or accepted.
  bool have_mppe_keys = false;
  uint8_t deflate_window = 15;  // what we ask to receive (RFC 1979 §2.1)
  // crypt-reqd with MPPE as the only encryption: a peer asking for MPPC
  // alone is Nak'ed with our strongest key instead of being acked.
  bool require_mppe = false;
};

// Makes the codec of one direction (the real one is DefaultCcpCodecs; tests
// use fakes).
class CcpCodecFactory {
 public:
  virtual ~CcpCodecFactory() = default;
  virtual Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const CcpDirection& d) = 0;
  virtual Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const CcpDirection& d) = 0;
};

class Ccp : public CodecCp {
 public:
  // REQUIRES: `codecs` outlives this object.
  Ccp(event::Loop& loop, CcpConfig config, CcpCodecFactory& codecs, ControlSender send,
      CodecCpEvents& events, FsmConfig fsm = {});

  const CcpResult& result() const { return result_; }
  uint64_t peer_errors() const { return peer_errors_; }

  std::vector<CpOption> BuildConfReq() override;
  ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override;
  void OnConfAck(std::span<const CpOption> opts) override;
  void OnConfNak(std::span<const CpOption> opts) override;
  void OnConfRej(std::span<const CpOption> opts) override;
  void ResetOptions() override;

 private:
  Result<Codecs> MakeCodecs() override;
  uint32_t MppcMask(bool enable) const;
  // The peer's option 18: what we can send it, or nullopt to reject.
  std::optional<uint32_t> ChooseMppcBits(uint32_t requested) const;

  CcpConfig config_;
  CcpCodecFactory& codecs_;
  // Our next Configure-Request (RFC 1661 §5.1): one method at a time, the
  // first in mpd5's order (mppc, deflate, pred1) the peer has not rejected.
  bool mppc_rejected_ = false, deflate_rejected_ = false, pred1_rejected_ = false;
  uint32_t want_mppc_bits_ = 0;
  uint8_t want_deflate_window_ = 15;
  CcpResult result_;
  uint64_t peer_errors_ = 0;
};

}  // namespace mlppp::ppp
