#include "os/ipv6_sysctl.h"

#include <fcntl.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "os/fd.h"

namespace mlppp::os {

Status SetIpv6Disabled(const std::string& ifname, bool disabled) {
  // The name becomes a path component: refuse what could leave the
  // directory (the kernel allows neither '/' nor "." / ".." as a name).
  if (ifname.empty() || ifname.size() >= IFNAMSIZ || ifname == "." || ifname == ".." ||
      ifname.find('/') != std::string::npos)
    return Status::Error("disable_ipv6: bad interface name");
  const std::string path = "/proc/sys/net/ipv6/conf/" + ifname + "/disable_ipv6";
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return Status::Ok();  // no IPv6 in this kernel or namespace
    return Status::Error("open " + path + ": " + std::strerror(errno));
  }
  const char value = disabled ? '1' : '0';
  for (;;) {
    if (::write(fd.get(), &value, 1) == 1) return Status::Ok();
    // The kernel restarts the write itself while another thread holds the
    // RTNL lock; EINTR only on a signal.
    if (errno != EINTR) return Status::Error("write " + path + ": " + std::strerror(errno));
  }
}

}  // namespace mlppp::os
