// Host name resolution (getaddrinfo), for the few places mpd5 takes a name
// (`set radius server`, `set l2tp|pptp peer`). Blocking: mpd5 resolves
// when the command is given or the link opens; we do the same, once per
// name where `resolve-once` says so.
#pragma once

#include <string>

namespace mlppp::os {

enum class AddrFamily { kAny, kIpv4 };

// An address literal for `host` (returned as it is when it already is
// one); empty when it does not resolve.
std::string ResolveHost(const std::string& host, AddrFamily family = AddrFamily::kAny);

}  // namespace mlppp::os
