// Failed web logins slow an address down (LoginThrottle, WebApp::Handle).
#include <gtest/gtest.h>

#include <chrono>

#include "control/web/login_throttle.h"
#include "control/web/router.h"
#include "control/web_fake_controller.h"
#include "event/fake_loop.h"

namespace mlppp::control::web {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeController;
using testing::FakeLogin;
using testing::FakeSessions;
using testing::Get;
using testing::WithAuth;

const std::string* FindHeader(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return &v;
  return nullptr;
}

TEST(LoginThrottle, WindowDoublesPerFailureUpTo30Seconds) {
  event::FakeLoop loop;
  LoginThrottle t;
  const std::string peer = "192.0.2.1";
  EXPECT_TRUE(t.Allowed(peer, loop.Now()));
  const int expect_s[] = {1, 2, 4, 8, 16, 30, 30};
  for (int want : expect_s) {
    t.Failed(peer, loop.Now());
    event::Duration wait{};
    EXPECT_FALSE(t.Allowed(peer, loop.Now(), &wait));
    EXPECT_EQ(wait, seconds(want));
    loop.Advance(seconds(want) - milliseconds(1));
    EXPECT_FALSE(t.Allowed(peer, loop.Now()));
    loop.Advance(milliseconds(1));
    EXPECT_TRUE(t.Allowed(peer, loop.Now()));
  }
  EXPECT_EQ(t.failures(peer), 7u);
  // Another address is not affected.
  EXPECT_TRUE(t.Allowed("192.0.2.2", loop.Now()));
}

TEST(LoginThrottle, SuccessResetsAndLongQuietForgets) {
  event::FakeLoop loop;
  LoginThrottle t;
  t.Failed("a", loop.Now());
  t.Failed("a", loop.Now());
  EXPECT_EQ(t.failures("a"), 2u);
  t.Succeeded("a");
  EXPECT_EQ(t.failures("a"), 0u);
  EXPECT_EQ(t.size(), 0u);
  t.Failed("a", loop.Now());
  event::Duration wait{};
  EXPECT_FALSE(t.Allowed("a", loop.Now(), &wait));
  EXPECT_EQ(wait, seconds(1));  // back to the first step

  t.Failed("b", loop.Now());
  t.Failed("b", loop.Now());
  loop.Advance(LoginThrottle::kForgetAfter);
  t.Failed("b", loop.Now());
  EXPECT_EQ(t.failures("b"), 1u);
}

TEST(LoginThrottle, AnotherUsersGoodLoginDoesNotClearTheWindow) {
  event::FakeLoop loop;
  LoginThrottle t;
  // Guesses at admin's password, with a good login as viewer in between:
  // the window keeps growing (else each guess would cost only 1 s).
  for (int i = 0; i < 3; ++i) {
    t.Failed("a", loop.Now(), "admin");
    loop.Advance(LoginThrottle::kMaxDelay);
    t.Succeeded("a", "viewer");
  }
  EXPECT_EQ(t.failures("a"), 3u);
  t.Succeeded("a", "admin");  // the right password for the user that failed
  EXPECT_EQ(t.failures("a"), 0u);
}

TEST(LoginThrottle, TableIsBoundedOldestFailureEvicted) {
  event::FakeLoop loop;
  LoginThrottle t(/*max_entries=*/3);
  t.Failed("a", loop.Now());
  t.Failed("b", loop.Now());
  t.Failed("c", loop.Now());
  t.Failed("a", loop.Now());  // a is now the most recent
  t.Failed("d", loop.Now());  // evicts b, the oldest failure
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.failures("b"), 0u);
  EXPECT_TRUE(t.Allowed("b", loop.Now()));
  EXPECT_EQ(t.failures("a"), 2u);
  EXPECT_EQ(t.failures("c"), 1u);
  EXPECT_EQ(t.failures("d"), 1u);

  LoginThrottle big;
  for (int i = 0; i < 5000; ++i) big.Failed("10.0." + std::to_string(i), loop.Now());
  EXPECT_EQ(big.size(), LoginThrottle::kMaxEntries);
}

