#include "daemon/session_acct.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utmpx.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "daemon/auth_setup.h"
#include "event/asio_loop.h"
#include "event/fake_loop.h"

namespace mlppp::daemon {
namespace {

using std::chrono::seconds;

// Records every event; the test answers each one when it likes.
class FakeSink : public AcctSink {
 public:
  explicit FakeSink(bool limited = true, std::string name = "fake")
      : limited_(limited), name_(std::move(name)) {}
  void Send(const aaa::AcctEvent& ev, std::function<void(bool, bool)> done) override {
    events.push_back(ev);
    pending.push_back(std::move(done));
    if (auto_reply) Reply(events.size() - 1, auto_ok, auto_drop);
  }
  bool UpdateLimited() const override { return limited_; }
  std::string_view Name() const override { return name_; }

  void Reply(size_t i, bool ok, bool drop_user = false) {
    auto done = std::move(pending.at(i));
    done(ok, drop_user);
  }
  size_t Count(aaa::AcctEvent::Status s) const {
    size_t n = 0;
    for (const auto& e : events) n += e.status == s;
    return n;
  }

  std::vector<aaa::AcctEvent> events;
  std::vector<std::function<void(bool, bool)>> pending;
  bool auto_reply = false;  // answer from inside Send, as ExtAcct may
  bool auto_ok = true;
  bool auto_drop = false;

 private:
  bool limited_;
  std::string name_;
};

aaa::AcctEvent Base() {
  aaa::AcctEvent ev;
  ev.user = "alice";
  ev.session.acct_session_id = "S1";
  ev.session.link = "L1";
  ev.iface = "ppp0";
  ev.framed_ip = 0x0A000002;
  return ev;
}

class SessionAcctTest : public ::testing::Test {
 protected:
  std::unique_ptr<SessionAccounting> Make(SessionAccounting::Settings s,
                                          std::vector<AcctSink*> sinks = {}) {
    if (sinks.empty()) sinks = {&sink_};
    return std::make_unique<SessionAccounting>(
        loop_, sinks, Base(), s, [this] { return counters_; },
        [this](std::string reason) { drops_.push_back(std::move(reason)); });
  }

  event::FakeLoop loop_;
  FakeSink sink_;
  AcctCounters counters_;
  std::vector<std::string> drops_;
};

TEST(EffectiveInterim, RadiusOverridesConfig) {
  EXPECT_EQ(EffectiveInterim(std::nullopt, 300), 300u);
  EXPECT_EQ(EffectiveInterim(60u, 300), 60u);
  EXPECT_EQ(EffectiveInterim(0u, 300), 300u);  // 0 from RADIUS: keep ours
  EXPECT_EQ(EffectiveInterim(std::nullopt, 0), 0u);
}

TEST_F(SessionAcctTest, StartSentOnceToEverySink) {
  FakeSink other(false, "other");
  auto acct = Make({}, {&sink_, &other});
  acct->Start();
  acct->Start();
  ASSERT_EQ(sink_.events.size(), 1u);
  ASSERT_EQ(other.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].status, aaa::AcctEvent::kStart);
  EXPECT_EQ(sink_.events[0].user, "alice");
  EXPECT_EQ(sink_.events[0].session.acct_session_id, "S1");
  EXPECT_EQ(sink_.events[0].framed_ip, 0x0A000002u);
  EXPECT_EQ(acct->stats().starts, 1u);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);  // no interim configured
}

TEST_F(SessionAcctTest, InterimEveryPeriodWithCounters) {
  auto acct = Make({.interim_seconds = 60});
  acct->Start();
  counters_ = {1000, 10, 2000, 20};
  loop_.Advance(seconds(59));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 0u);
  loop_.Advance(seconds(1));
  ASSERT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 1u);
  const auto& u = sink_.events.back();
  EXPECT_EQ(u.session_time, 60u);
  EXPECT_EQ(u.in_octets, 1000u);
  EXPECT_EQ(u.in_packets, 10u);
  EXPECT_EQ(u.out_octets, 2000u);
  EXPECT_EQ(u.out_packets, 20u);
  counters_.in_octets = 5'000'000'000ULL;
  loop_.Advance(seconds(60));
  ASSERT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 2u);
  EXPECT_EQ(sink_.events.back().session_time, 120u);
  EXPECT_EQ(sink_.events.back().in_octets, 5'000'000'000ULL);
  EXPECT_EQ(acct->stats().updates, 2u);
}

