// daemon/: wiring. Turns the typed configuration into listeners, links and
// bundles, and keeps the session tables. No protocol logic lives here.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "aaa/auth_backend.h"
#include "aaa/ippool.h"
#include "aaa/radius/dae.h"
#include "bundle/bundle.h"
#include "config/model.h"
#include "control/controller.h"
#include "control/status.h"
#include "daemon/auth_setup.h"
#include "daemon/l2tp_sites.h"
#include "daemon/pptp_sites.h"
#include "daemon/session_acct.h"
#include "daemon/session_index.h"
#include "event/asio_loop.h"
#include "link/pppoe/port.h"
#include "os/udp_server.h"
#include "os/worker_pool.h"
#include "ppp/link.h"

namespace mlppp::daemon {

struct DaemonOptions {
  std::string config_dir;
  bool one_shot = false;
  // The console's `shutdown`: main() runs the same graceful shutdown as
  // for SIGTERM.
  std::function<void()> request_shutdown;
};

class Daemon : public ppp::LinkEvents, public bundle::BundleEvents, public aaa::radius::DaeTarget {
 public:
  Daemon(event::AsioLoop& loop, config::Config config, DaemonOptions options, AuthDeps auth,
         bundle::IfaceFactory& ifaces);
  ~Daemon() override;

  // Starts listeners and opens the links named by `open`. Errors are logged;
  // returns false when nothing at all could be started.
  bool Start();
  // Graceful shutdown (SIGTERM): closes every link (LCP Terminate, PADT) and
  // calls done when all are gone or after `grace`.
  void Shutdown(std::function<void()> done, event::Duration grace = std::chrono::seconds(3));

  size_t link_count() const { return links_.size(); }
  // Logs one line of figures (SIGUSR1, and at shutdown): links, bundles,
  // and the LCP keep-alive round trips of the live links since the
  // previous report, which show whether established sessions are served
  // promptly under load (bench/radius_logins.sh reads it).
  void LogStats();
  size_t bundle_count() const { return bundles_.size(); }

  // --- the operator's view and actions (control::Controller, through
  // DaemonController; daemon_status.cc) ---
  control::Snapshot BuildSnapshot();
  config::Config& config() { return config_; }
  const std::string& config_dir() const { return options_.config_dir; }
  // `open`/`close [layer]` on the named link or bundle. link/device: the
  // link; bund: the whole session; iface, ipcp, ipv6cp, ccp, ecp: that
  // layer of the bundle (named, else the link's), the session staying up
  // (bundle::Bundle::OpenNcp/CloseNcp, OpenIface/CloseIface).
  Status OpenLayer(const std::string& link, const std::string& bundle, control::Layer layer);
  Status CloseLayer(const std::string& link, const std::string& bundle, control::Layer layer);
  // Closes the session with this Acct-Session-Id (Acct-Terminate-Cause
  // Admin-Reset).
  Status AdminDisconnect(const std::string& session_id);
  void RequestShutdown();

  // ppp::LinkEvents
  void OnLinkNetwork(ppp::Link& link) override;
  void OnLinkLeftNetwork(ppp::Link& link) override;
  void OnLinkDead(ppp::Link& link, std::string_view reason) override;
  void OnNetworkFrame(ppp::Link& link, uint16_t protocol, Packet&& info) override;
  void OnProtocolRejected(ppp::Link& link, uint16_t protocol) override;
  // bundle::BundleEvents
  void OnBundleUp(bundle::Bundle& b) override;
  void OnBundleDown(bundle::Bundle& b, std::string_view reason) override;
  // aaa::radius::DaeTarget (`set radsrv`, RFC 5176): sessions by
  // Acct-Session-Id.
  std::vector<std::string> FindSessions(const aaa::radius::SessionSelector& sel) override;
  void Disconnect(const std::string& session) override;
  bool ApplyCoa(const std::string& session, const aaa::radius::CoaChanges& changes) override;

 private:
  struct LinkSlot {
    std::unique_ptr<ppp::Link> link;
    std::string conf_name;  // the link's (template's) configuration
    bool is_static = false;
    bundle::Bundle* bundle = nullptr;
    int redials = 0;
    event::TimePoint network_at{};  // when it reached the network phase
    bool session_up = false;        // its bundle came up (a setup, not a failure)
    bool admin_closed = false;      // `close` from the console: no redial
    // admin_closed only because the last IP NCP was closed (RedialHold).
    bool closed_by_last_ncp = false;
  };
  struct BundleSlot {
    std::unique_ptr<bundle::Bundle> bundle;
    std::string pool;  // pool the peer address came from, if any
    uint32_t pool_addr = 0;
    ppp::Link* link = nullptr;
    // Session-Timeout / Idle-Timeout (RADIUS reply, else `set iface
    // session|idle`): the session closes when they expire.
    std::unique_ptr<event::Timer> session_timer, idle_timer;
    uint64_t idle_seen = 0;                    // packets counted at the last idle check
    uint32_t session_secs = 0, idle_secs = 0;  // the timers' current settings
    std::string conf_name;                     // the link configuration (auth/accounting settings)
    std::string bundle_conf;                   // the bundle configuration (template)
    // Accounting (RFC 2866 / ext-acct) from session up to session down.
    std::vector<std::unique_ptr<AcctSink>> acct_sinks;
    std::unique_ptr<SessionAccounting> acct;
    std::string stop_reason;  // the link's close reason when the session went down
    // What sessions_ holds for this slot while `link` is set.
    std::string indexed_user, indexed_session;
    event::TimePoint up_at{};  // when the bundle came up
  };

