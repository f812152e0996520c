#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/packet.h"
#include "event/loop.h"
#include "ppp/cp_packet.h"

namespace mlppp::ppp {

// RFC 1661 §4.2 states, with the RFC's numbering.
enum class FsmState : uint8_t {
  kInitial = 0,
  kStarting,
  kClosed,
  kStopped,
  kClosing,
  kStopping,
  kReqSent,
  kAckRcvd,
  kAckSent,
  kOpened,
};
std::string_view FsmStateName(FsmState s);

// RFC 1661 §4.3 events.
enum class FsmEvent : uint8_t {
  kUp,
  kDown,
  kOpen,
  kClose,
  kTOPlus,
  kTOMinus,
  kRCRPlus,
  kRCRMinus,
  kRCA,
  kRCN,
  kRTR,
  kRTA,
  kRUC,
  kRXJPlus,
  kRXJMinus,
  kRXR,
};
std::string_view FsmEventName(FsmEvent e);

// Restart timer and counters (RFC 1661 §4.6). mpd5: `set link|bundle
// fsm-timeout` (default 2 s).
struct FsmConfig {
  event::Duration restart = std::chrono::seconds(2);
  int max_configure = 10;
  int max_terminate = 2;
  int max_failure = 5;
  bool passive = false;  // RFC 1661 §4.4 passive option: stay in Stopped after Open
};

// The verdict on a peer's Configure-Request (RFC 1661 §5.1-5.4).
struct ConfReqVerdict {
  enum class Kind { kAck, kNak, kRej } kind = Kind::kAck;
  std::vector<CpOption> options;  // the options to Nak or Reject; unused for Ack
};

// What a control protocol (LCP, IPCP, IPV6CP, later CCP and ECP) supplies to
// the shared automaton: its options and the four layer actions.
class FsmHandler {
 public:
  virtual ~FsmHandler() = default;
  // Options for our next Configure-Request (RFC 1661 §5.1).
  virtual std::vector<CpOption> BuildConfReq() = 0;
  // RFC 1661 §5.1-5.4: all options acceptable → Ack; some unrecognised or not
  // negotiable → Rej (those only); else some values unacceptable → Nak.
  virtual ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) = 0;
  // The peer acked our request (the FSM has checked id and contents).
  virtual void OnConfAck(std::span<const CpOption> opts) = 0;
  // The peer nak'ed / rejected options: adjust what BuildConfReq sends next.
  virtual void OnConfNak(std::span<const CpOption> opts) = 0;
  virtual void OnConfRej(std::span<const CpOption> opts) = 0;
  // RFC 1661 §4.4 actions tlu, tld, tls, tlf.
  virtual void ThisLayerUp() = 0;
  virtual void ThisLayerDown() = 0;
  virtual void ThisLayerStarted() = 0;
  virtual void ThisLayerFinished() = 0;
  // Codes other than 1..7 (LCP's Protocol-Reject, Echo, Discard; CCP's
  // Reset). Return false for an unknown code: the FSM sends Code-Reject (RUC).
  virtual bool OnOtherCode(const CpPacket& /*pkt*/) { return false; }
  // Called before a new negotiation starts (irc on Open/Up): reset wanted options.
  virtual void ResetOptions() {}
};

// Sends one control packet (the PPP information field, without protocol).
using ControlSender = std::function<void(uint16_t protocol, Packet&&)>;

// The RFC 1661 §4 option negotiation automaton, written as the RFC's state
// table. One instance per control protocol per link/bundle.
class Fsm {
 public:
  Fsm(event::Loop& loop, uint16_t protocol, std::string name, FsmHandler& handler,
      ControlSender send, FsmConfig config = {});
  ~Fsm();

  // Administrative and lower-layer events (RFC 1661 §4.3).
  void Up();
  void Down();
  void Open();
  void Close(std::string_view reason);
  // A control packet for this protocol arrived (information field only).
  void Input(std::span<const uint8_t> info);
  // The peer sent Protocol-Reject for this protocol (RXJ-, RFC 1661 §5.7).
  void ProtocolRejected();

  FsmState state() const { return state_; }
  uint16_t protocol() const { return protocol_; }
  const std::string& name() const { return name_; }
  const FsmConfig& config() const { return config_; }
  void set_config(const FsmConfig& c) { config_ = c; }
  // For handlers that send their own codes (Echo-Request, Reset-Request).
  void SendPacket(uint8_t code, uint8_t id, std::span<const uint8_t> data);
  uint8_t NextId() { return ++last_id_; }
  // Why the FSM last reached Closed/Stopped on its own (timeout, reject...).
  const std::string& failure_reason() const { return failure_; }

  // Feeds one event straight into the table (tests of the §4.1 table).
  void Inject(FsmEvent ev);

  // Peer-caused oddities, counted and dropped (ARCHITECTURE.md rule 9).
  struct Counters {
    uint64_t bad_packets = 0;     // unparsable packet or option list, bad Reject
    uint64_t stale_replies = 0;   // ConfAck/Nak/Rej not answering our last ConfReq
    uint64_t bad_acks = 0;        // ConfAck whose options differ from what we sent
    uint64_t illegal_events = 0;  // "-" cells of the §4.1 table; packets while down
    uint64_t naks_converted = 0;  // Naks sent as Rejects after Max-Failure (§4.6)
  };
  const Counters& counters() const;

 private:
  // Bookkeeping private to fsm.cc: restart timer and counter, our last
  // ConfReq, the event queue that keeps events from re-entering.
  struct Impl;
  // Runs fn now, or after the running event when called from inside one (a
  // handler callback calling Close(), a sender feeding Input() back).
  void Serialized(std::function<void()> fn);
  // Applies one §4.1 table cell; `reason` (if any) becomes failure_reason().
  void Dispatch(FsmEvent ev, std::string_view reason = {});
  void RunAction(uint8_t action, FsmState from, FsmEvent ev, bool terminating);
  void HandleInput(std::span<const uint8_t> info);
  void RecvConfReq(const CpPacket& pkt);
  void RecvConfReply(const CpPacket& pkt);
  void RecvCodeRej(const CpPacket& pkt);
  void RecvOther(const CpPacket& pkt);
  void SendConfReq(bool retransmit, bool new_negotiation);
  void SendTermReq();
  void StartTimer();
  void Timeout();

  std::unique_ptr<Impl> impl_;
  event::Loop& loop_;
  uint16_t protocol_;
  std::string name_;
  FsmHandler& handler_;
  ControlSender send_;
  FsmConfig config_;
  FsmState state_ = FsmState::kInitial;
  uint8_t last_id_ = 0;
  std::string failure_;
};

}  // namespace mlppp::ppp
