#include "aaa/internal_backend.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "aaa/chap_digest.h"
#include "aaa/mschap.h"
#include "core/log.h"

namespace mlppp::aaa {

InternalBackend::InternalBackend(std::string secrets_path) : path_(std::move(secrets_path)) {}

InternalBackend::InternalBackend(Secrets secrets) : secrets_(std::move(secrets)) {}

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
  AuthResult r;
  // The same outward message for an unknown user and a wrong password, so a
  // Failure packet does not tell which names exist; the log says which.
  std::string_view why;
  const Secrets* secrets = Current();
  const SecretEntry* e = secrets ? secrets->Find(req.user) : nullptr;
  if (!secrets) {
    why = "secrets unavailable";
  } else if (!e) {
    why = "unknown user";
  } else if (e->IsProgram()) {
    why = "password programs not supported yet";
  } else if (req.proto == AuthProto::kPap) {
    r.ok = SameBytes(req.pap_password.data(), req.pap_password.size(), e->password.data(),
                     e->password.size());
  } else if (req.proto == AuthProto::kChapMsV1 || req.proto == AuthProto::kChapMsV2) {
    // RFC 2433 §A.5 / RFC 2759 §8.1 recomputed from the plaintext secret;
    // on success also the "S=" response (RFC 2759 §8.7) and MPPE keys
    // (RFC 3079 §2.4, §3.3).
    if (!MsChapCryptoAvailable()) {
      why = "MD4/DES unavailable (OpenSSL legacy provider)";
    } else {
      auto v = VerifyMsChapPassword(req, e->password);
      r.ok = v.ok;
      r.mschap_success = std::move(v.mschap_success);
      r.mppe = v.mppe;
    }
  } else {
    auto expect = ChapMd5Response(req.chap_id, e->password, req.chap_challenge);
    r.ok =
        SameBytes(req.chap_response.data(), req.chap_response.size(), expect.data(), expect.size());
  }
  if (r.ok) {
    r.message = "authenticated";
    if (e->ip) {
      r.framed_ip = e->ip->addr;
      r.framed_ip_width = e->ip->width;
    }
  } else {
    if (why.empty()) why = "wrong password";
    r.message = "authentication failed";
    if (req.proto == AuthProto::kChapMsV1 || req.proto == AuthProto::kChapMsV2) {
      // The same Failure text for every reason (RFC 2759 §6, RFC 2433 §3).
      r.mschap_error = MsChapFailureText(req.proto, req.chap_challenge, "Authentication failed");
    }
    MLOG_PEER_ERROR(limiter_, kAuth, "internal auth of \"{}\" failed: {}", req.user, why);
  }
  done(std::move(r));
}

}  // namespace mlppp::aaa
