// The `system-auth` back end (mpd5 auth.c AuthSystem): PAP credentials
// (RFC 1334 §2.2.1) checked against the local account database's crypt(3)
// hashes, read from /etc/shadow, or /etc/passwd when the account has no
// shadow entry. PAP only (mpd5's MS-CHAP with NT-hash passwords is not
// supported: Linux shadow files hold no NT hashes). NSS sources (LDAP, ...)
// are not consulted: use pam-auth for those.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aaa/auth_backend.h"
#include "aaa/run_blocking.h"
#include "core/log.h"

namespace mlppp::aaa {

class SystemBackend : public AuthBackend {
 public:
  // The paths are for tests; the defaults are the system's files.
  explicit SystemBackend(RunBlocking run, std::string shadow_path = "/etc/shadow",
                         std::string passwd_path = "/etc/passwd");
  ~SystemBackend() override;
  SystemBackend(const SystemBackend&) = delete;
  SystemBackend& operator=(const SystemBackend&) = delete;

  // Reads the files and runs crypt_rn on a worker (yescrypt and SHA-512
  // are deliberately slow). `done` runs on the loop thread unless this
  // object is destroyed first; for non-PAP requests, before returning.
  // Locked accounts (hash starting with '!' or '*') and empty hashes fail.
  // Unknown users and non-PAP requests are undecided (the next back end
  // tries, as in mpd5 AuthAsync); a wrong password is a reject.
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;

 private:
  RunBlocking run_;
  std::string shadow_path_;
  std::string passwd_path_;
  std::shared_ptr<char> alive_;  // callbacks hold a weak_ptr to this
  log::RateLimit limiter_;
};

// Looks `user` up in a passwd(5)/shadow(5)-format file: the second field
// of its line, or nullopt if the file cannot be read or has no such user.
// Blocking (file I/O).
std::optional<std::string> LookUpHash(const std::string& path, std::string_view user);

// crypt(3)-checks `password` against `hash` (thread-safe crypt_rn,
// constant-time compare). False for empty and locked ('!', '*') hashes.
bool CheckCryptHash(std::string_view password, const std::string& hash);

}  // namespace mlppp::aaa
