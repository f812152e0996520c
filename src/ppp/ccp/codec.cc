#include "ppp/ccp/codec.h"

namespace mlppp::ppp::ccp {

std::string_view EncodeResultName(EncodeResult r) {
  switch (r) {
    case EncodeResult::kDatagram:
      return "datagram";
    case EncodeResult::kUncompressed:
      return "uncompressed";
    case EncodeResult::kDrop:
      return "drop";
  }
  return "?";
}

}  // namespace mlppp::ppp::ccp
