#include "control/web/router.h"

#include <algorithm>
#include <chrono>

#include "control/command_shell.h"
#include "control/web/api.h"
#include "control/web/assets.h"
#include "control/web/basic_auth.h"
#include "control/web/cmd_pages.h"
#include "control/web/html_page.h"
#include "control/web/json_view.h"
#include "control/web/metrics.h"
#include "control/web/status_page.h"

namespace mlppp::control::web {
namespace {

constexpr std::string_view kAssetsPrefix = "/assets/";

void NoCache(HttpResponse* r) {
  // As mpd5 sends them for its dynamic pages.
  r->headers.emplace_back("Pragma", "no-cache");
  r->headers.emplace_back("Cache-Control", "no-cache, must-revalidate");
}

HttpResponse Text(std::string_view type, std::string body) {
  HttpResponse r;
  r.content_type = std::string(type);
  r.body = std::move(body);
  return r;
}

HttpResponse NotFound() {
  HttpResponse r;
  r.status = 404;
  r.content_type = "text/html";
  r.body =
      "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n";
  return r;
}

HttpResponse Asset(std::string_view file) {
  auto content = EmbeddedAsset(file);
  if (!content) return NotFound();
  return Text(AssetContentType(file), std::string(*content));
}

}  // namespace

std::string_view AssetContentType(std::string_view file) {
  struct Ext {
    std::string_view ext, type;
  };
  static constexpr Ext kTypes[] = {{".html", "text/html; charset=utf-8"},
                                   {".js", "text/javascript; charset=utf-8"},
                                   {".css", "text/css; charset=utf-8"},
                                   {".svg", "image/svg+xml"},
                                   {".png", "image/png"}};
  for (const auto& t : kTypes) {
    if (file.size() >= t.ext.size() && file.substr(file.size() - t.ext.size()) == t.ext) {
      return t.type;
    }
  }
  return "application/octet-stream";
}

WebApp::WebApp(Controller& controller, CommandSessionFactory sessions, LoginCheck login, bool auth,
               const event::Loop* loop)
    : controller_(controller),
      sessions_(std::move(sessions)),
      login_(std::move(login)),
      auth_(auth),
      loop_(loop) {}

HttpResponse WebApp::Handle(const HttpRequest& req) {
  // mpd5 checks credentials before looking at the URL, so every path,
  // unknown ones included, answers 401 to a stranger.
  Privilege priv = Privilege::kUser;
  std::string user;
  if (auth_) {
    const std::string* header = req.Header("authorization");
    auto creds = header ? ParseBasicAuth(*header) : std::nullopt;
    // Within an address's back-off window credentials are not checked at
    // all, right or wrong, so guessing runs no faster than the window.
    event::Duration wait{};
    if (creds && loop_ && !throttle_.Allowed(req.peer, loop_->Now(), &wait)) {
      ++throttled_;
      MLOG_PEER_ERROR(throttled_log_, kConsole,
                      "web: login from {} refused: {} failed logins, retry in {} ms", req.peer,
                      throttle_.failures(req.peer),
                      std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
      // Whole seconds, rounded up, as Retry-After counts them.
      auto secs = std::chrono::ceil<std::chrono::seconds>(wait).count();
      return TooManyRequests(static_cast<int>(std::max<int64_t>(secs, 1)));
    }
    std::optional<Privilege> granted;
    if (creds && login_) granted = login_(creds->user, creds->password);
    if (!granted) {
      if (creds) {
        ++login_failures_count_;
        if (loop_) throttle_.Failed(req.peer, loop_->Now(), creds->user);
        MLOG_PEER_ERROR(login_failures_, kConsole, "web: login failed for '{}' from {}",
                        LogSafeCommand(creds->user), req.peer);
      }
      return Unauthorized();
    }
    throttle_.Succeeded(req.peer, creds->user);
    priv = *granted;
    user = creds->user;
  }
  // A request another site made the browser send rides its cached Basic
  // credentials (cross-site request forgery: `<img src=/cmd?shutdown>`, a
  // form POSTing a disconnect). Such requests get privilege user: they can
  // change nothing.
  if (CrossSite(req)) priv = Privilege::kUser;
  return Route(req, priv, user);
}

bool WebApp::CrossSite(const HttpRequest& req) {
  // Fetch Metadata: browsers say where a request comes from.
  if (const std::string* site = req.Header("sec-fetch-site"))
    return *site != "same-origin" && *site != "none";
  // RFC 6454 §7: an Origin that is not this server's own (scheme://host).
  if (const std::string* origin = req.Header("origin")) {
    const std::string* host = req.Header("host");
    std::string_view o = *origin;
    size_t scheme = o.find("://");
    if (scheme == std::string_view::npos || !host) return true;
    return o.substr(scheme + 3) != *host;
  }
  return false;  // curl, scripts: no browser, no forgery
}

HttpResponse WebApp::Route(const HttpRequest& req, Privilege priv, const std::string& user) {
  const std::string& path = req.path;
  if (path == "/") {
    HttpResponse r =
        Text("text/html", HtmlPage(StatusSummaryHtml(controller_.TakeSnapshot(), priv)));
    NoCache(&r);
    return r;
  }
  if (path == "/cmd" || path == "/bincmd") {
    std::vector<std::string> commands = DecodeCommands(req.query);
    std::unique_ptr<CommandSession> session = sessions_ ? sessions_(priv, user) : nullptr;
    if (!session) {
      HttpResponse r = Text("text/plain", "command sessions unavailable\n");
      r.status = 503;
      return r;
    }
    HttpResponse r = path == "/cmd" ? Text("text/html", HtmlPage(CmdPageHtml(commands, *session)))
                                    : Text("text/plain", BinCmdText(commands, *session));
    NoCache(&r);
    return r;
  }
  if (path == "/json") {
    HttpResponse r = Text("text/plain", JsonText(MpdJsonSummary(controller_.TakeSnapshot()), 1));
    r.body += '\n';
    NoCache(&r);
    return r;
  }
  if (path == "/mpd.css") return Text("text/css", std::string(MpdCss()));
  if (path == "/metrics") {
    HttpResponse r = Text(kMetricsContentType, RenderMetrics(controller_.TakeSnapshot()));
    NoCache(&r);
    return r;
  }
  if (path == "/dashboard" || path == "/dashboard/") return Asset("dashboard.html");
  if (path.starts_with(kAssetsPrefix)) {
    std::string_view file = std::string_view(path).substr(kAssetsPrefix.size());
    // Only plain file names: the embedded set is flat.
    if (file.empty() || file.find('/') != std::string_view::npos || file.starts_with('.')) {
      return NotFound();
    }
    return Asset(file);
  }
  if (path == kApiPrefix || path.starts_with(std::string(kApiPrefix) + "/")) {
    return HandleApi(controller_, req, priv);
  }
  return NotFound();
}

}  // namespace mlppp::control::web
