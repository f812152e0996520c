// mpd5's "/" page (web.c WebShowHTMLSummary): the "Current status summary"
// table of unbundled links, then each bundle with its links, every cell a
// link to the /cmd that shows its details.
#pragma once

#include <string>

#include "control/controller.h"
#include "control/status.h"

namespace mlppp::control::web {

// The page body (without the HtmlPage frame). Everything from the snapshot
// is HTML-escaped, names in hrefs percent-encoded. With priv above user a
// State column offers [Open]/[Close], as mpd5 does for priv > 0.
std::string StatusSummaryHtml(const Snapshot& snap, Privilege priv);

// mpd5's cell colours: an FSM Opened is "g", Initial (or not running) "r",
// anything else "y"; a phys state UP "g", DOWN "r", else "y".
std::string_view FsmColor(std::string_view fsm_state);
std::string_view PhysColor(std::string_view phys_state);

}  // namespace mlppp::control::web
