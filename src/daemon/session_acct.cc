#include "daemon/session_acct.h"

#include <chrono>
#include <utility>

namespace mlppp::daemon {

RadiusAcctSink::RadiusAcctSink(aaa::radius::RadiusAccounting& acct,
                               std::vector<std::vector<uint8_t>> classes, bool radius_authenticated)
    : acct_(acct), classes_(std::move(classes)), radius_authenticated_(radius_authenticated) {}

void RadiusAcctSink::Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) {
  acct_.Send(ev, classes_, radius_authenticated_,
             [done = std::move(done)](aaa::radius::AcctOutcome o) { done(o.ok, o.drop_user); });
}

void ExtAcctSink::Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) {
  acct_.Send(ev, [done = std::move(done)](aaa::ExtAcctReply r) { done(r.ok, r.drop_user); });
}

namespace {

// pam-acct and system-acct record a login and a logout; an Interim-Update
// has nothing to record and succeeds at once.
template <class Acct>
void SendStartStop(Acct& acct, const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) {
  auto reply = [done = std::move(done)](bool ok) { done(ok, false); };
  switch (ev.status) {
    case aaa::AcctEvent::kStart:
      acct.Start(ev, std::move(reply));
      return;
    case aaa::AcctEvent::kStop:
      acct.Stop(ev, std::move(reply));
      return;
    case aaa::AcctEvent::kUpdate:
      reply(true);
      return;
  }
}

}  // namespace

void PamAcctSink::Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) {
  SendStartStop(acct_, ev, std::move(done));
}

void SystemAcctSink::Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) {
  SendStartStop(acct_, ev, std::move(done));
}

uint32_t EffectiveInterim(std::optional<uint32_t> radius_interim, uint32_t acct_update) {
  if (radius_interim && *radius_interim > 0) return *radius_interim;
  return acct_update;
}

SessionAccounting::SessionAccounting(event::Loop& loop, std::vector<AcctSink*> sinks,
                                     aaa::AcctEvent base, Settings settings,
                                     std::function<AcctCounters()> counters,
                                     std::function<void(std::string)> drop)
    : loop_(loop),
      sinks_(std::move(sinks)),
      base_(std::move(base)),
      settings_(settings),
      counters_(std::move(counters)),
      drop_(std::move(drop)),
      timer_(loop.CreateTimer()) {}

SessionAccounting::~SessionAccounting() = default;

