// Accounting events as the session layer reports them to accounting back
// ends (ext-acct here; RADIUS accounting, RFC 2866, elsewhere), and the
// per-session facts mpd5 hands to ext-auth/ext-acct scripts (mpd5 auth.c
// AuthExternal / AuthExternalAcct).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlppp::aaa {

// Facts about the link and peer, sent as script attributes. Empty strings
// are sent as empty values, as mpd5 does.
struct SessionInfo {
  std::string acct_session_id;        // ACCT_SESSION_ID
  std::string acct_multi_session_id;  // ACCT_MULTI_SESSION_ID (accounting only)
  std::string link;                   // LINK: the link name
  std::string bundle;                 // BUNDLE (accounting only)
  uint32_t nas_port = 0;              // NAS_PORT: the link id
  std::string nas_port_type;          // NAS_PORT_TYPE: link type name ("pppoe")
  std::string calling_station_id;     // CALLING_STATION_ID
  std::string called_station_id;      // CALLED_STATION_ID
  std::string self_name;              // SELF_NAME
  std::string peer_name;              // PEER_NAME
  std::string self_addr;              // SELF_ADDR
  std::string peer_addr;              // PEER_ADDR
  std::string peer_port;              // PEER_PORT
  std::string peer_mac_addr;          // PEER_MAC_ADDR
  std::string peer_iface;             // PEER_IFACE
  std::string peer_ident;             // PEER_IDENT
};

struct AcctEvent {
  // RFC 2866 §5.1 Acct-Status-Type Start(1), Interim-Update(3), Stop(2).
  enum Status : uint8_t { kStart, kUpdate, kStop };
  Status status = kStart;
  std::string user;
  SessionInfo session;
  std::string iface;                  // IFACE
  int iface_index = 0;                // IFACE_INDEX
  uint32_t link_count = 1;            // ACCT_LINK_COUNT
  std::optional<uint32_t> framed_ip;  // FRAMED_IP_ADDRESS, host order
  // Update and Stop only (RFC 2866 §5.7, §5.3, §5.4, §5.8, §5.9); 64-bit
  // as ext-acct has them (RADIUS splits octets into Gigawords).
  uint64_t session_time = 0;  // seconds
  uint64_t in_octets = 0;
  uint64_t in_packets = 0;
  uint64_t out_octets = 0;
  uint64_t out_packets = 0;
  // Stop only: an RFC 2866 §5.10 Acct-Terminate-Cause name, e.g.
  // "User-Request", "Lost-Carrier", "Idle-Timeout", "Session-Timeout",
  // "Admin-Reset", "NAS-Request", "Port-Error".
  std::string terminate_cause;
};

// mpd5's ACCT_STATUS_TYPE values: "START", "UPDATE", "STOP".
inline std::string_view AcctStatusName(AcctEvent::Status s) {
  switch (s) {
    case AcctEvent::kStart:
      return "START";
    case AcctEvent::kUpdate:
      return "UPDATE";
    case AcctEvent::kStop:
      return "STOP";
  }
  return "UNKNOWN";
}

}  // namespace mlppp::aaa
