#pragma once

#include <string>

#include "core/result.h"
#include "os/fd.h"
#include "os/tun_names.h"

namespace mlppp::os {

// A layer-3 TUN device (IFF_TUN | IFF_NO_PI: each read/write is one bare IP
// packet). The device is not persistent: closing fd removes it.
struct TunDevice {
  Fd fd;             // non-blocking, close-on-exec
  std::string name;  // the name the kernel gave it, e.g. "ppp3"
  int ifindex = 0;
  TunNameLease lease;  // set when the name came from a TunNames
};

// Creates a TUN device. name_or_pattern may be an exact name ("ppp7"), a
// kernel pattern with one "%d" ("ppp%d"), or empty, meaning "ppp%d" (the
// next free pppN, as mpd5 names its interfaces). Fails if the name is taken,
// too long (IFNAMSIZ), or /dev/net/tun is missing.
Result<TunDevice> OpenTun(const std::string& name_or_pattern);

// Creates a TUN device under the lowest name `names` hands out that no
// other device in the namespace holds (another program's, or one of ours
// whose removal is still under way), without the kernel's name scan. The
// device's lease gives the name back when destroyed.
Result<TunDevice> OpenTun(const std::shared_ptr<TunNames>& names);

}  // namespace mlppp::os