TEST_F(SessionAcctTest, UpdateLimitsSuppressLowTraffic) {
  FakeSink ext(/*limited=*/false, "ext");
  auto acct = Make({.interim_seconds = 10, .update_limit_in = 100, .update_limit_out = 100},
                   {&sink_, &ext});
  acct->Start();
  counters_ = {50, 1, 50, 1};  // both below: held back
  loop_.Advance(seconds(10));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 0u);
  EXPECT_EQ(ext.Count(aaa::AcctEvent::kUpdate), 1u);  // ext-acct is not limited (mpd5)
  EXPECT_EQ(acct->stats().updates_suppressed, 1u);
  counters_ = {150, 2, 60, 2};  // in crossed its limit since Start: sent
  loop_.Advance(seconds(10));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 1u);
  counters_ = {200, 3, 100, 3};  // +50 / +40 since the last sent: held back
  loop_.Advance(seconds(10));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 1u);
  counters_ = {200, 3, 160, 4};  // out +100 since the last sent: sent
  loop_.Advance(seconds(10));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 2u);
  EXPECT_EQ(acct->stats().updates_suppressed, 2u);
}

TEST_F(SessionAcctTest, OneLimitAloneNeverSuppresses) {
  // mpd5: the out delta is never below a zero limit, so nothing is held.
  auto acct = Make({.interim_seconds = 10, .update_limit_in = 1000});
  acct->Start();
  loop_.Advance(seconds(10));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 1u);
  EXPECT_EQ(acct->stats().updates_suppressed, 0u);
}

TEST_F(SessionAcctTest, MandatoryStartFailureDrops) {
  auto acct = Make({.acct_mandatory = true});
  acct->Start();
  sink_.Reply(0, false);
  EXPECT_TRUE(drops_.empty());  // through the loop
  loop_.RunPending();
  ASSERT_EQ(drops_.size(), 1u);
  EXPECT_EQ(drops_[0], "accounting start failed");
  EXPECT_EQ(acct->stats().failures, 1u);
}

TEST_F(SessionAcctTest, OptionalStartFailureKeepsSession) {
  auto acct = Make({.interim_seconds = 10, .acct_mandatory = false});
  acct->Start();
  sink_.Reply(0, false);
  loop_.RunPending();
  EXPECT_TRUE(drops_.empty());
  // A failed Interim-Update never drops, mandatory or not.
  loop_.Advance(seconds(10));
  sink_.Reply(1, false);
  loop_.RunPending();
  EXPECT_TRUE(drops_.empty());
}

TEST_F(SessionAcctTest, DropUserDropsOnce) {
  FakeSink other;
  auto acct = Make({.interim_seconds = 10}, {&sink_, &other});
  acct->Start();
  sink_.Reply(0, true, /*drop_user=*/true);
  other.Reply(0, true, /*drop_user=*/true);
  loop_.RunPending();
  ASSERT_EQ(drops_.size(), 1u);
  EXPECT_EQ(drops_[0], "accounting: mpd-drop-user");
}

TEST_F(SessionAcctTest, DropUserAnsweredInsideSend) {
  sink_.auto_reply = true;
  sink_.auto_drop = true;
  auto acct = Make({});
  acct->Start();
  loop_.RunPending();
  ASSERT_EQ(drops_.size(), 1u);
}

TEST_F(SessionAcctTest, DropAfterStopIsIgnored) {
  auto acct = Make({});
  acct->Start();
  acct->Stop("User-Request");
  sink_.Reply(0, false);  // the Start's failure arrives late
  sink_.Reply(1, true, true);
  loop_.RunPending();
  EXPECT_TRUE(drops_.empty());
}

