#ifdef MLPPPD_HAVE_PAM  // defined where mlppp_aaa links pam
#include "aaa/pam_acct.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;

AcctEvent Event(std::string id = "S1") {
  AcctEvent ev;
  ev.user = "alice";
  ev.session.acct_session_id = std::move(id);
  ev.session.link = "L1";
  ev.session.calling_station_id = "00:11:22:33:44:55";
  ev.iface = "ppp7";
  return ev;
}

// Service files live in a temporary directory read through
// pam_start_confdir (Linux-PAM 1.4+), so the tests need neither root nor
// /etc/pam.d. pam_exec logs what each session call saw.
class PamAcctTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp_pamacct_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    log_ = dir_ + "/log";
    std::string hook = dir_ + "/hook";
    std::ofstream(hook)
        << "#!/bin/sh\necho \"$PAM_TYPE $PAM_SERVICE $PAM_USER $PAM_TTY $PAM_RHOST\" >> " << log_
        << "\n";
    ::chmod(hook.c_str(), 0755);
    std::ofstream(dir_ + "/permit") << "session required pam_permit.so\n"
                                    << "session required pam_exec.so quiet " << hook << "\n";
    std::ofstream(dir_ + "/deny") << "session required pam_deny.so\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Log() {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static bool Call(void (PamAcct::*fn)(const AcctEvent&, std::function<void(bool)>), PamAcct& p,
                   const AcctEvent& ev) {
    int calls = 0;
    bool ok = false;
    (p.*fn)(ev, [&](bool r) {
      ok = r;
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return ok;
  }
  std::string dir_;
  std::string log_;
};

TEST_F(PamAcctTest, OpenAtStartCloseAtStopWithRhostAndTty) {
  PamAcct p(SynchronousRunBlocking(), "permit", dir_);
  EXPECT_TRUE(Call(&PamAcct::Start, p, Event()));
  EXPECT_EQ(p.open_sessions(), 1u);
  EXPECT_EQ(Log(), "open_session permit alice ppp7 00:11:22:33:44:55\n");
  EXPECT_TRUE(Call(&PamAcct::Stop, p, Event()));
  EXPECT_EQ(p.open_sessions(), 0u);
  EXPECT_EQ(Log(),
            "open_session permit alice ppp7 00:11:22:33:44:55\n"
            "close_session permit alice ppp7 00:11:22:33:44:55\n");
}

TEST_F(PamAcctTest, PeerAddressPreferredAndLinkNameWithoutIface) {
  PamAcct p(SynchronousRunBlocking(), "permit", dir_);
  auto ev = Event();
  ev.session.peer_addr = "192.0.2.9";
  ev.iface.clear();
  EXPECT_TRUE(Call(&PamAcct::Start, p, ev));
  EXPECT_EQ(Log(), "open_session permit alice L1 192.0.2.9\n");
}

TEST_F(PamAcctTest, DeniedSessionFailsAndKeepsNothing) {
  PamAcct p(SynchronousRunBlocking(), "deny", dir_);
  EXPECT_FALSE(Call(&PamAcct::Start, p, Event()));
  EXPECT_EQ(p.open_sessions(), 0u);
  EXPECT_TRUE(Call(&PamAcct::Stop, p, Event()));  // nothing to close
}

TEST_F(PamAcctTest, MissingServiceFails) {
  PamAcct p(SynchronousRunBlocking(), "no-such-service", dir_);
  EXPECT_FALSE(Call(&PamAcct::Start, p, Event()));
  EXPECT_EQ(p.open_sessions(), 0u);
}

TEST_F(PamAcctTest, SessionsAreKeptApartBySessionId) {
  PamAcct p(SynchronousRunBlocking(), "permit", dir_);
  EXPECT_TRUE(Call(&PamAcct::Start, p, Event("S1")));
  EXPECT_FALSE(Call(&PamAcct::Start, p, Event("S1")));  // already open
  auto bob = Event("S2");
  bob.user = "bob";
  EXPECT_TRUE(Call(&PamAcct::Start, p, bob));
  EXPECT_EQ(p.open_sessions(), 2u);
  EXPECT_TRUE(Call(&PamAcct::Stop, p, bob));
  EXPECT_EQ(p.open_sessions(), 1u);
  EXPECT_NE(Log().find("close_session permit bob"), std::string::npos);
  EXPECT_EQ(Log().find("close_session permit alice"), std::string::npos);
}

TEST_F(PamAcctTest, DestructorClosesOpenSessions) {
  {
    PamAcct p(SynchronousRunBlocking(), "permit", dir_);
    EXPECT_TRUE(Call(&PamAcct::Start, p, Event()));
  }
  EXPECT_NE(Log().find("close_session permit alice"), std::string::npos);
}

TEST_F(PamAcctTest, StopOvertakingStartOpensNothing) {
  std::deque<std::pair<std::function<void()>, std::function<void()>>> q;
  RunBlocking deferred = [&](std::function<void()> work, std::function<void()> done) {
    q.emplace_back(std::move(work), std::move(done));
  };
  PamAcct p(deferred, "permit", dir_);
  int calls = 0;
  p.Start(Event(), [&](bool) { ++calls; });
  p.Stop(Event(), [&](bool ok) {
    EXPECT_TRUE(ok);
    ++calls;
  });
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(calls, 0);  // both wait for the worker
  q[1].first();         // the worker runs Stop's work first
  q[0].first();
  q[1].second();
  q[0].second();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Log(), "");  // no session was opened, none left open
  EXPECT_EQ(p.open_sessions(), 0u);
}

TEST_F(PamAcctTest, AnswersDroppedAfterDestruction) {
  std::deque<std::pair<std::function<void()>, std::function<void()>>> q;
  RunBlocking deferred = [&](std::function<void()> work, std::function<void()> done) {
    q.emplace_back(std::move(work), std::move(done));
  };
  int calls = 0;
  {
    PamAcct p(deferred, "permit", dir_);
    p.Start(Event(), [&](bool) { ++calls; });
  }
  ASSERT_EQ(q.size(), 1u);
  q[0].first();
  q[0].second();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace mlppp::aaa
#endif  // MLPPPD_HAVE_PAM
