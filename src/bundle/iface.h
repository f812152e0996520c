// bundle/: a bundle is the network layer of one PPP session — member links,
// the NCPs (IPCP, IPV6CP; later CCP, ECP, MP) and its interface. Iface is the
// host side: a TUN per bundle now; a shared TUN routing by peer address later
// (same interface, no change to the PPP core).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/packet.h"
#include "core/result.h"

namespace mlppp::bundle {

struct Ipv4Route {
  uint32_t dest = 0;  // host order
  uint8_t width = 0;
};

// What the NCPs negotiated, applied to the host interface.
struct Ipv4Params {
  uint32_t local = 0;  // host order
  uint32_t peer = 0;
  uint16_t mtu = 1500;
  std::vector<Ipv4Route> routes;
};
struct Ipv6Params {
  std::array<uint8_t, 8> local_id{};  // RFC 5072 interface identifiers
  std::array<uint8_t, 8> peer_id{};
};

enum class IpFamily : uint8_t { kV4, kV6 };

class Iface {
 public:
  virtual ~Iface() = default;
  virtual const std::string& name() const = 0;
  // Receives IP packets the host sends into the interface.
  virtual void SetReceiver(std::function<void(IpFamily, Packet&&)> rx) = 0;
  // Applies addresses, MTU, routes and sets the link up; done runs on the
  // loop when finished. Never blocks the loop.
  virtual void ConfigureV4(const Ipv4Params& p, std::function<void(Status)> done) = 0;
  virtual void ConfigureV6(const Ipv6Params& p, std::function<void(Status)> done) = 0;
  // Hands an IP packet to the host.
  virtual void Deliver(IpFamily fam, Packet&& pkt) = 0;
  // mpd5 `close iface` / `open iface`: the host link administratively down
  // (the host stops routing into it) or up again. The bundle stops passing
  // packets itself, so an interface that cannot do this (the default) still
  // carries nothing while closed. done runs on the loop; never blocks.
  virtual void SetAdminUp(bool /*up*/, std::function<void(Status)> done) { done(Status::Ok()); }
  // Takes back what ConfigureV4/ConfigureV6 applied (addresses, routes)
  // when that NCP leaves Opened, as mpd5's IfaceIpIfaceDown does. The
  // default keeps them: the bundle already drops that family's packets.
  virtual void UnconfigureV4(const Ipv4Params& /*p*/, std::function<void(Status)> done) {
    done(Status::Ok());
  }
  virtual void UnconfigureV6(const Ipv6Params& /*p*/, std::function<void(Status)> done) {
    done(Status::Ok());
  }
};

// Creates interfaces; one factory per daemon (TUN-per-bundle or shared).
class IfaceFactory {
 public:
  virtual ~IfaceFactory() = default;
  // name empty → next free pppN. The iface is removed when destroyed.
  virtual Result<std::unique_ptr<Iface>> Create(const std::string& name) = 0;
};

}  // namespace mlppp::bundle
