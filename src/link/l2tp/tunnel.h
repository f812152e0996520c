// One L2TPv2 tunnel (control connection): establishment SCCRQ -> SCCRP ->
// SCCCN (RFC 2661 §5.1, §7.2 state table), tunnel authentication (§5.1.1),
// teardown by StopCCN either way (§5.7), HELLO keep-alive (§6.5), and the
// calls it carries (session.h). Control messages go through the reliable
// ControlChannel (§5.8); what reaches this class arrives in order, once.
//
// Simplifications (documented for the lead):
//  * Tie Breaker (§4.4.3) is neither sent nor acted on: two nodes dialing
//    each other at once get two tunnels, which §5.1 permits.
//  * The §5.7 hold after StopCCN is a fixed full retransmission cycle,
//    after which the tunnel is deleted; a channel failure ends it sooner.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "event/loop.h"
#include "link/l2tp/control_channel.h"
#include "link/l2tp/header.h"
#include "link/l2tp/message.h"
#include "link/l2tp/transport.h"

namespace mlppp::link::l2tp {

class Node;
class L2tpSession;

// Tunnel parameters from the link config (mpd5 `set l2tp ...`). Dialed calls
// with equal TunnelConfig to the same peer share a tunnel.
struct TunnelConfig {
  std::string hostname;  // set l2tp hostname; "" = the node's (system) name
  std::string secret;    // set l2tp secret: §5.1.1 challenge and §4.3 hiding
  bool hidden = false;   // enable hidden: hide the AVPs §4.4 allows
  std::string pmask;     // set l2tp pmask: fnmatch(3) on the peer's Host Name
  bool operator==(const TunnelConfig&) const = default;
};

class Tunnel {
 public:
  // §7.2 states.
  enum class State : uint8_t {
    kIdle,          // responder before the SCCRQ is processed
    kWaitCtlReply,  // SCCRQ sent
    kWaitCtlConn,   // SCCRP sent
    kEstablished,
    kClosing,  // StopCCN sent or received: held for §5.7
    kClosed,
  };
  static std::string_view StateName(State s);

  struct Counters {
    uint64_t decode_errors = 0;
    uint64_t unexpected_messages = 0;  // rejected by the state table
    uint64_t auth_failures = 0;
    uint64_t hello_sent = 0;
    uint64_t unknown_session = 0;  // session message for no session we have
    uint64_t data_in = 0;
    uint64_t data_out = 0;
  };

  Tunnel(Node& node, uint16_t local_id, Endpoint peer, TunnelConfig config, bool initiator);
  ~Tunnel();
  Tunnel(const Tunnel&) = delete;
  Tunnel& operator=(const Tunnel&) = delete;

  // Initiator: sends the SCCRQ.
  void Start();
  // A control message (header parsed by the node) for this tunnel.
  void OnControl(const Endpoint& from, const ParsedHeader& p);
  // A data message (§5.5) for one of our sessions.
  void OnData(const ParsedHeader& p);
  // Whether a datagram from `from` belongs to this tunnel. Before the
  // SCCRP the peer may answer from another port (§8.1); after it, the
  // address and port are fixed.
  bool AcceptsSource(const Endpoint& from) const;

  // Sends StopCCN with `result` and takes every session down (§5.7).
  void Stop(StopCcnResult result, std::string reason);

  // Calls: a dialed session joins (a random non-zero Session ID unique in
  // this tunnel is assigned); false when the tunnel is closing or full.
  bool AddCall(L2tpSession* s);
  void RemoveSession(L2tpSession* s);
  // Session-scoped control message: the header carries the peer's Session
  // ID `peer_sid` (0 while unknown).
  void SendSessionMessage(uint16_t peer_sid, const ControlMessage& m);
  void SendData(L2tpSession* s, Packet&& frame);

