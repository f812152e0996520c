#include <gtest/gtest.h>

#include "control/web/basic_auth.h"
#include "control/web/router.h"
#include "control/web/text_util.h"
#include "control/web_fake_controller.h"

namespace mlppp::control::web {
namespace {

using testing::FakeController;
using testing::FakeLogin;
using testing::FakeSessions;
using testing::Get;
using testing::Post;
using testing::WithAuth;

const std::string* FindHeader(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

TEST(Base64, DecodesPaddedAndRejectsJunk) {
  EXPECT_EQ(Base64Decode("YWRtaW46c2VjcmV0").value(), "admin:secret");
  EXPECT_EQ(Base64Decode("b3A6b3Bwdw==").value(), "op:oppw");
  EXPECT_EQ(Base64Decode("YQ==").value(), "a");
  EXPECT_EQ(Base64Decode("YWI=").value(), "ab");
  EXPECT_EQ(Base64Decode("").value(), "");
  EXPECT_FALSE(Base64Decode("YWI"));  // length not a multiple of 4
  EXPECT_FALSE(Base64Decode("Y===").has_value());
  EXPECT_FALSE(Base64Decode("YW=j"));      // data after padding
  EXPECT_FALSE(Base64Decode("YQ==YQ=="));  // padding in the middle
  EXPECT_FALSE(Base64Decode("YW!j"));
}

TEST(BasicAuth, ParsesSchemeCaseInsensitively) {
  auto c = ParseBasicAuth("basic YWRtaW46c2VjcmV0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "admin");
  EXPECT_EQ(c->password, "secret");
  // A password may itself hold ':' (RFC 7617 §2: the user-id may not).
  auto d = ParseBasicAuth("Basic " + std::string("dTphOmI="));  // u:a:b
  ASSERT_TRUE(d);
  EXPECT_EQ(d->user, "u");
  EXPECT_EQ(d->password, "a:b");
  EXPECT_FALSE(ParseBasicAuth("Bearer YWRtaW46c2VjcmV0"));
  EXPECT_FALSE(ParseBasicAuth("Basic dXNlcg=="));  // "user": no colon
  EXPECT_FALSE(ParseBasicAuth("Basic"));
  EXPECT_FALSE(ParseBasicAuth("Basic " + std::string(5000, 'A')));
}

class WebAuthTest : public ::testing::Test {
 protected:
  FakeController controller;
  FakeSessions sessions;
  WebApp app{controller, sessions.Factory(), FakeLogin(), /*auth=*/true};
};

TEST_F(WebAuthTest, EveryUrlNeedsCredentials) {
  for (const char* path : {"/", "/cmd", "/bincmd", "/json", "/metrics", "/dashboard",
                           "/api/v1/sessions", "/mpd.css", "/nosuch"}) {
    HttpResponse r = app.Handle(Get(path));
    EXPECT_EQ(r.status, 401) << path;
    const std::string* h = FindHeader(r, "WWW-Authenticate");
    ASSERT_NE(h, nullptr) << path;
    EXPECT_EQ(*h, "Basic realm=\"Access Restricted\"");
  }
  EXPECT_TRUE(sessions.made.empty());
}

TEST_F(WebAuthTest, WrongOrMalformedCredentialsAreRefused) {
  EXPECT_EQ(app.Handle(WithAuth(Get("/"), testing::kBadB64)).status, 401);
  EXPECT_EQ(app.Handle(WithAuth(Get("/"), "%%%%")).status, 401);
  HttpRequest bearer = Get("/");
  bearer.headers.emplace_back("authorization", "Bearer abc");
  EXPECT_EQ(app.Handle(bearer).status, 401);
}

TEST_F(WebAuthTest, GoodCredentialsGiveTheUsersPrivilege) {
  controller.snapshot = testing::SampleSnapshot();
  EXPECT_EQ(app.Handle(WithAuth(Get("/"), testing::kJoeB64)).status, 200);
  HttpResponse r = app.Handle(WithAuth(Get("/bincmd", "show%20x"), testing::kOpB64));
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(sessions.made.size(), 1u);
  EXPECT_EQ(sessions.made[0].first, Privilege::kOperator);
  EXPECT_EQ(sessions.made[0].second, "op");
  EXPECT_EQ(r.body, "ran show x as operator\nRESULT: 0 \n");
}

TEST_F(WebAuthTest, PostNeedsOperator) {
  controller.snapshot = testing::SampleSnapshot();
  HttpResponse r = app.Handle(WithAuth(Post("/api/v1/links/pppoe-1/close"), testing::kJoeB64));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("\"error\""), std::string::npos);
  EXPECT_TRUE(controller.calls.empty());
  EXPECT_EQ(app.Handle(WithAuth(Post("/api/v1/links/pppoe-1/close"), testing::kOpB64)).status, 200);
  EXPECT_EQ(app.Handle(WithAuth(Post("/api/v1/links/pppoe-1/open"), testing::kAdminB64)).status,
            200);
  EXPECT_EQ(controller.calls,
            (std::vector<std::string>{"close pppoe-1||link", "open pppoe-1||link"}));
}

TEST_F(WebAuthTest, CrossSiteRequestsChangeNothing) {
  controller.snapshot = testing::SampleSnapshot();
  auto post = [&](std::vector<std::pair<std::string, std::string>> headers) {
    HttpRequest r = WithAuth(Post("/api/v1/links/pppoe-1/close"), testing::kAdminB64);
    r.headers.emplace_back("host", "127.0.0.1:5006");
    for (auto& h : headers) r.headers.push_back(h);
    return app.Handle(r).status;
  };
  // Another site's form or image, by Fetch Metadata or by Origin.
  EXPECT_EQ(post({{"sec-fetch-site", "cross-site"}}), 403);
  EXPECT_EQ(post({{"sec-fetch-site", "same-site"}}), 403);
  EXPECT_EQ(post({{"origin", "http://evil.example"}}), 403);
  EXPECT_EQ(post({{"origin", "null"}}), 403);
  EXPECT_TRUE(controller.calls.empty());
  // The dashboard itself, and scripts without a browser.
  EXPECT_EQ(post({{"sec-fetch-site", "same-origin"}, {"origin", "http://127.0.0.1:5006"}}), 200);
  EXPECT_EQ(post({{"origin", "http://127.0.0.1:5006"}}), 200);
  EXPECT_EQ(post({}), 200);
  // /cmd from another site runs as user: no close.
  HttpRequest cmd = WithAuth(Get("/bincmd", "close"), testing::kAdminB64);
  cmd.headers.emplace_back("sec-fetch-site", "cross-site");
  app.Handle(cmd);
  ASSERT_FALSE(sessions.made.empty());
  EXPECT_EQ(sessions.made.back().first, Privilege::kUser);
}

TEST(WebNoAuth, EveryoneIsPrivilegeUser) {
  FakeController controller;
  controller.snapshot = testing::SampleSnapshot();
  FakeSessions sessions;
  WebApp app(controller, sessions.Factory(), FakeLogin(), /*auth=*/false);
  EXPECT_EQ(app.Handle(Get("/")).status, 200);
  EXPECT_EQ(app.Handle(Get("/api/v1/sessions")).status, 200);
  // Even with an admin's credentials: mpd5 ignores them when auth is off.
  EXPECT_EQ(
      app.Handle(WithAuth(Post("/api/v1/sessions/sess-1/disconnect"), testing::kAdminB64)).status,
      403);
  EXPECT_TRUE(controller.calls.empty());
  app.Handle(Get("/cmd", "show"));
  ASSERT_EQ(sessions.made.size(), 1u);
  EXPECT_EQ(sessions.made[0].first, Privilege::kUser);
  // Turning auth on at run time takes effect on the next request.
  app.SetAuth(true);
  EXPECT_EQ(app.Handle(Get("/")).status, 401);
}

TEST(TextUtil, UrlDecodeAndSplit) {
  EXPECT_EQ(UrlDecode("link%20L1"), "link L1");
  EXPECT_EQ(UrlDecode("a+b%2Bc"), "a b+c");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(UrlEncode("L\"1 x/y"), "L%221%20x%2Fy");
  auto parts = SplitQuery("a&&b&", 10);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "b");
  EXPECT_EQ(SplitQuery("a&b&c", 2).size(), 2u);
  std::string v;
  EXPECT_TRUE(QueryParam("x=1&user=al%20ice", "user", &v));
  EXPECT_EQ(v, "al ice");
  EXPECT_FALSE(QueryParam("x=1", "user", &v));
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

}  // namespace
}  // namespace mlppp::control::web
