// The RADIUS Dynamic Authorization server (RFC 5176; mpd5 radsrv.c, `set
// radsrv`): Disconnect-Request and CoA-Request from configured clients,
// answered with Disconnect-ACK/NAK and CoA-ACK/NAK carrying an Error-Cause
// (RFC 5176 §3.5). Protocol logic only: the daemon feeds it datagrams from
// a bound UDP socket (os/udp_server.h) and sends back what Handle()
// returns; sessions are found, disconnected and changed through DaeTarget.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "aaa/radius/dictionary.h"
#include "aaa/radius/packet.h"
#include "core/log.h"
#include "event/loop.h"

namespace mlppp::aaa::radius {

// The session identification attributes a request carried (RFC 5176 §3;
// mpd5 adds its vendor attributes). As in mpd5, a session matches when
// EVERY attribute present matches it; absent ones match anything.
struct SessionSelector {
  std::optional<std::string> user_name;              // User-Name (1)
  std::optional<std::string> acct_session_id;        // Acct-Session-Id (44): the link's
  std::optional<std::string> acct_multi_session_id;  // Acct-Multi-Session-Id (50): the bundle's
  std::optional<uint32_t> framed_ip;                 // Framed-IP-Address (8), host order
  std::optional<uint32_t> nas_port;                  // NAS-Port (5): mpd5's link id
  std::optional<std::string> nas_port_id;            // NAS-Port-Id (87)
  std::optional<std::string> calling_station_id;     // Calling-Station-Id (31)
  std::optional<std::string> called_station_id;      // Called-Station-Id (30)
  std::optional<std::string> mpd_link;               // mpd-link (12341/12)
  std::optional<std::string> mpd_bundle;             // mpd-bundle (12341/13)
  std::optional<std::string> mpd_iface;              // mpd-iface (12341/14)
  std::optional<uint32_t> mpd_iface_index;           // mpd-iface-index (12341/15)

  bool Empty() const;
};

// What a CoA-Request asks to change (mpd5 radsrv.c). Standard attributes
// that are absent keep their old value; the mpd ACL attributes are the
// complete new set: absent ones are CLEARED (mpd5 behaviour).
struct CoaChanges {
  std::optional<uint32_t> session_timeout;    // Session-Timeout (27), seconds
  std::optional<uint32_t> idle_timeout;       // Idle-Timeout (28), seconds
  std::optional<uint32_t> acct_interim;       // Acct-Interim-Interval (85), seconds
  std::optional<std::vector<uint8_t>> state;  // State (24)
  std::vector<std::vector<uint8_t>> classes;  // Class (25), in order; empty: keep
  // mpd-rule, -pipe, -queue, -table, -table-static, -filter, -limit,
  // -input-acct, -output-acct, in the order received.
  std::vector<std::pair<MpdAttr, std::string>> mpd_acl;
};

// The daemon's view of its sessions. Called synchronously from Handle() on
// the loop thread; implementations should Post() anything that tears down
// state (ARCHITECTURE.md rule 7).
class DaeTarget {
 public:
  virtual ~DaeTarget() = default;
  // Ids of every session matching all attributes present in `sel`
  // (REQUIRES: !sel.Empty()).
  virtual std::vector<std::string> FindSessions(const SessionSelector& sel) = 0;
  // Disconnects the session (Acct-Terminate-Cause Admin-Reset, as mpd5).
  virtual void Disconnect(const std::string& session) = 0;
  // Applies the changes (and restarts the session/idle timers, and the
  // interim-update timer when a new interval came, as mpd5). False: could
  // not (the reply is a CoA-NAK with Resources Unavailable).
  virtual bool ApplyCoa(const std::string& session, const CoaChanges& changes) = 0;
};

struct DaePeer {
  std::string addr;    // an IP address literal, as `set radsrv peer IP SECRET`
  std::string secret;  // never logged
};

struct DaeConfig {
  std::vector<DaePeer> peers;
  bool coa = true;         // `set radsrv enable coa`
  bool disconnect = true;  // `set radsrv enable disconnect`
  // Our NAS identity; a request carrying a different one gets a NAK 403
  // (RFC 5176 §3). Unset: not checked.
  std::optional<uint32_t> nas_ip;  // host order
  std::optional<std::array<uint8_t, 16>> nas_ipv6;
  std::optional<std::string> nas_identifier;
  // Unix time in seconds. When set, a request whose Event-Timestamp (55)
  // is more than `event_window` away from it is silently discarded
  // (RFC 5176 replay protection; the default window is 300 s).
  std::function<int64_t()> wall_clock;
  int64_t event_window = 300;
};

struct DaeCounters {
  uint64_t requests = 0;  // authenticated Disconnect/CoA requests
  uint64_t disconnect_requests = 0;
  uint64_t coa_requests = 0;
  uint64_t acks = 0;
  uint64_t naks = 0;
  uint64_t duplicates = 0;      // answered from the duplicate cache
  uint64_t unknown_client = 0;  // source not a configured peer
  uint64_t malformed = 0;       // Parse() refused it
  uint64_t bad_code = 0;        // not code 40 or 43
  uint64_t bad_authenticator = 0;
  uint64_t bad_message_authenticator = 0;
  uint64_t stale_timestamp = 0;  // Event-Timestamp outside the window
  uint64_t sessions_disconnected = 0;
  uint64_t sessions_changed = 0;
};

// An IP address literal in one spelling (inet_ntop's; IPv4-mapped IPv6 as
// IPv4), so configured peers match the source the socket reports. Returns
// the input unchanged when it is not an address.
std::string CanonicalAddress(const std::string& addr);

class DaeServer {
 public:
  // `loop` gives the clock for duplicate detection. REQUIRES: loop and
  // target outlive the server.
  DaeServer(event::Loop& loop, DaeTarget& target, DaeConfig config);

