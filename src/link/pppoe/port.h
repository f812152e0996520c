// link/pppoe/: PPP over Ethernet (RFC 2516, RFC 4638), client and server.
//
// A PppoePort is one Ethernet interface: it owns the two EtherSockets
// (Discovery 0x8863, Session 0x8864, RFC 2516 §4) and demultiplexes what
// they receive: PADI/PADR to the server (when Listen() was called), PADO/PADS
// to the client whose Host-Uniq they carry, PADT and session frames to the
// driver registered for (peer MAC, SESSION_ID). Server and clients may share
// a port.
//
// Ownership: the port hands out link::Driver objects (server sessions
// through on_incoming, clients from MakeClient). The caller owns them.
// REQUIRES: the port outlives its drivers. (Should it not, the port's
// destructor detaches every live driver, which then sends nothing and
// reports nothing; but that is a bug in the caller.) Destroying a driver
// removes it from the port's tables and, if the session is still up, sends
// a PADT.
//
// Events: OnDriverUp/OnDriverDown and on_incoming always go through
// Loop::Post; OnFrame is called synchronously from the socket receive path.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/log.h"
#include "core/result.h"
#include "event/loop.h"
#include "link/driver.h"
#include "link/pppoe/discovery.h"
#include "os/ether.h"

namespace mlppp::link::pppoe {

// Fills the span with unpredictable bytes (production: RAND_bytes or
// getrandom; tests: a seeded generator).
using RandomFill = std::function<void(std::span<uint8_t>)>;

struct PppoeServerConfig {
  std::string iface;
  // Service-Name offered: "*" accepts any requested service; a PADI asking
  // for the empty service ("any", RFC 2516 §5.1) is always answered.
  std::string service = "*";
  std::string ac_name;  // AC-Name in PADO/PADS; empty means "mlpppd"
  // RFC 4638: largest PPP-Max-Payload we agree to; <= 1492 disables it.
  uint16_t max_payload = 0;
  size_t max_sessions = 65000;
};

struct PppoeClientConfig {
  std::string iface;
  // Service-Name to request; "" or "*" means any. mpd5's
  // "AC-Name\Service-Name" form also selects the AC by name.
  std::string service;
  std::string ac_name_wanted;  // accept PADOs only from this AC-Name if set
  // RFC 4638: PPP-Max-Payload to request; <= 1492 means do not ask.
  uint16_t max_payload = 0;
};

class SessionDriver;
class PppoeClient;
class PppoeServer;

class PppoePort {
 public:
  using IncomingFn = std::function<void(std::unique_ptr<link::Driver>)>;

  struct Counters {
    uint64_t disc_rx = 0;         // Discovery frames received
    uint64_t disc_malformed = 0;  // failed ParseDiscovery, or bad SESSION_ID
    uint64_t disc_ignored = 0;    // well formed but not for us / unexpected
    uint64_t padi_rx = 0, pado_rx = 0, padr_rx = 0, pads_rx = 0, padt_rx = 0;
    uint64_t padi_tx = 0, pado_tx = 0, padr_tx = 0, pads_tx = 0, padt_tx = 0;
    uint64_t disc_tx_errors = 0;   // Discovery packets too big to build
    uint64_t service_refused = 0;  // PADI/PADR for a service we do not offer
    uint64_t bad_cookie = 0;       // PADR with a missing/forged/expired AC-Cookie
    uint64_t session_limit = 0;    // PADI/PADR refused: max_sessions reached
    uint64_t sessions_created = 0;
    uint64_t sess_rx = 0, sess_tx = 0;
    uint64_t sess_malformed = 0;      // failed ParseSessionHeader
    uint64_t sess_unknown = 0;        // no session for (peer MAC, SESSION_ID)
    uint64_t sess_early_dropped = 0;  // held before their session was up, then dropped
    uint64_t sess_tx_dropped = 0;     // Send() on a session that is not up
  };

