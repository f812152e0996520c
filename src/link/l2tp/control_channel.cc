#include "link/l2tp/control_channel.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace mlppp::link::l2tp {
namespace {

// Windows beyond half the sequence space would make "ahead" and "behind"
// ambiguous (§5.8 comparison).
constexpr uint16_t kMaxWindow = 32767;

uint16_t ClampWindow(uint16_t w) { return std::clamp<uint16_t>(w, 1, kMaxWindow); }

}  // namespace

ControlChannel::ControlChannel(event::Loop& loop, ControlChannelOptions options, Hooks hooks)
    : loop_(loop),
      opt_(options),
      hooks_(std::move(hooks)),
      rtx_timer_(loop.CreateTimer()),
      ack_timer_(loop.CreateTimer()),
      next_ns_(options.initial_ns),
      nr_(options.initial_nr),
      peer_window_(ClampWindow(options.peer_window)),
      // Appendix A: SSTHRESH starts at the peer's receive window.
      ssthresh_(peer_window_),
      rto_(options.initial_rto) {
  opt_.local_window = ClampWindow(opt_.local_window);
  if (opt_.max_rto < opt_.initial_rto) opt_.max_rto = opt_.initial_rto;
}

ControlChannel::~ControlChannel() = default;

uint16_t ControlChannel::Window() const {
  // §5.8: never more unacknowledged messages than the peer's RWS; Appendix A
  // further limits them to CWND.
  return opt_.congestion_control ? std::min(cwnd_, peer_window_) : peer_window_;
}

bool ControlChannel::Send(Packet body) {
  if (failed_ || body.empty()) return false;
  out_.push_back(Outgoing{next_ns_, std::move(body)});
  ++next_ns_;  // wraps 65535 -> 0 (§5.8)
  TrySend();
  return true;
}

void ControlChannel::TrySend() {
  while (!failed_ && next_tx_ < out_.size() && next_tx_ < Window()) {
    Transmit(out_[next_tx_]);
    if (next_tx_ < sent_) {
      ++counters_.retransmits;
    } else {
      ++sent_;
      ++counters_.sent;
    }
    ++next_tx_;
  }
  // One timer covers the oldest unacknowledged message (§5.8).
  if (next_tx_ > 0 && !rtx_timer_->Running()) {
    rtx_timer_->Start(rto_, [this] { OnRetransmitTimer(); });
  }
}

void ControlChannel::Transmit(const Outgoing& m) {
  // §5.8: every message carries the current Nr, which acknowledges what we
  // have received; no separate ZLB is then needed.
  ack_timer_->Stop();
  ++transmits_;
  if (hooks_.send) hooks_.send(m.ns, nr_, m.body.span());
}

void ControlChannel::SendZlb() {
  // §5.8: a ZLB carries the Ns of the next new message without consuming it,
  // and is never retransmitted.
  ack_timer_->Stop();
  ++transmits_;
  ++counters_.zlb_sent;
  uint16_t ns = static_cast<uint16_t>(next_ns_ - (out_.size() - sent_));
  if (hooks_.send) hooks_.send(ns, nr_, {});
}

void ControlChannel::OnReceive(uint16_t ns, uint16_t nr, Packet&& body) {
  if (failed_) return;
  uint64_t transmits_before = transmits_;
  std::vector<Packet> ready;
  bool duplicate = false;
  bool fresh = false;  // a new message, in order or held ahead of a gap

  if (body.empty()) {
    // A ZLB: its Ns is not a sequence position (§5.8), only its Nr counts.
    ++counters_.zlb_received;
  } else {
    uint16_t ahead = static_cast<uint16_t>(ns - nr_);
    if (SeqBefore(ns, nr_) || ahead == 32768) {
      // §5.8: at or before the last received Ns: we delivered it already, so
      // our ack was probably lost. Acknowledge again at once, or the peer
      // retransmits until it gives up on the tunnel.
      duplicate = true;
      ++counters_.duplicates;
    } else if (ahead >= opt_.local_window) {
      ++counters_.out_of_window;
      MLOG_PEER_ERROR(peer_errors_, kPhys2,
                      "l2tp: control message Ns {} beyond receive window (expected {}, window {})",
                      ns, nr_, opt_.local_window);
    } else if (ahead > 0) {
      // §5.8 allows holding messages that arrive ahead of a gap; they are
      // delivered once the gap fills.
      if (reorder_.emplace(ns, std::move(body)).second) {
        fresh = true;
        ++counters_.out_of_order_buffered;
      } else {
        duplicate = true;
        ++counters_.duplicates;
      }
    } else {
      fresh = true;
      ready.push_back(std::move(body));
      ++nr_;
      for (auto it = reorder_.find(nr_); it != reorder_.end(); it = reorder_.find(nr_)) {
        ready.push_back(std::move(it->second));
        reorder_.erase(it);
        ++nr_;
      }
    }
  }

  // The peer's Nr acknowledges our messages; any queued ones the window now
  // admits go out carrying the updated nr_, which acks what just arrived.
  ProcessNr(nr);

  if (transmits_ == transmits_before) {
    if (duplicate) {
      SendZlb();
    } else if (fresh && !ack_timer_->Running()) {
      // A new message (in order or buffered): wait briefly for a reply to
      // carry the ack (§5.8), else a ZLB goes out. Not restarted if already
      // running, so a stream of messages cannot postpone the ack forever.
      ack_timer_->Start(opt_.ack_delay, [this] { SendZlb(); });
    }
  }

  for (auto& m : ready) {
    ++counters_.delivered;
    if (hooks_.deliver) hooks_.deliver(std::move(m));
  }
}

