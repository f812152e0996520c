// TCP over asio: a listener handing out each accepted connection as an
// event::StreamConn, and an event::Connector. Used by PPTP's control
// connection (RFC 2637 §1.4) and by the console.
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "event/stream_conn.h"

namespace mlppp::os {

class TcpListener {
 public:
  // Each accepted connection, with the peer's address literal.
  using AcceptFn =
      std::function<void(std::unique_ptr<event::StreamConn>, const std::string& peer_ip)>;
  // Listens on addr:port (addr empty: every IPv4 address; IPv6 literals work too). REQUIRES: `io`
  // outlives the listener, destroyed on its thread.
  static Result<std::unique_ptr<TcpListener>> Open(asio::io_context& io, const std::string& addr,
                                                   uint16_t port, AcceptFn on_accept);
  virtual ~TcpListener() = default;
  virtual uint16_t port() const = 0;
};

// An event::Connector over asio: connects from self_ip (when not
// empty) to peer_ip:port; `done` runs later, on the loop.
event::Connector TcpConnector(asio::io_context& io);

}  // namespace mlppp::os