  State state() const { return state_; }
  bool initiator() const { return initiator_; }
  uint16_t local_id() const { return local_id_; }
  uint16_t peer_id() const { return peer_id_; }
  const Endpoint& peer() const { return peer_; }
  const Endpoint& dialed_peer() const { return dialed_peer_; }
  const TunnelConfig& config() const { return config_; }
  const std::string& peer_host_name() const { return peer_host_name_; }
  size_t session_count() const { return sessions_.size(); }
  L2tpSession* FindSession(uint16_t local_sid) const;
  const Counters& counters() const { return counters_; }
  const ControlChannel& channel() const { return *channel_; }
  Node& node() { return node_; }
  // Half-open bookkeeping for the node's flood limits.
  bool counted_half_open() const { return counted_half_open_; }
  void set_counted_half_open(bool v) { counted_half_open_ = v; }

 private:
  using Handler = void (Tunnel::*)(const ParsedHeader&, const ControlMessage&);
  struct Rule {
    MessageType type;
    Handler handler;
    uint8_t states;  // bit per State that accepts the message
  };
  static const Rule kRules[];

  void SetState(State s, std::string_view why);
  void Deliver(Packet&& body, uint16_t header_sid);
  void HandOver(uint16_t sid);  // a listener's call is up: to the node
  void OnSccrq(const ParsedHeader& p, const ControlMessage& m);
  void OnSccrp(const ParsedHeader& p, const ControlMessage& m);
  void OnScccn(const ParsedHeader& p, const ControlMessage& m);
  void OnStopCcn(const ParsedHeader& p, const ControlMessage& m);
  void OnHello(const ParsedHeader& p, const ControlMessage& m);
  void OnIcrq(const ParsedHeader& p, const ControlMessage& m);
  void OnOcrq(const ParsedHeader& p, const ControlMessage& m);
  void OnSessionMessage(const ParsedHeader& p, const ControlMessage& m);

  // Fills the Host Name and the fields every SCCRQ/SCCRP carries.
  ControlMessage StartMessage(MessageType type);
  // §4.4.3: the peer's SCCRQ/SCCRP fields we keep; false when rejected.
  bool TakePeerStart(const ControlMessage& m);
  bool CheckResponse(const ControlMessage& m, MessageType carried_by);
  void SendTunnelMessage(const ControlMessage& m);
  void SendRaw(uint16_t ns, uint16_t nr, std::span<const uint8_t> body);
  void EnterEstablished();
  uint16_t NewSessionId();
  L2tpSession* NewIncoming(const ParsedHeader& p, const ControlMessage& m, int kind);
  void KillSessions(std::string_view reason);
  // §5.7 hold, then the node deletes us.
  void EnterClosing(std::string why);
  void Finish(std::string why);  // delete now, no StopCCN
  void OnChannelFailed();
  void ArmHello();
  void UpdateIdle();
  const HidingContext* Hiding() const { return config_.secret.empty() ? nullptr : &hiding_; }

  Node& node_;
  event::Loop& loop_;
  uint16_t local_id_;
  uint16_t peer_id_ = 0;
  Endpoint peer_;
  Endpoint dialed_peer_;
  TunnelConfig config_;
  HidingContext hiding_;
  bool initiator_;
  State state_ = State::kIdle;
  std::unique_ptr<ControlChannel> channel_;
  std::unique_ptr<event::Timer> hello_timer_;
  std::unique_ptr<event::Timer> idle_timer_;
  std::unique_ptr<event::Timer> hold_timer_;
  Bytes our_challenge_;
  std::optional<Bytes> peer_challenge_;
  std::string peer_host_name_;
  bool counted_half_open_ = false;
  // Session ID to put in the header of the control message with each Ns:
  // the channel's send hook knows only (Ns, Nr, body), and retransmissions
  // must carry the same header.
  std::map<uint16_t, uint16_t> ns_session_;
  // Likewise on receive: the channel delivers bodies in Ns order, so the
  // k-th delivered message has Ns rx_next_ + k; its header Session ID was
  // noted when it arrived.
  uint16_t rx_next_ = 0;
  std::map<uint16_t, uint16_t> rx_session_;
  // Every session in the tunnel, by our Session ID; `owned_` holds the
  // listener's calls until they are up and handed out.
  std::unordered_map<uint16_t, L2tpSession*> sessions_;
  std::unordered_map<uint16_t, std::unique_ptr<L2tpSession>> owned_;
  Counters counters_;
};

}  // namespace mlppp::link::l2tp
