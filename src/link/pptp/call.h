// One PPTP call (RFC 2637 §3.2) as a link::Driver: its set-up on a control
// connection (outgoing OCRQ/OCRP §2.7-§2.8 or incoming ICRQ/ICRP/ICCN
// §2.9-§2.11), its clearing (CCRQ/CDN §2.12-§2.13), WEN/SLI notes
// (§2.14-§2.15), and its PPP frames in Enhanced GRE (§4) sequenced by a
// GreWindow.
//
// Roles follow the RFC: the side that sends OCRQ or receives ICRQ is the
// PNS; the other is the PAC. A client (Node::Dial) with `outcall` is a PNS
// sending OCRQ (mpd5's default, as MS clients do); without it, a PAC
// sending ICRQ. A listening node answers both.
//
// Ownership: the driver belongs to the layer above (unique_ptr<Driver>);
// the node and the control connection hold plain pointers that the call
// removes in its destructor. Events (up/down) are posted through the loop;
// OnFrame runs inside Node::OnGre, itself a loop callback, never inside a
// call into the driver.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/log.h"
#include "event/loop.h"
#include "link/driver.h"
#include "link/pptp/control_message.h"
#include "link/pptp/gre.h"
#include "link/pptp/gre_window.h"
#include "link/up_gate.h"

namespace mlppp::link::pptp {

class Node;
class ControlConn;

// mpd5 `set pptp enable|disable delayed-ack|always-ack|windowing`, and what
// we announce in OCRQ/OCRP/ICRP/ICCN.
struct CallOptions {
  bool delayed_ack = true;
  bool always_ack = false;
  bool windowing = false;
  uint16_t recv_window = 64;      // our Packet Recv. Window Size
  uint16_t processing_delay = 0;  // our Packet Processing Delay, 1/10 s
};

// mpd5 `set pptp peer|callingnum|callednum`, `enable outcall`.
struct ClientConfig {
  std::string peer_ip;
  uint16_t peer_port = kControlPort;
  bool outcall = true;      // PNS sending OCRQ; false: PAC sending ICRQ
  std::string calling_num;  // ICRQ Dialing Number
  std::string called_num;   // OCRQ Phone Number / ICRQ Dialed Number
  CallOptions options;
};

struct ServerConfig {
  CallOptions options;
  bool accept_outgoing = true;  // answer OCRQ (we are the PAC)
  bool accept_incoming = true;  // answer ICRQ (we are the PNS)
};

enum class CallState : uint8_t {
  kIdle,         // client not opened yet
  kWaitConn,     // client: control connection not established yet
  kWaitReply,    // client: OCRQ or ICRQ sent
  kWaitConnect,  // server PNS: ICRP sent, waiting for ICCN
  kEstablished,
  kWaitCdn,  // PNS: CCRQ sent
  kDead,
};
std::string_view CallStateName(CallState s);

enum class CallRole : uint8_t { kPns, kPac };

struct CallStats {
  uint64_t tx_frames = 0;
  uint64_t tx_dropped = 0;  // not established, or window closed
  uint64_t rx_frames = 0;
  uint64_t rx_dropped = 0;  // not established, refused by the window, or
                            // more than UpGate holds before the up
  uint64_t wan_errors = 0;  // WEN received
  uint64_t unexpected = 0;  // call message not accepted in this state
};

class PptpCall : public link::Driver {
 public:
  // MaxMru: a 1500-octet IP path less IP (20), the longest Enhanced GRE
  // header (16, §4.1) and the PPP address/control and protocol fields (4):
  // mpd5's FAQ advice of MTU 1460 for PPTP, arrived at the same way.
  static constexpr uint16_t kMaxMru = 1500 - 20 - kGreMaxHeaderSize - 4;
  // How long OCRP/ICRP/ICCN may take before the call is given up.
  static constexpr std::chrono::seconds kCallTimeout{60};
  // How long a PNS waits for the CDN answering its CCRQ (§2.12).
  static constexpr std::chrono::seconds kClearTimeout{10};