  link::pppoe::PppoePort* Port(const std::string& iface);
  void StartClient(const config::LinkConf& conf, int redials);
  // `set link enable incoming` for one link configuration; false if it
  // could not start (logged).
  bool StartListener(const config::LinkConf& conf);
  void AddLink(std::unique_ptr<link::Driver> driver, const config::LinkConf& conf, std::string name,
               bool is_static, int redials);
  ppp::LinkConfig MakeLinkConfig(const config::LinkConf& conf, const link::Driver& driver) const;
  // The link configuration's back-end chain, built on first use.
  aaa::AuthBackend& AuthFor(const config::LinkConf& conf);
  void ReleaseBundle(BundleSlot& slot);
  // Enters the slot's link in sessions_ / takes it out (and clears link).
  void IndexSession(BundleSlot& slot, ppp::Link& link);
  void UnindexSession(BundleSlot& slot);
  void StartSessionTimers(BundleSlot& slot, uint32_t session, uint32_t idle);
  BundleSlot* FindSession(const std::string& session_id);
  bool Matches(const BundleSlot& slot, const aaa::radius::SessionSelector& sel) const;
  void OpenRadsrv();
  void IdleCheck(bundle::Bundle* b, uint32_t idle);
  void StartAccounting(BundleSlot& slot, bundle::Bundle& b);
  AcctBackends& AcctFor(const config::LinkConf& conf);
  // mpd5 `set auth max-logins N [CI]`: sessions already up for this user.
  size_t LoginsOf(const std::string& user, bool case_insensitive) const;
  void MaybeFinish();
  std::string NextName(const std::string& tmpl);
  // The event-loop lag probe: a timer every second records how late it ran.
  void ProbeLoopLag(event::TimePoint due);
  control::LinkView ViewOf(const ppp::Link& link, const LinkSlot& slot) const;
  control::BundleView ViewOf(const BundleSlot& slot) const;
  ppp::Link* FindLinkByName(const std::string& name) const;
  BundleSlot* FindBundleByName(const std::string& name);
  // OpenLayer/CloseLayer: the bundle by name, else the named link's.
  BundleSlot* FindLayerBundle(const std::string& link, const std::string& bundle);

  event::AsioLoop& loop_;
  config::Config config_;
  DaemonOptions options_;
  AuthDeps auth_deps_;
  std::map<std::string, std::unique_ptr<aaa::AuthChain>> auth_chains_;  // by link conf name
  std::map<std::string, AcctBackends> acct_backends_;                   // by link conf name
  std::unique_ptr<aaa::radius::DaeServer> dae_;
  std::unique_ptr<os::UdpServer> dae_socket_;
  uint64_t session_counter_ = 0;  // Acct-Session-Id suffix
  uint32_t start_time_ = 0;       // Acct-Session-Id prefix
  bundle::IfaceFactory& ifaces_;
  aaa::IpPools pools_;
  // Every bundle's batched MPPE passes; declared before bundles_, so it
  // outlives them (their destructors cancel their waiting packets).
  bundle::DataBatch data_batch_{loop_};
  std::map<std::string, std::unique_ptr<link::pppoe::PppoePort>> ports_;
  // Declared before links_, so the links (and their drivers) go first.
  std::unique_ptr<L2tpSites> l2tp_;
  std::unique_ptr<PptpSites> pptp_;
  std::unordered_map<ppp::Link*, LinkSlot> links_;
  std::unordered_map<bundle::Bundle*, BundleSlot> bundles_;
  std::map<std::string, uint64_t> instance_counter_;
  std::vector<std::unique_ptr<event::Timer>> redial_timers_;
  bool shutting_down_ = false;
  std::function<void()> shutdown_done_;
  // Accounting Stops sent and not yet answered: shutdown waits for them
  // (within its grace period) so the last sessions are not lost to the
  // accounting server.
  size_t acct_stops_pending_ = 0;
  SessionIndex<BundleSlot> sessions_;                        // the bundles that have a link
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // late callbacks check it
  std::unique_ptr<event::Timer> shutdown_timer_;
  // Shutdown: tunnels told to stop; polling until their peers answered.
  bool tunnels_stopped_ = false;
  std::unique_ptr<event::Timer> tunnel_poll_;
  ppp::Randomness random_;
  // Figures for `show summary` and /metrics.
  control::DaemonCounters counters_;
  std::unique_ptr<event::Timer> lag_timer_;
  // Each link configuration's back-end chain, timed (auth latency, results).
  std::map<std::string, std::unique_ptr<aaa::AuthBackend>> timed_auth_;
};

}  // namespace mlppp::daemon
