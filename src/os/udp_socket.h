// Connected UDP sockets on asio: the real aaa::radius::DatagramSocket the
// RADIUS client sends through (RFC 2865 §3: UDP, ports 1812/1813).
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "aaa/radius/transport.h"
#include "core/result.h"

namespace mlppp::os {

// Opens a non-blocking UDP socket connected to host:port (an IPv4 or IPv6
// address literal), bound first to `source` when it is not empty (mpd5
// `set radius src-addr`). Being connected, it only receives datagrams from
// that peer; the kernel filters the rest. `on_receive` runs on the
// io_context's thread and may destroy the socket. The socket must be
// destroyed on that thread; no callback runs after its destructor.
Result<std::unique_ptr<aaa::radius::DatagramSocket>> OpenUdpSocket(
    asio::io_context& io, const std::string& host, uint16_t port, const std::string& source,
    aaa::radius::DatagramReceiver on_receive);

// A factory for aaa::radius::RadiusClient: OpenUdpSocket with a fixed source
// address; failures are logged and yield nullptr. REQUIRES: `io` outlives
// the factory and every socket it makes.
aaa::radius::DatagramSocketFactory UdpSocketFactory(asio::io_context& io, std::string source = {});

}  // namespace mlppp::os
