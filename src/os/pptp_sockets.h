// PPTP's sockets (RFC 2637 §1.4, §4.1): the TCP control connection on port
// 1723 (os/tcp_stream.h), and a raw IP protocol 47 socket carrying
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
#include "os/tcp_stream.h"

namespace mlppp::os {

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
