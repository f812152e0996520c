// The daemon's L2TP sites: one UDP socket and one link::l2tp::Node per
// local address and port (mpd5 `set l2tp self IP [PORT]`), shared by every
// link configuration that uses it, listening (`set link enable incoming`)
// or dialling (`open`). Turns mpd5's typed `set l2tp` settings into the
// node's configuration.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/model.h"
#include "core/result.h"
#include "daemon/peer_names.h"
#include "daemon/tunnel_views.h"
#include "event/asio_loop.h"
#include "link/driver.h"
#include "link/l2tp/node.h"
#include "os/l2tp_udp.h"

namespace mlppp::daemon {

class L2tpSites {
 public:
  using IncomingFn = link::l2tp::Node::IncomingFn;
  using RandomFill = std::function<void(std::span<uint8_t>)>;

  // REQUIRES: loop and config outlive this object.
  L2tpSites(event::AsioLoop& loop, const config::Config& config, RandomFill random);
  ~L2tpSites();

  // Accepts calls for `conf` on its self address (RFC 2661 §8.1: UDP 1701).
  Status Listen(const config::LinkConf& conf, IncomingFn on_incoming);
  // A call for a dial-out link (mpd5 `open`); nullptr (logged) when the
  // peer is not an IP address or the local socket cannot be opened.
  std::unique_ptr<link::Driver> Dial(const config::LinkConf& conf);
  // StopCCN on every tunnel (shutdown).
  void StopAll(const std::string& reason);
  // Nothing left to say to any peer: every tunnel's control channel has
  // its messages acknowledged (after StopAll: the StopCCNs, RFC 2661 §5.7).
  bool Quiet() const;
  // Every tunnel of every site, established or not, with or without calls
  // (mpd5 `show l2tp`), by site and then by our Tunnel ID.
  std::vector<L2tpTunnelRecord> Tunnels() const;

 private:
  struct Site {
    std::unique_ptr<os::L2tpUdpSocket> socket;
    std::unique_ptr<link::l2tp::Node> node;
  };
  Site* SiteFor(const std::string& addr, uint16_t port);

  event::AsioLoop& loop_;
  const config::Config& config_;
  RandomFill random_;
  std::map<std::pair<std::string, uint16_t>, std::unique_ptr<Site>> sites_;
  PeerNames names_;  // `set l2tp peer NAME`
};

}  // namespace mlppp::daemon
