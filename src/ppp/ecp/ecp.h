// ECP, the Encryption Control Protocol (RFC 1968): option handlers for the
// shared RFC 1661 automaton that agree on one encryption method per
// direction — DESE-bis (option 3, RFC 2419) or the original DESE (option 1,
// RFC 1969, mpd5's `dese-old`) — keyed with mpd5's `set ecp key`. Each
// option carries an 8-octet Initial Nonce. mpd5 (ecp.c, the only deployed
// DESE we know of) transmits with the method and nonce of its own
// Configure-Request and receives with the peer's; we do the same, so the
// two ends agree (RFC 1969 §4 can be read the other way round; see
// ppp/ecp/dese.h).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "ppp/ccp/ccp.h"
#include "ppp/ccp/codec_cp.h"

namespace mlppp::ppp {

// RFC 1968 §5 / IANA "PPP ECP Configuration Option Types".
enum class EcpOpt : uint8_t {
  kOui = 0,
  kDese = 1,     // RFC 1969
  k3Dese = 2,    // RFC 2420
  kDeseBis = 3,  // RFC 2419
};
std::string_view EcpOptName(uint8_t type);

enum class EcpMethod : uint8_t { kNone, kDese, kDeseBis };
std::string_view EcpMethodName(EcpMethod m);

struct EcpDirection {
  EcpMethod method = EcpMethod::kNone;
  std::array<uint8_t, 8> nonce{};
  bool operator==(const EcpDirection&) const = default;
};

struct EcpResult {
  EcpDirection send;  // our acked request (mpd5: we transmit with our own nonce)
  EcpDirection recv;  // the peer's acked request
};

struct EcpConfig {
  CcpToggle dese_bis, dese_old;  // `set ecp enable|accept dese-bis dese-old`
  bool have_key = false;         // `set ecp key` given: without it nothing is offered
};

class EcpCodecFactory {
 public:
  virtual ~EcpCodecFactory() = default;
  virtual Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const EcpDirection& d) = 0;
  virtual Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const EcpDirection& d) = 0;
};

class Ecp : public CodecCp {
 public:
  // REQUIRES: `codecs` outlives this object. `random64` supplies nonces.
  Ecp(event::Loop& loop, EcpConfig config, EcpCodecFactory& codecs,
      std::function<uint64_t()> random64, ControlSender send, CodecCpEvents& events,
      FsmConfig fsm = {});

  const EcpResult& result() const { return result_; }
  uint64_t peer_errors() const { return peer_errors_; }

  std::vector<CpOption> BuildConfReq() override;
  ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override;
  void OnConfAck(std::span<const CpOption> opts) override;
  void OnConfNak(std::span<const CpOption> opts) override;
  void OnConfRej(std::span<const CpOption> opts) override;
  void ResetOptions() override;

 private:
  Result<Codecs> MakeCodecs() override;
  bool Accepts(uint8_t type) const;

  EcpConfig config_;
  EcpCodecFactory& codecs_;
  std::function<uint64_t()> random64_;
  bool bis_rejected_ = false, old_rejected_ = false;
  std::array<uint8_t, 8> nonce_{};  // ours, fresh for each negotiation
  EcpResult result_;
  uint64_t peer_errors_ = 0;
};

}  // namespace mlppp::ppp
