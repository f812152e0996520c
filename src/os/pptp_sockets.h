// PPTP's sockets (RFC 2637 §1.4, §4.1): the TCP control connection on port
// 1723 (listener, connector, and the stream itself, implementing
// link::pptp::StreamConn), and a raw IP protocol 47 socket carrying
// Enhanced GRE (link::pptp::GreTransport). This kernel has no PPTP helper,
// so GRE is read and written here in user space.
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/packet.h"
#include "core/result.h"
#include "link/pptp/transport.h"

namespace mlppp::os {

class TcpListener {
 public:
  // Each accepted connection, with the peer's address literal.
  using AcceptFn =
      std::function<void(std::unique_ptr<link::pptp::StreamConn>, const std::string& peer_ip)>;
  // Listens on addr:port (addr empty: every IPv4 address). REQUIRES: `io`
  // outlives the listener, destroyed on its thread.
  static Result<std::unique_ptr<TcpListener>> Open(asio::io_context& io, const std::string& addr,
                                                   uint16_t port, AcceptFn on_accept);
  virtual ~TcpListener() = default;
  virtual uint16_t port() const = 0;
};

// A link::pptp::Connector over asio: connects from self_ip (when not
// empty) to peer_ip:port; `done` runs later, on the loop.
link::pptp::Connector TcpConnector(asio::io_context& io);

class GreSocket : public link::pptp::GreTransport {
 public:
  // Each GRE packet (IP header removed) with its source address.
  using PacketFn = std::function<void(const std::string& peer_ip, Packet&& gre)>;
  // A raw IPv4 socket for protocol 47, bound to `addr` when not empty.
  // Needs CAP_NET_RAW.
  static Result<std::unique_ptr<GreSocket>> Open(asio::io_context& io, const std::string& addr,
                                                 PacketFn on_packet);
  ~GreSocket() override = default;
};

}  // namespace mlppp::os
