#include "daemon/peer_names.h"

#include "core/log.h"

namespace mlppp::daemon {

std::string PeerNames::Resolve(const std::string& link, std::string_view type,
                               const std::string& peer, bool once, os::AddrFamily family) {
  if (auto it = resolved_.find(peer); once && it != resolved_.end()) return it->second;
  std::string addr = os::ResolveHost(peer, family);
  if (addr.empty()) {
    MLOG_ERROR(kLink, "[{}] {}: peer {} does not resolve to {}", link, type, peer,
               family == os::AddrFamily::kIpv4 ? "an IPv4 address" : "an IP address");
    return {};
  }
  if (addr != peer) resolved_[peer] = addr;  // literals need no memory
  return addr;
}

}  // namespace mlppp::daemon
