#include "aaa/internal_backend.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>

#include "aaa/chap_digest.h"
#include "aaa/mschap.h"

namespace mlppp::aaa {
namespace {

AuthResult Auth(InternalBackend& b, const AuthRequest& req) {
  AuthResult out;
  int calls = 0;
  b.Authenticate(req, [&](AuthResult r) {
    out = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  return out;
}

AuthRequest Pap(std::string user, std::string pw) {
  AuthRequest r;
  r.proto = AuthProto::kPap;
  r.user = std::move(user);
  r.pap_password = std::move(pw);
  return r;
}

AuthRequest Chap(std::string user, std::string_view secret, uint8_t id = 7) {
  AuthRequest r;
  r.proto = AuthProto::kChapMd5;
  r.user = std::move(user);
  r.chap_id = id;
  r.chap_challenge = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  auto resp = ChapMd5Response(id, secret, r.chap_challenge);
  r.chap_response.assign(resp.begin(), resp.end());
  return r;
}

InternalBackend Backend() {
  return InternalBackend(Secrets::Parse(
      "demo \"demo-pass\"\nfixed pw 10.0.0.200\nprog \"!/bin/echo x\"\n", "s", nullptr));
}

TEST(InternalBackend, PapRightAndWrong) {
  auto b = Backend();
  auto ok = Auth(b, Pap("demo", "demo-pass"));
  EXPECT_TRUE(ok.ok);
  EXPECT_FALSE(ok.framed_ip.has_value());
  auto bad = Auth(b, Pap("demo", "demo-pasS"));
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.message, "authentication failed");
  EXPECT_FALSE(Auth(b, Pap("demo", "demo-pass-longer")).ok);
  EXPECT_FALSE(Auth(b, Pap("demo", "")).ok);
  auto unknown = Auth(b, Pap("nobody", "demo-pass"));
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.message, bad.message);  // no user enumeration
  EXPECT_EQ(bad.message.find("demo-pass"), std::string::npos);
}

TEST(InternalBackend, ChapMd5RightAndWrong) {
  auto b = Backend();
  EXPECT_TRUE(Auth(b, Chap("demo", "demo-pass")).ok);
  EXPECT_FALSE(Auth(b, Chap("demo", "wrong")).ok);
  auto req = Chap("demo", "demo-pass");
  req.chap_id = 8;  // response computed for another identifier
  EXPECT_FALSE(Auth(b, req).ok);
  req = Chap("demo", "demo-pass");
  req.chap_response.resize(15);  // truncated
  EXPECT_FALSE(Auth(b, req).ok);
  EXPECT_FALSE(Auth(b, Chap("nobody", "demo-pass")).ok);
}

TEST(InternalBackend, FramedIpFromSecrets) {
  auto b = Backend();
  auto r = Auth(b, Pap("fixed", "pw"));
  ASSERT_TRUE(r.ok);
  ASSERT_TRUE(r.framed_ip.has_value());
  EXPECT_EQ(*r.framed_ip, 0x0A0000C8u);
  EXPECT_EQ(r.framed_ip_width, 32);
}

TEST(InternalBackend, PasswordProgramsFailWithoutAWorker) {
  auto b = Backend();
  EXPECT_FALSE(Auth(b, Pap("prog", "!/bin/echo x")).ok);
  EXPECT_FALSE(Auth(b, Pap("prog", "x prog")).ok);
}

// mpd5 §2.2 "!program" entries, with real scripts in a temporary directory.
class InternalProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp_secret_prog_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // The password is derived from the user name, so a test also sees
    // which name the program got.
    Script("pw", "echo \"pw-of-$1\"\n");
    Script("fail", "echo pw-of-$1\nexit 1\n");
    Script("empty", "exit 0\n");
    Script("hang", "exec sleep 30\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0700);
  }
  // `text` with "@" replaced by the script directory.
  Secrets Parse(std::string text) {
    for (size_t at; (at = text.find('@')) != std::string::npos;) text.replace(at, 1, dir_);
    std::vector<std::string> diags;
    auto secrets = Secrets::Parse(text, "mpd.secret", &diags);
    EXPECT_TRUE(diags.empty()) << diags.front();
    return secrets;
  }
  InternalBackend Make(std::string text, RunBlocking run = SynchronousRunBlocking(),
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return InternalBackend(Parse(std::move(text)), std::move(run), timeout);
  }
  std::string dir_;
};

TEST_F(InternalProgramTest, PapAndChapAgainstTheFetchedPassword) {
  auto b = Make("alice \"!@/pw\"\n");
  EXPECT_TRUE(Auth(b, Pap("alice", "pw-of-alice")).ok);
  EXPECT_FALSE(Auth(b, Pap("alice", "pw-of-bob")).ok);
  EXPECT_TRUE(Auth(b, Chap("alice", "pw-of-alice")).ok);
  EXPECT_FALSE(Auth(b, Chap("alice", "wrong")).ok);
  EXPECT_FALSE(Auth(b, Pap("bob", "pw-of-bob")).ok);  // no entry, no catch-all
}

TEST_F(InternalProgramTest, MsChapV2AgainstTheFetchedPassword) {
  if (!MsChapCryptoAvailable()) GTEST_SKIP() << "no MD4/DES (OpenSSL legacy provider)";
  auto b = Make("alice \"!@/pw\"\n");
  AuthRequest req;
  req.proto = AuthProto::kChapMsV2;
  req.user = "alice";
  std::array<uint8_t, 16> challenge;
  challenge.fill(0x11);
  req.chap_challenge.assign(challenge.begin(), challenge.end());
  MsChapV2Response resp;
  resp.peer_challenge.fill(0x22);
  resp.nt_response = GenerateNTResponse(challenge, resp.peer_challenge, "alice", "pw-of-alice");
  req.chap_response = SerializeMsChapV2Response(resp);
  auto r = Auth(b, req);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.mschap_success.size(), 42u);
  EXPECT_TRUE(r.mppe.has_value());
}

