// mpd5's `set l2tp|pptp peer IP[/width]` on a listening link: which peer
// addresses may connect. A host name cannot filter (mpd5 resolves it; we
// log and accept any peer).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mlppp::daemon {

using PeerFilter = std::function<bool(const std::string& addr)>;

// nullptr (any peer) when `peer` is empty or not an address literal.
// Otherwise true for addresses inside peer/width (width absent: the one
// address); IPv4 and IPv6 never match each other.
PeerFilter MakePeerFilter(const std::string& peer, std::optional<uint8_t> width);

}  // namespace mlppp::daemon
