// The L2TP node's UDP socket (RFC 2661 §8.1: UDP, port 1701): bound to the
// node's local address, unconnected (one socket serves every tunnel, as
// mpd5's does), reading in batches with recvmmsg so a burst of data
// messages costs one wake-up. Implements link::l2tp::DatagramTransport.
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/result.h"
#include "link/l2tp/transport.h"

namespace mlppp::os {

class L2tpUdpSocket : public link::l2tp::DatagramTransport {
 public:
  // Called on the io_context's thread for each datagram; the source
  // address is a literal (an IPv4-mapped IPv6 source reported as IPv4).
  // May not destroy the socket.
  using DatagramFn =
      std::function<void(const link::l2tp::Endpoint& from, std::span<const uint8_t> datagram)>;

  // Binds addr:port (an IPv4 or IPv6 literal; port 0 picks one).
  // REQUIRES: `io` outlives the socket, which is destroyed on its thread.
  static Result<std::unique_ptr<L2tpUdpSocket>> Open(asio::io_context& io, const std::string& addr,
                                                     uint16_t port, DatagramFn on_datagram);
  ~L2tpUdpSocket() override = default;
  virtual uint16_t port() const = 0;
};

}  // namespace mlppp::os
