// L2TPv2 (RFC 2661) on one local address: the object the daemon feeds every
// UDP datagram received on that address. It demultiplexes by Tunnel ID
// (§3.1), creates a tunnel per incoming SCCRQ when listening (with
// half-open limits against SCCRQ floods, and retransmitted SCCRQs routed to
// the tunnel they created), finds or opens a tunnel to a peer for each
// dialed call (at most `session_limit` calls per tunnel, mpd5 l2tplimit),
// and closes tunnels left without calls for `idle_timeout` (l2tptimeout).
//
// Pure code: datagrams go out through DatagramTransport, time through the
// loop, randomness through the injected RandomFill.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "event/loop.h"
#include "link/driver.h"
#include "link/l2tp/control_channel.h"
#include "link/l2tp/session.h"
#include "link/l2tp/transport.h"
#include "link/l2tp/tunnel.h"

namespace mlppp::link::l2tp {

struct NodeConfig {
  std::string hostname = "mlpppd";  // default Host Name: the system hostname
  event::Duration idle_timeout = std::chrono::seconds(10);    // set global l2tptimeout
  size_t session_limit = 100;                                 // set global l2tplimit
  event::Duration hello_interval = std::chrono::seconds(60);  // §6.5
  ControlChannelOptions control;  // §5.8 windows, timeouts, retry limit
  // SCCRQ flood protection: tunnels created by an SCCRQ and not yet
  // established, per source address and in total.
  size_t max_half_open_per_source = 16;
  size_t max_half_open_total = 256;
};

// The listener (LNS for incoming calls, LAC for the peer's OCRQ).
struct ServerConfig {
  TunnelConfig tunnel;
  SessionOptions session;
  // Which peer addresses may open tunnels (unset: any).
  std::function<bool(const std::string& addr)> accept_peer;
};

// One dialed call.
struct ClientConfig {
  Endpoint peer;  // set l2tp peer (port 1701 by default)
  TunnelConfig tunnel;
  SessionOptions session;
  bool outcall = false;  // enable outcall: we are the LNS and send OCRQ
};

class Node {
 public:
  using IncomingFn = std::function<void(std::unique_ptr<link::Driver>)>;

  struct Counters {
    uint64_t datagrams = 0;
    uint64_t bad_header = 0;
    uint64_t unknown_tunnel = 0;       // control for a Tunnel ID we lack
    uint64_t wrong_source = 0;         // right Tunnel ID, wrong peer
    uint64_t not_listening = 0;        // SCCRQ while not listening
    uint64_t peer_refused = 0;         // SCCRQ from a peer accept_peer refuses
    uint64_t bad_sccrq = 0;            // Tunnel ID 0 but not a good SCCRQ
    uint64_t sccrq_retransmits = 0;    // duplicate SCCRQ to its tunnel
    uint64_t sccrq_flood_dropped = 0;  // over the half-open limits
    uint64_t tunnel_ids_exhausted = 0;
    uint64_t unknown_session_data = 0;  // data for no (established) session
    uint64_t unknown_tunnel_data = 0;
    uint64_t tunnels_created = 0;
    uint64_t tunnels_established = 0;
    uint64_t tunnels_closed = 0;
    uint64_t incoming_calls = 0;
  };

  // REQUIRES: loop and transport outlive the node.
  Node(event::Loop& loop, DatagramTransport& transport, std::string local_addr, NodeConfig config,
       RandomFill random);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Accept SCCRQs; each call that comes up (ICCN received, or OCCN sent for
  // the peer's OCRQ) is handed to on_incoming as a driver already up.
  Status Listen(ServerConfig config, IncomingFn on_incoming);
  void StopListening();
  // A call to config.peer; Open() brings the tunnel (if needed) and the
  // call up. The driver may outlive the node (it then just reports down).
  std::unique_ptr<link::Driver> Dial(ClientConfig config);
  // One UDP payload received from `from` on our local address.
  void OnDatagram(const Endpoint& from, std::span<const uint8_t> datagram);
  // Sends StopCCN on every tunnel (shutdown).
  void StopAll(std::string reason);

  const Counters& counters() const { return counters_; }
  const NodeConfig& config() const { return config_; }
  const std::string& local_addr() const { return local_addr_; }
  size_t tunnel_count() const { return tunnels_.size(); }
  size_t half_open() const { return half_open_total_; }
  Tunnel* FindTunnel(uint16_t local_id) const;
  std::vector<Tunnel*> tunnels() const;

  // For Tunnel and L2tpSession.
  event::Loop& loop() { return loop_; }
  DatagramTransport& transport() { return transport_; }
  log::RateLimit& peer_errors() { return peer_errors_; }
  Counters& mutable_counters() { return counters_; }
  void RandomBytes(std::span<uint8_t> out);
  uint16_t RandomU16();
  uint32_t NextCallSerial() { return ++call_serial_; }
  std::string HostName(const TunnelConfig& c) const {
    return c.hostname.empty() ? config_.hostname : c.hostname;
  }
  const ServerConfig& server_config() const { return server_; }
  bool listening() const { return static_cast<bool>(on_incoming_); }
  // Tunnel reached Established: the half-open slot is free.
  void OnTunnelEstablished(Tunnel* t);
  // Tunnel is finished: forget it and delete it after the current callback.
  void ReleaseTunnel(Tunnel* t);
  // A listener's call is up: hand it over (posted).
  void DeliverIncoming(std::unique_ptr<L2tpSession> s);
  // A dialed session's Open(): find or open a tunnel and join it.
  bool AttachCall(L2tpSession* s);
  void ForgetDialer(L2tpSession* s) { dialers_.erase(s); }

 private:
  void OnSccrq(const Endpoint& from, const ParsedHeader& p);
  Tunnel* NewTunnel(const Endpoint& peer, const TunnelConfig& c, bool initiator);
  void DropHalfOpen(Tunnel* t);

  event::Loop& loop_;
  DatagramTransport& transport_;
  std::string local_addr_;
  NodeConfig config_;
  RandomFill random_;
  ServerConfig server_;
  IncomingFn on_incoming_;
  std::map<uint16_t, std::unique_ptr<Tunnel>> tunnels_;
  // (peer endpoint, peer's Assigned Tunnel ID) of SCCRQ-made tunnels, so a
  // retransmitted SCCRQ reaches its tunnel's channel.
  std::map<std::pair<Endpoint, uint16_t>, uint16_t> by_sccrq_;
  std::unordered_map<std::string, size_t> half_open_by_source_;
  size_t half_open_total_ = 0;
  std::map<L2tpSession*, ClientConfig> dialers_;
  uint32_t call_serial_ = 0;
  Counters counters_;
  log::RateLimit peer_errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link::l2tp
