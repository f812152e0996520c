#pragma once

#include <string>

#include "core/result.h"

namespace mlppp::os {

// Sets net.ipv6.conf.<ifname>.disable_ipv6 of the caller's namespace.
// A session without IPv6CP gets its interface's IPv6 off before the link
// comes up: otherwise the kernel gives every such interface a multicast
// route and a link-local prefix, and each later MTU change walks all of
// those routes (rt6_mtu_change), a cost that grows with the session count.
// Succeeds without effect where the kernel has no IPv6.
Status SetIpv6Disabled(const std::string& ifname, bool disabled);

}  // namespace mlppp::os
