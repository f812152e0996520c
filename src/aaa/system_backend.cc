#include "aaa/system_backend.h"

#include <crypt.h>
#include <fmt/format.h>
#include <openssl/crypto.h>

#include <cstring>
#include <fstream>

namespace mlppp::aaa {

std::optional<std::string> LookUpHash(const std::string& path, std::string_view user) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = line;
    size_t c1 = l.find(':');
    if (c1 == std::string_view::npos || l.substr(0, c1) != user) continue;
    size_t c2 = l.find(':', c1 + 1);
    return std::string(l.substr(c1 + 1, c2 == std::string_view::npos ? l.npos : c2 - c1 - 1));
  }
  return std::nullopt;
}

bool CheckCryptHash(std::string_view password, const std::string& hash) {
  // shadow(5): an empty hash means no password, '!' or '*' a locked account.
  if (hash.empty() || hash[0] == '!' || hash[0] == '*') return false;
  if (password.find('\0') != std::string_view::npos) return false;
  std::string phrase(password);
  // crypt_data is ~32 KiB: on the heap, not a worker's stack.
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  OPENSSL_cleanse(phrase.data(), phrase.size());
  bool ok = false;
  if (out && out[0] != '*') {
    size_t n = std::strlen(out);
    ok = n == hash.size() && CRYPTO_memcmp(out, hash.data(), n) == 0;
  }
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

SystemBackend::SystemBackend(RunBlocking run, std::string shadow_path, std::string passwd_path)
    : run_(std::move(run)),
      shadow_path_(std::move(shadow_path)),
      passwd_path_(std::move(passwd_path)),
      alive_(std::make_shared<char>()) {}

SystemBackend::~SystemBackend() = default;

void SystemBackend::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  if (req.proto != AuthProto::kPap) {
    AuthResult r;
    r.undecided = true;  // mpd5 AuthAsync goes on to the next back end
    r.message = "system: PAP only";
    MLOG_PEER_ERROR(limiter_, kAuth, "system-auth of \"{}\": {} is not PAP", req.user,
                    AuthProtoName(req.proto));
    done(std::move(r));
    return;
  }
  struct Job {
    std::string shadow_path;
    std::string passwd_path;
    std::string user;
    std::string password;  // wiped after use
    bool ok = false;
    bool undecided = false;  // no such account here: the next back end may know it
    std::string why;
  };
  auto job = std::make_shared<Job>();
  job->shadow_path = shadow_path_;
  job->passwd_path = passwd_path_;
  job->user = req.user;
  job->password = req.pap_password;
  std::weak_ptr<char> alive = alive_;
  run_(
      [job] {
        if (job->user.empty() ||
            job->user.find_first_of(std::string_view(":\n\0", 3)) != std::string::npos) {
          job->why = "bad user name";
        } else if (auto hash = LookUpHash(job->shadow_path, job->user)) {
          job->ok = CheckCryptHash(job->password, *hash);
          if (!job->ok) job->why = "wrong password or locked account";
        } else if (auto pw = LookUpHash(job->passwd_path, job->user)) {
          // "x": the hash lives in a shadow file that has no entry for the user.
          if (*pw == "x") {
            job->why = "no shadow entry";
            job->undecided = true;
          } else {
            job->ok = CheckCryptHash(job->password, *pw);
            if (!job->ok) job->why = "wrong password or locked account";
          }
        } else {
          job->why = "unknown user";
          job->undecided = true;
        }
        OPENSSL_cleanse(job->password.data(), job->password.size());
      },
      [this, alive, job, done = std::move(done)] {
        if (alive.expired()) return;
        AuthResult r;
        r.ok = job->ok;
        r.undecided = job->undecided;
        if (r.ok) {
          r.message = "authenticated";
        } else {
          // One outward message whatever the reason, so a Failure packet does
          // not tell which names exist; the log says which.
          r.message = "authentication failed";
          MLOG_PEER_ERROR(limiter_, kAuth, "system-auth of \"{}\" failed: {}", job->user, job->why);
        }
        done(std::move(r));
      });
}

}  // namespace mlppp::aaa
