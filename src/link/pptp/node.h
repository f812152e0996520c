// link/pptp/: PPTP (RFC 2637) as link::Drivers. A Node is one local
// address (mpd5 `set pptp self`): it accepts control connections when
// listening (PAC for OCRQ, PNS for ICRQ), dials them for client calls,
// places up to `calls_per_conn` calls on a connection (mpd5 `set global
// pptplimit`) before opening another, closes a connection left without
// calls for `idle_timeout` (`set global pptptimeout`), and demultiplexes
// received GRE by (peer IP, our Call ID).
//
// Flood protection: accepted connections are limited per source address
// and, while half-open (no SCCRQ yet), in total; a half-open connection
// that sends no SCCRQ within `setup_timeout` is closed. Whatever is refused
// is dropped and counted, so a flood from one source cannot starve the
// established connections.
//
// Passive (rule 6): TCP and GRE come in through Accept()/OnGre() and go out
// through the injected StreamConn, Connector and GreTransport; time only
// through the loop; call IDs from the injected random source.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/log.h"
#include "core/packet.h"
#include "core/result.h"
#include "event/loop.h"
#include "link/driver.h"
#include "link/pptp/call.h"
#include "link/pptp/control_conn.h"
#include "link/pptp/transport.h"

namespace mlppp::link::pptp {

struct NodeConfig {
  std::string self_ip;               // mpd5 `set pptp self`
  std::string host_name = "mlpppd";  // SCCRQ/SCCRP Host Name (§2.1)
  uint16_t calls_per_conn = 100;     // `set global pptplimit` (mpd5 default 100)
  event::Duration idle_timeout = std::chrono::seconds(10);   // `pptptimeout`
  event::Duration echo_interval = std::chrono::seconds(60);  // §2.5 keep-alive
  event::Duration setup_timeout = std::chrono::seconds(10);  // SCCRQ/SCCRP/StopCCRP
  // Accepted connections from one address, any state: each PPTP client
  // holds its own connection, so clients behind one NAT share this.
  size_t max_conns_per_source = 32;
  size_t max_half_open = 64;  // accepted, no SCCRQ yet, all sources
};

struct NodeCounters {
  uint64_t accepted = 0;
  uint64_t refused_not_listening = 0;
  uint64_t refused_per_source = 0;
  uint64_t refused_half_open = 0;
  uint64_t setup_timeouts = 0;  // no SCCRQ/SCCRP in time
  uint64_t connects = 0;        // connections dialed
  uint64_t connect_failures = 0;
  uint64_t calls_refused = 0;  // OCRQ/ICRQ we answered with an error
  uint64_t gre_rx = 0;
  uint64_t gre_malformed = 0;
  uint64_t gre_unknown_call = 0;  // no call with that ID from that address
};

class Node {
 public:
  using IncomingFn = std::function<void(std::unique_ptr<link::Driver>)>;
  using Random = std::function<uint32_t()>;

  // REQUIRES: loop and gre outlive the node.
  Node(event::Loop& loop, NodeConfig config, GreTransport& gre, Connector connector, Random random);
  // Kills every connection; live drivers go down and stay harmless.
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // A client call; Open() dials (or reuses) a control connection to
  // config.peer_ip and places the call (OCRQ with outcall, else ICRQ).
  std::unique_ptr<link::Driver> Dial(ClientConfig config);

  // Accept calls on connections given to Accept(); each call's driver is
  // handed to on_incoming when the OCRQ/ICRQ arrives.
  Status Listen(ServerConfig config, IncomingFn on_incoming);
  // Refuses new connections and calls; existing ones stay.
  void StopListening();
  bool listening() const { return listening_; }

  // Stops every control connection with StopCCRQ (§2.3, Local-Shutdown);
  // every call goes down.
  void Shutdown();

  // A TCP connection accepted on port 1723 from peer_ip. Refused (closed
  // and counted) when not listening or over the flood limits.
  void Accept(std::unique_ptr<StreamConn> stream, const std::string& peer_ip);
  // An Enhanced GRE packet (IP header removed) from peer_ip.
  void OnGre(const std::string& peer_ip, Packet&& packet);

  const NodeConfig& config() const { return config_; }
  const NodeCounters& counters() const { return counters_; }
  size_t conn_count() const { return conns_.size(); }
  size_t half_open() const { return half_open_; }
  size_t registered_calls() const { return calls_by_id_.size(); }
  // Every control connection, in the order they were made (mpd5 PptpsStat).
  std::vector<const ControlConn*> connections() const {
    std::vector<const ControlConn*> v;
    for (const auto& [id, c] : conns_) v.push_back(c.get());
    return v;
  }

  // --- For ControlConn and PptpCall ---
  event::Loop& loop() { return loop_; }
  uint32_t Random32() { return random_(); }
  // Finds or dials a connection for a client call and attaches the call.
  void PlaceCall(PptpCall* call, const ClientConfig& config);
  // A fresh random Call ID registered to call; 0 when none is free.
  uint16_t RegisterCall(PptpCall* call);
  void UnregisterCall(uint16_t call_id, PptpCall* call);
  void TrackCall(PptpCall* call) { all_calls_.insert(call); }
  void UntrackCall(PptpCall* call) { all_calls_.erase(call); }
  void SendGre(const std::string& peer_ip, std::span<const uint8_t> packet) {
    gre_.SendTo(peer_ip, packet);
  }
  // §2.7/§2.9 arrived on an established connection.
  void OnOutgoingCallRequest(ControlConn& conn, const OutgoingCallRequest& m);
  void OnIncomingCallRequest(ControlConn& conn, const IncomingCallRequest& m);
  // The connection is dead (calls already detached): delete it later.
  void ConnDead(ControlConn* conn);
  void CountSetupTimeout() { ++counters_.setup_timeouts; }
  // Every state change of a connection (half-open bookkeeping).
  void ConnStateChanged(ControlConn& conn, ConnState from, ConnState to);

 private:
  ControlConn* Dial(const std::string& peer_ip, uint16_t port);

  event::Loop& loop_;
  NodeConfig config_;
  GreTransport& gre_;
  Connector connector_;
  Random random_;
  bool listening_ = false;
  ServerConfig server_config_;
  IncomingFn on_incoming_;
  uint64_t next_conn_id_ = 1;
  std::map<uint64_t, std::unique_ptr<ControlConn>> conns_;
  std::unordered_map<uint16_t, PptpCall*> calls_by_id_;
  std::unordered_set<PptpCall*> all_calls_;
  std::unordered_map<std::string, size_t> accepted_per_source_;
  size_t half_open_ = 0;
  NodeCounters counters_;
  log::RateLimit peer_error_log_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link::pptp
