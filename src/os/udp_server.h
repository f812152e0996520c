// A bound, unconnected UDP socket on asio that answers whoever sent: the
// RADIUS Dynamic Authorization server's transport (RFC 5176 §2.3: UDP,
// port 3799; mpd5 `set radsrv self IP PORT`).
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/result.h"

namespace mlppp::os {

class UdpServer {
 public:
  // Sends one datagram back to the source of the datagram being handled.
  // Valid only during the on_datagram call, and only while the server
  // lives (do not call it after destroying the server from the callback).
  using ReplyFn = std::function<void(std::span<const uint8_t>)>;
  // Called on the io_context's thread for each datagram, with the source
  // address as a literal without port ("192.0.2.10", "2001:db8::1"; an
  // IPv4-mapped IPv6 source is reported as IPv4). May destroy the server.
  using DatagramFn = std::function<void(std::span<const uint8_t> datagram,
                                        const std::string& from_addr, const ReplyFn& reply)>;

  // Binds addr:port (an IPv4 or IPv6 address literal; port 0 picks one).
  // REQUIRES: `io` outlives the server; the server is destroyed on the
  // io_context's thread. No callback runs after the destructor.
  static Result<std::unique_ptr<UdpServer>> Open(asio::io_context& io, const std::string& addr,
                                                 uint16_t port, DatagramFn on_datagram);

  virtual ~UdpServer() = default;
  // The bound port (useful when opened with port 0).
  virtual uint16_t port() const = 0;
};

}  // namespace mlppp::os
