// The operator's listeners (mpd5 `set console open`, `set web open`): the
// telnet console and the web interface, opened, moved or closed whenever
// the configuration says so — at start and after each console `set`.
#pragma once

#include <memory>
#include <string>

#include "config/model.h"
#include "control/console/console_server.h"
#include "control/web/mhd_server.h"
#include "control/web/router.h"
#include "daemon/daemon.h"
#include "daemon/daemon_controller.h"
#include "event/asio_loop.h"
#include "os/tcp_stream.h"

namespace mlppp::daemon {

class ControlServers {
 public:
  // REQUIRES: loop and daemon outlive this object.
  ControlServers(event::AsioLoop& loop, Daemon& daemon);
  ~ControlServers();

  // Opens, re-opens (address, port or auth changed) or closes the console
  // and the web interface as `config` says. Errors are logged.
  void Apply(const config::Config& config);

  uint16_t console_port() const { return console_listener_ ? console_listener_->port() : 0; }
  uint16_t web_port() const { return web_ ? web_->port() : 0; }

 private:
  void ApplyConsole(const config::ListenerConf& c);
  void ApplyWeb(const config::ListenerConf& c);
  void StartWeb();

  event::AsioLoop& loop_;
  Daemon& daemon_;
  DaemonController controller_;
  control::CommandSessionFactory shells_;
  control::LoginCheck login_;
  std::unique_ptr<control::console::ConsoleServer> console_;
  std::unique_ptr<os::TcpListener> console_listener_;
  config::ListenerConf console_conf_;  // what console_listener_ runs with
  std::unique_ptr<control::web::WebApp> web_app_;
  std::unique_ptr<control::web::HttpServer> web_;
  config::ListenerConf web_conf_;  // what the web server runs (or is about to run) with
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // for the posted StartWeb
};

}  // namespace mlppp::daemon
