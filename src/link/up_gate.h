// A link driver's "up", ordered before its frames.
//
// Drivers post OnDriverUp through the loop, never from inside the call that
// established the session. But the peer's first PPP frame can follow the
// establishing message closely: behind the PADS (RFC 2516 §5.4), the ICCN
// (RFC 2661 §5.4.2) or the Outgoing-Call-Reply (RFC 2637 §2.8). It then
// reaches the driver in the same receive batch, before the posted up has
// run, or, for a call a listener answered, before the daemon has taken the
// call at all. LCP is not started then and would lose the peer's
// Configure-Request, which costs a whole Restart timer (RFC 1661 §4.6).
//
// So a driver hands its frames up through an UpGate: a posted up is
// reported first, and frames that come before any up are held (a few: the
// peer's first LCP packets and their retransmissions) and handed up right
// after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>

#include "core/packet.h"
#include "event/loop.h"
#include "link/driver.h"

namespace mlppp::link {

class UpGate {
 public:
  // Frames held before the up, at most.
  static constexpr size_t kMaxEarlyFrames = 8;

  // `events` is the driver's own pointer, read at each report (the owner
  // may set it after the gate is made, or clear it).
  UpGate(event::Loop& loop, DriverEvents* const& events) : loop_(loop), events_(events) {}
  UpGate(const UpGate&) = delete;
  UpGate& operator=(const UpGate&) = delete;

  // Posts OnDriverUp, once until Reset. A frame delivered before the post
  // runs reports it then, ahead of the frame.
  void PostUp();
  // Hands `frame` up: after the up at once; with an up posted, reports the
  // up first; before any up, holds it for the up. A frame that comes while
  // the up is being reported (from inside OnDriverUp or OnFrame) queues
  // behind the held frames, never ahead of them. Returns false when the
  // frame was dropped because kMaxEarlyFrames are held already; only then
  // is the driver sure to be alive: after true, the up or the frame may
  // have ended the call and the driver, so the caller touches nothing.
  bool Deliver(Packet&& frame);
  // A new open: forgets the up, a post not yet run, and held frames. Done
  // from inside OnDriverUp or OnFrame, it also stops the replay of the
  // frames held for the old up.
  void Reset();

  bool up_posted() const { return posted_; }

 private:
  void ReportUp();

  event::Loop& loop_;
  DriverEvents* const& events_;
  bool posted_ = false;
  bool pending_ = false;    // posted, not yet reported
  bool delivered_ = false;  // OnDriverUp has been called
  bool replaying_ = false;  // in OnDriverUp, or handing up early_
  // Counts Resets: a replay begun before one belongs to an old open.
  uint64_t generation_ = 0;
  std::deque<Packet> early_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link
