// The documents of mlpppd's JSON API (/api/v1, docs/api.md), built from a
// Snapshot. Traffic is flattened into in_/out_ octets/packets everywhere.
#pragma once

#include <string>

#include "control/status.h"
#include "control/web/json_view.h"

namespace mlppp::control::web {

// Filters of GET /api/v1/sessions; an empty field matches everything.
struct SessionFilter {
  std::string user, iface, type;
};

// {"sessions":[...]}: one per live bundle; type, link and peer_addr from
// its first member link; ip is the peer's IPCP address.
Json SessionsJson(const Snapshot& snap, const SessionFilter& filter);
// {"links":[...]}: every LinkView field.
Json LinksJson(const Snapshot& snap);
// {"bundles":[...]}: every BundleView field.
Json BundlesJson(const Snapshot& snap);
// {"interfaces":[...]}: each bundle's interface (bundles without one skipped).
Json InterfacesJson(const Snapshot& snap);
// Daemon-wide counters: sessions, setups, failures, auth, radius, totals.
Json CountersJson(const Snapshot& snap);

// The link type of a bundle's first member ("" when it has none).
std::string BundleType(const Snapshot& snap, const BundleView& b);

}  // namespace mlppp::control::web
