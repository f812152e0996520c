#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"

struct nl_sock;

namespace mlppp::os {

// Synchronous rtnetlink requests over libnl-route-3 (one NETLINK_ROUTE
// socket). Each call sends one request and waits for the kernel's ack, so
// it blocks: run it on a WorkerPool thread, never on the loop.
// Not thread-safe: one thread uses a Netlink at a time. The socket belongs to
// the network namespace of the thread that called Open().
class Netlink {
 public:
  static Result<std::unique_ptr<Netlink>> Open();
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // Sets the MTU (0 leaves it alone) and IFF_UP.
  Status SetLinkUp(int ifindex, uint16_t mtu);
  // IFLA_INET6_ADDR_GEN_MODE = none: the kernel adds no link-local address
  // of its own when the link comes up (a TUN otherwise gets a random one), so
  // the only fe80:: address is the one IPV6CP negotiated (RFC 5072 s. 5).
  // Call before SetLinkUp.
  Status DisableIpv6AddrGen(int ifindex);
  // local/32 with peer/32 (IFA_LOCAL = local, IFA_ADDRESS = peer): the
  // point-to-point address IPCP negotiated (RFC 1332 s. 3.3). Host order.
  // Replaces an existing identical address.
  Status AddIpv4PeerAddress(int ifindex, uint32_t local, uint32_t peer);
  // fe80::<id>/64 from the RFC 5072 s. 4.1 interface identifier, without DAD
  // (the identifier was already made unique by IPV6CP negotiation).
  Status AddIpv6LinkLocal(int ifindex, const std::array<uint8_t, 8>& id);
  // dest/width dev <ifindex>, scope link, main table. Host order; host bits
  // of dest are cleared. Replaces an existing route to the same prefix.
  Status AddIpv4Route(int ifindex, uint32_t dest, uint8_t width);

  // Sets or clears IFF_UP alone (mpd5 `close iface` / `open iface`). The
  // kernel drops the link's IPv4 routes and, unless keep_addr_on_down, its
  // IPv6 addresses when it goes down.
  Status SetLinkAdmin(int ifindex, bool up);
  // The undo of each Add above, for mpd5's IfaceIpIfaceDown when an NCP
  // leaves Opened. What is already gone (ENOENT, ESRCH, EADDRNOTAVAIL: the
  // kernel removed it with the link, or it was never added) is success.
  Status DeleteIpv4PeerAddress(int ifindex, uint32_t local, uint32_t peer);
  // Deletes only the route AddIpv4Route made: same prefix, this ifindex.
  Status DeleteIpv4Route(int ifindex, uint32_t dest, uint8_t width);
  Status DeleteIpv6LinkLocal(int ifindex, const std::array<uint8_t, 8>& id);

 private:
  explicit Netlink(nl_sock* sock) : sock_(sock) {}
  nl_sock* sock_;
};

// A thread-safe free list of Netlink sockets, so worker jobs reuse a socket
// instead of opening one per request. Take() hands a socket to one job
// (opening a new one if none is free); Give() returns it. Sockets are opened
// in the network namespace of the first thread that needed them.
class NetlinkPool {
 public:
  Result<std::unique_ptr<Netlink>> Take();
  void Give(std::unique_ptr<Netlink> nl);

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Netlink>> free_;
};

}  // namespace mlppp::os
