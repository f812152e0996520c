#include "link/pppoe/session.h"

namespace mlppp::link::pppoe {

SessionDriver::SessionDriver(PppoePort* port, std::string iface)
    : port_(port), loop_(port->loop()), iface_(std::move(iface)), self_mac_(port->local_mac()) {
  port_->AddDriver(this);
}

SessionDriver::~SessionDriver() {
  // Subclass destructors have already terminated the session; this only
  // makes sure no table keeps a pointer to us.
  if (port_ != nullptr) {
    if (registered_) port_->UnregisterSession(peer_, session_id_);
    port_->RemoveDriver(this);
  }
}

void SessionDriver::Send(Packet&& frame) {
  if (port_ == nullptr || !registered_) {
    if (port_ != nullptr) ++port_->counters_.sess_tx_dropped;
    return;
  }
  port_->SendSession(peer_, session_id_, std::move(frame));
}

PeerInfo SessionDriver::Info() const {
  PeerInfo info;
  info.type = "pppoe";
  info.iface = iface_;
  info.peer_addr = os::MacToString(peer_);
  info.self_addr = os::MacToString(self_mac_);
  info.session_id = session_id_;
  info.service = service_;
  return info;
}

bool SessionDriver::Establish(const os::MacAddr& peer, uint16_t session_id) {
  if (port_ == nullptr || registered_) return false;
  if (!port_->RegisterSession(peer, session_id, this)) return false;
  peer_ = peer;
  session_id_ = session_id;
  registered_ = true;
  return true;
}

void SessionDriver::Terminate(bool send_padt) {
  if (!registered_) return;
  registered_ = false;
  if (port_ == nullptr) return;
  port_->UnregisterSession(peer_, session_id_);
  if (send_padt) port_->SendPadt(peer_, session_id_);
}

void SessionDriver::PostUp() {
  if (up_reported_ || down_reported_) return;
  up_reported_ = true;
  up_pending_ = true;
  loop_.Post([this, alive = std::weak_ptr<char>(alive_)] {
    // A down posted after this up must still arrive after it; both are
    // queued in order, so only liveness needs checking.
    if (alive.expired() || !up_pending_) return;
    ReportUp();
  });
}

namespace {
// Early frames held per session: the peer's first LCP packets, a few
// retransmissions at most (RFC 1661 §4.6 Restart timer).
constexpr size_t kMaxEarlyFrames = 8;
}  // namespace

void SessionDriver::ReportUp() {
  up_pending_ = false;
  if (events_ == nullptr) return;
  up_delivered_ = true;
  std::weak_ptr<char> alive = alive_;
  // Taken before OnDriverUp, which may end the call and this driver.
  std::vector<Packet> early = std::move(early_);
  early_.clear();
  events_->OnDriverUp();
  for (Packet& p : early) {
    if (alive.expired() || events_ == nullptr) return;
    events_->OnFrame(std::move(p));
  }
}

void SessionDriver::DeliverFrame(Packet&& frame) {
  // The peer may send its first PPP frame right behind the PADS (RFC 2516
  // §5.4), and it can reach us before the up we posted has run (one receive
  // batch holds both), or, on a server, before the daemon has taken the new
  // session at all. LCP is not started yet and would drop the peer's
  // Configure-Request, costing a whole restart timer: report a posted up
  // first, and hold frames that are earlier still until the up.
  if (up_pending_) {
    std::weak_ptr<char> alive = alive_;
    ReportUp();
    if (alive.expired()) return;
  }
  if (up_delivered_ && events_ != nullptr) {
    events_->OnFrame(std::move(frame));
    return;
  }
  if (early_.size() < kMaxEarlyFrames) {
    early_.push_back(std::move(frame));
  } else if (port_ != nullptr) {
    ++port_->counters_.sess_early_dropped;
  }
}

void SessionDriver::PostDown(std::string reason) {
  if (down_reported_) return;
  down_reported_ = true;
  loop_.Post([this, alive = std::weak_ptr<char>(alive_), reason = std::move(reason)] {
    if (alive.expired() || events_ == nullptr) return;
    events_->OnDriverDown(reason);
  });
}

}  // namespace mlppp::link::pppoe
