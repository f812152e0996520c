// Enhanced GRE sequencing and acknowledgement for one PPTP call (RFC 2637
// §4.2-§4.4), as mpd5 runs it through FreeBSD's ng_pptpgre: sequence
// numbers for sent data, the peer's acks, an optional send window bounded
// by the peer's Packet Receive Window Size with the §4.4 adaptive ack
// timeout, in-order acceptance of received data, and acks either
// piggy-backed on data or sent alone after a short delay. Passive: time
// and timers come from the event::Loop, and an ack-only packet goes out
// through a hook.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "core/log.h"
#include "event/loop.h"
#include "link/pptp/gre.h"

namespace mlppp::link::pptp {

// mpd5 `set pptp enable|disable ...` options that reach the GRE layer, plus
// what the peer announced in call set-up (OCRQ/OCRP §2.7-§2.8, ICRP/ICCN
// §2.10-§2.11).
struct GreWindowConfig {
  bool delayed_ack = true;         // mpd5 default: enable
  bool always_ack = false;         // mpd5 default: disable
  bool windowing = false;          // mpd5 default: disable
  uint16_t peer_recv_window = 64;  // Packet Recv. Window Size from the peer
  uint16_t peer_ppd = 0;           // Packet Processing Delay, 1/10 s
};

struct GreWindowStats {
  uint64_t sent = 0;               // data packets given a sequence number
  uint64_t send_window_drops = 0;  // data refused because the window was closed
  uint64_t lone_acks = 0;          // ack-only packets asked of the hook
  uint64_t received = 0;           // data packets accepted
  uint64_t duplicates = 0;         // seq equal to the last accepted
  uint64_t late = 0;               // seq older than the last accepted
  uint64_t lost = 0;               // sequence numbers skipped over (gaps)
  uint64_t bad_acks = 0;           // ack for a seq we never sent
  uint64_t stale_acks = 0;         // ack not newer than the last one
  uint64_t ack_timeouts = 0;       // §4.4: oldest packet not acked in time
};

class GreWindow {
 public:
  // Sends an ack-only GRE packet (no S bit, no payload) acking `ack`.
  using SendAck = std::function<void(uint32_t ack)>;

  // ng_pptpgre's constants (time scale converted to real time).
  static constexpr std::chrono::microseconds kMinAckDelay{2'000};
  static constexpr std::chrono::microseconds kMaxAckDelay{500'000};
  static constexpr std::chrono::microseconds kMinAckTimeout{12'000};
  static constexpr std::chrono::microseconds kMaxAckTimeout{3'000'000};
  // Upper bound on the send window whatever the peer announces, so a
  // hostile 65535 cannot make us keep 65535 send times.
  static constexpr uint16_t kMaxSendWindow = 64;

  GreWindow(event::Loop& loop, const GreWindowConfig& config, SendAck send_ack);
  GreWindow(const GreWindow&) = delete;
  GreWindow& operator=(const GreWindow&) = delete;

  // --- Sending (§4.2) ---
  // With windowing, false while send_window() packets are unacknowledged.
  bool WindowOpen() const;
  // The sequence number for the next data packet, or nullopt when the
  // window is closed: mpd5 (ng_pptpgre) drops the packet, counted in
  // stats().send_window_drops. Sequence numbers start at 0.
  std::optional<uint32_t> NextSeq();
  // The ack to piggy-back on the packet being built: the last sequence
  // number accepted, when it has not been acked yet or always_ack is on.
  // Cancels the pending delayed ack it replaces.
  std::optional<uint32_t> AckToSend();
  // Both of the above as a header for a data packet to the peer's Call ID;
  // nullopt when the window is closed.
  std::optional<GreHeader> DataHeader(uint16_t peer_call_id);

  // --- Receiving (§4.3, §4.4) ---
  // Records a peer ack. False (counted, logged) for an ack of a sequence
  // number never sent; a stale ack is counted and ignored.
  bool OnAck(uint32_t ack);
  // True when `seq` is newer than the last accepted one (32-bit serial
  // arithmetic); the first packet is always accepted. Duplicates and older
  // packets are counted and refused. An accepted packet schedules an ack.
  bool AcceptReceived(uint32_t seq);
  // A whole received header: the ack (if any), then the seq (if any).
  // Returns true when its payload is to be delivered.
  bool OnReceive(const GreHeader& h);

  // --- State ---
  uint16_t send_window() const { return send_window_; }
  uint32_t in_flight() const { return xmit_seq_ - recv_ack_; }
  std::optional<uint32_t> last_received() const {
    return received_any_ ? std::optional<uint32_t>(recv_seq_) : std::nullopt;
  }
  bool ack_pending() const { return ack_pending_; }
  std::chrono::microseconds rtt() const { return rtt_; }
  std::chrono::microseconds ack_timeout() const { return ato_; }
  // How long a received packet waits for data to carry its ack: a quarter
  // of the round-trip estimate, within [kMinAckDelay, kMaxAckDelay].
  std::chrono::microseconds AckDelay() const;
  const GreWindowStats& stats() const { return stats_; }

 private:
  void ScheduleAck();
  void OnSendAckTimer();
  void StartRecvAckTimer();
  void OnRecvAckTimeout();

  event::Loop& loop_;
  GreWindowConfig config_;
  SendAck send_ack_;
  std::unique_ptr<event::Timer> send_ack_timer_;
  std::unique_ptr<event::Timer> recv_ack_timer_;

  // Sender. Like ng_pptpgre, "last sent" and "last acked" start at ~0 so
  // the first sequence number is 0 and nothing is in flight.
  uint32_t xmit_seq_ = ~0u;                  // last seq sent
  uint32_t recv_ack_ = ~0u;                  // last seq the peer acked
  uint16_t max_window_;                      // the peer's window, within [1, kMaxSendWindow]
  uint16_t send_window_;                     // current window, shrunk on timeout (§4.4)
  uint32_t win_ack_;                         // ack at which the window grows again
  std::deque<event::TimePoint> sent_times_;  // per unacked seq, windowing only
  std::chrono::microseconds rtt_;
  std::chrono::microseconds dev_{0};
  std::chrono::microseconds ato_ = kMaxAckTimeout;

  // Receiver.
  bool received_any_ = false;
  uint32_t recv_seq_ = 0;  // last seq accepted
  bool ack_pending_ = false;

  GreWindowStats stats_;
  log::RateLimit bad_ack_log_;
};

}  // namespace mlppp::link::pptp
