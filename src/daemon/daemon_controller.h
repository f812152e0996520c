// The daemon behind control::Controller, for the console and the web
// interface. An adapter rather than a base of Daemon, so the control
// layer's names (Disconnect) do not collide with RADIUS DAE's.
#pragma once

#include <functional>

#include "control/controller.h"
#include "daemon/daemon.h"

namespace mlppp::daemon {

class DaemonController : public control::Controller {
 public:
  // on_config_changed runs after a console `set`/`create`/`load` changed the
  // configuration (the owner re-reads its listener settings).
  DaemonController(Daemon& d, std::function<void()> on_config_changed)
      : d_(d), on_config_changed_(std::move(on_config_changed)) {}

  control::Snapshot TakeSnapshot() override { return d_.BuildSnapshot(); }
  config::Config& MutableConfig() override { return d_.config(); }
  std::string ConfigDir() const override { return d_.config_dir(); }
  void ConfigChanged() override {
    if (on_config_changed_) on_config_changed_();
  }
  Status OpenLayer(const std::string& link, const std::string& bundle,
                   control::Layer layer) override {
    return d_.OpenLayer(link, bundle, layer);
  }
  Status CloseLayer(const std::string& link, const std::string& bundle,
                    control::Layer layer) override {
    return d_.CloseLayer(link, bundle, layer);
  }
  Status Disconnect(const std::string& session_id) override {
    return d_.AdminDisconnect(session_id);
  }
  void Shutdown() override { d_.RequestShutdown(); }

 private:
  Daemon& d_;
  std::function<void()> on_config_changed_;
};

}  // namespace mlppp::daemon
