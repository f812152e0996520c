#include "aaa/auth_chain.h"

#include <gtest/gtest.h>

namespace mlppp::aaa {
namespace {

// Answers with a fixed result, synchronously or when Release() is called.
class FakeBackend : public AuthBackend {
 public:
  explicit FakeBackend(AuthResult r, bool async = false) : result_(std::move(r)), async_(async) {}
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override {
    ++calls;
    last_user = req.user;
    if (async_)
      pending_ = std::move(done);
    else
      done(result_);
  }
  void Release() { pending_(result_); }
  int calls = 0;
  std::string last_user;

 private:
  AuthResult result_;
  bool async_;
  std::function<void(AuthResult)> pending_;
};

AuthResult Ok() {
  AuthResult r;
  r.ok = true;
  r.message = "ok";
  return r;
}
AuthResult Reject() {
  AuthResult r;
  r.message = "bad password";
  return r;
}
AuthResult Undecided() {
  AuthResult r;
  r.undecided = true;
  r.message = "server did not answer";
  return r;
}

TEST(AuthChain, UndecidedFallsThroughDefiniteAnswersStop) {
  FakeBackend internal(Ok());
  AuthChain c;
  auto radius = std::make_unique<FakeBackend>(Undecided());
  FakeBackend* rp = radius.get();
  c.Add("radius-auth", std::move(radius));
  c.Add("internal", internal);
  EXPECT_EQ(c.names(), (std::vector<std::string>{"radius-auth", "internal"}));
  AuthRequest req;
  req.user = "alice";
  std::optional<AuthResult> got;
  c.Authenticate(req, [&](AuthResult r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->ok);
  EXPECT_EQ(rp->calls, 1);
  EXPECT_EQ(internal.calls, 1);
  EXPECT_EQ(internal.last_user, "alice");

  // A definite reject from the first back end is final (mpd5 AuthAsync).
  AuthChain c2;
  FakeBackend rej(Reject()), ok2(Ok());
  c2.Add("radius-auth", rej);
  c2.Add("internal", ok2);
  got.reset();
  c2.Authenticate(req, [&](AuthResult r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok);
  EXPECT_EQ(got->message, "bad password");
  EXPECT_EQ(ok2.calls, 0);
}

TEST(AuthChain, AllUndecidedOrEmptyIsAReject) {
  AuthChain empty;
  std::optional<AuthResult> got;
  empty.Authenticate({}, [&](AuthResult r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok);
  EXPECT_EQ(got->message, "no authentication back end enabled");

  FakeBackend u1(Undecided()), u2(Undecided());
  AuthChain c;
  c.Add("pam-auth", u1);
  c.Add("system-auth", u2);
  got.reset();
  c.Authenticate({}, [&](AuthResult r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok);
  EXPECT_FALSE(got->undecided);
}

TEST(AuthChain, DestroyedChainIsNotCalledBack) {
  FakeBackend slow(Ok(), /*async=*/true);
  bool called = false;
  {
    AuthChain c;
    c.Add("radius-auth", slow);
    c.Authenticate({}, [&](AuthResult) { called = true; });
  }
  slow.Release();
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace mlppp::aaa
