#include "aaa/auth_backend.h"

namespace mlppp::aaa {

std::string_view AuthProtoName(AuthProto p) {
  switch (p) {
    case AuthProto::kPap:
      return "PAP";
    case AuthProto::kChapMd5:
      return "CHAP-MD5";
    case AuthProto::kChapMsV1:
      return "MS-CHAPv1";
    case AuthProto::kChapMsV2:
      return "MS-CHAPv2";
    case AuthProto::kEap:
      return "EAP";
  }
  return "unknown";
}

}  // namespace mlppp::aaa
