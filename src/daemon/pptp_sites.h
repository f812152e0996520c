// The daemon's PPTP sites: per local address (mpd5 `set pptp self IP`), a
// link::pptp::Node with its raw GRE socket, and, when a link configuration
// listens (`set link enable incoming`), a TCP listener on port 1723
// (RFC 2637 §1.4). Turns mpd5's typed `set pptp` settings into the node's
// configuration.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/model.h"
#include "core/result.h"
#include "daemon/peer_names.h"
#include "daemon/tunnel_views.h"
#include "event/asio_loop.h"
#include "link/driver.h"
#include "link/pptp/node.h"
#include "os/pptp_sockets.h"

namespace mlppp::daemon {

class PptpSites {
 public:
  using IncomingFn = link::pptp::Node::IncomingFn;

  // REQUIRES: loop and config outlive this object.
  PptpSites(event::AsioLoop& loop, const config::Config& config, std::function<uint32_t()> random);
  ~PptpSites();

  Status Listen(const config::LinkConf& conf, IncomingFn on_incoming);
  // nullptr (logged) when the peer is not an IPv4 address or the GRE
  // socket cannot be opened.
  std::unique_ptr<link::Driver> Dial(const config::LinkConf& conf);
  // StopCCRQ on every control connection (shutdown).
  void StopAll();
  // No call is left (after the links closed: every CCRQ got its CDN,
  // RFC 2637 §2.12-2.13).
  bool CallsGone() const;
  // No control connection is left (after StopAll: StopCCRP received).
  bool Quiet() const;
  // Every control connection of every site, with or without calls (mpd5
  // `show pptp`). Ports as known here: ours is the listener's on the
  // connections we accepted, the peer's the one we dialled on the others;
  // the ephemeral ends are not known (0).
  std::vector<PptpConnRecord> Connections() const;

 private:
  struct Site {
    std::unique_ptr<os::GreSocket> gre;
    std::unique_ptr<link::pptp::Node> node;
    std::unique_ptr<os::TcpListener> listener;
  };
  Site* SiteFor(const std::string& addr);

  event::AsioLoop& loop_;
  const config::Config& config_;
  std::function<uint32_t()> random_;
  std::map<std::string, std::unique_ptr<Site>> sites_;
  PeerNames names_;  // `set pptp peer NAME`
  // (self address, peer IP) -> the TCP port last dialled there: the node
  // keys its outgoing connections by peer IP alone.
  std::map<std::pair<std::string, std::string>, uint16_t> dial_ports_;
};

}  // namespace mlppp::daemon
