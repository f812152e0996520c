// The Ethernet port abstraction protocol code (PPPoE) sends and receives
// through, so tests can swap in a fake. The real one is an AF_PACKET socket
// (os/packet_socket.h).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "core/packet.h"

namespace mlppp::os {

using MacAddr = std::array<uint8_t, 6>;

inline constexpr MacAddr kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// "aa:bb:cc:dd:ee:ff".
inline std::string MacToString(const MacAddr& m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                m[5]);
  return buf;
}

// IEEE 802: the I/G bit of the first octet marks group (multicast and
// broadcast) addresses.
inline bool IsGroupMac(const MacAddr& m) { return (m[0] & 0x01) != 0; }

// One Ethernet interface, one ethertype. Receives frames with the Ethernet
// header already stripped. Frames we sent ourselves are never delivered.
class EtherSocket {
 public:
  using Receiver = std::function<void(const MacAddr& src, const MacAddr& dst, Packet&& payload)>;

  virtual ~EtherSocket() = default;
  virtual const MacAddr& local_mac() const = 0;
  // The receiver may destroy the socket from inside the call.
  virtual void SetReceiver(Receiver rx) = 0;
  // Prepends the Ethernet header in the packet's headroom and sends. Errors
  // (queue full, frame too big) drop the frame: Ethernet is best effort.
  virtual void Send(const MacAddr& dst, Packet&& payload) = 0;
};

}  // namespace mlppp::os