void ControlChannel::ProcessNr(uint16_t nr) {
  // Nr is the next Ns the peer expects: it acknowledges every Ns before it
  // (§5.8). una is our oldest unacknowledged Ns.
  uint16_t una = static_cast<uint16_t>(next_ns_ - out_.size());
  if (nr == una || SeqBefore(nr, una)) return;  // nothing new, or a stale ack
  size_t acked = static_cast<uint16_t>(nr - una);
  if (acked > sent_) {
    ++counters_.bad_nr;
    MLOG_PEER_ERROR(peer_errors_, kPhys2,
                    "l2tp: control message Nr {} acknowledges unsent messages (next Ns {})", nr,
                    static_cast<uint16_t>(una + sent_));
    return;
  }
  for (size_t i = 0; i < acked; ++i) out_.pop_front();
  sent_ -= acked;
  next_tx_ = next_tx_ > acked ? next_tx_ - acked : 0;
  OnAcked(acked);
  // Progress: the back-off starts over for the next oldest message (§5.8).
  rto_ = opt_.initial_rto;
  retries_ = 0;
  rtx_timer_->Stop();
  TrySend();
}

void ControlChannel::OnAcked(size_t n) {
  if (!opt_.congestion_control) return;
  // Appendix A: below SSTHRESH (slow start) CWND grows by one per ack;
  // above it (congestion avoidance) by one per CWND acks. Never above the
  // peer's window.
  for (size_t i = 0; i < n && cwnd_ < peer_window_; ++i) {
    if (cwnd_ < ssthresh_) {
      ++cwnd_;
    } else if (++acks_in_ca_ >= cwnd_) {
      acks_in_ca_ = 0;
      ++cwnd_;
    }
  }
}

void ControlChannel::OnRetransmitTimer() {
  if (failed_ || out_.empty()) return;
  if (retries_ >= opt_.max_retries) {
    Fail();
    return;
  }
  ++retries_;
  ++counters_.retransmits;
  // Appendix A: a timeout halves SSTHRESH and restarts slow start.
  ssthresh_ = std::max<uint16_t>(cwnd_ / 2, 1);
  cwnd_ = 1;
  acks_in_ca_ = 0;
  MLOG_DEBUG(kPhys2, "l2tp: retransmitting control message Ns {} (try {})", out_.front().ns,
             retries_);
  // §5.8: the oldest is retransmitted with the current Nr; the timeout
  // doubles up to the cap. The rest are resent as acks reopen the window.
  Transmit(out_.front());
  next_tx_ = 1;
  rto_ = std::min(rto_ * 2, opt_.max_rto);
  rtx_timer_->Start(rto_, [this] { OnRetransmitTimer(); });
}

void ControlChannel::SetPeerWindow(uint16_t rws) {
  if (failed_) return;
  peer_window_ = ClampWindow(rws);
  // Appendix A: SSTHRESH starts at the peer's window.
  ssthresh_ = peer_window_;
  cwnd_ = std::min(cwnd_, peer_window_);
  TrySend();
}

void ControlChannel::Fail() {
  MLOG_WARN(kPhys, "l2tp: control message Ns {} unacknowledged after {} retransmissions",
            out_.front().ns, retries_);
  failed_ = true;
  rtx_timer_->Stop();
  ack_timer_->Stop();
  out_.clear();
  sent_ = 0;
  next_tx_ = 0;
  reorder_.clear();
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive] {
    if (alive.expired()) return;
    if (hooks_.failed) hooks_.failed();
  });
}

}  // namespace mlppp::link::l2tp
