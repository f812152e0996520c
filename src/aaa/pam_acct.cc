#include "aaa/pam_acct.h"

#include <fmt/format.h>
#include <security/pam_appl.h>

#include <filesystem>
#include <mutex>

namespace mlppp::aaa {

// Shared by the loop thread (map) and the workers running Start and Stop,
// which the pool may run in either order or at once: `mu` orders them and
// `stopped` tells a late Start not to open anything.
struct PamAcct::Session {
  std::mutex mu;
  pam_handle_t* handle = nullptr;  // open session; guarded by mu
  bool stopped = false;            // guarded by mu
  std::string key;
  std::string user;
  std::string rhost;
  std::string tty;
};

namespace {

// Session modules have no business prompting; messages are ignored.
int Converse(int num_msg, const struct pam_message** msg, struct pam_response** resp, void*) {
  if (num_msg <= 0 || num_msg > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
  for (int i = 0; i < num_msg; ++i) {
    if (msg[i]->msg_style != PAM_ERROR_MSG && msg[i]->msg_style != PAM_TEXT_INFO)
      return PAM_CONV_ERR;
  }
  *resp = nullptr;
  return PAM_SUCCESS;
}

// The session key: Acct-Session-Id, unique per session (mpd5 AuthStart).
std::string KeyOf(const AcctEvent& ev) {
  return ev.session.acct_session_id.empty() ? "link:" + ev.session.link
                                            : ev.session.acct_session_id;
}

// Runs with s.mu held. Empty string: opened.
std::string OpenSession(const std::string& service, const std::string& confdir,
                        PamAcct::Session& s) {
  static const pam_conv kConv{&Converse, nullptr};
  // Linux-PAM 1.5.2 leaks its handle when pam_start finds no service file
  // (nor "other"); in a directory of our own choosing, look first.
  if (!confdir.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(confdir + "/" + service, ec) &&
        !std::filesystem::exists(confdir + "/other", ec))
      return fmt::format("pam_start: no service \"{}\" in {}", service, confdir);
  }
  pam_handle_t* h = nullptr;
  int rc = pam_start_confdir(service.c_str(), s.user.c_str(), &kConv,
                             confdir.empty() ? nullptr : confdir.c_str(), &h);
  if (rc != PAM_SUCCESS) {
    std::string why = fmt::format("pam_start: {}", h ? pam_strerror(h, rc) : "failed");
    if (h) pam_end(h, rc);
    return why;
  }
  if (!s.rhost.empty()) rc = pam_set_item(h, PAM_RHOST, s.rhost.c_str());
  if (rc == PAM_SUCCESS && !s.tty.empty()) rc = pam_set_item(h, PAM_TTY, s.tty.c_str());
  if (rc != PAM_SUCCESS) {
    std::string why = fmt::format("pam_set_item: {}", pam_strerror(h, rc));
    pam_end(h, rc);
    return why;
  }
  rc = pam_open_session(h, PAM_SILENT);
  if (rc != PAM_SUCCESS) {
    std::string why = fmt::format("pam_open_session: {}", pam_strerror(h, rc));
    pam_end(h, rc);
    return why;
  }
  s.handle = h;
  return {};
}

// Runs with s.mu held. Empty string: closed (or nothing was open).
std::string CloseSession(PamAcct::Session& s) {
  s.stopped = true;
  if (!s.handle) return {};
  int rc = pam_close_session(s.handle, PAM_SILENT);
  std::string why;
  if (rc != PAM_SUCCESS) why = fmt::format("pam_close_session: {}", pam_strerror(s.handle, rc));
  pam_end(s.handle, rc);
  s.handle = nullptr;
  return why;
}

}  // namespace

PamAcct::PamAcct(RunBlocking run, std::string service, std::string confdir)
    : run_(std::move(run)), service_(std::move(service)), confdir_(std::move(confdir)) {}

PamAcct::~PamAcct() {
  for (auto& [key, s] : sessions_) {
    std::lock_guard lock(s->mu);
    CloseSession(*s);
  }
}

void PamAcct::Start(const AcctEvent& ev, std::function<void(bool)> done) {
  std::string key = KeyOf(ev);
  if (ev.user.find('\0') != std::string::npos) {
    MLOG_PEER_ERROR(limiter_, kAuth, "[{}] pam-acct: NUL in user name", ev.session.link);
    done(false);
    return;
  }
  if (sessions_.count(key)) {
    MLOG_ERROR(kAuth, "[{}] pam-acct: session {} is already open", ev.session.link, key);
    done(false);
    return;
  }
  auto s = std::make_shared<Session>();
  s->key = key;
  s->user = ev.user;
  s->rhost = !ev.session.peer_addr.empty() ? ev.session.peer_addr : ev.session.calling_station_id;
  s->tty = !ev.iface.empty() ? ev.iface : ev.session.link;
  sessions_.emplace(key, s);
  MLOG_INFO(kAuth, "[{}] ACCT: PAM open session \"{}\" ({})", ev.session.link, ev.user, service_);
  auto why = std::make_shared<std::string>();
  std::weak_ptr<char> alive = alive_;
  run_(
      [s, why, service = service_, confdir = confdir_] {
        std::lock_guard lock(s->mu);
        if (s->stopped) return;  // Stop came first: open nothing that no one closes
        *why = OpenSession(service, confdir, *s);
      },
      [this, alive, s, why, link = ev.session.link, done = std::move(done)] {
        if (alive.expired()) return;
        if (!why->empty()) {
          MLOG_PEER_ERROR(limiter_, kAuth, "[{}] pam-acct: \"{}\": {}", link, s->user, *why);
          auto it = sessions_.find(s->key);
          if (it != sessions_.end() && it->second == s) sessions_.erase(it);
        }
        done(why->empty());
      });
}

void PamAcct::Stop(const AcctEvent& ev, std::function<void(bool)> done) {
  auto it = sessions_.find(KeyOf(ev));
  if (it == sessions_.end()) {
    MLOG_DEBUG(kAuth, "[{}] pam-acct: no open session to close", ev.session.link);
    done(true);
    return;
  }
  std::shared_ptr<Session> s = std::move(it->second);
  sessions_.erase(it);
  MLOG_INFO(kAuth, "[{}] ACCT: PAM close session \"{}\"", ev.session.link, s->user);
  auto why = std::make_shared<std::string>();
  std::weak_ptr<char> alive = alive_;
  run_(
      [s, why] {
        std::lock_guard lock(s->mu);
        *why = CloseSession(*s);
      },
      [this, alive, s, why, link = ev.session.link, done = std::move(done)] {
        if (alive.expired()) return;
        if (!why->empty())
          MLOG_PEER_ERROR(limiter_, kAuth, "[{}] pam-acct: \"{}\": {}", link, s->user, *why);
        done(why->empty());
      });
}

}  // namespace mlppp::aaa
