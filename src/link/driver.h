// link/: transports (PPPoE now; L2TP, PPTP, modem, TCP, UDP later), each a
// link::Driver. A driver moves PPP frames and reports up/down; it knows
// nothing of LCP (ARCHITECTURE.md rule 4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/packet.h"

namespace mlppp::link {

// What a driver tells the layers above about the call, in one struct.
struct PeerInfo {
  std::string type;        // "pppoe"
  std::string iface;       // local interface carrying the link
  std::string peer_addr;   // e.g. peer MAC "aa:bb:cc:dd:ee:ff"
  std::string self_addr;   // e.g. our MAC
  uint32_t session_id = 0; // PPPoE SESSION_ID, L2TP session, ...
  std::string service;     // PPPoE Service-Name, if any
};

class DriverEvents {
 public:
  virtual ~DriverEvents() = default;
  virtual void OnDriverUp() = 0;
  virtual void OnDriverDown(std::string_view reason) = 0;
  // A PPP frame: starts with the protocol field (address/control present or
  // not, as the peer sent it).
  virtual void OnFrame(Packet&& frame) = 0;
};

class Driver {
 public:
  virtual ~Driver() = default;
  // REQUIRES: events outlives the driver or is reset before it dies.
  virtual void SetEvents(DriverEvents* events) = 0;
  // Client: dial (PADI...). Server instances come from a listener already up.
  virtual void Open() = 0;
  // Hang up (PADT). OnDriverDown follows through the loop.
  virtual void Close() = 0;
  // Sends a PPP frame starting at the protocol field (REQUIRES: no
  // address/control when !WantsAddressControl()).
  virtual void Send(Packet&& frame) = 0;
  virtual PeerInfo Info() const = 0;
  // Largest PPP information field this link carries (PPPoE: 1492, or the
  // RFC 4638 PPP-Max-Payload).
  virtual uint16_t MaxMru() const = 0;
  // RFC 2516 §7: PPPoE frames carry no address/control field.
  virtual bool WantsAddressControl() const { return false; }
};

}  // namespace mlppp::link
