// The `pam-acct` accounting back end (mpd5 auth.c AuthPAMAcct): a PAM
// session for each accounting session, opened with pam_open_session at
// Start and closed with pam_close_session at Stop, for the service of
// pam-auth (mpd5: "mpd"; ours defaults to "mlpppd"). Interim-Updates mean
// nothing to PAM and are not sent here.
//
// mpd5 runs pam_start/pam_end around each call, so Stop closes a session on
// a handle that never opened it. Linux session modules (pam_limits,
// pam_loginuid, pam_systemd, ...) keep what open_session set up in the
// handle's data, so here the handle opened at Start is kept, keyed by
// Acct-Session-Id, and closed at Stop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "aaa/accounting.h"
#include "aaa/run_blocking.h"
#include "core/log.h"

namespace mlppp::aaa {

class PamAcct {
 public:
  // `confdir`: where the service file is read (pam_start_confdir, Linux-PAM
  // 1.4+); empty means the system's (/etc/pam.d). Tests use a temporary
  // directory so nothing is written to /etc.
  explicit PamAcct(RunBlocking run, std::string service = "mlpppd", std::string confdir = {});
  // Sessions still open are closed here, on the calling thread (shutdown).
  // Running jobs finish on their worker; their callbacks are dropped.
  ~PamAcct();
  PamAcct(const PamAcct&) = delete;
  PamAcct& operator=(const PamAcct&) = delete;

  // pam_start (user ev.user), PAM_RHOST (the peer's address, else its
  // calling station id, e.g. its MAC on PPPoE), PAM_TTY (the interface,
  // e.g. "ppp0", else the link name) and pam_open_session, on a worker.
  // `done(ok)` runs on the loop thread unless this object is destroyed
  // first; before returning if the session id is already open or the user
  // name holds a NUL. On failure nothing stays open.
  void Start(const AcctEvent& ev, std::function<void(bool ok)> done);
  // pam_close_session and pam_end on the handle Start opened, on a worker;
  // `done` as for Start. No open session (Start failed or never ran): ok,
  // nothing to close. A Stop that overtakes its Start's work makes that
  // Start open nothing.
  void Stop(const AcctEvent& ev, std::function<void(bool ok)> done);

  size_t open_sessions() const { return sessions_.size(); }
  const std::string& service() const { return service_; }

  struct Session;  // the handle and its lock; defined in pam_acct.cc

 private:
  RunBlocking run_;
  std::string service_;
  std::string confdir_;
  // Loop thread only. Entries from Start until Stop (or a failed Start).
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // callbacks hold a weak_ptr
  log::RateLimit limiter_;
};

}  // namespace mlppp::aaa
