// mpd5's /json (web.c WebShowJSONSummary, mpd 5.8+): the status summary as
// {"links":[...], "bundles":[...], "repeaters":[...]}, keys in mpd5's
// order. Also the JSON text helper every JSON page uses.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "control/status.h"

namespace mlppp::control::web {

using Json = nlohmann::ordered_json;

// Serialises without throwing: invalid UTF-8 in a snapshot string (a peer's
// auth name is a peer's bytes) becomes U+FFFD.
std::string JsonText(const Json& j, int indent = -1);

// mpd5's summary: "links" are links in no bundle (templates and idle
// links), each {"link","lcp","auth","type","state"[,"peer_ip"],
// "calling_num","called_num"}; "bundles" are {"bundle","iface","state"
// ("Up"/"Down"),"ipcp","ipv6cp","ccp","ecp","links":[{... ,"peer_ip",
// "ipcp_ip", ...}]}; peer_ip and ipcp_ip only when the link is not DOWN, as
// mpd5 prints them. "repeaters" is empty: mlpppd has none yet.
Json MpdJsonSummary(const Snapshot& snap);

}  // namespace mlppp::control::web