TEST_F(SessionAcctTest, DaemonMayDestroyInsideDrop) {
  std::unique_ptr<SessionAccounting> acct;
  acct = std::make_unique<SessionAccounting>(
      loop_, std::vector<AcctSink*>{&sink_}, Base(),
      SessionAccounting::Settings{.interim_seconds = 5}, [this] { return counters_; },
      [&](std::string reason) {
        drops_.push_back(reason);
        acct->Stop("Admin-Reset");
        acct.reset();
      });
  acct->Start();
  sink_.Reply(0, true, true);
  loop_.RunPending();
  EXPECT_EQ(drops_.size(), 1u);
  EXPECT_EQ(acct, nullptr);
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kStop), 1u);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(SessionAcctTest, StopIdempotentAndStopsTimer) {
  auto acct = Make({.interim_seconds = 30});
  acct->Start();
  EXPECT_EQ(loop_.ActiveTimers(), 1u);
  counters_ = {10, 1, 20, 2};
  loop_.Advance(seconds(45));
  acct->Stop("Idle-Timeout");
  acct->Stop("Lost-Carrier");
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
  ASSERT_EQ(sink_.Count(aaa::AcctEvent::kStop), 1u);
  const auto& s = sink_.events.back();
  EXPECT_EQ(s.status, aaa::AcctEvent::kStop);
  EXPECT_EQ(s.terminate_cause, "Idle-Timeout");
  EXPECT_EQ(s.session_time, 45u);
  EXPECT_EQ(s.out_octets, 20u);
  loop_.Advance(seconds(300));
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kUpdate), 1u);  // only the one at 30 s
  acct->Start();                                        // no restart after Stop
  EXPECT_EQ(sink_.Count(aaa::AcctEvent::kStart), 1u);
  EXPECT_EQ(acct->stats().stops, 1u);
}

TEST_F(SessionAcctTest, StopWithoutStartSendsNothing) {
  auto acct = Make({.interim_seconds = 30});
  acct->Stop("NAS-Request");
  EXPECT_TRUE(sink_.events.empty());
  EXPECT_TRUE(acct->stopped());
}

TEST_F(SessionAcctTest, DestroyedWithPendingReplies) {
  auto acct = Make({.interim_seconds = 10});
  acct->Start();
  loop_.Advance(seconds(10));
  acct->Stop("User-Request");
  acct.reset();
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
  // Late replies for a destroyed session: no crash (ASan), no drop.
  sink_.Reply(0, false);
  sink_.Reply(1, true, true);
  sink_.Reply(2, true, true);
  loop_.RunPending();
  EXPECT_TRUE(drops_.empty());
}

// Shutdown waits for the Stop records: `answered` runs once every sink has
// answered, even when the session object is already gone.
TEST_F(SessionAcctTest, StopAnsweredAfterEverySinkEvenWhenDestroyed) {
  FakeSink second(false, "second");
  auto acct = Make({}, {&sink_, &second});
  acct->Start();
  sink_.Reply(0, true);
  second.Reply(0, true);
  int answered = 0;
  acct->Stop("Admin-Reset", [&] { ++answered; });
  acct.reset();
  sink_.Reply(1, true);
  loop_.RunPending();
  EXPECT_EQ(answered, 0);
  second.Reply(1, false);  // a failed Stop is an answer too
  EXPECT_EQ(answered, 0) << "through the loop, not inside the reply";
  loop_.RunPending();
  EXPECT_EQ(answered, 1);
}

TEST_F(SessionAcctTest, StopAnsweredAtOnceWhenNothingWasSent) {
  int answered = 0;
  auto never_started = Make({});
  never_started->Stop("NAS-Request", [&] { ++answered; });
  auto started = Make({});
  started->Start();
  started->Stop("NAS-Request");
  started->Stop("NAS-Request", [&] { ++answered; });  // already stopped
  EXPECT_EQ(answered, 0);
  loop_.RunPending();
  EXPECT_EQ(answered, 2);
}

TEST_F(SessionAcctTest, DestroyedBetweenDropRequestAndLoop) {
  auto acct = Make({});
  acct->Start();
  sink_.Reply(0, true, true);  // posts the drop
  acct.reset();
  loop_.RunPending();
  EXPECT_TRUE(drops_.empty());
}

// The adapters map their back end's answer onto (ok, drop_user).
TEST(AcctSinkAdapters, ExtAcctScriptReply) {
  // A script answering MPD_DROP_USER:1 (mpd5 ext-acct protocol).
  std::string path = ::testing::TempDir() + "/session_acct_test_script.sh";
  {
    std::ofstream f(path);
    f << "#!/bin/sh\ncat >/dev/null\nprintf 'MPD_DROP_USER:1\\n\\n'\n";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0700), 0);
  aaa::ExtAcct ext(path, aaa::SynchronousRunBlocking());
  ExtAcctSink sink(ext);
  EXPECT_FALSE(sink.UpdateLimited());
  std::vector<std::pair<bool, bool>> got;
  sink.Send(Base(), [&](bool ok, bool drop) { got.emplace_back(ok, drop); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].first);
  EXPECT_TRUE(got[0].second);
  ::unlink(path.c_str());
}

