// Peer host names of `set l2tp|pptp peer NAME` (mpd5): resolved when a link
// opens and, with `resolve-once` (the default), remembered.
#pragma once

#include <map>
#include <string>

#include "os/resolve.h"

namespace mlppp::daemon {

class PeerNames {
 public:
  // An address literal for `peer` (as it is when it already is one); empty,
  // logged against `link` and `type`, when the name does not resolve.
  std::string Resolve(const std::string& link, std::string_view type, const std::string& peer,
                      bool once, os::AddrFamily family);

 private:
  std::map<std::string, std::string> resolved_;  // peer name -> address
};

}  // namespace mlppp::daemon
