// The datagram transport the RADIUS client sends through: one connected
// UDP socket per server and port. Protocol code sees only this interface;
// the real one is os/udp_socket.h, tests use a fake.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace mlppp::aaa::radius {

class DatagramSocket {
 public:
  virtual ~DatagramSocket() = default;
  // Best effort, like UDP: errors are logged by the implementation and the
  // datagram is lost (the client retransmits).
  virtual void Send(std::span<const uint8_t> datagram) = 0;
};

// Called on the loop thread with each datagram received from the peer
// (and only from it: the socket is connected). Never called after the
// socket is destroyed.
using DatagramReceiver = std::function<void(std::span<const uint8_t>)>;

// Opens a socket to host:port; nullptr when it cannot (logged by the
// factory).
using DatagramSocketFactory = std::function<std::unique_ptr<DatagramSocket>(
    const std::string& host, uint16_t port, DatagramReceiver on_receive)>;

}  // namespace mlppp::aaa::radius
