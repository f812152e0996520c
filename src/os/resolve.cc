#include "os/resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/ip_literal.h"

namespace mlppp::os {

std::string ResolveHost(const std::string& host, AddrFamily family) {
  if (family == AddrFamily::kIpv4 ? IsIpv4Literal(host) : IsIpLiteral(host)) return host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = family == AddrFamily::kIpv4 ? AF_INET : AF_UNSPEC;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || !res) return {};
  char out[INET6_ADDRSTRLEN] = {};
  const void* addr =
      res->ai_family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr)
          : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr);
  inet_ntop(res->ai_family, addr, out, sizeof out);
  freeaddrinfo(res);
  return out;
}

}  // namespace mlppp::os