  PppoePort(event::Loop& loop, std::unique_ptr<os::EtherSocket> disc,
            std::unique_ptr<os::EtherSocket> sess, RandomFill random);
  ~PppoePort();
  PppoePort(const PppoePort&) = delete;
  PppoePort& operator=(const PppoePort&) = delete;

  // Starts (or reconfigures) the server on this port. Each session that
  // completes Discovery is handed to on_incoming (through Loop::Post) as a
  // Driver that is already connected: Open() on it only posts OnDriverUp.
  // Returns an error when the config is unusable (no on_incoming).
  Status Listen(PppoeServerConfig config, IncomingFn on_incoming);
  // Stops answering PADI/PADR; established sessions stay up.
  void StopListening();
  bool listening() const { return listening_; }

  // A client driver; Open() starts Discovery (PADI).
  std::unique_ptr<link::Driver> MakeClient(PppoeClientConfig config);

  const Counters& counters() const { return counters_; }
  const os::MacAddr& local_mac() const { return disc_->local_mac(); }
  // Sessions currently registered for data (client and server).
  size_t session_count() const { return sessions_.size(); }
  event::Loop& loop() { return loop_; }

 private:
  friend class SessionDriver;
  friend class PppoeClient;
  friend class PppoeServer;
  friend class ServerSession;

  struct KeyHash {
    size_t operator()(uint64_t k) const {
      // splitmix64 finalizer: spreads MAC+SESSION_ID bits over the word.
      k ^= k >> 30;
      k *= 0xbf58476d1ce4e5b9ULL;
      k ^= k >> 27;
      k *= 0x94d049bb133111ebULL;
      k ^= k >> 31;
      return static_cast<size_t>(k);
    }
  };
  static uint64_t SessionKey(const os::MacAddr& mac, uint16_t session_id);

  void OnDiscoveryFrame(const os::MacAddr& src, const os::MacAddr& dst, Packet&& p);
  void OnSessionFrame(const os::MacAddr& src, const os::MacAddr& dst, Packet&& p);

  // For the drivers and the server in this folder.
  bool SendDiscovery(const os::MacAddr& dst, const Discovery& d);
  void SendSession(const os::MacAddr& dst, uint16_t session_id, Packet&& frame);
  void SendPadt(const os::MacAddr& dst, uint16_t session_id);
  bool RegisterSession(const os::MacAddr& peer, uint16_t session_id, SessionDriver* d);
  // A session frame for no session while a client awaits its PADS.
  void HoldEarly(uint64_t key, Packet&& frame);
  void UnregisterSession(const os::MacAddr& peer, uint16_t session_id);
  bool SessionKeyTaken(const os::MacAddr& peer, uint16_t session_id) const;
  bool RegisterClient(const Bytes& host_uniq, PppoeClient* c);
  void UnregisterClient(const Bytes& host_uniq);
  void AddDriver(SessionDriver* d) { drivers_.insert(d); }
  void RemoveDriver(SessionDriver* d) { drivers_.erase(d); }
  void Random(std::span<uint8_t> out) { random_(out); }

  event::Loop& loop_;
  std::unique_ptr<os::EtherSocket> disc_;
  std::unique_ptr<os::EtherSocket> sess_;
  RandomFill random_;
  Counters counters_;
  std::unique_ptr<PppoeServer> server_;
  bool listening_ = false;
  std::unordered_map<uint64_t, SessionDriver*, KeyHash> sessions_;
  std::unordered_map<std::string, PppoeClient*> clients_;  // by Host-Uniq
  // Session frames read before their PADS (see OnSessionFrame): at most
  // kMaxEarlyFrames, each kept kEarlyFrameLife.
  struct EarlyFrame {
    uint64_t key;
    event::TimePoint at;
    Packet frame;
  };
  static constexpr size_t kMaxEarlyFrames = 256;
  static constexpr event::Duration kEarlyFrameLife = std::chrono::seconds(2);
  std::deque<EarlyFrame> early_;
  std::unordered_set<SessionDriver*> drivers_;  // every live driver
  // Cleared by the destructor; posted callbacks check it.
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
  log::RateLimit peer_errors_;
};

}  // namespace mlppp::link::pppoe
