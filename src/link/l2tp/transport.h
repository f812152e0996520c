// The datagram transport an L2TP node sends through (RFC 2661 §8.1: L2TP
// over UDP). Abstract so the tunnel and session logic stays pure code: the
// daemon supplies a UDP socket bound to the node's local address, tests a
// fake network. Received datagrams are pushed into Node::OnDatagram by the
// transport's owner.
#pragma once

#include <fmt/format.h>

#include <compare>
#include <cstdint>
#include <span>
#include <string>

namespace mlppp::link::l2tp {

// A UDP peer: an IP address as text ("192.0.2.1", "2001:db8::1") and a port.
struct Endpoint {
  std::string addr;
  uint16_t port = 0;

  auto operator<=>(const Endpoint&) const = default;
  bool operator==(const Endpoint&) const = default;
  std::string ToString() const { return fmt::format("{}:{}", addr, port); }
};

class DatagramTransport {
 public:
  virtual ~DatagramTransport() = default;
  // Sends one UDP payload. Best effort: a datagram the socket cannot send is
  // lost like one lost on the path; the control channel retransmits.
  virtual void SendTo(const Endpoint& to, std::span<const uint8_t> datagram) = 0;
};

}  // namespace mlppp::link::l2tp
