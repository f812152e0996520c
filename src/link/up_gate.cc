#include "link/up_gate.h"

#include <utility>

namespace mlppp::link {

void UpGate::PostUp() {
  if (posted_) return;
  posted_ = true;
  pending_ = true;
  loop_.Post([this, alive = std::weak_ptr<char>(alive_)] {
    // A Reset (or a frame that reported it already) cancels this post.
    if (alive.expired() || !pending_) return;
    ReportUp();
  });
}

void UpGate::ReportUp() {
  pending_ = false;
  if (events_ == nullptr) {
    // Nobody to tell (the owner cleared its events, or has not set them):
    // the up is not reported, so the owner's next PostUp must post again.
    posted_ = false;
    return;
  }
  delivered_ = true;
  replaying_ = true;
  std::weak_ptr<char> alive = alive_;
  const uint64_t generation = generation_;
  // OnDriverUp and each frame may end the call and the driver (alive), or
  // Reset the gate for a new open (generation): both end this replay.
  events_->OnDriverUp();
  while (!alive.expired() && generation == generation_ && events_ != nullptr && !early_.empty()) {
    Packet p = std::move(early_.front());
    early_.pop_front();
    events_->OnFrame(std::move(p));
  }
  if (alive.expired() || generation != generation_) return;
  replaying_ = false;
  // Left only when the owner cleared its events mid-replay: a later owner
  // must not get them behind frames that came after.
  early_.clear();
}

bool UpGate::Deliver(Packet&& frame) {
  if (pending_) {
    std::weak_ptr<char> alive = alive_;
    ReportUp();
    if (alive.expired()) return true;
  }
  if (delivered_ && !replaying_ && events_ != nullptr) {
    events_->OnFrame(std::move(frame));
    return true;
  }
  // Before the up, or during its replay (behind the frames held for it).
  if (early_.size() >= kMaxEarlyFrames) return false;
  early_.push_back(std::move(frame));
  return true;
}

void UpGate::Reset() {
  ++generation_;
  posted_ = false;
  pending_ = false;
  delivered_ = false;
  replaying_ = false;
  early_.clear();
}

}  // namespace mlppp::link
