#include "ppp/protocol.h"

namespace mlppp::ppp {

// Names as in the IANA "PPP DLL Protocol Numbers" registry, shortened the way
// mpd5 and pppd print them.
std::string_view ProtoName(uint16_t proto) {
  switch (static_cast<Proto>(proto)) {
    case Proto::kIpv4:
      return "IP";
    case Proto::kIpv6:
      return "IPv6";
    case Proto::kMp:
      return "MP";
    case Proto::kCompressed:
      return "COMPD";
    case Proto::kEncrypted:
      return "CRYPT";
    case Proto::kIpcp:
      return "IPCP";
    case Proto::kIpv6cp:
      return "IPV6CP";
    case Proto::kCcp:
      return "CCP";
    case Proto::kEcp:
      return "ECP";
    case Proto::kLcp:
      return "LCP";
    case Proto::kPap:
      return "PAP";
    case Proto::kChap:
      return "CHAP";
    case Proto::kEap:
      return "EAP";
  }
  return "unknown";
}

// RFC 1661 §5 code names (RFC spelling, as mpd5 FsmCodes[]); 12/13 are
// RFC 1570, 14/15 RFC 1962.
std::string_view CpCodeName(uint8_t code) {
  switch (static_cast<CpCode>(code)) {
    case CpCode::kVendor:
      return "Vendor";
    case CpCode::kConfReq:
      return "ConfReq";
    case CpCode::kConfAck:
      return "ConfAck";
    case CpCode::kConfNak:
      return "ConfNak";
    case CpCode::kConfRej:
      return "ConfRej";
    case CpCode::kTermReq:
      return "TermReq";
    case CpCode::kTermAck:
      return "TermAck";
    case CpCode::kCodeRej:
      return "CodeRej";
    case CpCode::kProtRej:
      return "ProtoRej";
    case CpCode::kEchoReq:
      return "EchoReq";
    case CpCode::kEchoReply:
      return "EchoRep";
    case CpCode::kDiscardReq:
      return "DiscReq";
    case CpCode::kIdent:
      return "Ident";
    case CpCode::kTimeRemain:
      return "TimeRemain";
    case CpCode::kResetReq:
      return "ResetReq";
    case CpCode::kResetAck:
      return "ResetAck";
  }
  return "unknown";
}

}  // namespace mlppp::ppp
