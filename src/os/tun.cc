#include "os/tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

namespace mlppp::os {
namespace {

// Opens a TUN named `want`; *err is TUNSETIFF's errno when that failed.
Result<TunDevice> Open(const std::string& want, short extra_flags, int* err) {
  *err = 0;
  if (want.size() >= IFNAMSIZ) return Result<TunDevice>::Error("tun: name too long: " + want);

  Fd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid())
    return Result<TunDevice>::Error(std::string("tun: open /dev/net/tun: ") + std::strerror(errno));

  struct ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = static_cast<short>(IFF_TUN | IFF_NO_PI | extra_flags);
  std::memcpy(ifr.ifr_name, want.data(), want.size());
  if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0) {
    *err = errno;
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

}  // namespace

Result<TunDevice> OpenTun(const std::string& name_or_pattern) {
  int err;
  return Open(name_or_pattern.empty() ? std::string(kDefaultTunPattern) : name_or_pattern, 0, &err);
}

bool TunOpenResult::name_taken() const { return err == EBUSY || err == EINVAL || err == EEXIST; }

TunOpenResult OpenTunExclusive(const std::string& name) {
  int err;
  // IFF_TUN_EXCL: fail on an existing device instead of attaching to it
  // (a persistent TUN of another program).
  auto dev = Open(name, IFF_TUN_EXCL, &err);
  return TunOpenResult{std::move(dev), err};
}

}  // namespace mlppp::os