aaa::AcctEvent SessionAccounting::Event(aaa::AcctEvent::Status status,
                                        const AcctCounters& c) const {
  aaa::AcctEvent ev = base_;
  ev.status = status;
  ev.terminate_cause.clear();
  if (status == aaa::AcctEvent::kStart) {
    ev.session_time = ev.in_octets = ev.in_packets = ev.out_octets = ev.out_packets = 0;
    return ev;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(loop_.Now() - started_at_);
  ev.session_time = elapsed.count() > 0 ? static_cast<uint64_t>(elapsed.count()) : 0;
  ev.in_octets = c.in_octets;
  ev.in_packets = c.in_packets;
  ev.out_octets = c.out_octets;
  ev.out_packets = c.out_packets;
  return ev;
}

void SessionAccounting::SendAll(const aaa::AcctEvent& ev, bool skip_limited,
                                std::function<void()> answered) {
  std::weak_ptr<char> alive = alive_;
  // Counts the replies still due; shared by the sinks' callbacks, which may
  // outlive this object.
  struct Pending {
    size_t left = 0;
    std::function<void()> answered;
  };
  auto pending = std::make_shared<Pending>();
  pending->answered = std::move(answered);
  for (AcctSink* sink : sinks_) {
    if (!(skip_limited && sink->UpdateLimited())) ++pending->left;
  }
  if (pending->left == 0) {
    if (pending->answered) loop_.Post(std::move(pending->answered));
    return;
  }
  for (AcctSink* sink : sinks_) {
    if (skip_limited && sink->UpdateLimited()) continue;
    std::string_view name = sink->Name();
    // `loop` outlives every session; `this` may not.
    sink->Send(ev, [this, loop = &loop_, alive, pending, status = ev.status, name](bool ok,
                                                                                   bool drop_user) {
      if (!alive.expired()) OnReply(status, name, ok, drop_user);
      // The sink may answer inside Send; run `answered` through the loop
      // so the caller never sees it re-entrantly.
      if (--pending->left == 0 && pending->answered) loop->Post(std::move(pending->answered));
    });
  }
}

void SessionAccounting::Start() {
  if (started_ || stopped_) return;
  started_ = true;
  started_at_ = loop_.Now();
  last_update_ = counters_ ? counters_() : AcctCounters{};
  ++stats_.starts;
  MLOG_INFO(kAuth, "[{}] ACCT: Start for \"{}\" ({} sink(s), interim {} s)", base_.session.link,
            base_.user, sinks_.size(), settings_.interim_seconds);
  // Armed before the sends so a reply cannot find it idle; mpd5 starts the
  // timer with the Start, whatever its reply.
  if (settings_.interim_seconds > 0)
    timer_->Start(std::chrono::seconds(settings_.interim_seconds), [this] { OnInterim(); });
  SendAll(Event(aaa::AcctEvent::kStart, {}), false);
}

void SessionAccounting::OnInterim() {
  if (stopped_) return;
  timer_->Start(std::chrono::seconds(settings_.interim_seconds), [this] { OnInterim(); });
  AcctCounters c = counters_ ? counters_() : AcctCounters{};
  // mpd5 radius.c RadiusAccount: with either limit configured, an update
  // is held back when the octets since the last one sent are below BOTH
  // limits. A zero limit is never undercut, so with only one limit set
  // nothing is ever held back — mpd5's behaviour, kept for compatibility.
  const uint64_t lim_in = settings_.update_limit_in, lim_out = settings_.update_limit_out;
  bool suppress = (lim_in > 0 || lim_out > 0) && c.in_octets - last_update_.in_octets < lim_in &&
                  c.out_octets - last_update_.out_octets < lim_out;
  if (suppress) {
    ++stats_.updates_suppressed;
    MLOG_DEBUG(kAuth, "[{}] ACCT: Interim-Update held back (below update-limit-in/out)",
               base_.session.link);
  } else {
    last_update_ = c;
  }
  bool any = false;
  for (AcctSink* s : sinks_) any = any || !(suppress && s->UpdateLimited());
  if (!any) return;
  ++stats_.updates;
  SendAll(Event(aaa::AcctEvent::kUpdate, c), suppress);
}

void SessionAccounting::Stop(std::string terminate_cause, std::function<void()> answered) {
  if (stopped_ || !started_) {
    stopped_ = true;
    timer_->Stop();
    if (answered) loop_.Post(std::move(answered));
    return;
  }
  stopped_ = true;
  timer_->Stop();
  ++stats_.stops;
  aaa::AcctEvent ev = Event(aaa::AcctEvent::kStop, counters_ ? counters_() : AcctCounters{});
  ev.terminate_cause = std::move(terminate_cause);
  MLOG_INFO(kAuth, "[{}] ACCT: Stop for \"{}\" ({}, {} s)", base_.session.link, base_.user,
            ev.terminate_cause.empty() ? "no cause" : ev.terminate_cause, ev.session_time);
  SendAll(ev, false, std::move(answered));
}

void SessionAccounting::OnReply(aaa::AcctEvent::Status status, std::string_view sink, bool ok,
                                bool drop_user) {
  if (!ok) {
    ++stats_.failures;
    MLOG_PEER_ERROR(limiter_, kAuth, "[{}] ACCT: {} {} failed", base_.session.link, sink,
                    aaa::AcctStatusName(status));
  }
  // mpd5 auth.c AuthAccount/AuthAccountFinish: a failed Start with
  // acct-mandatory, or mpd-drop-user on any reply but Stop's, closes the
  // link.
  if (!ok && status == aaa::AcctEvent::kStart && settings_.acct_mandatory) {
    RequestDrop("accounting start failed");
  } else if (ok && drop_user && status != aaa::AcctEvent::kStop) {
    RequestDrop("accounting: mpd-drop-user");
  }
}

void SessionAccounting::RequestDrop(std::string reason) {
  if (drop_requested_ || stopped_ || !drop_) return;
  drop_requested_ = true;
  MLOG_INFO(kAuth, "[{}] ACCT: closing the session: {}", base_.session.link, reason);
  // Through the loop: the daemon may destroy us inside drop, and a sink may
  // have answered from inside our own SendAll.
  std::weak_ptr<char> alive = alive_;
  loop_.Post([this, alive, reason = std::move(reason)] {
    if (alive.expired() || stopped_) return;
    auto drop = drop_;  // a copy: `this` may be destroyed inside the call
    drop(reason);
  });
}

}  // namespace mlppp::daemon
