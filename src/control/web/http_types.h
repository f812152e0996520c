// web/: mpd5's web interface (web.c) — the status page, /cmd, /bincmd and
// /json — plus mlpppd's JSON API (/api/v1), Prometheus metrics (/metrics)
// and the dashboard. WebApp (router.h) turns one HttpRequest into one
// HttpResponse and does no I/O, so every page runs in tests against a fake
// Controller; HttpServer (mhd_server.h) carries them over HTTP/1.1.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlppp::control::web {

// One complete HTTP request, as a plain value.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // URL-decoded path, no query: "/cmd"
  // The raw query string after '?', undecoded: mpd5's /cmd splits it on '&'
  // before decoding each command (web.c WebRunCmd).
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string peer;  // the client's address literal

  // The first header with this lower-case name, or nullptr.
  const std::string* Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return &value;
    }
    return nullptr;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
  std::string body;
};

}  // namespace mlppp::control::web