TEST_F(InternalProgramTest, CatchAllRunsTheProgramForAnyUser) {
  auto b = Make("alice literal\n* \"!@/pw\"\n");
  EXPECT_TRUE(Auth(b, Pap("alice", "literal")).ok);  // the user's own entry first
  EXPECT_FALSE(Auth(b, Pap("alice", "pw-of-alice")).ok);
  EXPECT_TRUE(Auth(b, Pap("carol", "pw-of-carol")).ok);
  EXPECT_TRUE(Auth(b, Chap("dave", "pw-of-dave")).ok);
  EXPECT_FALSE(Auth(b, Pap("carol", "pw-of-dave")).ok);
}

TEST_F(InternalProgramTest, AddressRestrictionStillApplies) {
  auto b = Make("alice \"!@/pw\" 10.1.2.0/24\n");
  auto r = Auth(b, Pap("alice", "pw-of-alice"));
  ASSERT_TRUE(r.ok);
  ASSERT_TRUE(r.framed_ip.has_value());
  EXPECT_EQ(*r.framed_ip, 0x0A010200u);
  EXPECT_EQ(r.framed_ip_width, 24);
}

TEST_F(InternalProgramTest, FailingOrSilentProgramRejects) {
  auto b = Make("f \"!@/fail\"\ne \"!@/empty\"\nm \"!@/missing\"\n");
  auto r = Auth(b, Pap("f", "pw-of-f"));  // it printed the password, then failed
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.undecided);  // a reject, as mpd5 AuthInternal's FAIL
  EXPECT_EQ(r.message, "authentication failed");
  EXPECT_FALSE(Auth(b, Pap("e", "")).ok);
  EXPECT_FALSE(Auth(b, Pap("e", "anything")).ok);
  EXPECT_FALSE(Auth(b, Chap("m", "")).ok);
}

TEST_F(InternalProgramTest, HangingProgramIsKilledAndRejects) {
  auto b = Make("h \"!@/hang\"\n", SynchronousRunBlocking(), std::chrono::milliseconds(200));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(Auth(b, Pap("h", "x")).ok);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST_F(InternalProgramTest, RunsThroughTheWorkerAndDropsLateAnswers) {
  std::deque<std::pair<std::function<void()>, std::function<void()>>> queued;
  RunBlocking deferred = [&](std::function<void()> work, std::function<void()> done) {
    queued.emplace_back(std::move(work), std::move(done));
  };
  auto b = std::make_unique<InternalBackend>(Parse("alice \"!@/pw\"\n"), deferred);
  int calls = 0;
  bool ok = false;
  b->Authenticate(Pap("alice", "pw-of-alice"), [&](AuthResult r) {
    ++calls;
    ok = r.ok;
  });
  EXPECT_EQ(calls, 0);  // not before the worker has run the program
  ASSERT_EQ(queued.size(), 1u);
  queued.front().first();
  queued.front().second();
  queued.pop_front();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(ok);
  // Literal passwords still answer at once, without the worker.
  b->Authenticate(Pap("alice", "x"), [&](AuthResult) { ++calls; });
  EXPECT_EQ(calls, 1);  // a program entry: queued
  b->Authenticate(Pap("alice", "pw-of-alice"), [&](AuthResult) { ++calls; });
  ASSERT_EQ(queued.size(), 2u);
  b.reset();  // destroyed while the programs were still to run
  for (auto& [work, done] : queued) {
    work();
    done();
  }
  EXPECT_EQ(calls, 1);
}

TEST(InternalBackend, RereadsTheFileWhenItChanges) {
  auto path = std::filesystem::temp_directory_path() /
              ("mlppp_secret_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::ofstream(path) << "demo one\n";
  InternalBackend b(path.string());
  EXPECT_TRUE(Auth(b, Pap("demo", "one")).ok);
  std::ofstream(path)
      << "demo second\n";  // different size: noticed even within the same mtime tick
  EXPECT_FALSE(Auth(b, Pap("demo", "one")).ok);
  EXPECT_TRUE(Auth(b, Pap("demo", "second")).ok);
  std::filesystem::remove(path);
  auto gone = Auth(b, Pap("demo", "second"));
  EXPECT_FALSE(gone.ok);
  EXPECT_EQ(gone.message, "authentication failed");
}

}  // namespace
}  // namespace mlppp::aaa
