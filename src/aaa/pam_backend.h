// The `pam-auth` back end (mpd5 auth.c AuthPAM): PAP credentials (RFC 1334
// §2.2.1) checked by the system's PAM stack for a service name (mpd5: "mpd",
// `-m` to change; ours defaults to "mlpppd"). PAP only, as in mpd5: CHAP
// never reveals the password PAM would need.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "aaa/auth_backend.h"
#include "aaa/run_blocking.h"
#include "core/log.h"

namespace mlppp::aaa {

class PamBackend : public AuthBackend {
 public:
  explicit PamBackend(RunBlocking run, std::string service = "mlpppd");
  // Running PAM transactions finish on their worker; their callbacks are
  // dropped.
  ~PamBackend() override;
  PamBackend(const PamBackend&) = delete;
  PamBackend& operator=(const PamBackend&) = delete;

  // pam_authenticate then pam_acct_mgmt, on a worker (PAM modules block:
  // pam_unix sleeps after a failure, others talk to servers). `done` runs on
  // the loop thread unless this object is destroyed first; for non-PAP
  // requests, before returning, undecided, with message "PAM: PAP only".
  // Sets PAM_RHOST (req.ctx.calling_station) and PAM_TTY (req.ctx.link) as
  // mpd5 does. Undecided (the next back end tries) unless PAM gave a verdict
  // on the credentials (PAM_AUTH_ERR, PAM_PERM_DENIED, PAM_ACCT_EXPIRED,
  // PAM_NEW_AUTHTOK_REQD, PAM_MAXTRIES, PAM_CRED_INSUFFICIENT): an unknown
  // user or a broken service passes the request on.
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

  const std::string& service() const { return service_; }

 private:
  RunBlocking run_;
  std::string service_;
  std::shared_ptr<char> alive_;  // callbacks hold a weak_ptr to this
  log::RateLimit limiter_;
};

}  // namespace mlppp::aaa