TEST(AcctSinkAdapters, RadiusWithoutAccountingServerFails) {
  event::FakeLoop loop;
  aaa::radius::RadiusClientConfig cfg;
  cfg.servers.push_back({"10.0.0.1", 1812, 0, "s"});  // auth only
  auto client = std::make_unique<aaa::radius::RadiusClient>(
      loop,
      [](const std::string&, uint16_t, aaa::radius::DatagramReceiver)
          -> std::unique_ptr<aaa::radius::DatagramSocket> { return nullptr; },
      [](std::span<uint8_t> out) {
        for (auto& b : out) b = 7;
      },
      cfg);
  aaa::radius::RadiusAccounting acct(std::move(client), {"nas", std::nullopt});
  RadiusAcctSink sink(acct, {{1, 2}}, true);
  EXPECT_TRUE(sink.UpdateLimited());
  std::vector<std::pair<bool, bool>> got;
  sink.Send(Base(), [&](bool ok, bool drop) { got.emplace_back(ok, drop); });
  EXPECT_TRUE(got.empty());  // replies come through the loop
  loop.RunPending();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].first);
  EXPECT_EQ(acct.counters().failed, 1u);
}

// pam-acct and system-acct through their sinks, the back ends run by an
// inline RunBlocking against files in a temporary directory.
class LocalAcctSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp_localacct_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string hook = dir_ + "/hook";
    std::ofstream(hook) << "#!/bin/sh\necho \"$PAM_TYPE $PAM_USER $PAM_TTY\" >> " << dir_
                        << "/pamlog\n";
    ASSERT_EQ(::chmod(hook.c_str(), 0700), 0);
    // Read through pam_start_confdir: nothing is written to /etc/pam.d.
    std::ofstream(dir_ + "/permit") << "session required pam_exec.so quiet " << hook << "\n";
    std::ofstream(dir_ + "/deny") << "session required pam_deny.so\n";
    std::ofstream(dir_ + "/utmp").flush();
    std::ofstream(dir_ + "/wtmp").flush();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::vector<std::pair<bool, bool>> SendAs(AcctSink& sink, aaa::AcctEvent::Status st) {
    aaa::AcctEvent ev = Base();
    ev.status = st;
    std::vector<std::pair<bool, bool>> got;
    sink.Send(ev, [&](bool ok, bool drop) { got.emplace_back(ok, drop); });
    return got;
  }
  // utmp-format records: (type, user, line).
  std::vector<std::tuple<short, std::string, std::string>> Utmp(const std::string& name) {
    std::vector<std::tuple<short, std::string, std::string>> out;
    std::string path = dir_ + "/" + name;
    EXPECT_EQ(::utmpxname(path.c_str()), 0);
    ::setutxent();
    while (utmpx* u = ::getutxent()) {
      out.emplace_back(u->ut_type, std::string(u->ut_user, strnlen(u->ut_user, sizeof u->ut_user)),
                       std::string(u->ut_line, strnlen(u->ut_line, sizeof u->ut_line)));
    }
    ::endutxent();
    return out;
  }
  std::string dir_;
};

using Pair = std::pair<bool, bool>;
using Rec = std::tuple<short, std::string, std::string>;

TEST_F(LocalAcctSinkTest, PamSessionFromStartToStopUpdatesIgnored) {
  aaa::PamAcct pam(aaa::SynchronousRunBlocking(), "permit", dir_);
  PamAcctSink sink(pam);
  EXPECT_FALSE(sink.UpdateLimited());
  EXPECT_EQ(sink.Name(), "pam-acct");
  EXPECT_EQ(SendAs(sink, aaa::AcctEvent::kStart), (std::vector<Pair>{{true, false}}));
  EXPECT_EQ(pam.open_sessions(), 1u);
  EXPECT_EQ(SendAs(sink, aaa::AcctEvent::kUpdate), (std::vector<Pair>{{true, false}}));
  EXPECT_EQ(Read("pamlog"), "open_session alice ppp0\n");  // the update reached no module
  EXPECT_EQ(SendAs(sink, aaa::AcctEvent::kStop), (std::vector<Pair>{{true, false}}));
  EXPECT_EQ(pam.open_sessions(), 0u);
  EXPECT_EQ(Read("pamlog"), "open_session alice ppp0\nclose_session alice ppp0\n");
}

