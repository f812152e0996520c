#include "ppp/auth/auth_base.h"

namespace mlppp::ppp {

AuthenticatorBase::AuthenticatorBase(std::string_view tag, event::Loop& loop, ControlSender send,
                                     aaa::AuthBackend& backend, AuthTiming timing,
                                     std::function<void(AuthOutcome)> done)
    : AuthScaffold(tag, std::move(send), timing),
      backend_(backend),
      loop_(loop),
      done_(std::move(done)),
      overall_timer_(loop.CreateTimer()) {}

AuthenticatorBase::~AuthenticatorBase() { *alive_ = false; }

void AuthenticatorBase::StartOverallTimer(std::string_view what) {
  // mpd5 `set auth timeout`: the whole phase, however many packets come.
  overall_timer_->Start(timing_.overall,
                        [this, message = std::string(tag_) + ": " + std::string(what)] {
                          if (phase_ == Phase::kDone) return;
                          FinishFailed(message);
                        });
}

void AuthenticatorBase::ArmRetry(std::function<void()> resend, std::string_view what) {
  if (!retry_timer_) retry_timer_ = loop_.CreateTimer();
  retry_timer_->Start(timing_.retry, [this, resend = std::move(resend), what = std::string(what)] {
    if (phase_ != Phase::kWaiting) return;
    if (tries_ >= timing_.max_tries) {
      FinishFailed(std::string(tag_) + ": no response to " + std::to_string(tries_) + " " + what);
      return;
    }
    resend();
  });
}

void AuthenticatorBase::StopRetry() {
  if (retry_timer_) retry_timer_->Stop();
}

void AuthenticatorBase::QueryBackend(const aaa::AuthRequest& req,
                                     std::function<void(aaa::AuthResult)> on_result) {
  ++backend_queries_;
  std::weak_ptr<bool> alive = alive_;
  backend_.Authenticate(req, [alive, on_result = std::move(on_result)](aaa::AuthResult result) {
    // The back end may answer after we are gone (the link went down).
    auto a = alive.lock();
    if (!a || !*a) return;
    on_result(std::move(result));
  });
}

void AuthenticatorBase::FinishFailed(std::string message) {
  AuthOutcome out;
  out.message = std::move(message);
  out.peer_name = peer_name_;
  Finish(std::move(out));
}

void AuthenticatorBase::Finish(AuthOutcome outcome) {
  phase_ = Phase::kDone;
  StopRetry();
  overall_timer_->Stop();
  MLOG_INFO(kAuth, "{}: peer \"{}\" {}: {}", tag_, LogName(outcome.peer_name),
            outcome.ok ? "authenticated" : "failed", outcome.message);
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(outcome));
  }
}

// ---------------------------------------------------------------------------

AuthPeerBase::AuthPeerBase(std::string_view tag, event::Loop& loop, ControlSender send,
                           AuthTiming timing,
                           std::function<void(bool ok, std::string message)> done)
    : AuthScaffold(tag, std::move(send), timing),
      timer_(loop.CreateTimer()),
      done_(std::move(done)) {}

void AuthPeerBase::Start() {
  if (started_) return;
  started_ = true;
  timer_->Start(timing_.overall, [this] {
    if (!finished()) Finish(false, std::string(tag_) + ": authentication timeout");
  });
}

void AuthPeerBase::Finish(bool ok, std::string message) {
  timer_->Stop();
  MLOG_INFO(kAuth, "{}: {}: {}", tag_, ok ? "authenticated to peer" : "failed", message);
  if (done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done(ok, std::move(message));
  }
}

}  // namespace mlppp::ppp
