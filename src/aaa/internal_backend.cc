#include "aaa/internal_backend.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "aaa/chap_digest.h"
#include "aaa/mschap.h"
#include "core/log.h"

namespace mlppp::aaa {

InternalBackend::InternalBackend(std::string secrets_path, RunBlocking run,
                                 std::chrono::milliseconds program_timeout)
    : path_(std::move(secrets_path)), run_(std::move(run)), program_timeout_(program_timeout) {}

InternalBackend::InternalBackend(Secrets secrets, RunBlocking run,
                                 std::chrono::milliseconds program_timeout)
    : secrets_(std::move(secrets)), run_(std::move(run)), program_timeout_(program_timeout) {}

InternalBackend::~InternalBackend() = default;

const Secrets* InternalBackend::Current() {
  if (path_.empty()) return secrets_ ? &*secrets_ : nullptr;
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(path_, ec);
  if (ec) {
    MLOG_ERROR(kAuth, "secrets file {}: {}", path_, ec.message());
    return nullptr;
  }
  auto size = std::filesystem::file_size(path_, ec);
  if (secrets_ && !ec && mtime == mtime_ && size == size_) return &*secrets_;
  std::vector<std::string> diags;
  auto loaded = Secrets::Load(path_, &diags);
  for (const auto& d : diags) MLOG_WARN(kAuth, "{}", d);  // never contains a password
  if (!loaded.ok()) {
    MLOG_ERROR(kAuth, "secrets file: {}", loaded.error());
    return nullptr;
  }
  secrets_ = std::move(loaded.value());
  mtime_ = mtime;
  size_ = ec ? 0 : size;
  return &*secrets_;
}

namespace {

bool SameBytes(const void* a, size_t alen, const void* b, size_t blen) {
  // The length of a password is not hidden; its content is.
  return alen == blen && CRYPTO_memcmp(a, b, alen) == 0;
}

}  // namespace

void InternalBackend::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  // The same outward message for an unknown user and a wrong password, so a
  // Failure packet does not tell which names exist; the log says which.
  const Secrets* secrets = Current();
  const SecretEntry* e = secrets ? secrets->Find(req.user) : nullptr;
  if (!secrets) return Finish(req, {}, std::nullopt, "secrets unavailable", done);
  if (!e) return Finish(req, {}, std::nullopt, "unknown user", done);
  if (!e->IsProgram()) return Finish(req, e->password, e->ip, {}, done);
  if (!run_) return Finish(req, {}, std::nullopt, "password program without a worker", done);

  // mpd5 §2.2: the program's first output line is the password. It runs on
  // a worker: a slow program must not stall every other session.
  struct Job {
    std::string command;
    std::string user;
    std::chrono::milliseconds timeout;
    PasswordProgramResult result;
  };
  auto job = std::make_shared<Job>();
  job->command = e->password.substr(1);
  job->user = req.user;
  job->timeout = program_timeout_;
  MLOG_DEBUG(kAuth, "internal auth of \"{}\": running the password program of line {}", req.user,
             e->line);
  std::weak_ptr<char> alive = alive_;
  run_([job] { job->result = RunPasswordProgram(job->command, job->user, job->timeout); },
       [this, alive, job, req, ip = e->ip, done = std::move(done)] {
         if (alive.expired()) return;  // the back end is gone; so is its owner's interest
         std::string why;
         if (!job->result.password) why = "password program: " + job->result.error;
         Finish(req, job->result.password.value_or(std::string()), ip, why, done);
         if (job->result.password) {
           OPENSSL_cleanse(job->result.password->data(), job->result.password->size());
         }
       });
}

void InternalBackend::Finish(const AuthRequest& req, std::string_view password,
                             const std::optional<SecretIpRange>& ip, std::string_view why,
                             const std::function<void(AuthResult)>& done) {
  AuthResult r;
  std::string reason(why);
  if (!reason.empty()) {
    // No password to check against.
  } else if (req.proto == AuthProto::kPap) {
    r.ok = SameBytes(req.pap_password.data(), req.pap_password.size(), password.data(),
                     password.size());
  } else if (req.proto == AuthProto::kChapMsV1 || req.proto == AuthProto::kChapMsV2) {
    // RFC 2433 §A.5 / RFC 2759 §8.1 recomputed from the plaintext secret;
    // on success also the "S=" response (RFC 2759 §8.7) and MPPE keys
    // (RFC 3079 §2.4, §3.3).
    if (!MsChapCryptoAvailable()) {
      reason = "MD4/DES unavailable (OpenSSL legacy provider)";
    } else {
      auto v = VerifyMsChapPassword(req, password);
      r.ok = v.ok;
      r.mschap_success = std::move(v.mschap_success);
      r.mppe = v.mppe;
    }
  } else {
    auto expect = ChapMd5Response(req.chap_id, password, req.chap_challenge);
    r.ok =
        SameBytes(req.chap_response.data(), req.chap_response.size(), expect.data(), expect.size());
  }
  if (r.ok) {
    r.message = "authenticated";
    if (ip) {
      r.framed_ip = ip->addr;
      r.framed_ip_width = ip->width;
    }
  } else {
    if (reason.empty()) reason = "wrong password";
    r.message = "authentication failed";
    if (req.proto == AuthProto::kChapMsV1 || req.proto == AuthProto::kChapMsV2) {
      // The same Failure text for every reason (RFC 2759 §6, RFC 2433 §3).
      r.mschap_error = MsChapFailureText(req.proto, req.chap_challenge, "Authentication failed");
    }
    MLOG_PEER_ERROR(limiter_, kAuth, "internal auth of \"{}\" failed: {}", req.user, reason);
  }
  done(std::move(r));
}

}  // namespace mlppp::aaa
