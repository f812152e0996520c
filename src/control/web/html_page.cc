#include "control/web/html_page.h"

namespace mlppp::control::web {

std::string HtmlPage(std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html>\n<head>\n<title>Multi-link PPP Daemon (mlpppd)</title>\n"
      "<link rel=\"stylesheet\" href=\"/mpd.css\" type=\"text/css\"/>\n</head>\n<body>\n"
      "<h1>Multi-link PPP Daemon</h1>\n";
  out += body;
  out += "</body>\n</html>\n";
  return out;
}

std::string_view MpdCss() {
  // Our own sheet; only the cell classes are mpd5's, since its page uses them.
  return R"css(body { font-family: sans-serif; margin: 1em; background: #f4f4f4; color: #222; }
table { border-collapse: collapse; background: #fff; }
th, td { padding: 2px 6px; border: 1px solid #ccc; }
th { background: #3a7d44; color: #fff; }
pre { background: #fff; padding: 6px; border: 1px solid #ccc; }
td.g { background: #c8ecc8; }
td.y { background: #f0ecb8; }
td.r { background: #f0c8c8; }
td.d { background: #d0d0d0; }
a { color: #1a4fb0; }
)css";
}

}  // namespace mlppp::control::web
