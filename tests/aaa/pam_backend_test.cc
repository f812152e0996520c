// Needs libpam linked into mlppp_aaa; see MLPPPD_HAVE_PAM below.
#ifdef MLPPPD_HAVE_PAM  // defined where mlppp_aaa links pam and crypt
#include "aaa/pam_backend.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;

AuthRequest Pap(std::string user, std::string pw) {
  AuthRequest r;
  r.proto = AuthProto::kPap;
  r.user = std::move(user);
  r.pap_password = std::move(pw);
  return r;
}

// PAM reads services from /etc/pam.d only, so the tests write their own
// service files there (as root) and remove them afterwards.
class PamBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "writing /etc/pam.d needs root";
    if (!fs::is_directory("/etc/pam.d")) GTEST_SKIP() << "no /etc/pam.d";
    prefix_ = "mlpppd-test-" + std::to_string(::getpid()) + "-";
  }
  void TearDown() override {
    for (const auto& s : services_) fs::remove("/etc/pam.d/" + s);
    if (!user_.empty()) {
      std::string cmd = "userdel " + user_ + " >/dev/null 2>&1";
      EXPECT_EQ(std::system(cmd.c_str()), 0);
    }
  }
  std::string Service(const std::string& name, const std::string& body) {
    std::string s = prefix_ + name;
    std::ofstream("/etc/pam.d/" + s) << body;
    services_.push_back(s);
    return s;
  }
  AuthResult Auth(const std::string& service, const AuthRequest& req) {
    PamBackend b(SynchronousRunBlocking(), service);
    AuthResult out;
    int calls = 0;
    b.Authenticate(req, [&](AuthResult r) {
      out = std::move(r);
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return out;
  }

  std::string prefix_;
  std::vector<std::string> services_;
  std::string user_;
};

TEST_F(PamBackendTest, PermitAccepts) {
  auto s = Service("permit", "auth required pam_permit.so\naccount required pam_permit.so\n");
  auto r = Auth(s, Pap("anyone", "pw"));
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.message, "authenticated");
}

TEST_F(PamBackendTest, DenyInAuthOrAccountRejects) {
  auto a = Service("denyauth", "auth required pam_deny.so\naccount required pam_permit.so\n");
  auto r = Auth(a, Pap("anyone", "pw"));
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.undecided);  // PAM_AUTH_ERR is a verdict
  EXPECT_EQ(r.message, "authentication failed");
  auto m = Service("denyacct", "auth required pam_permit.so\naccount required pam_deny.so\n");
  EXPECT_FALSE(Auth(m, Pap("anyone", "pw")).ok);
}

TEST_F(PamBackendTest, PapOnlyAndNulRefused) {
  auto s = Service("permit", "auth required pam_permit.so\naccount required pam_permit.so\n");
  AuthRequest chap;
  chap.proto = AuthProto::kChapMd5;
  chap.user = "anyone";
  auto r = Auth(s, chap);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.undecided);
  EXPECT_EQ(r.message, "PAM: PAP only");
  EXPECT_FALSE(Auth(s, Pap(std::string("any\0one", 7), "pw")).ok);
}

TEST_F(PamBackendTest, ConversationGivesPasswordToPamUnix) {
  if (std::system("command -v useradd >/dev/null && command -v chpasswd >/dev/null") != 0) {
    GTEST_SKIP() << "useradd/chpasswd not available";
  }
  std::string user = "mlpt" + std::to_string(::getpid() % 100000);
  std::string add = "useradd -M -N -s /usr/sbin/nologin " + user + " >/dev/null 2>&1";
  if (std::system(add.c_str()) != 0) GTEST_SKIP() << "useradd failed";
  user_ = user;
  std::string pw = "echo '" + user + ":Corr3ct-horse' | chpasswd";
  ASSERT_EQ(std::system(pw.c_str()), 0);
  // nodelay: no 2 s failure delay in the wrong-password case.
  auto s = Service("unix", "auth required pam_unix.so nodelay\naccount required pam_unix.so\n");
  EXPECT_TRUE(Auth(s, Pap(user, "Corr3ct-horse")).ok);
  auto bad = Auth(s, Pap(user, "wrong"));
  EXPECT_FALSE(bad.ok);
  EXPECT_FALSE(bad.undecided);
  EXPECT_FALSE(Auth(s, Pap(user, "")).ok);
  // An unknown user is not a verdict: the next back end may know the name.
  auto unknown = Auth(s, Pap(user + "x", "Corr3ct-horse"));
  EXPECT_FALSE(unknown.ok);
  EXPECT_TRUE(unknown.undecided);
}

TEST_F(PamBackendTest, DestroyedBackendDropsLateCallback) {
  auto s = Service("permit", "auth required pam_permit.so\naccount required pam_permit.so\n");
  std::deque<std::pair<std::function<void()>, std::function<void()>>> queued;
  RunBlocking deferred = [&](std::function<void()> w, std::function<void()> d) {
    queued.emplace_back(std::move(w), std::move(d));
  };
  int calls = 0;
  {
    PamBackend b(deferred, s);
    b.Authenticate(Pap("anyone", "pw"), [&](AuthResult) { ++calls; });
  }
  ASSERT_EQ(queued.size(), 1u);
  queued[0].first();
  queued[0].second();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace mlppp::aaa
#endif  // MLPPPD_HAVE_PAM
