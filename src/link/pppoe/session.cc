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
  if (down_reported_) return;
  // A down posted after this up is queued behind it, in order.
  up_.PostUp();
}

void SessionDriver::DeliverFrame(Packet&& frame) {
  // The peer's first PPP frame may come right behind the PADS and reach us
  // before the posted up has run, or, on a server, before the daemon has
  // taken the new session (see link/up_gate.h).
  if (!up_.Deliver(std::move(frame)) && port_ != nullptr) ++port_->counters_.sess_early_dropped;
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
