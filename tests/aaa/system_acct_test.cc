#include "aaa/system_acct.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <utmpx.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;

AcctEvent Event() {
  AcctEvent ev;
  ev.user = "alice";
  ev.session.acct_session_id = "S1";
  ev.session.link = "L1";
  ev.session.nas_port = 0x2a;
  ev.session.calling_station_id = "00:11:22:33:44:55";
  ev.iface = "ppp7";
  ev.framed_ip = 0x0A000002;
  return ev;
}

std::string Field(const char* f, size_t n) { return std::string(f, strnlen(f, n)); }
#define FIELD(ut, name) Field((ut).name, sizeof((ut).name))

// Reads every record of a utmp-format file. Single-threaded test code: no
// SystemAcct job runs meanwhile (see g_utmp_mutex in system_acct.cc).
std::vector<utmpx> Records(const std::string& path) {
  std::vector<utmpx> out;
  EXPECT_EQ(::utmpxname(path.c_str()), 0);
  ::setutxent();
  while (utmpx* u = ::getutxent()) out.push_back(*u);
  ::endutxent();
  return out;
}

class SystemAcctTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp_sysacct_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    utmp_ = dir_ + "/utmp";
    wtmp_ = dir_ + "/wtmp";
    std::ofstream(utmp_).flush();
    std::ofstream(wtmp_).flush();
  }
  void TearDown() override { fs::remove_all(dir_); }
  static bool Call(void (SystemAcct::*fn)(const AcctEvent&, std::function<void(bool)>),
                   SystemAcct& s, const AcctEvent& ev) {
    int calls = 0;
    bool ok = false;
    (s.*fn)(ev, [&](bool r) {
      ok = r;
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return ok;
  }
  std::string dir_, utmp_, wtmp_;
};

TEST(SystemAcctRecord, Fields) {
  utmpx ut = SystemAcctRecord(Event());
  EXPECT_EQ(ut.ut_type, USER_PROCESS);
  EXPECT_EQ(FIELD(ut, ut_line), "ppp7");
  EXPECT_EQ(FIELD(ut, ut_id), "002a");
  EXPECT_EQ(FIELD(ut, ut_user), "alice");
  EXPECT_EQ(FIELD(ut, ut_host), "00:11:22:33:44:55");
  const uint8_t want[4] = {10, 0, 0, 2};
  EXPECT_EQ(std::memcmp(ut.ut_addr_v6, want, 4), 0);

  auto ev = Event();
  ev.session.peer_addr = "192.0.2.1";  // preferred to the calling station
  ev.session.nas_port = 0;             // no link number: the line's tail
  ev.iface.clear();                    // no interface: the link name
  ev.session.link = "pppoe-link-17";
  ev.user = std::string(40, 'u');  // longer than ut_user: cut, not overflowed
  ut = SystemAcctRecord(ev);
  EXPECT_EQ(FIELD(ut, ut_host), "192.0.2.1");
  EXPECT_EQ(FIELD(ut, ut_line), "pppoe-link-17");
  EXPECT_EQ(FIELD(ut, ut_id), "k-17");
  EXPECT_EQ(FIELD(ut, ut_user), std::string(sizeof ut.ut_user, 'u'));
}

TEST_F(SystemAcctTest, LoginThenLogout) {
  SystemAcct s(SynchronousRunBlocking(), utmp_, wtmp_);
  ASSERT_TRUE(Call(&SystemAcct::Start, s, Event()));
  auto u = Records(utmp_);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].ut_type, USER_PROCESS);
  EXPECT_EQ(FIELD(u[0], ut_user), "alice");
  EXPECT_EQ(FIELD(u[0], ut_line), "ppp7");
  EXPECT_EQ(FIELD(u[0], ut_host), "00:11:22:33:44:55");
  EXPECT_EQ(u[0].ut_pid, ::getpid());
  EXPECT_GT(u[0].ut_tv.tv_sec, 0);

  // Another session on another line is a second record.
  auto other = Event();
  other.session.nas_port = 0x2b;
  other.iface = "ppp8";
  other.user = "bob";
  ASSERT_TRUE(Call(&SystemAcct::Start, s, other));
  EXPECT_EQ(Records(utmp_).size(), 2u);

  ASSERT_TRUE(Call(&SystemAcct::Stop, s, Event()));
  u = Records(utmp_);
  ASSERT_EQ(u.size(), 2u);  // the record is reused, not appended
  EXPECT_EQ(u[0].ut_type, DEAD_PROCESS);
  EXPECT_EQ(FIELD(u[0], ut_line), "ppp7");
  EXPECT_EQ(FIELD(u[0], ut_user), "");
  EXPECT_EQ(u[1].ut_type, USER_PROCESS);  // bob still logged in
  EXPECT_EQ(FIELD(u[1], ut_user), "bob");

  auto w = Records(wtmp_);
  ASSERT_EQ(w.size(), 3u);  // alice in, bob in, alice out
  EXPECT_EQ(w[0].ut_type, USER_PROCESS);
  EXPECT_EQ(FIELD(w[0], ut_user), "alice");
  EXPECT_EQ(FIELD(w[0], ut_line), "ppp7");
  EXPECT_EQ(w[2].ut_type, DEAD_PROCESS);
  EXPECT_EQ(FIELD(w[2], ut_line), "ppp7");
  EXPECT_EQ(FIELD(w[2], ut_user), "");
}

TEST_F(SystemAcctTest, StopWithoutStartLeavesUtmpAlone) {
  SystemAcct s(SynchronousRunBlocking(), utmp_, wtmp_);
  EXPECT_TRUE(Call(&SystemAcct::Stop, s, Event()));
  EXPECT_TRUE(Records(utmp_).empty());
  EXPECT_EQ(Records(wtmp_).size(), 1u);  // the logout is still logged
}

TEST_F(SystemAcctTest, UnwritableFilesFail) {
  SystemAcct no_utmp(SynchronousRunBlocking(), dir_ + "/missing/utmp", wtmp_);
  EXPECT_FALSE(Call(&SystemAcct::Start, no_utmp, Event()));
  SystemAcct no_wtmp(SynchronousRunBlocking(), utmp_, dir_ + "/missing-wtmp");
  EXPECT_FALSE(Call(&SystemAcct::Start, no_wtmp, Event()));
  EXPECT_EQ(Records(utmp_).size(), 1u);  // utmp itself was written
}

TEST_F(SystemAcctTest, AnswersDroppedAfterDestruction) {
  std::vector<std::pair<std::function<void()>, std::function<void()>>> q;
  RunBlocking deferred = [&](std::function<void()> work, std::function<void()> done) {
    q.emplace_back(std::move(work), std::move(done));
  };
  int calls = 0;
  {
    SystemAcct s(deferred, utmp_, wtmp_);
    s.Start(Event(), [&](bool) { ++calls; });
    EXPECT_EQ(calls, 0);
  }
  ASSERT_EQ(q.size(), 1u);
  q[0].first();
  q[0].second();
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(Records(utmp_).size(), 1u);  // the work itself still ran
}

}  // namespace
}  // namespace mlppp::aaa
