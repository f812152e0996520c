// The frame of mpd5's HTML pages (web.c WebServletRun): doctype, title,
// /mpd.css, the <h1>; and the stylesheet itself.
#pragma once

#include <string>
#include <string_view>

namespace mlppp::control::web {

// A whole page around `body` (already HTML).
std::string HtmlPage(std::string_view body);

// /mpd.css: mpd5's colours (web.c WebShowCSS) — td.r/y/g/d for
// down / in between / up / template.
std::string_view MpdCss();

}  // namespace mlppp::control::web
