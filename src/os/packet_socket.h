// AF_PACKET sockets: the real os::EtherSocket, one per (interface,
// ethertype). PPPoE opens two per interface (0x8863 Discovery, 0x8864
// Session; RFC 2516 §4).
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "os/ether.h"

namespace mlppp::os {

// Opens a SOCK_RAW AF_PACKET socket bound to `ifname` and `ethertype`,
// non-blocking, read through asio readiness (async_wait) and drained in
// recvmmsg batches. Frames we sent (PACKET_OUTGOING) and frames for other
// hosts (PACKET_OTHERHOST, seen in promiscuous mode) are not delivered.
// The socket must be destroyed on the io_context's thread.
// REQUIRES: CAP_NET_RAW.
Result<std::unique_ptr<EtherSocket>> OpenPacketSocket(asio::io_context& io,
                                                      const std::string& ifname,
                                                      uint16_t ethertype);

}  // namespace mlppp::os
