#include "ppp/ecp/default_codecs.h"

namespace mlppp::ppp {

Result<std::unique_ptr<ccp::Encoder>> DefaultEcpCodecs::MakeEncoder(const EcpDirection& d) {
  return Status::Error(std::string(EcpMethodName(d.method)) + " is not available yet");
}

Result<std::unique_ptr<ccp::Decoder>> DefaultEcpCodecs::MakeDecoder(const EcpDirection& d) {
  return Status::Error(std::string(EcpMethodName(d.method)) + " is not available yet");
}

}  // namespace mlppp::ppp
