#include "os/hostname.h"

#include <unistd.h>

#include <array>

namespace mlppp::os {

std::string Hostname() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "mlpppd";
  return std::string(buf.data());
}

}  // namespace mlppp::os
