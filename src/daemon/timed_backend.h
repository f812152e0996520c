// Wraps a link configuration's authentication back end to measure it for
// /metrics and `show summary`: how long each request took from the peer's
// credentials to the verdict, and how many were accepted or rejected.
#pragma once

#include <memory>

#include "aaa/auth_backend.h"
#include "control/status.h"
#include "event/loop.h"

namespace mlppp::daemon {

class TimedBackend : public aaa::AuthBackend {
 public:
  // REQUIRES: inner and counters outlive this object.
  TimedBackend(event::Loop& loop, aaa::AuthBackend& inner, control::DaemonCounters& counters)
      : loop_(loop), inner_(inner), counters_(counters) {}

  void Authenticate(const aaa::AuthRequest& req,
                    std::function<void(aaa::AuthResult)> done) override {
    const event::TimePoint start = loop_.Now();
    inner_.Authenticate(req, [this, start, alive = std::weak_ptr<char>(alive_),
                              done = std::move(done)](aaa::AuthResult r) {
      if (!alive.expired()) {
        counters_.auth_latency.Add(loop_.Now() - start);
        // An EAP challenge is a round trip, not a verdict.
        if (r.ok)
          ++counters_.auth_accepts;
        else if (!r.challenge)
          ++counters_.auth_rejects;
      }
      done(std::move(r));
    });
  }

 private:
  event::Loop& loop_;
  aaa::AuthBackend& inner_;
  control::DaemonCounters& counters_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::daemon
