// The real EcpCodecFactory: DESE and DESE-bis keyed from mpd5's `set ecp key`.
#pragma once

#include <string>

#include "ppp/ecp/ecp.h"

namespace mlppp::ppp {

class DefaultEcpCodecs : public EcpCodecFactory {
 public:
  // `secret` is `set ecp key`; it is turned into a DES key as mpd5 does.
  explicit DefaultEcpCodecs(std::string secret) : secret_(std::move(secret)) {}
  ~DefaultEcpCodecs() override;
  Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const EcpDirection& d) override;
  Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const EcpDirection& d) override;

 private:
  std::string secret_;
};

}  // namespace mlppp::ppp
