// One L2TPv2 call (RFC 2661 §5.4 session establishment, §7.4 state tables,
// §5.5 data messages) and the link::Driver the PPP layer sees for it.
//
// Four kinds of call, named after who we are:
//   LAC incoming (Node::Dial):       ICRQ ->, <- ICRP, ICCN ->      (§7.4.1)
//   LNS incoming (listener):         <- ICRQ, ICRP ->, <- ICCN      (§7.4.2)
//   LNS outgoing (Dial, `outcall`):  OCRQ ->, <- OCRP, <- OCCN      (§7.4.4)
//   LAC outgoing (listener):         <- OCRQ, OCRP ->, OCCN ->      (§7.4.3)
// CDN either way ends the call; WEN and SLI are logged, never fatal.
//
// Ownership: a Dial()ed session belongs to the caller from the start; a
// listener's session belongs to its tunnel until the call is up, then to
// whoever IncomingFn hands it to. The tunnel only points at sessions it does
// not own; each side tells the other when it goes (RemoveSession/
// OnTunnelDown).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/log.h"
#include "event/loop.h"
#include "link/driver.h"
#include "link/l2tp/message.h"
#include "link/l2tp/transport.h"
#include "link/up_gate.h"

namespace mlppp::link::l2tp {

class Node;
class Tunnel;

// Per-call options (mpd5 `set l2tp ...` on the link).
struct SessionOptions {
  bool length = false;         // enable length: L bit on data messages (§3.1)
  bool dataseq = true;         // enable dataseq: Ns/Nr on data messages (§5.4)
  std::string calling_number;  // set l2tp callingnum (ICRQ Calling Number)
  std::string called_number;   // set l2tp callednum (ICRQ/OCRQ Called Number)
};

// PPP MRU over L2TP: a 1500-octet IP path minus IPv4 (20), UDP (8), the
// largest data header we send (12: flags, Length, Tunnel ID, Session ID,
// Ns, Nr), address/control (2) and the PPP protocol field (2).
inline constexpr uint16_t kMaxMru = 1500 - 20 - 8 - 12 - 2 - 2;  // 1456

class L2tpSession : public link::Driver {
 public:
  // How long a call may stay between request and connect (ours, not the
  // RFC's): CDN with Result Code 10 after it.
  static constexpr std::chrono::seconds kCallSetupTimeout{60};

  enum class Kind : uint8_t { kLacIncoming, kLnsIncoming, kLnsOutgoing, kLacOutgoing };
  static std::string_view KindName(Kind k);
  // §7.4 states, with the RFC's names where it has them.
  enum class State : uint8_t {
    kIdle,         // not opened
    kWaitTunnel,   // call wanted, tunnel not yet established
    kWaitReply,    // ICRQ / OCRQ sent
    kWaitConnect,  // ICRP / OCRP sent or received, waiting for xCCN
    kEstablished,
    kClosed,
  };
  static std::string_view StateName(State s);

  struct Counters {
    uint64_t frames_in = 0;
    uint64_t frames_out = 0;
    uint64_t dropped_not_up = 0;       // Send() while the call is not up
    uint64_t data_out_of_order = 0;    // §5.4: Ns behind the expected one
    uint64_t unexpected_messages = 0;  // message the state table rejects
    uint64_t wen_received = 0;
    uint64_t sli_received = 0;
    uint64_t dropped_early = 0;  // more than UpGate holds before the up
  };

  // REQUIRES: node outlives the session or detaches it (Node::~Node does).
  L2tpSession(event::Loop& loop, Node* node, Kind kind, SessionOptions options);
  ~L2tpSession() override;

