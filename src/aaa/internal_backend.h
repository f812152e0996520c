// The `internal` auth back end (mpd5 auth.c AuthInternal): checks the peer
// against mpd.secret. PAP compares the password (RFC 1334 §2.2.1); CHAP-MD5
// recomputes the response (RFC 1994 §4.1); MS-CHAPv1/v2 recompute the NT
// response (RFC 2433 §A.5, RFC 2759 §8.1) and derive MPPE keys (RFC 3079).
// Comparisons are constant time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "aaa/auth_backend.h"
#include "aaa/secrets.h"
#include "core/log.h"

namespace mlppp::aaa {

class InternalBackend : public AuthBackend {
 public:
  // Re-reads `secrets_path` when its modification time or size changes
  // (mpd5 reads it on each authentication). A small synchronous read: the
  // file is local and short.
  explicit InternalBackend(std::string secrets_path);
  // Fixed secrets (tests, or secrets from elsewhere).
  explicit InternalBackend(Secrets secrets);

  // Calls `done` before returning. External password programs (`!prog`)
  // are not run in this slice: such users fail.
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

 private:
  // Returns the current secrets, reloading from the file if it changed;
  // nullptr if the file cannot be read.
  const Secrets* Current();

  std::string path_;
  std::optional<Secrets> secrets_;
  std::filesystem::file_time_type mtime_{};
  uintmax_t size_ = 0;
  log::RateLimit limiter_;  // failed logins are peer-caused
};

}  // namespace mlppp::aaa
