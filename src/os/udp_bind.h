// Opening and binding an unconnected, non-blocking UDP socket, as the
// RADIUS DAE server and the L2TP sites do.
#pragma once

#include <asio/ip/udp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mlppp::os {

// Opens `socket` for at's family, non-blocking, with SO_REUSEADDR (a
// restarted daemon rebinds at once), and binds it. Errors start with
// `what` ("udp server", "l2tp") and name `name` (addr:port). On success
// *port (if not null) is the bound port.
Status BindUdp(asio::ip::udp::socket& socket, const asio::ip::udp::endpoint& at,
               std::string_view what, const std::string& name, uint16_t* port);

}  // namespace mlppp::os