TEST_F(LocalAcctSinkTest, PamDeniedStartClosesAMandatorySession) {
  aaa::PamAcct pam(aaa::SynchronousRunBlocking(), "deny", dir_);
  PamAcctSink sink(pam);
  event::FakeLoop loop;
  std::vector<std::string> drops;
  SessionAccounting acct(
      loop, {&sink}, Base(), SessionAccounting::Settings{}, [] { return AcctCounters{}; },
      [&](std::string reason) { drops.push_back(std::move(reason)); });
  acct.Start();
  loop.RunPending();
  EXPECT_EQ(drops, std::vector<std::string>{"accounting start failed"});
  EXPECT_EQ(acct.stats().failures, 1u);
}

TEST_F(LocalAcctSinkTest, SystemLoginLogoutThroughSessionAccounting) {
  aaa::SystemAcct sys(aaa::SynchronousRunBlocking(), dir_ + "/utmp", dir_ + "/wtmp");
  SystemAcctSink sink(sys);
  EXPECT_FALSE(sink.UpdateLimited());
  EXPECT_EQ(sink.Name(), "system-acct");
  event::FakeLoop loop;
  std::vector<std::string> drops;
  SessionAccounting::Settings st;
  st.interim_seconds = 60;
  SessionAccounting acct(
      loop, {&sink}, Base(), st, [] { return AcctCounters{}; },
      [&](std::string reason) { drops.push_back(std::move(reason)); });
  acct.Start();
  EXPECT_EQ(Utmp("utmp"), (std::vector<Rec>{{USER_PROCESS, "alice", "ppp0"}}));
  loop.Advance(seconds(60));  // an Interim-Update: no record
  EXPECT_EQ(acct.stats().updates, 1u);
  EXPECT_EQ(Utmp("wtmp").size(), 1u);
  acct.Stop("User-Request");
  loop.RunPending();
  EXPECT_EQ(Utmp("utmp"), (std::vector<Rec>{{DEAD_PROCESS, "", "ppp0"}}));
  EXPECT_EQ(Utmp("wtmp"),
            (std::vector<Rec>{{USER_PROCESS, "alice", "ppp0"}, {DEAD_PROCESS, "", "ppp0"}}));
  EXPECT_TRUE(drops.empty());
  EXPECT_EQ(acct.stats().failures, 0u);
}

TEST_F(LocalAcctSinkTest, SystemUnwritableUtmpFails) {
  aaa::SystemAcct sys(aaa::SynchronousRunBlocking(), dir_ + "/none/utmp", dir_ + "/wtmp");
  SystemAcctSink sink(sys);
  EXPECT_EQ(SendAs(sink, aaa::AcctEvent::kStart), (std::vector<Pair>{{false, false}}));
  EXPECT_EQ(SendAs(sink, aaa::AcctEvent::kUpdate), (std::vector<Pair>{{true, false}}));
}

TEST(MakeAcctBackends, PamAndSystemFromTheAuthFlags) {
  event::AsioLoop loop;
  config::LinkConf conf;
  conf.name = "L1";
  EXPECT_TRUE(MakeAcctBackends(loop, conf, aaa::SynchronousRunBlocking()).empty());
  conf.auth.pam_acct = true;  // `set auth enable pam-acct`
  auto b = MakeAcctBackends(loop, conf, aaa::SynchronousRunBlocking());
  ASSERT_NE(b.pam, nullptr);
  EXPECT_EQ(b.pam->service(), "mlpppd");
  EXPECT_EQ(b.system, nullptr);
  EXPECT_FALSE(b.empty());
  conf.auth.pam_acct = false;
  conf.auth.system_acct = true;  // `set auth enable system-acct`
  b = MakeAcctBackends(loop, conf, aaa::SynchronousRunBlocking());
  EXPECT_EQ(b.pam, nullptr);
  EXPECT_NE(b.system, nullptr);
  EXPECT_FALSE(b.empty());
}

}  // namespace
}  // namespace mlppp::daemon
