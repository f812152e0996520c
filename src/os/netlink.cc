#include "os/netlink.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include <string>

namespace mlppp::os {
namespace {

// IN6_ADDR_GEN_MODE_NONE from linux/if_link.h (that header clashes with
// libnl's own copy of it).
constexpr uint8_t kAddrGenModeNone = 1;

struct LinkPut {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrPut {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct RoutePut {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct NlAddrPut {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using LinkPtr = std::unique_ptr<rtnl_link, LinkPut>;
using AddrPtr = std::unique_ptr<rtnl_addr, AddrPut>;
using RoutePtr = std::unique_ptr<rtnl_route, RoutePut>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrPut>;

Status NlError(const char* what, int ifindex, int err) {
  return Status::Error(std::string("netlink: ") + what + " ifindex " + std::to_string(ifindex) +
                       ": " + nl_geterror(err));
}

NlAddrPtr Ipv4(uint32_t host_order, int prefixlen) {
  uint32_t be = htonl(host_order);
  NlAddrPtr a(nl_addr_build(AF_INET, &be, sizeof(be)));
  if (a) nl_addr_set_prefixlen(a.get(), prefixlen);
  return a;
}

// libnl's codes for ENOENT/ESRCH (NLE_OBJ_NOTFOUND) and EADDRNOTAVAIL
// (NLE_NOADDR): a delete found nothing to remove. libnl may hand back the
// code negated or not.
bool AlreadyGone(int err) {
  const int e = err < 0 ? -err : err;
  return e == NLE_OBJ_NOTFOUND || e == NLE_NOADDR;
}

// local/32 peer/32 (IFA_LOCAL, IFA_ADDRESS): the request both add and
// delete send, so a delete names exactly what the add made.
Status BuildIpv4PeerAddress(int ifindex, uint32_t local, uint32_t peer, AddrPtr* out) {
  AddrPtr addr(rtnl_addr_alloc());
  NlAddrPtr l = Ipv4(local, 32), p = Ipv4(peer, 32);
  if (!addr || !l || !p) return Status::Error("netlink: out of memory");
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), AF_INET);
  int err = rtnl_addr_set_local(addr.get(), l.get());
  if (err == 0) err = rtnl_addr_set_peer(addr.get(), p.get());
  if (err < 0) return NlError("ipv4 address", ifindex, err);
  rtnl_addr_set_prefixlen(addr.get(), 32);
  *out = std::move(addr);
  return Status::Ok();
}

// fe80::<id>/64 (RFC 5072 s. 5).
Status BuildIpv6LinkLocal(int ifindex, const std::array<uint8_t, 8>& id, AddrPtr* out) {
  std::array<uint8_t, 16> bytes{0xfe, 0x80};
  for (size_t i = 0; i < id.size(); ++i) bytes[8 + i] = id[i];
  AddrPtr addr(rtnl_addr_alloc());
  NlAddrPtr l(nl_addr_build(AF_INET6, bytes.data(), bytes.size()));
  if (!addr || !l) return Status::Error("netlink: out of memory");
  nl_addr_set_prefixlen(l.get(), 64);
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), AF_INET6);
  int err = rtnl_addr_set_local(addr.get(), l.get());
  if (err < 0) return NlError("ipv6 address", ifindex, err);
  rtnl_addr_set_prefixlen(addr.get(), 64);
  *out = std::move(addr);
  return Status::Ok();
}

// dest/width dev ifindex, scope link, proto static, main table. A delete
// with these fields matches only this route (fib_table_delete compares
// scope, protocol and the nexthop's device).
Status BuildIpv4Route(int ifindex, uint32_t dest, uint8_t width, RoutePtr* out) {
  if (width > 32) return Status::Error("netlink: route prefix width > 32");
  uint32_t mask = width == 0 ? 0 : ~uint32_t{0} << (32 - width);
  RoutePtr route(rtnl_route_alloc());
  NlAddrPtr dst = Ipv4(dest & mask, width);
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!route || !dst || !nh) {
    if (nh) rtnl_route_nh_free(nh);
    return Status::Error("netlink: out of memory");
  }
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_scope(route.get(), RT_SCOPE_LINK);
  rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  int err = rtnl_route_set_dst(route.get(), dst.get());
  if (err < 0) {
    rtnl_route_nh_free(nh);
    return NlError("route dst", ifindex, err);
  }
  rtnl_route_nh_set_ifindex(nh, ifindex);
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  *out = std::move(route);
  return Status::Ok();
}

// Applies `changes` to the link with this ifindex (RTM_NEWLINK/SETLINK).
Status ChangeLink(nl_sock* sock, int ifindex, rtnl_link* changes, const char* what) {
  LinkPtr orig(rtnl_link_alloc());
  if (!orig) return Status::Error("netlink: out of memory");
  rtnl_link_set_ifindex(orig.get(), ifindex);
  int err = rtnl_link_change(sock, orig.get(), changes, 0);
  if (err < 0) return NlError(what, ifindex, err);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Netlink>> Netlink::Open() {
  nl_sock* sock = nl_socket_alloc();
  if (!sock) return Result<std::unique_ptr<Netlink>>::Error("netlink: nl_socket_alloc failed");
  int err = nl_connect(sock, NETLINK_ROUTE);
  if (err < 0) {
    nl_socket_free(sock);
    return Result<std::unique_ptr<Netlink>>::Error(std::string("netlink: connect: ") +
                                                   nl_geterror(err));
  }
  return std::unique_ptr<Netlink>(new Netlink(sock));
}

Netlink::~Netlink() { nl_socket_free(sock_); }

Status Netlink::SetLinkUp(int ifindex, uint16_t mtu) {
  LinkPtr changes(rtnl_link_alloc());
  if (!changes) return Status::Error("netlink: out of memory");
  if (mtu != 0) rtnl_link_set_mtu(changes.get(), mtu);
  rtnl_link_set_flags(changes.get(), IFF_UP);
  return ChangeLink(sock_, ifindex, changes.get(), "set mtu/up");
}

Status Netlink::DisableIpv6AddrGen(int ifindex) {
  LinkPtr changes(rtnl_link_alloc());
  if (!changes) return Status::Error("netlink: out of memory");
  int err = rtnl_link_inet6_set_addr_gen_mode(changes.get(), kAddrGenModeNone);
  if (err < 0) return NlError("addr_gen_mode", ifindex, err);
  return ChangeLink(sock_, ifindex, changes.get(), "addr_gen_mode none");
}

Status Netlink::AddIpv4PeerAddress(int ifindex, uint32_t local, uint32_t peer) {
  AddrPtr addr;
  if (Status s = BuildIpv4PeerAddress(ifindex, local, peer, &addr); !s.ok()) return s;
  int err = rtnl_addr_add(sock_, addr.get(), NLM_F_REPLACE);
  if (err < 0) return NlError("add ipv4 address", ifindex, err);
  return Status::Ok();
}

Status Netlink::AddIpv6LinkLocal(int ifindex, const std::array<uint8_t, 8>& id) {
  AddrPtr addr;
  if (Status s = BuildIpv6LinkLocal(ifindex, id, &addr); !s.ok()) return s;
  rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
  int err = rtnl_addr_add(sock_, addr.get(), NLM_F_REPLACE);
  if (err < 0) return NlError("add ipv6 link-local", ifindex, err);
  return Status::Ok();
}

Status Netlink::AddIpv4Route(int ifindex, uint32_t dest, uint8_t width) {
  RoutePtr route;
  if (Status s = BuildIpv4Route(ifindex, dest, width, &route); !s.ok()) return s;
  int err = rtnl_route_add(sock_, route.get(), NLM_F_REPLACE);
  if (err < 0) return NlError("add ipv4 route", ifindex, err);
  return Status::Ok();
}

Status Netlink::SetLinkAdmin(int ifindex, bool up) {
  LinkPtr changes(rtnl_link_alloc());
  if (!changes) return Status::Error("netlink: out of memory");
  // Only IFF_UP is in the change mask: the other flags stay as they are.
  if (up) {
    rtnl_link_set_flags(changes.get(), IFF_UP);
  } else {
    rtnl_link_unset_flags(changes.get(), IFF_UP);
  }
  return ChangeLink(sock_, ifindex, changes.get(), up ? "set up" : "set down");
}

Status Netlink::DeleteIpv4PeerAddress(int ifindex, uint32_t local, uint32_t peer) {
  AddrPtr addr;
  if (Status s = BuildIpv4PeerAddress(ifindex, local, peer, &addr); !s.ok()) return s;
  int err = rtnl_addr_delete(sock_, addr.get(), 0);
  if (err < 0 && !AlreadyGone(err)) return NlError("delete ipv4 address", ifindex, err);
  return Status::Ok();
}

Status Netlink::DeleteIpv4Route(int ifindex, uint32_t dest, uint8_t width) {
  RoutePtr route;
  if (Status s = BuildIpv4Route(ifindex, dest, width, &route); !s.ok()) return s;
  int err = rtnl_route_delete(sock_, route.get(), 0);
  if (err < 0 && !AlreadyGone(err)) return NlError("delete ipv4 route", ifindex, err);
  return Status::Ok();
}

Status Netlink::DeleteIpv6LinkLocal(int ifindex, const std::array<uint8_t, 8>& id) {
  AddrPtr addr;
  if (Status s = BuildIpv6LinkLocal(ifindex, id, &addr); !s.ok()) return s;
  int err = rtnl_addr_delete(sock_, addr.get(), 0);
  if (err < 0 && !AlreadyGone(err)) return NlError("delete ipv6 link-local", ifindex, err);
  return Status::Ok();
}

Result<std::unique_ptr<Netlink>> NetlinkPool::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      auto nl = std::move(free_.back());
      free_.pop_back();
      return nl;
    }
  }
  return Netlink::Open();
}

void NetlinkPool::Give(std::unique_ptr<Netlink> nl) {
  if (!nl) return;
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(nl));
}

}  // namespace mlppp::os
