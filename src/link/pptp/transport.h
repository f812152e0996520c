// The transports a PPTP node runs over, as abstract interfaces so the
// protocol code (control_conn, call, node) stays passive and testable
// (ARCHITECTURE.md rule 6): the TCP control connection (RFC 2637 §1.4, port
// 1723) as a StreamConn, and raw IP protocol 47 (§4.1) as a GreTransport.
// The os/ layer implements both over real sockets; tests use fakes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "event/stream_conn.h"

namespace mlppp::link::pptp {

// The control connection's byte stream and connector are the generic ones
// of event/stream_conn.h.
using event::ConnectDone;
using event::Connector;
using event::StreamConn;
using event::StreamReceiver;

// Sends one Enhanced GRE packet (§4.1: GRE header + PPP frame, no IP
// header) to the peer's address, from the node's own address. The other
// direction is Node::OnGre().
class GreTransport {
 public:
  virtual ~GreTransport() = default;
  virtual void SendTo(const std::string& peer_ip, std::span<const uint8_t> gre_packet) = 0;
};

}  // namespace mlppp::link::pptp
