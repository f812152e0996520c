// Needs libcrypt linked into mlppp_aaa; see MLPPPD_HAVE_PAM below.
#ifdef MLPPPD_HAVE_PAM  // defined where mlppp_aaa links pam and crypt
#include "aaa/system_backend.h"

#include <crypt.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;

std::string Hash(const char* prefix, const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn(prefix, 0, nullptr, 0, salt, sizeof(salt)), nullptr);
  crypt_data data{};
  const char* h = crypt_rn(password.c_str(), salt, &data, sizeof(data));
  EXPECT_NE(h, nullptr);
  return h ? h : "";
}

AuthRequest Pap(std::string user, std::string pw) {
  AuthRequest r;
  r.proto = AuthProto::kPap;
  r.user = std::move(user);
  r.pap_password = std::move(pw);
  return r;
}

class SystemBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp-sys-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    sha_ = Hash("$6$", "wonderland");
    yes_ = Hash("$y$", "snow");
    std::ofstream(dir_ + "/shadow") << "root:*:19000:0:99999:7:::\n"
                                    << "alice:" << sha_ << ":19000:0:99999:7:::\n"
                                    << "yuki:" << yes_ << ":19000::::::\n"
                                    << "locked:!" << sha_ << ":19000::::::\n"
                                    << "star:*:19000::::::\n"
                                    << "nopw::19000::::::\n";
    std::ofstream(dir_ + "/passwd") << "alice:x:1000:1000::/home/alice:/bin/sh\n"
                                    << "bob:" << Hash("$6$", "builder") << ":1001:1001::/:/bin/sh\n"
                                    << "carol:x:1002:1002::/:/bin/sh\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  AuthResult Auth(const AuthRequest& req, std::string shadow = "") {
    SystemBackend b(SynchronousRunBlocking(), shadow.empty() ? dir_ + "/shadow" : shadow,
                    dir_ + "/passwd");
    AuthResult out;
    int calls = 0;
    b.Authenticate(req, [&](AuthResult r) {
      out = std::move(r);
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return out;
  }

  std::string dir_, sha_, yes_;
};

TEST_F(SystemBackendTest, Sha512AndYescryptHashes) {
  ASSERT_TRUE(sha_.starts_with("$6$"));
  ASSERT_TRUE(yes_.starts_with("$y$"));
  EXPECT_TRUE(Auth(Pap("alice", "wonderland")).ok);
  EXPECT_TRUE(Auth(Pap("yuki", "snow")).ok);
  auto bad = Auth(Pap("alice", "Wonderland"));
  EXPECT_FALSE(bad.ok);
  EXPECT_FALSE(bad.undecided);
  EXPECT_EQ(bad.message, "authentication failed");
  EXPECT_FALSE(Auth(Pap("alice", "")).ok);
  EXPECT_FALSE(Auth(Pap("alice", std::string("wonderland\0x", 12))).ok);
}

TEST_F(SystemBackendTest, LockedAndEmptyHashesFail) {
  EXPECT_FALSE(Auth(Pap("locked", "wonderland")).ok);
  EXPECT_FALSE(Auth(Pap("star", "")).ok);
  EXPECT_FALSE(Auth(Pap("star", "*")).ok);
  EXPECT_FALSE(Auth(Pap("nopw", "")).ok);
  EXPECT_FALSE(Auth(Pap("root", "*")).ok);
}

TEST_F(SystemBackendTest, PasswdFallbackAndUnknownUsers) {
  // bob has no shadow line: his passwd hash counts.
  EXPECT_TRUE(Auth(Pap("bob", "builder")).ok);
  EXPECT_FALSE(Auth(Pap("bob", "fixer")).ok);
  // carol's hash is "x" with no shadow line; dave is nowhere.
  auto carol = Auth(Pap("carol", "x"));
  EXPECT_FALSE(carol.ok);
  EXPECT_TRUE(carol.undecided);
  auto dave = Auth(Pap("dave", "pw"));
  EXPECT_FALSE(dave.ok);
  EXPECT_TRUE(dave.undecided);
  EXPECT_EQ(dave.message, "authentication failed");
  // No shadow file at all: passwd alone.
  EXPECT_TRUE(Auth(Pap("bob", "builder"), dir_ + "/missing").ok);
  // A name that would split a line is refused.
  EXPECT_FALSE(Auth(Pap("alice:x", "wonderland")).ok);
  EXPECT_FALSE(Auth(Pap("", "")).ok);
}

TEST_F(SystemBackendTest, PapOnly) {
  AuthRequest chap;
  chap.proto = AuthProto::kChapMd5;
  chap.user = "alice";
  auto r = Auth(chap);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.undecided);
  EXPECT_EQ(r.message, "system: PAP only");
}

TEST_F(SystemBackendTest, LookUpHashAndCheck) {
  EXPECT_EQ(LookUpHash(dir_ + "/shadow", "alice"), sha_);
  EXPECT_EQ(LookUpHash(dir_ + "/shadow", "nopw"), "");
  EXPECT_FALSE(LookUpHash(dir_ + "/shadow", "alic").has_value());
  EXPECT_FALSE(LookUpHash(dir_ + "/nope", "alice").has_value());
  EXPECT_TRUE(CheckCryptHash("wonderland", sha_));
  EXPECT_FALSE(CheckCryptHash("wonderland", sha_.substr(0, sha_.size() - 1)));
  EXPECT_FALSE(CheckCryptHash("wonderland", "!" + sha_));
  EXPECT_FALSE(CheckCryptHash("", ""));
}

TEST_F(SystemBackendTest, DestroyedBackendDropsLateCallback) {
  std::deque<std::pair<std::function<void()>, std::function<void()>>> queued;
  RunBlocking deferred = [&](std::function<void()> w, std::function<void()> d) {
    queued.emplace_back(std::move(w), std::move(d));
  };
  int calls = 0;
  {
    SystemBackend b(deferred, dir_ + "/shadow", dir_ + "/passwd");
    b.Authenticate(Pap("alice", "wonderland"), [&](AuthResult) { ++calls; });
  }
  ASSERT_EQ(queued.size(), 1u);
  queued[0].first();
  queued[0].second();
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace mlppp::aaa
#endif  // MLPPPD_HAVE_PAM
