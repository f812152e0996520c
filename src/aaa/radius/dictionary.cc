#include "aaa/radius/dictionary.h"

namespace mlppp::aaa::radius {

std::string_view CodeName(uint8_t code) {
  switch (static_cast<Code>(code)) {
    case Code::kAccessRequest:
      return "Access-Request";
    case Code::kAccessAccept:
      return "Access-Accept";
    case Code::kAccessReject:
      return "Access-Reject";
    case Code::kAccountingRequest:
      return "Accounting-Request";
    case Code::kAccountingResponse:
      return "Accounting-Response";
    case Code::kAccessChallenge:
      return "Access-Challenge";
    case Code::kDisconnectRequest:
      return "Disconnect-Request";
    case Code::kDisconnectAck:
      return "Disconnect-ACK";
    case Code::kDisconnectNak:
      return "Disconnect-NAK";
    case Code::kCoaRequest:
      return "CoA-Request";
    case Code::kCoaAck:
      return "CoA-ACK";
    case Code::kCoaNak:
      return "CoA-NAK";
  }
  return "unknown";
}

std::string_view AttrName(uint8_t type) {
  switch (static_cast<Attr>(type)) {
    case Attr::kUserName:
      return "User-Name";
    case Attr::kUserPassword:
      return "User-Password";
    case Attr::kChapPassword:
      return "CHAP-Password";
    case Attr::kNasIpAddress:
      return "NAS-IP-Address";
    case Attr::kNasPort:
      return "NAS-Port";
    case Attr::kServiceType:
      return "Service-Type";
    case Attr::kFramedProtocol:
      return "Framed-Protocol";
    case Attr::kFramedIpAddress:
      return "Framed-IP-Address";
    case Attr::kFramedIpNetmask:
      return "Framed-IP-Netmask";
    case Attr::kFramedRouting:
      return "Framed-Routing";
    case Attr::kFilterId:
      return "Filter-Id";
    case Attr::kFramedMtu:
      return "Framed-MTU";
    case Attr::kFramedCompression:
      return "Framed-Compression";
    case Attr::kLoginIpHost:
      return "Login-IP-Host";
    case Attr::kLoginService:
      return "Login-Service";
    case Attr::kLoginTcpPort:
      return "Login-TCP-Port";
    case Attr::kReplyMessage:
      return "Reply-Message";
    case Attr::kCallbackNumber:
      return "Callback-Number";
    case Attr::kCallbackId:
      return "Callback-Id";
    case Attr::kFramedRoute:
      return "Framed-Route";
    case Attr::kFramedIpxNetwork:
      return "Framed-IPX-Network";
    case Attr::kState:
      return "State";
    case Attr::kClass:
      return "Class";
    case Attr::kVendorSpecific:
      return "Vendor-Specific";
    case Attr::kSessionTimeout:
      return "Session-Timeout";
    case Attr::kIdleTimeout:
      return "Idle-Timeout";
    case Attr::kTerminationAction:
      return "Termination-Action";
    case Attr::kCalledStationId:
      return "Called-Station-Id";
    case Attr::kCallingStationId:
      return "Calling-Station-Id";
    case Attr::kNasIdentifier:
      return "NAS-Identifier";
    case Attr::kProxyState:
      return "Proxy-State";
    case Attr::kAcctStatusType:
      return "Acct-Status-Type";
    case Attr::kAcctDelayTime:
      return "Acct-Delay-Time";
    case Attr::kAcctInputOctets:
      return "Acct-Input-Octets";
    case Attr::kAcctOutputOctets:
      return "Acct-Output-Octets";
    case Attr::kAcctSessionId:
      return "Acct-Session-Id";
    case Attr::kAcctAuthentic:
      return "Acct-Authentic";
    case Attr::kAcctSessionTime:
      return "Acct-Session-Time";
    case Attr::kAcctInputPackets:
      return "Acct-Input-Packets";
    case Attr::kAcctOutputPackets:
      return "Acct-Output-Packets";
    case Attr::kAcctTerminateCause:
      return "Acct-Terminate-Cause";
    case Attr::kAcctMultiSessionId:
      return "Acct-Multi-Session-Id";
    case Attr::kAcctLinkCount:
      return "Acct-Link-Count";
    case Attr::kAcctInputGigawords:
      return "Acct-Input-Gigawords";
    case Attr::kAcctOutputGigawords:
      return "Acct-Output-Gigawords";
    case Attr::kEventTimestamp:
      return "Event-Timestamp";
    case Attr::kChapChallenge:
      return "CHAP-Challenge";
    case Attr::kNasPortType:
      return "NAS-Port-Type";
    case Attr::kPortLimit:
      return "Port-Limit";
    case Attr::kTunnelType:
      return "Tunnel-Type";
    case Attr::kTunnelMediumType:
      return "Tunnel-Medium-Type";
    case Attr::kTunnelClientEndpoint:
      return "Tunnel-Client-Endpoint";
    case Attr::kTunnelServerEndpoint:
      return "Tunnel-Server-Endpoint";
    case Attr::kAcctTunnelConnection:
      return "Acct-Tunnel-Connection";
    case Attr::kTunnelPassword:
      return "Tunnel-Password";
    case Attr::kConnectInfo:
      return "Connect-Info";
    case Attr::kEapMessage:
      return "EAP-Message";
    case Attr::kMessageAuthenticator:
      return "Message-Authenticator";
    case Attr::kTunnelPrivateGroupId:
      return "Tunnel-Private-Group-ID";
    case Attr::kTunnelAssignmentId:
      return "Tunnel-Assignment-ID";
    case Attr::kTunnelPreference:
      return "Tunnel-Preference";
    case Attr::kAcctInterimInterval:
      return "Acct-Interim-Interval";
    case Attr::kNasPortId:
      return "NAS-Port-Id";
    case Attr::kFramedPool:
      return "Framed-Pool";
    case Attr::kTunnelClientAuthId:
      return "Tunnel-Client-Auth-ID";
    case Attr::kTunnelServerAuthId:
      return "Tunnel-Server-Auth-ID";
    case Attr::kNasIpv6Address:
      return "NAS-IPv6-Address";
    case Attr::kFramedInterfaceId:
      return "Framed-Interface-Id";
    case Attr::kFramedIpv6Prefix:
      return "Framed-IPv6-Prefix";
    case Attr::kLoginIpv6Host:
      return "Login-IPv6-Host";
    case Attr::kFramedIpv6Route:
      return "Framed-IPv6-Route";
    case Attr::kFramedIpv6Pool:
      return "Framed-IPv6-Pool";
    case Attr::kErrorCause:
      return "Error-Cause";
    case Attr::kDelegatedIpv6Prefix:
      return "Delegated-IPv6-Prefix";
    case Attr::kFramedIpv6Address:
      return "Framed-IPv6-Address";
  }
  return "unknown";
}

std::string_view VendorName(uint32_t vendor) {
  switch (vendor) {
    case kVendorMicrosoft:
      return "Microsoft";
    case kVendorDslForum:
      return "DSL-Forum";
    case kVendorMpd:
      return "mpd";
  }
  return "unknown";
}

std::string_view MsAttrName(uint8_t type) {
  switch (static_cast<MsAttr>(type)) {
    case MsAttr::kChapResponse:
      return "MS-CHAP-Response";
    case MsAttr::kChapError:
      return "MS-CHAP-Error";
    case MsAttr::kChapCpw1:
      return "MS-CHAP-CPW-1";
    case MsAttr::kChapCpw2:
      return "MS-CHAP-CPW-2";
    case MsAttr::kChapLmEncPw:
      return "MS-CHAP-LM-Enc-PW";
    case MsAttr::kChapNtEncPw:
      return "MS-CHAP-NT-Enc-PW";
    case MsAttr::kMppeEncryptionPolicy:
      return "MS-MPPE-Encryption-Policy";
    case MsAttr::kMppeEncryptionTypes:
      return "MS-MPPE-Encryption-Types";
    case MsAttr::kRasVendor:
      return "MS-RAS-Vendor";
    case MsAttr::kChapDomain:
      return "MS-CHAP-Domain";
    case MsAttr::kChapChallenge:
      return "MS-CHAP-Challenge";
    case MsAttr::kChapMppeKeys:
      return "MS-CHAP-MPPE-Keys";
    case MsAttr::kBapUsage:
      return "MS-BAP-Usage";
    case MsAttr::kLinkUtilizationThreshold:
      return "MS-Link-Utilization-Threshold";
    case MsAttr::kLinkDropTimeLimit:
      return "MS-Link-Drop-Time-Limit";
    case MsAttr::kMppeSendKey:
      return "MS-MPPE-Send-Key";
    case MsAttr::kMppeRecvKey:
      return "MS-MPPE-Recv-Key";
    case MsAttr::kRasVersion:
      return "MS-RAS-Version";
    case MsAttr::kFilter:
      return "MS-Filter";
    case MsAttr::kAcctAuthType:
      return "MS-Acct-Auth-Type";
    case MsAttr::kAcctEapType:
      return "MS-Acct-EAP-Type";
    case MsAttr::kChap2Response:
      return "MS-CHAP2-Response";
    case MsAttr::kChap2Success:
      return "MS-CHAP2-Success";
    case MsAttr::kChap2Cpw:
      return "MS-CHAP2-CPW";
    case MsAttr::kPrimaryDnsServer:
      return "MS-Primary-DNS-Server";
    case MsAttr::kSecondaryDnsServer:
      return "MS-Secondary-DNS-Server";
    case MsAttr::kPrimaryNbnsServer:
      return "MS-Primary-NBNS-Server";
    case MsAttr::kSecondaryNbnsServer:
      return "MS-Secondary-NBNS-Server";
  }
  return "unknown";
}

std::string_view MpdAttrName(uint8_t type) {
  switch (static_cast<MpdAttr>(type)) {
    case MpdAttr::kRule:
      return "mpd-rule";
    case MpdAttr::kPipe:
      return "mpd-pipe";
    case MpdAttr::kQueue:
      return "mpd-queue";
    case MpdAttr::kTable:
      return "mpd-table";
    case MpdAttr::kTableStatic:
      return "mpd-table-static";
    case MpdAttr::kFilter:
      return "mpd-filter";
    case MpdAttr::kLimit:
      return "mpd-limit";
    case MpdAttr::kInputOctets:
      return "mpd-input-octets";
    case MpdAttr::kInputPackets:
      return "mpd-input-packets";
    case MpdAttr::kOutputOctets:
      return "mpd-output-octets";
    case MpdAttr::kOutputPackets:
      return "mpd-output-packets";
    case MpdAttr::kLink:
      return "mpd-link";
    case MpdAttr::kBundle:
      return "mpd-bundle";
    case MpdAttr::kIface:
      return "mpd-iface";
    case MpdAttr::kIfaceIndex:
      return "mpd-iface-index";
    case MpdAttr::kInputAcct:
      return "mpd-input-acct";
    case MpdAttr::kOutputAcct:
      return "mpd-output-acct";
    case MpdAttr::kAction:
      return "mpd-action";
    case MpdAttr::kPeerIdent:
      return "mpd-peer-ident";
    case MpdAttr::kIfaceName:
      return "mpd-iface-name";
    case MpdAttr::kIfaceDescr:
      return "mpd-iface-descr";
    case MpdAttr::kIfaceGroup:
      return "mpd-iface-group";
    case MpdAttr::kDropUser:
      return "mpd-drop-user";
  }
  return "unknown";
}

std::string_view DslfAttrName(uint8_t type) {
  switch (static_cast<DslfAttr>(type)) {
    case DslfAttr::kAgentCircuitId:
      return "ADSL-Agent-Circuit-Id";
    case DslfAttr::kAgentRemoteId:
      return "ADSL-Agent-Remote-Id";
  }
  return "unknown";
}

std::string_view VendorAttrName(uint32_t vendor, uint8_t vendor_type) {
  switch (vendor) {
    case kVendorMicrosoft:
      return MsAttrName(vendor_type);
    case kVendorDslForum:
      return DslfAttrName(vendor_type);
    case kVendorMpd:
      return MpdAttrName(vendor_type);
  }
  return "unknown";
}

std::string_view ServiceTypeName(uint32_t v) {
  switch (static_cast<ServiceType>(v)) {
    case ServiceType::kLogin:
      return "Login";
    case ServiceType::kFramed:
      return "Framed";
    case ServiceType::kCallbackLogin:
      return "Callback-Login";
    case ServiceType::kCallbackFramed:
      return "Callback-Framed";
    case ServiceType::kOutbound:
      return "Outbound";
    case ServiceType::kAdministrative:
      return "Administrative";
    case ServiceType::kNasPrompt:
      return "NAS-Prompt";
    case ServiceType::kAuthenticateOnly:
      return "Authenticate-Only";
    case ServiceType::kCallbackNasPrompt:
      return "Callback-NAS-Prompt";
    case ServiceType::kCallCheck:
      return "Call-Check";
    case ServiceType::kCallbackAdministrative:
      return "Callback-Administrative";
  }
  return "unknown";
}

std::string_view FramedProtocolName(uint32_t v) {
  switch (static_cast<FramedProtocol>(v)) {
    case FramedProtocol::kPpp:
      return "PPP";
    case FramedProtocol::kSlip:
      return "SLIP";
    case FramedProtocol::kArap:
      return "ARAP";
    case FramedProtocol::kGandalf:
      return "Gandalf-SLML";
    case FramedProtocol::kXylogics:
      return "Xylogics-IPX-SLIP";
    case FramedProtocol::kX75:
      return "X.75-Synchronous";
  }
  return "unknown";
}

std::string_view AcctStatusTypeName(uint32_t v) {
  switch (static_cast<AcctStatusType>(v)) {
    case AcctStatusType::kStart:
      return "Start";
    case AcctStatusType::kStop:
      return "Stop";
    case AcctStatusType::kInterimUpdate:
      return "Interim-Update";
    case AcctStatusType::kAccountingOn:
      return "Accounting-On";
    case AcctStatusType::kAccountingOff:
      return "Accounting-Off";
  }
  return "unknown";
}

std::string_view AcctAuthenticName(uint32_t v) {
  switch (static_cast<AcctAuthentic>(v)) {
    case AcctAuthentic::kRadius:
      return "RADIUS";
    case AcctAuthentic::kLocal:
      return "Local";
    case AcctAuthentic::kRemote:
      return "Remote";
  }
  return "unknown";
}

std::string_view AcctTerminateCauseName(uint32_t v) {
  switch (static_cast<AcctTerminateCause>(v)) {
    case AcctTerminateCause::kUserRequest:
      return "User-Request";
    case AcctTerminateCause::kLostCarrier:
      return "Lost-Carrier";
    case AcctTerminateCause::kLostService:
      return "Lost-Service";
    case AcctTerminateCause::kIdleTimeout:
      return "Idle-Timeout";
    case AcctTerminateCause::kSessionTimeout:
      return "Session-Timeout";
    case AcctTerminateCause::kAdminReset:
      return "Admin-Reset";
    case AcctTerminateCause::kAdminReboot:
      return "Admin-Reboot";
    case AcctTerminateCause::kPortError:
      return "Port-Error";
    case AcctTerminateCause::kNasError:
      return "NAS-Error";
    case AcctTerminateCause::kNasRequest:
      return "NAS-Request";
    case AcctTerminateCause::kNasReboot:
      return "NAS-Reboot";
    case AcctTerminateCause::kPortUnneeded:
      return "Port-Unneeded";
    case AcctTerminateCause::kPortPreempted:
      return "Port-Preempted";
    case AcctTerminateCause::kPortSuspended:
      return "Port-Suspended";
    case AcctTerminateCause::kServiceUnavailable:
      return "Service-Unavailable";
    case AcctTerminateCause::kCallback:
      return "Callback";
    case AcctTerminateCause::kUserError:
      return "User-Error";
    case AcctTerminateCause::kHostRequest:
      return "Host-Request";
  }
  return "unknown";
}

std::string_view NasPortTypeName(uint32_t v) {
  switch (static_cast<NasPortType>(v)) {
    case NasPortType::kAsync:
      return "Async";
    case NasPortType::kSync:
      return "Sync";
    case NasPortType::kIsdnSync:
      return "ISDN";
    case NasPortType::kIsdnAsyncV120:
      return "ISDN-V120";
    case NasPortType::kIsdnAsyncV110:
      return "ISDN-V110";
    case NasPortType::kVirtual:
      return "Virtual";
    case NasPortType::kPiafs:
      return "PIAFS";
    case NasPortType::kHdlcClearChannel:
      return "HDLC-Clear-Channel";
    case NasPortType::kX25:
      return "X.25";
    case NasPortType::kX75:
      return "X.75";
    case NasPortType::kG3Fax:
      return "G.3-Fax";
    case NasPortType::kSdsl:
      return "SDSL";
    case NasPortType::kAdslCap:
      return "ADSL-CAP";
    case NasPortType::kAdslDmt:
      return "ADSL-DMT";
    case NasPortType::kIdsl:
      return "IDSL";
    case NasPortType::kEthernet:
      return "Ethernet";
    case NasPortType::kXdsl:
      return "xDSL";
    case NasPortType::kCable:
      return "Cable";
    case NasPortType::kWirelessOther:
      return "Wireless-Other";
    case NasPortType::kWireless80211:
      return "Wireless-802.11";
  }
  return "unknown";
}

std::string_view ErrorCauseName(uint32_t v) {
  switch (static_cast<ErrorCause>(v)) {
    case ErrorCause::kResidualSessionContextRemoved:
      return "Residual-Session-Context-Removed";
    case ErrorCause::kInvalidEapPacket:
      return "Invalid-EAP-Packet";
    case ErrorCause::kUnsupportedAttribute:
      return "Unsupported-Attribute";
    case ErrorCause::kMissingAttribute:
      return "Missing-Attribute";
    case ErrorCause::kNasIdentificationMismatch:
      return "NAS-Identification-Mismatch";
    case ErrorCause::kInvalidRequest:
      return "Invalid-Request";
    case ErrorCause::kUnsupportedService:
      return "Unsupported-Service";
    case ErrorCause::kUnsupportedExtension:
      return "Unsupported-Extension";
    case ErrorCause::kInvalidAttributeValue:
      return "Invalid-Attribute-Value";
    case ErrorCause::kAdministrativelyProhibited:
      return "Administratively-Prohibited";
    case ErrorCause::kRequestNotRoutable:
      return "Request-Not-Routable";
    case ErrorCause::kSessionContextNotFound:
      return "Session-Context-Not-Found";
    case ErrorCause::kSessionContextNotRemovable:
      return "Session-Context-Not-Removable";
    case ErrorCause::kOtherProxyProcessingError:
      return "Other-Proxy-Processing-Error";
    case ErrorCause::kResourcesUnavailable:
      return "Resources-Unavailable";
    case ErrorCause::kRequestInitiated:
      return "Request-Initiated";
    case ErrorCause::kMultipleSessionSelectionUnsupported:
      return "Multiple-Session-Selection-Unsupported";
  }
  return "unknown";
}

}  // namespace mlppp::aaa::radius
