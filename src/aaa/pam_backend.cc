#include "aaa/pam_backend.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <security/pam_appl.h>

#include <cstdlib>
#include <cstring>

namespace mlppp::aaa {

namespace {

struct Credentials {
  std::string user;
  std::string password;
};

// PAM conversation: the password for hidden prompts, the user name for echoed
// ones, nothing for messages. Responses are malloc'ed: PAM frees them.
int Converse(int num_msg, const struct pam_message** msg, struct pam_response** resp,
             void* appdata) {
  if (num_msg <= 0 || num_msg > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
  const auto* cred = static_cast<const Credentials*>(appdata);
  auto* replies =
      static_cast<pam_response*>(std::calloc(static_cast<size_t>(num_msg), sizeof(pam_response)));
  if (!replies) return PAM_BUF_ERR;
  for (int i = 0; i < num_msg; ++i) {
    const char* answer = nullptr;
    switch (msg[i]->msg_style) {
      case PAM_PROMPT_ECHO_OFF:
        answer = cred->password.c_str();
        break;
      case PAM_PROMPT_ECHO_ON:
        answer = cred->user.c_str();
        break;
      case PAM_ERROR_MSG:
      case PAM_TEXT_INFO:
        break;
      default:
        for (int j = 0; j < i; ++j) {
          if (replies[j].resp) {
            OPENSSL_cleanse(replies[j].resp, std::strlen(replies[j].resp));
            std::free(replies[j].resp);
          }
        }
        std::free(replies);
        return PAM_CONV_ERR;
    }
    if (answer) {
      replies[i].resp = ::strdup(answer);
      if (!replies[i].resp) {
        for (int j = 0; j < i; ++j) {
          if (replies[j].resp) {
            OPENSSL_cleanse(replies[j].resp, std::strlen(replies[j].resp));
            std::free(replies[j].resp);
          }
        }
        std::free(replies);
        return PAM_BUF_ERR;
      }
    }
  }
  *resp = replies;
  return PAM_SUCCESS;
}

struct PamOutcome {
  bool ok = false;
  bool undecided = false;
  std::string why;  // pam_strerror text: never contains the password
};

// A verdict about these credentials ends the chain; an unknown user or a
// broken PAM stack lets the next back end try (mpd5 AuthAsync).
bool IsVerdict(int rc) {
  switch (rc) {
    case PAM_AUTH_ERR:
    case PAM_PERM_DENIED:
    case PAM_ACCT_EXPIRED:
    case PAM_NEW_AUTHTOK_REQD:
    case PAM_MAXTRIES:
    case PAM_CRED_INSUFFICIENT:
      return true;
    default:
      return false;
  }
}

PamOutcome RunPam(const std::string& service, Credentials* cred, const SessionContext& ctx) {
  PamOutcome out;
  pam_conv conv{&Converse, cred};
  pam_handle_t* h = nullptr;
  int rc = pam_start(service.c_str(), cred->user.c_str(), &conv, &h);
  if (rc != PAM_SUCCESS) {
    out.why = fmt::format("pam_start: {}", h ? pam_strerror(h, rc) : "failed");
    if (h) pam_end(h, rc);
    out.undecided = true;
    return out;
  }
  // mpd5 sets PAM_RHOST to the peer address and PAM_TTY to the link name,
  // for modules such as pam_access.
  if (!ctx.calling_station.empty()) pam_set_item(h, PAM_RHOST, ctx.calling_station.c_str());
  if (!ctx.link.empty()) pam_set_item(h, PAM_TTY, ctx.link.c_str());
  rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
  if (rc != PAM_SUCCESS) {
    out.why = fmt::format("pam_authenticate: {}", pam_strerror(h, rc));
  } else {
    rc = pam_acct_mgmt(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
    if (rc != PAM_SUCCESS) {
      out.why = fmt::format("pam_acct_mgmt: {}", pam_strerror(h, rc));
    } else {
      out.ok = true;
    }
  }
  out.undecided = !out.ok && !IsVerdict(rc);
  pam_end(h, rc);
  return out;
}

}  // namespace

PamBackend::PamBackend(RunBlocking run, std::string service)
    : run_(std::move(run)), service_(std::move(service)), alive_(std::make_shared<char>()) {}

PamBackend::~PamBackend() = default;

void PamBackend::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  if (req.proto != AuthProto::kPap) {
    AuthResult r;
    r.undecided = true;
    r.message = "PAM: PAP only";
    MLOG_PEER_ERROR(limiter_, kAuth, "pam-auth of \"{}\": {} is not PAP", req.user,
                    AuthProtoName(req.proto));
    done(std::move(r));
    return;
  }
  // PAM takes C strings: an embedded NUL would make PAM check a shorter
  // name than the one the session would carry.
  if (req.user.find('\0') != std::string::npos ||
      req.pap_password.find('\0') != std::string::npos) {
    AuthResult r;
    r.message = "authentication failed";
    MLOG_PEER_ERROR(limiter_, kAuth, "pam-auth: NUL in user name or password");
    done(std::move(r));
    return;
  }
  struct Job {
    std::string service;
    Credentials cred;
    SessionContext ctx;
    PamOutcome outcome;
  };
  auto job = std::make_shared<Job>();
  job->service = service_;
  job->cred = {req.user, req.pap_password};
  job->ctx = req.ctx;
  std::weak_ptr<char> alive = alive_;
  run_(
      [job] {
        job->outcome = RunPam(job->service, &job->cred, job->ctx);
        OPENSSL_cleanse(job->cred.password.data(), job->cred.password.size());
      },
      [this, alive, job, done = std::move(done)] {
        if (alive.expired()) return;
        AuthResult r;
        r.ok = job->outcome.ok;
        r.undecided = job->outcome.undecided;
        if (r.ok) {
          r.message = "authenticated";
        } else {
          r.message = "authentication failed";
          MLOG_PEER_ERROR(limiter_, kAuth, "pam-auth of \"{}\" failed: {}", job->cred.user,
                          job->outcome.why);
        }
        done(std::move(r));
      });
}

}  // namespace mlppp::aaa
