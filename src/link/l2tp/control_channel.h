// L2TPv2 reliable delivery of control messages (RFC 2661 §5.8, with the
// slow start and congestion avoidance of Appendix A; Appendix B walks through
// the same exchanges this code implements). It works on (Ns, Nr, body) only:
// the caller parses and builds the L2TP header and the AVPs, this class
// decides what goes on the wire when, and hands received messages up in
// order, exactly once.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>

#include "core/log.h"
#include "core/packet.h"
#include "event/loop.h"

namespace mlppp::link::l2tp {

struct ControlChannelOptions {
  // Our Receive Window Size AVP (RFC 2661 §4.4.3): how many messages, the
  // expected one included, we accept ahead of a gap. Clamped to [1, 32767].
  uint16_t local_window = 16;
  // The peer's Receive Window Size: 4 when the AVP is absent (§5.8).
  uint16_t peer_window = 4;
  // §5.8: retransmit after 1 s, doubling each time, capped (8 s suggested).
  event::Duration initial_rto = std::chrono::seconds(1);
  event::Duration max_rto = std::chrono::seconds(8);
  // §5.8: after this many retransmissions of one message without progress,
  // the tunnel is torn down (Hooks::failed).
  int max_retries = 5;
  // §5.8: how long a received message's ack waits for an outgoing message
  // to piggy-back on before a ZLB carries it alone.
  event::Duration ack_delay = std::chrono::milliseconds(100);
  // Appendix A: send at most min(CWND, peer window) unacknowledged messages,
  // CWND growing by slow start and congestion avoidance. Off: the peer's
  // window alone limits what is in flight.
  bool congestion_control = true;
  // First Ns we send and first Ns we expect. Both 0 for a real tunnel
  // (§5.8: the SCCRQ carries Ns 0); tests start near 65535 to exercise the
  // wrap-around.
  uint16_t initial_ns = 0;
  uint16_t initial_nr = 0;
};

// One tunnel's control connection, sequenced both ways.
//
// Hooks are called synchronously from Send/OnReceive/timers, except failed,
// which is Posted (ARCHITECTURE.md rule 7). deliver may call Send (the reply
// then carries the ack) but must not destroy the channel: use DeferDelete.
class ControlChannel {
 public:
  struct Hooks {
    // Put one control message on the wire; an empty body is a ZLB ack. The
    // body is only valid during the call. Must not call back into the
    // channel (the wire is asynchronous).
    std::function<void(uint16_t ns, uint16_t nr, std::span<const uint8_t> body)> send;
    // A new message from the peer, in Ns order, exactly once.
    std::function<void(Packet&& body)> deliver;
    // The retry limit was reached (§5.8): the caller tears the tunnel down.
    // Called once; the channel sends nothing more afterwards.
    std::function<void()> failed;
  };

  struct Counters {
    uint64_t sent = 0;                   // new messages put on the wire (first time)
    uint64_t retransmits = 0;            // retransmissions after a timeout
    uint64_t delivered = 0;              // messages handed to Hooks::deliver
    uint64_t duplicates = 0;             // received again; re-acked by a ZLB
    uint64_t out_of_window = 0;          // beyond our receive window; dropped
    uint64_t out_of_order_buffered = 0;  // ahead of a gap; held until it fills
    uint64_t zlb_sent = 0;
    uint64_t zlb_received = 0;
    uint64_t bad_nr = 0;  // Nr acknowledging messages we never sent; ignored
  };

  ControlChannel(event::Loop& loop, ControlChannelOptions options, Hooks hooks);
  ~ControlChannel();
  ControlChannel(const ControlChannel&) = delete;
  ControlChannel& operator=(const ControlChannel&) = delete;

  // Queues a message and assigns it the next Ns; it goes out at once if the
  // window allows, else when acks open it. Returns false (and drops the
  // message) if the channel has failed or the body is empty (an empty body
  // would be a ZLB, §5.8).
  bool Send(Packet body);
  // A received control message whose header the caller has parsed. An empty
  // body is a ZLB: only its Nr counts.
  void OnReceive(uint16_t ns, uint16_t nr, Packet&& body);
  // The Receive Window Size AVP from the peer's SCCRQ/SCCRP (§4.4.3, §5.8).
  // 0 would stall the channel forever, so it is taken as 1; values above
  // half the sequence space are clamped to 32767.
  void SetPeerWindow(uint16_t rws);

  // Nothing unacknowledged or waiting for the window: after a StopCCN, the
  // caller may close once this holds (§5.8 keeps state until then).
  bool Idle() const { return out_.empty(); }
  bool Failed() const { return failed_; }
  // Ns the next Send() gets; Nr we put in outgoing headers (next expected).
  uint16_t next_ns() const { return next_ns_; }
  uint16_t nr() const { return nr_; }
  // Messages counted against the window, and those waiting for it (never
  // sent, or rewound after a timeout and not yet resent).
  size_t InFlight() const { return next_tx_; }
  size_t Queued() const { return out_.size() - next_tx_; }
  uint16_t cwnd() const { return cwnd_; }
  uint16_t peer_window() const { return peer_window_; }
  const Counters& counters() const { return counters_; }

  // §5.8 serial comparison: a is "before" b if it lies in the 32767 values
  // preceding b. Exactly 32768 apart is neither.
  static bool SeqBefore(uint16_t a, uint16_t b) {
    uint16_t d = static_cast<uint16_t>(b - a);
    return d != 0 && d <= 32767;
  }

 private:
  struct Outgoing {
    uint16_t ns;
    Packet body;
  };

  uint16_t Window() const;
  void TrySend();
  void Transmit(const Outgoing& m);
  void SendZlb();
  void ProcessNr(uint16_t nr);
  void OnAcked(size_t n);
  void OnRetransmitTimer();
  void Fail();

  event::Loop& loop_;
  ControlChannelOptions opt_;
  Hooks hooks_;
  std::unique_ptr<event::Timer> rtx_timer_;
  std::unique_ptr<event::Timer> ack_timer_;
  // Guards the Posted failed() call against the channel's destruction.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  // Unacknowledged messages in Ns order. Ns are consecutive, so
  // out_.front().ns + out_.size() == next_ns_. The first sent_ have been on
  // the wire at least once (an Nr beyond them is bogus); the first next_tx_
  // count against the window. A timeout rewinds next_tx_ to 1, so what the
  // peer has not acknowledged is resent in order as acks reopen the window
  // (go-back-N), instead of one message per timeout.
  std::deque<Outgoing> out_;
  size_t sent_ = 0;
  size_t next_tx_ = 0;
  uint16_t next_ns_;
  uint16_t nr_;
  // Received ahead of a gap, keyed by Ns; all within local_window of nr_.
  std::map<uint16_t, Packet> reorder_;

  uint16_t peer_window_;
  // Appendix A: congestion window and slow-start threshold; acks_in_ca_
  // counts acks in congestion avoidance, CWND grows by one per CWND acks.
  uint16_t cwnd_ = 1;
  uint16_t ssthresh_;
  uint16_t acks_in_ca_ = 0;

  event::Duration rto_;
  int retries_ = 0;
  uint64_t transmits_ = 0;  // every send hook call, to see if an ack went out
  bool failed_ = false;
  Counters counters_;
  log::RateLimit peer_errors_;
};

}  // namespace mlppp::link::l2tp
