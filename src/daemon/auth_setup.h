// Builds each link's authentication back ends from its `set auth` options,
// in mpd5's order (auth.c AuthAsync): ext-auth, else radius-auth; then
// pam-auth, system-auth, and internal (mpd.secret) last.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "aaa/auth_chain.h"
#include "aaa/ext_backend.h"
#include "aaa/pam_acct.h"
#include "aaa/radius/accounting.h"
#include "aaa/radius/client.h"
#include "aaa/run_blocking.h"
#include "aaa/system_acct.h"
#include "config/model.h"
#include "event/asio_loop.h"

namespace mlppp::daemon {

// Every RADIUS client the daemon made, for `show radius` and /metrics. The
// clients live as long as the daemon (their back ends are never dropped),
// so their counters may be read through these pointers until it ends.
class RadiusStats {
 public:
  void Add(const aaa::radius::RadiusCounters* c) { clients_.push_back(c); }
  aaa::radius::RadiusCounters Sum() const;
  size_t clients() const { return clients_.size(); }

 private:
  std::vector<const aaa::radius::RadiusCounters*> clients_;
};

struct AuthDeps {
  aaa::RunBlocking run_blocking;         // PAM, crypt and scripts run off the loop
  aaa::AuthBackend* internal = nullptr;  // mpd.secret, shared by every link
  // The RADIUS back end for a link's `set radius` servers; empty when this
  // build has none.
  std::function<std::unique_ptr<aaa::AuthBackend>(const config::LinkConf&)> make_radius;
  RadiusStats* radius_stats = nullptr;  // where new RADIUS clients are registered, if set
};

std::unique_ptr<aaa::AuthChain> MakeAuthChain(const config::LinkConf& conf, const AuthDeps& deps);

// The radius-auth back end for a link's `set radius` settings, on real UDP
// sockets. Server names are resolved here, once (mpd5 resolves at `set`).
// nullptr (logged) when no server is usable.
std::unique_ptr<aaa::AuthBackend> MakeRadiusAuth(event::AsioLoop& loop,
                                                 const config::LinkConf& conf,
                                                 RadiusStats* stats = nullptr);

// The accounting back ends of a link's `set auth enable
// radius-acct|pam-acct|system-acct|ext-acct`. mpd5 AuthAccount sends to
// them in that order.
struct AcctBackends {
  std::unique_ptr<aaa::radius::RadiusAccounting> radius;
  std::unique_ptr<aaa::PamAcct> pam;        // service "mlpppd", /etc/pam.d
  std::unique_ptr<aaa::SystemAcct> system;  // the system's utmp and wtmp
  std::unique_ptr<aaa::ExtAcct> ext;
  bool empty() const { return !radius && !pam && !system && !ext; }
};
AcctBackends MakeAcctBackends(event::AsioLoop& loop, const config::LinkConf& conf,
                              const aaa::RunBlocking& run_blocking, RadiusStats* stats = nullptr);

}  // namespace mlppp::daemon
