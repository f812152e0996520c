#include "os/udp_bind.h"

#include <fmt/format.h>

namespace mlppp::os {

Status BindUdp(asio::ip::udp::socket& socket, const asio::ip::udp::endpoint& at,
               std::string_view what, const std::string& name, uint16_t* port) {
  std::error_code ec;
  auto fail = [&](std::string_view step) {
    return Status::Error(fmt::format("{}: {}: {}", what, step, ec.message()));
  };
  socket.open(at.protocol(), ec);
  if (ec) return fail("open");
  socket.non_blocking(true, ec);
  if (ec) return fail("non-blocking");
  socket.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("SO_REUSEADDR");
  socket.bind(at, ec);
  if (ec) return fail("bind " + name);
  uint16_t p = socket.local_endpoint(ec).port();
  if (ec) return fail("local address");
  if (port) *port = p;
  return Status::Ok();
}

}  // namespace mlppp::os