class WebThrottleTest : public ::testing::Test {
 protected:
  int Status(const char* b64, const std::string& peer = "198.51.100.9") {
    HttpRequest r = WithAuth(Get("/json"), b64);
    r.peer = peer;
    last = app.Handle(r);
    return last.status;
  }

  event::FakeLoop loop;
  FakeController controller;
  FakeSessions sessions;
  int checks = 0;
  WebApp app{controller, sessions.Factory(),
             [this](const std::string& u, const std::string& p) {
               ++checks;
               return FakeLogin()(u, p);
             },
             /*auth=*/true, &loop};
  HttpResponse last;
};

TEST_F(WebThrottleTest, BadLoginsOpenGrowingWindowsWithoutPasswordChecks) {
  EXPECT_EQ(Status(testing::kBadB64), 401);
  EXPECT_EQ(checks, 1);
  // Within the 1 s window: 429, and the password is not even looked at.
  EXPECT_EQ(Status(testing::kBadB64), 429);
  ASSERT_NE(FindHeader(last, "Retry-After"), nullptr);
  EXPECT_EQ(*FindHeader(last, "Retry-After"), "1");
  EXPECT_EQ(checks, 1);
  loop.Advance(seconds(1));
  EXPECT_EQ(Status(testing::kBadB64), 401);  // second failure: 2 s
  EXPECT_EQ(checks, 2);
  loop.Advance(milliseconds(1500));
  EXPECT_EQ(Status(testing::kBadB64), 429);
  EXPECT_EQ(*FindHeader(last, "Retry-After"), "1");  // 0.5 s rounds up
  loop.Advance(milliseconds(500));
  EXPECT_EQ(Status(testing::kBadB64), 401);  // third: 4 s
  EXPECT_EQ(Status(testing::kBadB64), 429);
  EXPECT_EQ(*FindHeader(last, "Retry-After"), "4");
  EXPECT_EQ(app.login_failures(), 3u);
  EXPECT_EQ(app.throttled(), 3u);
  EXPECT_EQ(checks, 3);
  // Other addresses are served meanwhile.
  EXPECT_EQ(Status(testing::kAdminB64, "198.51.100.10"), 200);
}

TEST_F(WebThrottleTest, GoodLoginInWindowIsRefusedUntilItPassesThenResets) {
  EXPECT_EQ(Status(testing::kBadB64), 401);
  loop.Advance(seconds(1));
  EXPECT_EQ(Status(testing::kBadB64), 401);  // window now 2 s
  EXPECT_EQ(Status(testing::kAdminB64), 429);
  EXPECT_TRUE(sessions.made.empty());
  loop.Advance(seconds(2));
  EXPECT_EQ(Status(testing::kAdminB64), 200);
  // The success reset the address: the next failure opens 1 s again.
  EXPECT_EQ(Status(testing::kBadB64), 401);
  EXPECT_EQ(Status(testing::kBadB64), 429);
  EXPECT_EQ(*FindHeader(last, "Retry-After"), "1");
}

TEST_F(WebThrottleTest, RequestsWithoutCredentialsStillGet401) {
  EXPECT_EQ(Status(testing::kBadB64), 401);
  HttpRequest r = Get("/");
  r.peer = "198.51.100.9";
  // No credentials: nothing is guessed, so the browser's prompt still comes.
  EXPECT_EQ(app.Handle(r).status, 401);
  EXPECT_EQ(app.login_failures(), 1u);
}

TEST(WebThrottleNoLoop, WithoutALoopFailuresAreNotSlowed) {
  FakeController controller;
  FakeSessions sessions;
  WebApp app{controller, sessions.Factory(), FakeLogin(), true};
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(app.Handle(WithAuth(Get("/"), testing::kBadB64)).status, 401);
  EXPECT_EQ(app.Handle(WithAuth(Get("/json"), testing::kAdminB64)).status, 200);
}

}  // namespace
}  // namespace mlppp::control::web
