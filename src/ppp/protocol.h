// ppp/: the PPP engine — frame codec, the RFC 1661 option-negotiation
// automaton, LCP, authentication, IPCP, IPV6CP. No I/O at all: frames come in
// and go out as Packets, time comes from an event::Loop.
#pragma once

#include <cstdint>
#include <string_view>

namespace mlppp::ppp {

// PPP protocol field values (RFC 1661 §2, IANA "PPP DLL Protocol Numbers").
enum class Proto : uint16_t {
  kIpv4 = 0x0021,
  kIpv6 = 0x0057,
  kMp = 0x003d,
  kCompressed = 0x00fd,
  kEncrypted = 0x0053,
  kIpcp = 0x8021,
  kIpv6cp = 0x8057,
  kCcp = 0x80fd,
  kEcp = 0x8053,
  kLcp = 0xc021,
  kPap = 0xc023,
  kChap = 0xc223,
  kEap = 0xc227,
};
std::string_view ProtoName(uint16_t proto);

// RFC 1661 §5: control packet codes shared by LCP and the NCPs; 8..11 are
// LCP-only, 14/15 are CCP/ECP (RFC 1962 §5).
enum class CpCode : uint8_t {
  kVendor = 0,
  kConfReq = 1,
  kConfAck = 2,
  kConfNak = 3,
  kConfRej = 4,
  kTermReq = 5,
  kTermAck = 6,
  kCodeRej = 7,
  kProtRej = 8,
  kEchoReq = 9,
  kEchoReply = 10,
  kDiscardReq = 11,
  kIdent = 12,
  kTimeRemain = 13,
  kResetReq = 14,
  kResetAck = 15,
};
std::string_view CpCodeName(uint8_t code);

}  // namespace mlppp::ppp
