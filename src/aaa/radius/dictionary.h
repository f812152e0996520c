// aaa/radius/: the RADIUS client side of mlpppd — the wire codec
// (packet.h), this dictionary of attribute numbers and values, the
// transport interface (transport.h) and the asynchronous client (client.h).
//
// The dictionary holds what mpd5 sends and understands (RFC 2865, 2866,
// 2868, 2869, 3162, 4818, 5176, 6911), the Microsoft vendor attributes
// (RFC 2548), the mpd vendor attributes (conf/dictionary.mpd) and the DSL
// Forum ones (TR-101). Every enum has a name function for logs; unknown
// values name themselves "unknown".
#pragma once

#include <cstdint>
#include <string_view>

namespace mlppp::aaa::radius {

// Packet codes: RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.
enum class Code : uint8_t {
  kAccessRequest = 1,
  kAccessAccept = 2,
  kAccessReject = 3,
  kAccountingRequest = 4,
  kAccountingResponse = 5,
  kAccessChallenge = 11,
  kDisconnectRequest = 40,
  kDisconnectAck = 41,
  kDisconnectNak = 42,
  kCoaRequest = 43,
  kCoaAck = 44,
  kCoaNak = 45,
};
std::string_view CodeName(uint8_t code);
inline std::string_view CodeName(Code c) { return CodeName(static_cast<uint8_t>(c)); }

// Standard attribute types.
enum class Attr : uint8_t {
  // RFC 2865 §5
  kUserName = 1,
  kUserPassword = 2,
  kChapPassword = 3,
  kNasIpAddress = 4,
  kNasPort = 5,
  kServiceType = 6,
  kFramedProtocol = 7,
  kFramedIpAddress = 8,
  kFramedIpNetmask = 9,
  kFramedRouting = 10,
  kFilterId = 11,
  kFramedMtu = 12,
  kFramedCompression = 13,
  kLoginIpHost = 14,
  kLoginService = 15,
  kLoginTcpPort = 16,
  kReplyMessage = 18,
  kCallbackNumber = 19,
  kCallbackId = 20,
  kFramedRoute = 22,
  kFramedIpxNetwork = 23,
  kState = 24,
  kClass = 25,
  kVendorSpecific = 26,
  kSessionTimeout = 27,
  kIdleTimeout = 28,
  kTerminationAction = 29,
  kCalledStationId = 30,
  kCallingStationId = 31,
  kNasIdentifier = 32,
  kProxyState = 33,
  // RFC 2866 §5
  kAcctStatusType = 40,
  kAcctDelayTime = 41,
  kAcctInputOctets = 42,
  kAcctOutputOctets = 43,
  kAcctSessionId = 44,
  kAcctAuthentic = 45,
  kAcctSessionTime = 46,
  kAcctInputPackets = 47,
  kAcctOutputPackets = 48,
  kAcctTerminateCause = 49,
  kAcctMultiSessionId = 50,
  kAcctLinkCount = 51,
  // RFC 2869 §5
  kAcctInputGigawords = 52,
  kAcctOutputGigawords = 53,
  kEventTimestamp = 55,
  kChapChallenge = 60,  // RFC 2865 §5.40
  kNasPortType = 61,    // RFC 2865 §5.41
  kPortLimit = 62,
  // RFC 2868 §3
  kTunnelType = 64,
  kTunnelMediumType = 65,
  kTunnelClientEndpoint = 66,
  kTunnelServerEndpoint = 67,
  kAcctTunnelConnection = 68,
  kTunnelPassword = 69,
  // RFC 2869 §5
  kConnectInfo = 77,
  kEapMessage = 79,
  kMessageAuthenticator = 80,
  kTunnelPrivateGroupId = 81,
  kTunnelAssignmentId = 82,
  kTunnelPreference = 83,
  kAcctInterimInterval = 85,
  kNasPortId = 87,
  kFramedPool = 88,
  kTunnelClientAuthId = 90,
  kTunnelServerAuthId = 91,
  // RFC 3162 §2
  kNasIpv6Address = 95,
  kFramedInterfaceId = 96,
  kFramedIpv6Prefix = 97,
  kLoginIpv6Host = 98,
  kFramedIpv6Route = 99,
  kFramedIpv6Pool = 100,
  kErrorCause = 101,           // RFC 5176 §3.5
  kDelegatedIpv6Prefix = 123,  // RFC 4818 §3
  kFramedIpv6Address = 168,    // RFC 6911 §3.1
};
std::string_view AttrName(uint8_t type);
inline std::string_view AttrName(Attr a) { return AttrName(static_cast<uint8_t>(a)); }

// SMI Private Enterprise Numbers of the vendors we know.
inline constexpr uint32_t kVendorMicrosoft = 311;  // RFC 2548
inline constexpr uint32_t kVendorDslForum = 3561;  // TR-101 / RFC 4679
inline constexpr uint32_t kVendorMpd = 12341;      // mpd5 conf/dictionary.mpd
std::string_view VendorName(uint32_t vendor);

// Microsoft vendor attributes, RFC 2548 §2.
enum class MsAttr : uint8_t {
  kChapResponse = 1,
  kChapError = 2,
  kChapCpw1 = 3,
  kChapCpw2 = 4,
  kChapLmEncPw = 5,
  kChapNtEncPw = 6,
  kMppeEncryptionPolicy = 7,
  kMppeEncryptionTypes = 8,
  kRasVendor = 9,
  kChapDomain = 10,
  kChapChallenge = 11,
  kChapMppeKeys = 12,
  kBapUsage = 13,
  kLinkUtilizationThreshold = 14,
  kLinkDropTimeLimit = 15,
  kMppeSendKey = 16,
  kMppeRecvKey = 17,
  kRasVersion = 18,
  kFilter = 22,
  kAcctAuthType = 23,
  kAcctEapType = 24,
  kChap2Response = 25,
  kChap2Success = 26,
  kChap2Cpw = 27,
  kPrimaryDnsServer = 28,
  kSecondaryDnsServer = 29,
  kPrimaryNbnsServer = 30,
  kSecondaryNbnsServer = 31,
};
std::string_view MsAttrName(uint8_t type);
inline std::string_view MsAttrName(MsAttr a) { return MsAttrName(static_cast<uint8_t>(a)); }

// mpd vendor attributes (mpd5 conf/dictionary.mpd).
enum class MpdAttr : uint8_t {
  kRule = 1,
  kPipe = 2,
  kQueue = 3,
  kTable = 4,
  kTableStatic = 5,
  kFilter = 6,
  kLimit = 7,
  kInputOctets = 8,
  kInputPackets = 9,
  kOutputOctets = 10,
  kOutputPackets = 11,
  kLink = 12,
  kBundle = 13,
  kIface = 14,
  kIfaceIndex = 15,
  kInputAcct = 16,
  kOutputAcct = 17,
  kAction = 18,
  kPeerIdent = 19,
  kIfaceName = 20,
  kIfaceDescr = 21,
  kIfaceGroup = 22,
  kDropUser = 154,
};
std::string_view MpdAttrName(uint8_t type);
inline std::string_view MpdAttrName(MpdAttr a) { return MpdAttrName(static_cast<uint8_t>(a)); }

// DSL Forum vendor attributes (TR-101 §3.9.3; RFC 4679 §4).
enum class DslfAttr : uint8_t {
  kAgentCircuitId = 1,
  kAgentRemoteId = 2,
};
std::string_view DslfAttrName(uint8_t type);
inline std::string_view DslfAttrName(DslfAttr a) { return DslfAttrName(static_cast<uint8_t>(a)); }

// Name of a vendor attribute: the vendor's table, or "unknown".
std::string_view VendorAttrName(uint32_t vendor, uint8_t vendor_type);

// Service-Type values, RFC 2865 §5.6 (mpd5 sends Framed).
enum class ServiceType : uint32_t {
  kLogin = 1,
  kFramed = 2,
  kCallbackLogin = 3,
  kCallbackFramed = 4,
  kOutbound = 5,
  kAdministrative = 6,
  kNasPrompt = 7,
  kAuthenticateOnly = 8,
  kCallbackNasPrompt = 9,
  kCallCheck = 10,
  kCallbackAdministrative = 11,
};
std::string_view ServiceTypeName(uint32_t v);

// Framed-Protocol values, RFC 2865 §5.7.
enum class FramedProtocol : uint32_t {
  kPpp = 1,
  kSlip = 2,
  kArap = 3,
  kGandalf = 4,
  kXylogics = 5,
  kX75 = 6
};
std::string_view FramedProtocolName(uint32_t v);

// Acct-Status-Type values, RFC 2866 §5.1 (and RFC 2867 for tunnels).
enum class AcctStatusType : uint32_t {
  kStart = 1,
  kStop = 2,
  kInterimUpdate = 3,
  kAccountingOn = 7,
  kAccountingOff = 8,
};
std::string_view AcctStatusTypeName(uint32_t v);

// Acct-Authentic values, RFC 2866 §5.6.
enum class AcctAuthentic : uint32_t { kRadius = 1, kLocal = 2, kRemote = 3 };
std::string_view AcctAuthenticName(uint32_t v);

// Acct-Terminate-Cause values, RFC 2866 §5.10.
enum class AcctTerminateCause : uint32_t {
  kUserRequest = 1,
  kLostCarrier = 2,
  kLostService = 3,
  kIdleTimeout = 4,
  kSessionTimeout = 5,
  kAdminReset = 6,
  kAdminReboot = 7,
  kPortError = 8,
  kNasError = 9,
  kNasRequest = 10,
  kNasReboot = 11,
  kPortUnneeded = 12,
  kPortPreempted = 13,
  kPortSuspended = 14,
  kServiceUnavailable = 15,
  kCallback = 16,
  kUserError = 17,
  kHostRequest = 18,
};
std::string_view AcctTerminateCauseName(uint32_t v);

// NAS-Port-Type values, RFC 2865 §5.41 (mpd5: Async for modems, Sync,
// Ethernet for PPPoE, Virtual for tunnels).
enum class NasPortType : uint32_t {
  kAsync = 0,
  kSync = 1,
  kIsdnSync = 2,
  kIsdnAsyncV120 = 3,
  kIsdnAsyncV110 = 4,
  kVirtual = 5,
  kPiafs = 6,
  kHdlcClearChannel = 7,
  kX25 = 8,
  kX75 = 9,
  kG3Fax = 10,
  kSdsl = 11,
  kAdslCap = 12,
  kAdslDmt = 13,
  kIdsl = 14,
  kEthernet = 15,
  kXdsl = 16,
  kCable = 17,
  kWirelessOther = 18,
  kWireless80211 = 19,
};
std::string_view NasPortTypeName(uint32_t v);

// Error-Cause values, RFC 5176 §3.5.
enum class ErrorCause : uint32_t {
  kResidualSessionContextRemoved = 201,
  kInvalidEapPacket = 202,
  kUnsupportedAttribute = 401,
  kMissingAttribute = 402,
  kNasIdentificationMismatch = 403,
  kInvalidRequest = 404,
  kUnsupportedService = 405,
  kUnsupportedExtension = 406,
  kInvalidAttributeValue = 407,
  kAdministrativelyProhibited = 501,
  kRequestNotRoutable = 502,
  kSessionContextNotFound = 503,
  kSessionContextNotRemovable = 504,
  kOtherProxyProcessingError = 505,
  kResourcesUnavailable = 506,
  kRequestInitiated = 507,
  kMultipleSessionSelectionUnsupported = 508,
};
std::string_view ErrorCauseName(uint32_t v);

}  // namespace mlppp::aaa::radius
