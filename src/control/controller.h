// The daemon as the control layer sees it: a snapshot to read, the typed
// configuration to edit at run time, and the operator's actions. The daemon
// implements it; tests use a fake. Every call runs on the event-loop thread
// and returns promptly (the console never blocks traffic).
#pragma once

#include <string>
#include <string_view>

#include "config/model.h"
#include "control/status.h"
#include "core/result.h"

namespace mlppp::control {

// mpd5's console privilege levels (console.c): user < operator < admin.
enum class Privilege : uint8_t { kUser = 0, kOperator = 1, kAdmin = 2 };
std::string_view PrivilegeName(Privilege p);
bool PrivilegeFromName(std::string_view name, Privilege* out);

// The layers `open`/`close` address (mpd5 `show layers`).
enum class Layer : uint8_t { kIface, kIpcp, kIpv6cp, kCcp, kEcp, kBund, kLink, kDevice };
std::string_view LayerName(Layer l);
bool LayerFromName(std::string_view name, Layer* out);

class Controller {
 public:
  virtual ~Controller() = default;
  // The current state of every link and bundle, and the daemon's counters.
  // O(sessions); fine per console command or HTTP request.
  virtual Snapshot TakeSnapshot() = 0;
  // The configuration as the daemon runs it. `set`, `create`, `destroy` and
  // `load` edit it in place; new sessions use the edited values (as in
  // mpd5, a running session keeps what it negotiated). Call ConfigChanged()
  // after an edit so the daemon can act on listener settings.
  virtual config::Config& MutableConfig() = 0;
  // The directory mpd.conf was read from (`load` resolves files there).
  virtual std::string ConfigDir() const = 0;
  virtual void ConfigChanged() = 0;
  // `open [layer]` / `close [layer]` on a link or a bundle by name (the
  // console's current context). Errors name what is wrong, for the console.
  virtual Status OpenLayer(const std::string& link, const std::string& bundle, Layer layer) = 0;
  virtual Status CloseLayer(const std::string& link, const std::string& bundle, Layer layer) = 0;
  // Ends the session with this Acct-Session-Id (its link(s) close with
  // cause Admin-Reset). Error when there is no such session.
  virtual Status Disconnect(const std::string& session_id) = 0;
  // `shutdown`: the graceful shutdown SIGTERM starts.
  virtual void Shutdown() = 0;
};

}  // namespace mlppp::control
