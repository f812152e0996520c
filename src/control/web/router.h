// The web interface as one function from request to response: mpd5's
// pages (/, /cmd, /bincmd, /json, /mpd.css), the JSON API (/api/v1), the
// Prometheus metrics (/metrics) and the dashboard (/dashboard, /assets/).
// Passive: it reads the Controller's snapshot and runs commands in a
// CommandSession made per request, so tests drive it without a socket.
#pragma once

#include "control/command_session.h"
#include "control/controller.h"
#include "control/web/http_types.h"
#include "control/web/login_throttle.h"
#include "core/log.h"
#include "event/loop.h"

namespace mlppp::control::web {

class WebApp {
 public:
  // `auth`: `set web enable auth` (mpd5's default). With it every URL needs
  // HTTP Basic credentials that `login` accepts, and the session gets that
  // user's privilege; without it everyone is privilege user (mpd5 web.c),
  // so only unprivileged commands and the GET API work.
  // `loop` gives the time for slowing down repeated failed logins per
  // client address (LoginThrottle); without it failures are not slowed.
  // REQUIRES: `controller` (and `loop`, when given) outlive the WebApp.
  WebApp(Controller& controller, CommandSessionFactory sessions, LoginCheck login, bool auth,
         const event::Loop* loop = nullptr);

  // `set web enable|disable auth` at run time.
  void SetAuth(bool auth) { auth_ = auth; }

  HttpResponse Handle(const HttpRequest& req);

  // Logins refused for a wrong user or password, and requests answered 429
  // because their address was in a back-off window.
  uint64_t login_failures() const { return login_failures_count_; }
  uint64_t throttled() const { return throttled_; }

 private:
  HttpResponse Route(const HttpRequest& req, Privilege priv, const std::string& user);
  // The browser says another site made this request (Sec-Fetch-Site,
  // Origin).
  static bool CrossSite(const HttpRequest& req);

  Controller& controller_;
  CommandSessionFactory sessions_;
  LoginCheck login_;
  bool auth_;
  const event::Loop* loop_;
  LoginThrottle throttle_;
  uint64_t login_failures_count_ = 0;
  uint64_t throttled_ = 0;
  log::RateLimit login_failures_;
  log::RateLimit throttled_log_;
};

// The Content-Type the dashboard's files are served with, by extension.
std::string_view AssetContentType(std::string_view file);

}  // namespace mlppp::control::web
