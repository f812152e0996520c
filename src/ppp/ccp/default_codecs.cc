#include "ppp/ccp/default_codecs.h"

#include <string>

namespace mlppp::ppp {

Result<std::unique_ptr<ccp::Encoder>> DefaultCcpCodecs::MakeEncoder(const CcpDirection& d) {
  return Status::Error(std::string(CcpMethodName(d.method)) + " is not available yet");
}

Result<std::unique_ptr<ccp::Decoder>> DefaultCcpCodecs::MakeDecoder(const CcpDirection& d) {
  return Status::Error(std::string(CcpMethodName(d.method)) + " is not available yet");
}

}  // namespace mlppp::ppp
