#include "link/pptp/gre_window.h"

#include <algorithm>

namespace mlppp::link::pptp {

namespace {

using std::chrono::microseconds;

// RFC 1982 style comparison of 32-bit sequence numbers (§4.3: numbers wrap).
int32_t SeqDiff(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b); }

microseconds Clamp(microseconds v, microseconds lo, microseconds hi) {
  return std::clamp(v, lo, hi);
}

}  // namespace

GreWindow::GreWindow(event::Loop& loop, const GreWindowConfig& config, SendAck send_ack)
    : loop_(loop),
      config_(config),
      send_ack_(std::move(send_ack)),
      send_ack_timer_(loop.CreateTimer()),
      recv_ack_timer_(loop.CreateTimer()),
      max_window_(std::clamp<uint16_t>(config.peer_recv_window, 1, kMaxSendWindow)),
      send_window_(max_window_),
      win_ack_(recv_ack_ + send_window_),
      // ng_pptpgre: the initial round-trip guess is 100 ms, times the peer's
      // Packet Processing Delay (in 1/10 s) when that is larger.
      rtt_(microseconds(100'000) * std::max<uint16_t>(config.peer_ppd, 1)) {}

microseconds GreWindow::AckDelay() const { return Clamp(rtt_ / 4, kMinAckDelay, kMaxAckDelay); }

bool GreWindow::WindowOpen() const {
  // §4.2: the sender must not have more than the receive window
  // unacknowledged.
  return !config_.windowing || in_flight() < send_window_;
}

std::optional<uint32_t> GreWindow::NextSeq() {
  if (!WindowOpen()) {
    ++stats_.send_window_drops;
    return std::nullopt;
  }
  ++xmit_seq_;
  ++stats_.sent;
  if (config_.windowing) {
    sent_times_.push_back(loop_.Now());
    // The first packet in flight starts the §4.4 ack timeout.
    if (in_flight() == 1) StartRecvAckTimer();
  }
  return xmit_seq_;
}

std::optional<uint32_t> GreWindow::AckToSend() {
  if (!received_any_) return std::nullopt;
  if (!ack_pending_ && !config_.always_ack) return std::nullopt;
  ack_pending_ = false;
  send_ack_timer_->Stop();
  return recv_seq_;
}

std::optional<GreHeader> GreWindow::DataHeader(uint16_t peer_call_id) {
  auto seq = NextSeq();
  if (!seq) return std::nullopt;
  GreHeader h;
  h.call_id = peer_call_id;
  h.seq = seq;
  h.ack = AckToSend();
  return h;
}

bool GreWindow::OnAck(uint32_t ack) {
  if (SeqDiff(ack, xmit_seq_) > 0) {
    ++stats_.bad_acks;
    MLOG_PEER_ERROR(bad_ack_log_, kPhys2, "pptp gre: ack {} for a packet never sent (last {})", ack,
                    xmit_seq_);
    return false;
  }
  if (SeqDiff(ack, recv_ack_) <= 0) {
    // Already acked, or its packets were given up for lost on a timeout.
    ++stats_.stale_acks;
    return true;
  }
  const uint32_t newly_acked = ack - recv_ack_;
  recv_ack_ = ack;
  if (!config_.windowing) return true;

  // §4.4: adaptive timeout from the round-trip sample of the newest packet
  // this ack covers (Jacobson: alpha 1/8, beta 1/4, chi 4).
  if (newly_acked <= sent_times_.size()) {
    const microseconds sample =
        std::chrono::duration_cast<microseconds>(loop_.Now() - sent_times_[newly_acked - 1]);
    const microseconds diff = sample - rtt_;
    rtt_ += diff / 8;
    dev_ += (std::chrono::abs(diff) - dev_) / 4;
    ato_ = Clamp(rtt_ + 4 * dev_, kMinAckTimeout, kMaxAckTimeout);
    sent_times_.erase(sent_times_.begin(),
                      sent_times_.begin() + static_cast<std::ptrdiff_t>(newly_acked));
  } else {
    sent_times_.clear();
  }
  // A whole window acknowledged: open the window by one, up to the peer's.
  if (SeqDiff(ack, win_ack_) >= 0 && send_window_ < max_window_) {
    ++send_window_;
    win_ack_ = ack + send_window_;
  }
  recv_ack_timer_->Stop();
  if (in_flight() != 0) StartRecvAckTimer();
  return true;
}

bool GreWindow::AcceptReceived(uint32_t seq) {
  if (received_any_) {
    const int32_t diff = SeqDiff(seq, recv_seq_);
    if (diff == 0) {
      ++stats_.duplicates;
      return false;
    }
    if (diff < 0) {
      // §4.3: packets are delivered in order; a late one is discarded.
      ++stats_.late;
      return false;
    }
    stats_.lost += static_cast<uint32_t>(diff) - 1;
  }
  received_any_ = true;
  recv_seq_ = seq;
  ++stats_.received;
  ack_pending_ = true;
  ScheduleAck();
  return true;
}

bool GreWindow::OnReceive(const GreHeader& h) {
  if (h.ack) OnAck(*h.ack);
  return h.seq && AcceptReceived(*h.seq);
}

void GreWindow::ScheduleAck() {
  if (send_ack_timer_->Running()) return;
  // Without delayed-ack the ack still goes through the loop (a zero delay),
  // so the hook is never called from inside AcceptReceived and a data
  // packet sent in the same callback can still carry it.
  const event::Duration delay =
      config_.delayed_ack ? event::Duration(AckDelay()) : event::Duration::zero();
  send_ack_timer_->Start(delay, [this] { OnSendAckTimer(); });
}

void GreWindow::OnSendAckTimer() {
  if (!ack_pending_) return;
  ack_pending_ = false;
  ++stats_.lone_acks;
  if (send_ack_) send_ack_(recv_seq_);
}

void GreWindow::StartRecvAckTimer() {
  if (sent_times_.empty()) return;
  event::Duration remain = sent_times_.front() + ato_ - loop_.Now();
  if (remain < event::Duration::zero()) remain = event::Duration::zero();
  recv_ack_timer_->Start(remain, [this] { OnRecvAckTimeout(); });
}

void GreWindow::OnRecvAckTimeout() {
  // §4.4: on a timeout, back the estimates off and shrink the window; like
  // ng_pptpgre, give up on the outstanding packets (PPTP never retransmits)
  // so the window reopens.
  ++stats_.ack_timeouts;
  // Capped so a peer that never acks cannot overflow the estimate.
  rtt_ = std::min(2 * rtt_ + microseconds(1), kMaxAckTimeout);
  ato_ = Clamp(rtt_ + 4 * dev_, kMinAckTimeout, kMaxAckTimeout);
  recv_ack_ = xmit_seq_;
  sent_times_.clear();
  send_window_ = static_cast<uint16_t>((send_window_ + 1) / 2);
  win_ack_ = recv_ack_ + send_window_;
}

}  // namespace mlppp::link::pptp
