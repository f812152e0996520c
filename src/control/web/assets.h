// The dashboard's static files (src/control/web/assets/), compiled into the
// daemon by cmake/embed_assets.cmake so it serves them without any files
// installed beside it.
#pragma once

#include <optional>
#include <string_view>

namespace mlppp::control::web {

// The content of assets/<path> ("dashboard.html", "dashboard.js", ...), or
// nullopt when there is no such file.
std::optional<std::string_view> EmbeddedAsset(std::string_view path);

}  // namespace mlppp::control::web
