#include "daemon/peer_filter.h"

#include <arpa/inet.h>

#include <array>

namespace mlppp::daemon {
namespace {

struct Addr {
  int family = 0;
  std::array<uint8_t, 16> bytes{};
};

std::optional<Addr> Parse(const std::string& s) {
  Addr a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

}  // namespace

PeerFilter MakePeerFilter(const std::string& peer, std::optional<uint8_t> width) {
  auto net = Parse(peer);
  if (!net) return nullptr;
  int max = net->family == AF_INET ? 32 : 128;
  int bits = width ? std::min<int>(*width, max) : max;
  return [net = *net, bits](const std::string& addr) {
    auto a = Parse(addr);
    if (!a || a->family != net.family) return false;
    for (int i = 0; i < bits; ++i) {
      int byte = i / 8, mask = 0x80 >> (i % 8);
      if ((a->bytes[byte] & mask) != (net.bytes[byte] & mask)) return false;
    }
    return true;
  };
}

}  // namespace mlppp::daemon
