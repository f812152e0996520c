// The Session stage (RFC 2516 §6) common to client and server drivers: a
// registered (peer MAC, SESSION_ID) pair, PPP frames in and out, PADT, and
// the up/down events posted through the loop.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "link/driver.h"
#include "link/pppoe/port.h"
#include "link/up_gate.h"

namespace mlppp::link::pppoe {

class SessionDriver : public link::Driver {
 public:
  ~SessionDriver() override;

  void SetEvents(DriverEvents* events) override { events_ = events; }
  // RFC 2516 §6: prepends the PPPoE header and sends to the peer's MAC.
  // Dropped (and counted) unless the session is established.
  void Send(Packet&& frame) override;
  PeerInfo Info() const override;
  uint16_t MaxMru() const override { return max_payload_; }

  // Called by the port.
  void DeliverFrame(Packet&& frame);
  // RFC 2516 §5.5: the peer sent a PADT for this session.
  virtual void OnPadt() = 0;
  // The port is going away: forget it; send and report nothing more.
  virtual void Detach() { port_ = nullptr; }

 protected:
  SessionDriver(PppoePort* port, std::string iface);

  bool established() const { return registered_; }
  // Registers (peer, session_id) with the port for PADT and data. Returns
  // false if the key is taken.
  bool Establish(const os::MacAddr& peer, uint16_t session_id);
  // Unregisters; when send_padt, tells the peer first (RFC 2516 §5.5).
  void Terminate(bool send_padt);
  void PostUp();
  // Posts OnDriverDown once per Open(); later calls are ignored.
  void PostDown(std::string reason);
  void ResetReports() {
    down_reported_ = false;
    up_.Reset();
  }

  PppoePort* port_;
  event::Loop& loop_;
  std::string iface_;
  os::MacAddr self_mac_;
  os::MacAddr peer_{};
  uint16_t session_id_ = 0;
  std::string service_;
  uint16_t max_payload_ = kDefaultMaxPayload;

 private:
  DriverEvents* events_ = nullptr;
  bool registered_ = false;
  bool down_reported_ = false;
  // The up, reported ahead of the frames (declared after events_).
  UpGate up_{loop_, events_};
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::link::pppoe
