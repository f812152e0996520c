#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "control/web/assets.h"
#include "control/web/cmd_pages.h"
#include "control/web/router.h"
#include "control/web_fake_controller.h"

namespace mlppp::control::web {
namespace {

using testing::FakeController;
using testing::FakeLogin;
using testing::FakeSessions;
using testing::Get;
using testing::WithAuth;

bool HasHeader(const HttpResponse& r, std::string_view name, std::string_view value) {
  for (const auto& [n, v] : r.headers) {
    if (n == name && v == value) return true;
  }
  return false;
}

class WebPagesTest : public ::testing::Test {
 protected:
  WebPagesTest() { controller.snapshot = testing::SampleSnapshot(); }
  HttpResponse As(std::string path, std::string query = "", const char* who = testing::kAdminB64) {
    return app.Handle(WithAuth(Get(std::move(path), std::move(query)), who));
  }
  FakeController controller;
  FakeSessions sessions;
  WebApp app{controller, sessions.Factory(), FakeLogin(), /*auth=*/true};
};

TEST_F(WebPagesTest, BinCmdRunsEveryCommandInOneSession) {
  HttpResponse r = As("/bincmd", "link%20pppoe-1&close&&fail&show+x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_TRUE(HasHeader(r, "Cache-Control", "no-cache, must-revalidate"));
  EXPECT_TRUE(HasHeader(r, "Pragma", "no-cache"));
  EXPECT_EQ(r.body,
            "RESULT: 0 \n"
            "ran close as admin\nRESULT: 0 \n"
            "Error in 'fail': it failed\nRESULT: -4 it failed\n"
            "ran show x as admin\nRESULT: 0 \n");
  ASSERT_EQ(sessions.made.size(), 1u);  // one session for the whole query
  EXPECT_EQ(sessions.lines, (std::vector<std::string>{"link pppoe-1", "close", "fail", "show x"}));
}

TEST_F(WebPagesTest, CmdShowsPromptCommandAndEscapedOutput) {
  HttpResponse r = As("/cmd", "link%20%3Cx%3E&html");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html");
  EXPECT_NE(r.body.find("<pre>\n[] link &lt;x&gt;\n[&lt;x&gt;] html\n&lt;b&gt;&amp;&quot;x&quot;"
                        "&lt;/b&gt;\n</pre>"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("<b>"), std::string::npos);
  EXPECT_NE(r.body.find("<a href=\"/\">Back</a>"), std::string::npos);
  EXPECT_NE(r.body.find("/mpd.css"), std::string::npos);
}

TEST_F(WebPagesTest, CmdWithoutCommandsSaysSo) {
  HttpResponse r = As("/cmd");
  EXPECT_NE(r.body.find("No command specified!"), std::string::npos);
  EXPECT_TRUE(sessions.lines.empty());
}

TEST_F(WebPagesTest, CommandsAreDecodedAndCapped) {
  auto c = DecodeCommands("set%20a+b&x%00y&%00&&z");
  EXPECT_EQ(c, (std::vector<std::string>{"set a b", "x", "z"}));
  std::string many;
  for (int i = 0; i < 100; ++i) many += "c&";
  EXPECT_EQ(DecodeCommands(many).size(), kMaxWebCommands);
}

TEST_F(WebPagesTest, ExitStopsTheCommandList) {
  HttpResponse r = As("/bincmd", "exit&show");
  EXPECT_EQ(r.body, "RESULT: 0 \n");
}

TEST_F(WebPagesTest, StatusPageListsLinksAndBundlesEscaped) {
  HttpResponse r = As("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html");
  const std::string& b = r.body;
  EXPECT_NE(b.find("<h2>Current status summary</h2>"), std::string::npos);
  EXPECT_NE(b.find("href=\"/dashboard\""), std::string::npos);
  // Cells link to the /cmd that shows the detail, mpd5-style.
  EXPECT_NE(b.find("<a href=\"/cmd?link%20pppoe-1&#38;show%20link\">pppoe-1</a>"),
            std::string::npos);
  EXPECT_NE(b.find("<a href=\"/cmd?bund%20B-1&#38;show%20iface\">ppp0</a>"), std::string::npos);
  EXPECT_NE(b.find("class=\"g\"><a href=\"/cmd?bund%20B-1&#38;show%20ipcp\">Opened</a>"),
            std::string::npos);
  EXPECT_NE(b.find("class=\"y\"><a href=\"/cmd?bund%20B-2&#38;show%20ipcp\">Req-Sent</a>"),
            std::string::npos);
  // Snapshot text is escaped: a peer's name cannot inject markup.
  EXPECT_EQ(b.find("alice<script>"), std::string::npos);
  EXPECT_NE(b.find("alice&lt;script&gt;"), std::string::npos);
  EXPECT_NE(b.find("/cmd?link%20L%221&#38;show%20link\">L&quot;1</a>"), std::string::npos);
  EXPECT_NE(b.find("<td>10.0.0.2</td>"), std::string::npos);
  // Templates are grey; admins get [Open]/[Close].
  EXPECT_NE(b.find("class=\"d\"><a href=\"/cmd?link%20PPPoE&#38;show%20link\">"),
            std::string::npos);
  EXPECT_NE(b.find("<th>State</th>"), std::string::npos);
  EXPECT_NE(b.find("/cmd?link%20pppoe-1&#38;close\">[Close]</a>"), std::string::npos);
  EXPECT_NE(b.find("/cmd?link%20L%221&#38;open\">[Open]</a>"), std::string::npos);
}

TEST_F(WebPagesTest, StatusPageHasNoActionsForPrivilegeUser) {
  HttpResponse r = As("/", "", testing::kJoeB64);
  EXPECT_EQ(r.body.find("<th>State</th>"), std::string::npos);
  EXPECT_EQ(r.body.find("[Close]"), std::string::npos);
}

TEST_F(WebPagesTest, JsonHasMpd5Shape) {
  HttpResponse r = As("/json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain");  // sic, as mpd5
  auto j = nlohmann::ordered_json::parse(r.body);
  ASSERT_TRUE(j.contains("links") && j.contains("bundles") && j.contains("repeaters"));
  // Unbundled links only: the template and the idle static link.
  ASSERT_EQ(j["links"].size(), 2u);
  EXPECT_EQ(j["links"][0]["link"], "PPPoE");
  EXPECT_EQ(j["links"][0]["lcp"], "Initial");
  EXPECT_EQ(j["links"][0]["state"], "DOWN");
  EXPECT_FALSE(j["links"][0].contains("peer_ip"));  // DOWN: no peer
  EXPECT_EQ(j["links"][1]["link"], "L\"1");
  ASSERT_EQ(j["bundles"].size(), 2u);
  const auto& b = j["bundles"][0];
  EXPECT_EQ(b["bundle"], "B-1");
  EXPECT_EQ(b["iface"], "ppp0");
  EXPECT_EQ(b["state"], "Up");
  EXPECT_EQ(b["ipcp"], "Opened");
  EXPECT_EQ(b["ipv6cp"], "Initial");
  EXPECT_EQ(b["ccp"], "Opened");
  EXPECT_EQ(b["ecp"], "Initial");
  ASSERT_EQ(b["links"].size(), 1u);
  const auto& l = b["links"][0];
  EXPECT_EQ(l["link"], "pppoe-1");
  EXPECT_EQ(l["lcp"], "Opened");
  EXPECT_EQ(l["auth"], "alice<script>");
  EXPECT_EQ(l["type"], "pppoe");
  EXPECT_EQ(l["state"], "UP");
  EXPECT_EQ(l["peer_ip"], "52:54:00:12:34:56");
  EXPECT_EQ(l["ipcp_ip"], "10.0.0.2");
  EXPECT_EQ(l["calling_num"], "52:54:00:12:34:56");
  EXPECT_EQ(l["called_num"], "eth1");
  EXPECT_EQ(j["bundles"][1]["state"], "Down");
  // mpd5's key order.
  std::vector<std::string> keys;
  for (auto it = b.begin(); it != b.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"bundle", "iface", "state", "ipcp", "ipv6cp", "ccp",
                                            "ecp", "links"}));
}

TEST_F(WebPagesTest, JsonSurvivesInvalidUtf8) {
  controller.snapshot.bundles[0].user = "\xff\xfe";
  controller.snapshot.links[0].peer_authname = "\xc3";
  HttpResponse r = As("/json");
  EXPECT_EQ(r.status, 200);
  EXPECT_NO_THROW(nlohmann::json::parse(r.body));
}

TEST_F(WebPagesTest, CssDashboardAssetsAnd404) {
  HttpResponse css = As("/mpd.css");
  EXPECT_EQ(css.content_type, "text/css");
  EXPECT_NE(css.body.find("td.g"), std::string::npos);

  HttpResponse dash = As("/dashboard");
  EXPECT_EQ(dash.status, 200);
  EXPECT_EQ(dash.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(dash.body, std::string(*EmbeddedAsset("dashboard.html")));
  HttpResponse html = As("/assets/dashboard.html");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.body, dash.body);

  EXPECT_EQ(As("/assets/nosuch.js").status, 404);
  EXPECT_EQ(As("/assets/../assets.h").status, 404);
  EXPECT_EQ(As("/assets/").status, 404);
  EXPECT_EQ(As("/nosuch").status, 404);
  EXPECT_EQ(As("/cmdx").status, 404);
  EXPECT_EQ(As("/api/v2/sessions").status, 404);
}

TEST(AssetContentType, ByExtension) {
  EXPECT_EQ(AssetContentType("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(AssetContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(AssetContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(AssetContentType("a.png"), "image/png");
  EXPECT_EQ(AssetContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(AssetContentType("js"), "application/octet-stream");
}

}  // namespace
}  // namespace mlppp::control::web
