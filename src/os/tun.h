#pragma once

#include <string>

#include "core/result.h"
#include "os/fd.h"

namespace mlppp::os {

// A layer-3 TUN device (IFF_TUN | IFF_NO_PI: each read/write is one bare IP
// packet). The device is not persistent: closing fd removes it.
struct TunDevice {
  Fd fd;             // non-blocking, close-on-exec
  std::string name;  // the name the kernel gave it, e.g. "ppp3"
  int ifindex = 0;
};

// Creates a TUN device. name_or_pattern may be an exact name ("ppp7"), a
// kernel pattern with one "%d" ("ppp%d"), or empty, meaning "ppp%d" (the
// next free pppN, as mpd5 names its interfaces). Fails if the name is taken,
// too long (IFNAMSIZ), or /dev/net/tun is missing.
Result<TunDevice> OpenTun(const std::string& name_or_pattern);

// The kernel's own pattern, used when no name of ours can be had.
inline constexpr const char* kDefaultTunPattern = "ppp%d";
// Taken names a caller tries before giving the choice to kDefaultTunPattern.
inline constexpr int kMaxTakenTunNames = 64;

// What OpenTunExclusive returns: the device, or why not, with TUNSETIFF's
// errno so a caller can tell "name taken" from a real failure.
struct TunOpenResult {
  Result<TunDevice> dev;
  int err = 0;  // TUNSETIFF's errno; 0 when it succeeded or was not reached
  // Another device holds the name: EBUSY (a TUN of that name exists, and
  // IFF_TUN_EXCL refuses to attach to it), EINVAL (a device of another
  // kind) or EEXIST. The caller may try another name.
  bool name_taken() const;
};

// Creates a TUN named exactly `name` (no pattern), failing rather than
// attaching if a device of that name exists (IFF_TUN_EXCL). One blocking
// TUNSETIFF (register_netdevice under the RTNL lock): worker threads only.
TunOpenResult OpenTunExclusive(const std::string& name);

}  // namespace mlppp::os
