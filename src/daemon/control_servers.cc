#include "daemon/control_servers.h"

#include <unistd.h>

#include "control/command_shell.h"
#include "control/users.h"
#include "core/log.h"
#include "core/version.h"

namespace mlppp::daemon {
namespace {

bool SameListener(const config::ListenerConf& a, const config::ListenerConf& b) {
  return a.self_addr == b.self_addr && a.port == b.port && a.auth == b.auth;
}

}  // namespace

ControlServers::ControlServers(event::AsioLoop& loop, Daemon& daemon)
    : loop_(loop), daemon_(daemon), controller_(daemon, [this] { Apply(daemon_.config()); }) {
  shells_ = [this](control::Privilege priv,
                   const std::string& user) -> std::unique_ptr<control::CommandSession> {
    auto shell = std::make_unique<control::CommandShell>(controller_, priv, user);
    // `show console` from the web (/cmd, /bincmd) lists the console's
    // sessions too. Those shells live for one request, so the pointer cannot
    // outlive the console server; a console session sets its own list.
    shell->SetConsoleSessions(console_.get());
    return shell;
  };
  // Read at each login, so `set user` at run time takes effect at once.
  login_ = [this](const std::string& user, const std::string& password) {
    return control::CheckLogin(daemon_.config().users, user, password);
  };
}

ControlServers::~ControlServers() = default;

void ControlServers::Apply(const config::Config& config) {
  ApplyConsole(config.console);
  ApplyWeb(config.web);
}

void ControlServers::ApplyConsole(const config::ListenerConf& c) {
  if (!c.open) {
    if (console_listener_) MLOG_INFO(kConsole, "console: closed");
    // `set console close` runs inside a console session: the server and its
    // sessions go after that command returns.
    if (console_listener_) loop_.DeferDelete(std::move(console_listener_));
    if (console_) loop_.DeferDelete(std::move(console_));
    return;
  }
  if (console_listener_ && SameListener(c, console_conf_)) return;
  if (console_ && console_conf_.auth != c.auth) console_->SetAuth(c.auth);
  if (!console_)
    console_ = std::make_unique<control::console::ConsoleServer>(
        loop_, c.auth, login_, shells_, kVersion, static_cast<int>(getpid()));
  if (console_listener_ && console_conf_.self_addr == c.self_addr && console_conf_.port == c.port) {
    console_conf_ = c;
    return;
  }
  if (console_listener_) loop_.DeferDelete(std::move(console_listener_));
  auto l = os::TcpListener::Open(
      loop_.context(), c.self_addr, c.port,
      [this](std::unique_ptr<event::StreamConn> conn, const std::string& peer) {
        if (console_) console_->Accept(std::move(conn), peer);
      });
  if (!l.ok()) {
    MLOG_ERROR(kConsole, "console: cannot listen on {} port {}: {}", c.self_addr, c.port,
               l.error());
    return;
  }
  console_listener_ = std::move(*l);
  console_conf_ = c;
  MLOG_INFO(kConsole, "console: listening on {} port {}", c.self_addr, console_listener_->port());
}

void ControlServers::ApplyWeb(const config::ListenerConf& c) {
  if (web_ && c.open && web_conf_.self_addr == c.self_addr && web_conf_.port == c.port) {
    if (web_conf_.auth != c.auth) web_app_->SetAuth(c.auth);
    web_conf_ = c;
    return;
  }
  // Apply may run inside a web request (/cmd?set web close): the old server
  // goes after the request returns, and a new one starts after that, so it
  // can bind the port the old one held.
  if (web_) {
    MLOG_INFO(kConsole, "web: closed");
    loop_.DeferDelete(std::move(web_));
    loop_.DeferDelete(std::move(web_app_));
  }
  if (!c.open) return;
  web_conf_ = c;
  loop_.Post([this, alive = std::weak_ptr<char>(alive_)] {
    if (!alive.expired()) StartWeb();
  });
}

void ControlServers::StartWeb() {
  if (web_) return;
  const config::ListenerConf& c = web_conf_;
  web_app_ = std::make_unique<control::web::WebApp>(controller_, shells_, login_, c.auth, &loop_);
  control::web::HttpServer::Options o;
  o.addr = c.self_addr;
  o.port = c.port;
  auto* app = web_app_.get();
  auto s = control::web::HttpServer::Start(
      loop_.context(), o, [app](const control::web::HttpRequest& r) { return app->Handle(r); });
  if (!s.ok()) {
    MLOG_ERROR(kConsole, "{}", s.error());  // names the address and port already
    web_app_.reset();
    return;
  }
  web_ = std::move(*s);
  MLOG_INFO(kConsole, "web: listening on {} port {}", c.self_addr, web_->port());
}

}  // namespace mlppp::daemon
