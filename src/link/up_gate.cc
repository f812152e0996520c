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
  if (events_ == nullptr) return;
  delivered_ = true;
  std::weak_ptr<char> alive = alive_;
  // Taken before OnDriverUp, which may end the call and the driver.
  std::vector<Packet> early = std::move(early_);
  early_.clear();
  events_->OnDriverUp();
  for (Packet& p : early) {
    if (alive.expired() || events_ == nullptr) return;
    events_->OnFrame(std::move(p));
  }
}

bool UpGate::Deliver(Packet&& frame) {
  if (pending_) {
    std::weak_ptr<char> alive = alive_;
    ReportUp();
    if (alive.expired()) return true;
  }
  if (delivered_ && events_ != nullptr) {
    events_->OnFrame(std::move(frame));
    return true;
  }
  if (early_.size() >= kMaxEarlyFrames) return false;
  early_.push_back(std::move(frame));
  return true;
}

void UpGate::Reset() {
  posted_ = false;
  pending_ = false;
  delivered_ = false;
  early_.clear();
}

}  // namespace mlppp::link
