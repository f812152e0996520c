#include "os/tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace mlppp::os {
namespace {

constexpr const char* kDefaultPattern = "ppp%d";

}  // namespace

Result<TunDevice> OpenTun(const std::string& name_or_pattern) {
  const std::string want = name_or_pattern.empty() ? std::string(kDefaultPattern) : name_or_pattern;
  if (want.size() >= IFNAMSIZ) return Result<TunDevice>::Error("tun: name too long: " + want);

  Fd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid())
    return Result<TunDevice>::Error(std::string("tun: open /dev/net/tun: ") + std::strerror(errno));

  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, want.data(), want.size());
  if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0) {
    return Result<TunDevice>::Error("tun: TUNSETIFF " + want + ": " + std::strerror(errno));
  }

  TunDevice dev;
  dev.name.assign(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));
  unsigned idx = ::if_nametoindex(dev.name.c_str());
  if (idx == 0)
    return Result<TunDevice>::Error("tun: if_nametoindex " + dev.name + ": " +
                                    std::strerror(errno));
  dev.ifindex = static_cast<int>(idx);
  dev.fd = std::move(fd);
  return dev;
}

}  // namespace mlppp::os