  // link::Driver.
  void SetEvents(DriverEvents* events) override { events_ = events; }
  // Dialed: finds or opens a tunnel to the peer and places the call;
  // OnDriverUp follows ICCN sent (LAC) or OCCN received (LNS outcall).
  // Listener's: the call is already up; posts OnDriverUp.
  void Open() override;
  // Sends CDN (Result Code 3, administrative, §4.4.2); OnDriverDown follows.
  void Close() override;
  // §5.5: prepends the data header (Length, Ns/Nr as negotiated).
  void Send(Packet&& frame) override;
  PeerInfo Info() const override;
  uint16_t MaxMru() const override { return kMaxMru; }
  // RFC 2661 §5.5 carries the PPP frame "minus framing and transparency";
  // Linux pppol2tp and xl2tpd send address/control FF 03 in it, and accept
  // frames without it, so we send it.
  bool WantsAddressControl() const override { return true; }

  Kind kind() const { return kind_; }
  State state() const { return state_; }
  uint16_t local_id() const { return local_id_; }
  uint16_t peer_id() const { return peer_id_; }
  bool sends_sequence() const { return options_.dataseq || peer_requires_sequence_; }
  const Counters& counters() const { return counters_; }
  // The peer's ACCM from its last SLI (§6.14), for the async framing above.
  const Accm& peer_accm() const { return accm_; }
  Tunnel* tunnel() const { return tunnel_; }

  // Called by the tunnel.
  // A dialed call's peer, known before any tunnel exists (for Info()).
  void NoteDialPeer(std::string addr) { peer_addr_ = std::move(addr); }
  void Attach(Tunnel* t, uint16_t local_id);
  // Tunnel established: place the call (send ICRQ/OCRQ).
  void StartCall();
  // Listener side: the request that created this call (ICRQ/OCRQ).
  void AcceptRequest(const ControlMessage& m);
  // A session-scoped control message for this call (§7.4 tables).
  void OnMessage(const ControlMessage& m);
  void OnData(const Header& h, Packet&& frame);
  // The tunnel is gone (StopCCN, retry limit, node shutdown): forget it and
  // report down with `reason`.
  void OnTunnelDown(std::string_view reason);
  // A message for this call could not be decoded (§4.1): CDN and down.
  void Abort(CdnResult result, ErrorCode error, std::string reason) {
    Hangup(result, error, std::move(reason));
  }
  // Node going away: forget it (no more dialing).
  void DetachNode() { node_ = nullptr; }

 private:
  using Handler = void (L2tpSession::*)(const ControlMessage&);
  struct Rule {
    MessageType type;
    Handler handler;
    uint8_t states;  // bit per State that accepts the message
    uint8_t kinds;   // bit per Kind the message is meant for
  };
  static const Rule kRules[];

  void SetState(State s, std::string_view why);
  void OnIcrp(const ControlMessage& m);
  void OnIccn(const ControlMessage& m);
  void OnOcrp(const ControlMessage& m);
  void OnOccn(const ControlMessage& m);
  void OnCdn(const ControlMessage& m);
  void OnWen(const ControlMessage& m);
  void OnSli(const ControlMessage& m);
  void SendConnected(MessageType type);  // ICCN / OCCN
  // Sends CDN (when the peer knows of us), leaves the tunnel, reports down.
  void Hangup(CdnResult result, ErrorCode error, std::string reason);
  void Established();
  void PostUp();
  void PostDown(std::string reason);
  void Leave();  // unregister from the tunnel

  event::Loop& loop_;
  Node* node_;
  Kind kind_;
  SessionOptions options_;
  Tunnel* tunnel_ = nullptr;
  std::string peer_addr_;
  std::string self_addr_;
  State state_ = State::kIdle;
  uint16_t local_id_ = 0;
  uint16_t peer_id_ = 0;
  bool peer_requires_sequence_ = false;
  uint16_t data_ns_ = 0;  // next Ns we send (§5.4)
  uint16_t data_nr_ = 0;  // next Ns we expect
  Accm accm_;
  std::unique_ptr<event::Timer> setup_timer_;
  DriverEvents* events_ = nullptr;
  // The up, reported ahead of the frames (declared after events_).
  UpGate up_{loop_, events_};
  bool down_reported_ = false;
  Counters counters_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link::l2tp
