// mlpppd's JSON API under /api/v1 (docs/api.md): GET sessions, links,
// bundles, interfaces, counters for any logged-in user; POST disconnect,
// open, close for operators and admins.
#pragma once

#include <string_view>

#include "control/controller.h"
#include "control/web/http_types.h"

namespace mlppp::control::web {

inline constexpr std::string_view kApiPrefix = "/api/v1";

// REQUIRES: req.path starts with kApiPrefix. `priv` is the caller's
// (already authenticated). Errors are JSON {"error": "..."} with 400, 403,
// 404, 405 or 409.
HttpResponse HandleApi(Controller& controller, const HttpRequest& req, Privilege priv);

}  // namespace mlppp::control::web