  // A client call: Open() places it.
  PptpCall(Node* node, ClientConfig config);
  // A server call created for an OCRQ (role PAC, already established) or
  // an ICRQ (role PNS, waiting for ICCN). Registers a fresh Call ID; when
  // none is free the call is born dead (call_id() == 0).
  PptpCall(Node* node, ControlConn* conn, CallRole role, const CallOptions& options,
           uint16_t peer_call_id, GreWindowConfig gre);
  ~PptpCall() override;

  // link::Driver.
  void SetEvents(DriverEvents* events) override { events_ = events; }
  void Open() override;
  void Close() override;
  void Send(Packet&& frame) override;
  PeerInfo Info() const override;
  uint16_t MaxMru() const override { return kMaxMru; }
  // RFC 2637 §4: PPTP carries the HDLC-like framed PPP packet with its
  // address and control fields unless ACFC was negotiated, as pppd and
  // pptpd send it (FF 03 first).
  bool WantsAddressControl() const override { return true; }

  // Used by ControlConn and Node.
  void OnConnUp();                           // client: send OCRQ/ICRQ
  void OnConnDown(std::string_view reason);  // connection gone
  void OnControl(const ControlMessage& m);
  void OnGre(const GreHeader& h, Packet&& payload);
  void DetachNode() { node_ = nullptr; }
  void AttachConn(ControlConn* conn) { conn_ = conn; }

  uint16_t call_id() const { return call_id_; }
  uint16_t peer_call_id() const { return peer_call_id_; }
  CallState state() const { return state_; }
  CallRole role() const { return role_; }
  ControlConn* conn() const { return conn_; }
  const std::string& peer_ip() const { return peer_ip_; }
  const CallStats& stats() const { return stats_; }
  const GreWindow* window() const { return window_.get(); }
  // §2.15 Set-Link-Info ACCMs (kept for the async framing a PAC does).
  uint32_t send_accm() const { return send_accm_; }
  uint32_t recv_accm() const { return recv_accm_; }

 private:
  using Handler = void (PptpCall::*)(const ControlMessage&);
  struct MessageRule {
    ControlType type;
    Handler handler;
    uint32_t states;
  };
  static const MessageRule kRules[];

  // The one function that changes state_; logs the transition.
  void SetState(CallState next, std::string_view why);
  void Establish(uint16_t peer_window, uint16_t peer_ppd, std::string_view why);
  // Leaves for good: unregisters, detaches, posts OnDriverDown once.
  void Finish(std::string_view why);
  void MaybeReportUp();
  void SendAck(uint32_t ack);
  void SendCdn(uint8_t result);

  void OnOcrp(const ControlMessage& m);
  void OnIcrp(const ControlMessage& m);
  void OnIccn(const ControlMessage& m);
  void OnCcrq(const ControlMessage& m);
  void OnCdn(const ControlMessage& m);
  void OnWen(const ControlMessage& m);
  void OnSli(const ControlMessage& m);

  Node* node_;
  ControlConn* conn_ = nullptr;
  event::Loop& loop_;
  bool client_;
  ClientConfig client_config_;  // client only
  CallOptions options_;
  CallRole role_;
  std::string peer_ip_;
  std::string self_ip_;
  CallState state_;
  uint16_t call_id_ = 0;
  uint16_t peer_call_id_ = 0;
  GreWindowConfig gre_;
  std::unique_ptr<GreWindow> window_;
  std::unique_ptr<event::Timer> timer_;
  uint32_t send_accm_ = 0xffffffff;
  uint32_t recv_accm_ = 0xffffffff;
  DriverEvents* events_ = nullptr;
  bool opened_ = false;
  // The up, reported ahead of the frames (declared after events_).
  UpGate up_{loop_, events_};
  bool down_reported_ = false;
  CallStats stats_;
  log::RateLimit peer_error_log_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link::pptp
