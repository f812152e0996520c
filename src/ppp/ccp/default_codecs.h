// The real CcpCodecFactory: MPPC/MPPE, Deflate and Predictor-1 as agreed,
// with the MPPE start keys of this session (RFC 3079, from MS-CHAP or from
// RADIUS MS-MPPE-Send/Recv-Key, RFC 2548 §2.4.2-2.4.3).
#pragma once

#include <optional>

#include "aaa/auth_backend.h"
#include "ppp/ccp/ccp.h"

namespace mlppp::ppp {

class DefaultCcpCodecs : public CcpCodecFactory {
 public:
  // `keys` from our side of the link: `send` for what we encrypt, `recv`
  // for what we decrypt (ppp::Link::mppe_keys()).
  // `mru`: what we receive at most (LCP); no decompressor yields more.
  DefaultCcpCodecs(std::optional<aaa::MppeKeys> keys, uint16_t mru) : keys_(keys), mru_(mru) {}
  ~DefaultCcpCodecs() override;
  Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const CcpDirection& d) override;
  Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const CcpDirection& d) override;

 private:
  std::optional<aaa::MppeKeys> keys_;
  uint16_t mru_;
};

}  // namespace mlppp::ppp