  // One datagram from `from_addr` (the source IP address, no port, as
  // os::UdpServer reports it). Returns the reply datagram to send back to
  // the source, or nullopt when the request is silently discarded (RFC 5176
  // §3: unknown client, malformed, wrong code, bad Request Authenticator or
  // Message-Authenticator (RFC 5176 §2.3, §3.1), stale Event-Timestamp).
  // A retransmission (same source, Identifier and Request Authenticator
  // within kDuplicateWindow) gets the same reply again without being acted
  // on twice (RFC 5080 §2.2.2).
  std::optional<std::vector<uint8_t>> Handle(std::span<const uint8_t> datagram,
                                             const std::string& from_addr);

  // Replaces peers and options (reconfiguration); forgets cached replies.
  void Reconfigure(DaeConfig config);
  const DaeConfig& config() const { return config_; }
  const DaeCounters& counters() const { return counters_; }

  static constexpr event::Duration kDuplicateWindow = std::chrono::seconds(5);
  static constexpr size_t kMaxCachedReplies = 1024;

 private:
  struct Cached {
    Authenticator request_auth;
    std::vector<uint8_t> reply;
    event::TimePoint at;
  };
  using CacheKey = std::pair<std::string, uint8_t>;  // source, Identifier

  const DaePeer* FindPeer(const std::string& addr) const;
  // The reply to an authenticated request.
  RadiusPacket Process(const RadiusPacket& req, std::string_view peer);
  RadiusPacket Nak(const RadiusPacket& req, ErrorCause cause, std::string_view peer,
                   std::string_view why);
  void PruneCache();

  event::Loop& loop_;
  DaeTarget& target_;
  DaeConfig config_;
  std::vector<std::string> peer_addrs_;  // CanonicalAddress of each peer
  DaeCounters counters_;
  std::map<CacheKey, Cached> cache_;
  log::RateLimit peer_errors_;
};

}  // namespace mlppp::aaa::radius
