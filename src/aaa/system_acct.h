// The `system-acct` accounting back end (mpd5 auth.c AuthSystemAcct): each
// session is a login in utmp and wtmp, so who(1), w(1) and last(1) show it.
// Start writes a USER_PROCESS record (line: the interface, e.g. "ppp0",
// else the link name; user; host: the peer's address, else its calling
// station id; id; pid; time) to utmp and appends it to wtmp; Stop turns
// the utmp record into a DEAD_PROCESS one (user and host cleared, as
// logout(3) does) and appends a logout record to wtmp (logwtmp(line, "",
// "")). Interim-Updates are not sent here.
//
// mpd5 names the line after the link; here the interface is the session's
// name on the system (the bundle's TUN), which is what pam-acct's PAM_TTY
// also gets.
#pragma once

#include <utmpx.h>

#include <functional>
#include <memory>
#include <string>

#include "aaa/accounting.h"
#include "aaa/run_blocking.h"
#include "core/log.h"

namespace mlppp::aaa {

class SystemAcct {
 public:
  // The paths are for tests; the defaults are the system's files.
  explicit SystemAcct(RunBlocking run, std::string utmp_path = _PATH_UTMPX,
                      std::string wtmp_path = _PATH_WTMPX);
  // Running jobs finish on their worker; their callbacks are dropped.
  ~SystemAcct();
  SystemAcct(const SystemAcct&) = delete;
  SystemAcct& operator=(const SystemAcct&) = delete;

  // Write the records on a worker (file locks and I/O). `done(ok)` runs on
  // the loop thread unless this object is destroyed first; ok is false when
  // utmp could not be written (e.g. not root) or wtmp not appended to.
  void Start(const AcctEvent& ev, std::function<void(bool ok)> done);
  void Stop(const AcctEvent& ev, std::function<void(bool ok)> done);

 private:
  void Write(const AcctEvent& ev, bool start, std::function<void(bool)> done);

  RunBlocking run_;
  std::string utmp_path_;
  std::string wtmp_path_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // callbacks hold a weak_ptr
  log::RateLimit limiter_;
};

// The record Start writes (ut_tv and ut_pid left zero): exposed for tests.
// ut_id is the link number in 4 hex digits (unique among live sessions;
// mpd5 uses "mpd<link id>"), or the line's last 4 characters without one.
utmpx SystemAcctRecord(const AcctEvent& ev);

}  // namespace mlppp::aaa
