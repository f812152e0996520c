// The `internal` auth back end (mpd5 auth.c AuthInternal): checks the peer
// against mpd.secret. PAP compares the password (RFC 1334 §2.2.1); CHAP-MD5
// recomputes the response (RFC 1994 §4.1); MS-CHAPv1/v2 recompute the NT
// response (RFC 2433 §A.5, RFC 2759 §8.1) and derive MPPE keys (RFC 3079).
// Comparisons are constant time. A "!program" password (mpd5 §2.2) is
// fetched by running the program off the loop (aaa/password_program.h),
// then checked the same way.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aaa/auth_backend.h"
#include "aaa/password_program.h"
#include "aaa/run_blocking.h"
#include "aaa/secrets.h"
#include "core/log.h"

namespace mlppp::aaa {

class InternalBackend : public AuthBackend {
 public:
  // Re-reads `secrets_path` when its modification time or size changes
  // (mpd5 reads it on each authentication). A small synchronous read: the
  // file is local and short. `run` runs password programs off the loop;
  // without it (empty), "!program" entries always fail.
  explicit InternalBackend(
      std::string secrets_path, RunBlocking run = {},
      std::chrono::milliseconds program_timeout = kDefaultPasswordProgramTimeout);
  // Fixed secrets (tests, or secrets from elsewhere).
  explicit InternalBackend(
      Secrets secrets, RunBlocking run = {},
      std::chrono::milliseconds program_timeout = kDefaultPasswordProgramTimeout);
  // Programs still running finish on their worker; their callbacks are
  // dropped.
  ~InternalBackend() override;
  InternalBackend(const InternalBackend&) = delete;
  InternalBackend& operator=(const InternalBackend&) = delete;

  // For literal passwords, calls `done` before returning. For "!program"
  // entries (the user's own, else the `*` catch-all), runs the program
  // through `run` with the user name as its last argument and calls `done`
  // on the loop thread, unless this object is destroyed first. No password
  // from the program (failure, empty output, timeout) is a reject. The
  // entry's address restriction applies either way.
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

 private:
  // Returns the current secrets, reloading from the file if it changed;
  // nullptr if the file cannot be read.
  const Secrets* Current();
  // Checks `req` against `password` and finishes the request. `why` (set
  // when the password could not be had) forces a reject with that reason.
  void Finish(const AuthRequest& req, std::string_view password,
              const std::optional<SecretIpRange>& ip, std::string_view why,
              const std::function<void(AuthResult)>& done);

  std::string path_;
  std::optional<Secrets> secrets_;
  std::filesystem::file_time_type mtime_{};
  uintmax_t size_ = 0;
  RunBlocking run_;
  std::chrono::milliseconds program_timeout_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // callbacks hold a weak_ptr
  log::RateLimit limiter_;                                   // failed logins are peer-caused
};

}  // namespace mlppp::aaa
