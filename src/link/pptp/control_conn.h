// One PPTP control connection (RFC 2637 §3.1): the TCP stream on port 1723
// between a PNS and a PAC, its start-up (SCCRQ/SCCRP §2.1-§2.2), keep-alive
// (Echo §2.5-§2.6), tear-down (StopCCRQ/StopCCRP §2.3-§2.4) and the
// dispatch of call messages (§2.7-§2.15) to the PptpCalls it carries.
//
// As mpd5's pptp_ctrl.c: a table per message says which states accept it
// and which handler runs; SetState() is the one place the state changes,
// and it logs. Owned by the Node; calls hold plain pointers and are
// detached (OnConnDown) before the connection dies.
//
// §3.1.3 collision resolution is simplified: each TCP connection has one
// originator (the side that dialed sends SCCRQ, the side that accepted
// answers), and the two directions of a crossed dial are two independent
// connections, so there is never a collision to resolve. An SCCRQ on a
// connection that did not accept one is counted and dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "event/loop.h"
#include "link/pptp/control_message.h"
#include "link/pptp/transport.h"

namespace mlppp::link::pptp {

class Node;
class PptpCall;

// §3.1.1 (originator) and §3.1.2 (answerer) states, plus kConnecting while
// the TCP connect is in progress and kDead once gone.
enum class ConnState : uint8_t {
  kConnecting,     // originator: TCP connect pending
  kWaitCtlReply,   // originator: SCCRQ sent
  kWaitStartRqst,  // answerer: accepted, no SCCRQ yet ("half-open")
  kEstablished,
  kWaitStopReply,  // StopCCRQ sent
  kDead,
};
std::string_view ConnStateName(ConnState s);

struct ConnStats {
  uint64_t rx_messages = 0;
  uint64_t tx_messages = 0;
  uint64_t bad_messages = 0;  // Decode errors (connection kept)
  uint64_t unexpected = 0;    // message not accepted in the current state
  uint64_t unknown_call = 0;  // call message for no call of ours
  uint64_t echo_sent = 0;
};

class ControlConn : public StreamReceiver {
 public:
  enum class Role : uint8_t { kOriginator, kAnswerer };

  // Starts in kConnecting (originator) or kWaitStartRqst (answerer, with
  // the stream given to Start()).
  ControlConn(Node& node, uint64_t id, Role role, std::string peer_ip);
  ~ControlConn() override;
  ControlConn(const ControlConn&) = delete;
  ControlConn& operator=(const ControlConn&) = delete;

  // Originator: the connect finished; sends SCCRQ (§3.1.1). nullptr: failed.
  void OnConnected(std::unique_ptr<StreamConn> stream);
  // Answerer: takes the accepted stream and waits for SCCRQ within the
  // setup timeout (half-open limit, flood protection).
  void Start(std::unique_ptr<StreamConn> stream);

  // StreamReceiver.
  void OnStreamData(std::span<const uint8_t> bytes) override;
  void OnStreamClosed() override;

  // §2.3: sends StopCCRQ and waits for StopCCRP (or a timeout); every call
  // goes down.
  void Stop(uint8_t reason, std::string_view why);
  // Closes at once: calls down, stream closed, the node deletes us later.
  void Kill(std::string_view why);

  // Used by PptpCall.
  void Send(const ControlMessage& m);
  void AddCall(PptpCall* call);
  void RemoveCall(PptpCall* call);

  uint64_t id() const { return id_; }
  Role role() const { return role_; }
  ConnState state() const { return state_; }
  const std::string& peer_ip() const { return peer_ip_; }
  size_t call_count() const { return calls_.size(); }
  // The call whose peer assigned it peer_call_id, if any.
  PptpCall* FindByPeerId(uint16_t peer_call_id) const;
  bool established() const { return state_ == ConnState::kEstablished; }
  // True while new calls may be placed on this connection.
  bool Usable() const {
    return state_ == ConnState::kConnecting || state_ == ConnState::kWaitCtlReply ||
           state_ == ConnState::kEstablished;
  }
  const ConnStats& stats() const { return stats_; }
  const std::string& peer_host_name() const { return peer_host_name_; }

 private:
  using Handler = void (ControlConn::*)(const ControlMessage&);
  struct MessageRule {
    ControlType type;
    Handler handler;
    uint32_t states;  // bit per ConnState that accepts the message
  };
  static const MessageRule kRules[];

  // The one function that changes state_; logs the transition.
  void SetState(ConnState next, std::string_view why);
  void Dispatch(const ControlMessage& m);
  void CallsUp();
  void CallsDown(std::string_view why);
  void StartIdleTimerIfIdle();
  void OnKeepAliveTimer();

  void OnSccrq(const ControlMessage& m);
  void OnSccrp(const ControlMessage& m);
  void OnStopCcrq(const ControlMessage& m);
  void OnStopCcrp(const ControlMessage& m);
  void OnEchoRequest(const ControlMessage& m);
  void OnEchoReply(const ControlMessage& m);
  void OnOcrq(const ControlMessage& m);
  void OnIcrq(const ControlMessage& m);
  // OCRP, ICRP, ICCN, WEN, SLI: addressed by our own Call ID.
  void ToCallByOwnId(const ControlMessage& m);
  // CCRQ, CDN: carry the sender's Call ID (§2.12, §2.13).
  void ToCallByPeerId(const ControlMessage& m);

  Node& node_;
  event::Loop& loop_;
  uint64_t id_;
  Role role_;
  std::string peer_ip_;
  ConnState state_;
  std::unique_ptr<StreamConn> stream_;
  Framer framer_;
  std::vector<PptpCall*> calls_;
  std::unique_ptr<event::Timer> setup_timer_;      // SCCRQ/SCCRP/StopCCRP wait
  std::unique_ptr<event::Timer> keepalive_timer_;  // §2.5 echo after silence
  std::unique_ptr<event::Timer> idle_timer_;       // pptptimeout with no calls
  bool echo_outstanding_ = false;
  uint32_t echo_id_ = 0;
  std::string peer_host_name_;
  ConnStats stats_;
  log::RateLimit peer_error_log_;
};

}  // namespace mlppp::link::pptp
