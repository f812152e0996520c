#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "control/web/router.h"
#include "control/web_fake_controller.h"

namespace mlppp::control::web {
namespace {

using json = nlohmann::ordered_json;
using testing::FakeController;
using testing::FakeLogin;
using testing::FakeSessions;
using testing::Get;
using testing::Post;
using testing::WithAuth;

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  return keys;
}

class WebApiTest : public ::testing::Test {
 protected:
  WebApiTest() { controller.snapshot = testing::SampleSnapshot(); }
  json GetJson(std::string path, std::string query = "") {
    HttpResponse r = app.Handle(WithAuth(Get(std::move(path), std::move(query)), testing::kJoeB64));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/json");
    return json::parse(r.body);
  }
  HttpResponse PostAs(std::string path, const char* who = testing::kOpB64) {
    return app.Handle(WithAuth(Post(std::move(path)), who));
  }
  FakeController controller;
  FakeSessions sessions;
  WebApp app{controller, sessions.Factory(), FakeLogin(), /*auth=*/true};
};

TEST_F(WebApiTest, Sessions) {
  json j = GetJson("/api/v1/sessions");
  ASSERT_EQ(j["sessions"].size(), 2u);
  const json& s = j["sessions"][0];
  EXPECT_EQ(Keys(s),
            (std::vector<std::string>{"session_id", "link", "bundle", "iface", "type", "user",
                                      "peer_addr", "ip", "state", "up_seconds", "in_octets",
                                      "out_octets", "in_packets", "out_packets"}));
  EXPECT_EQ(s["session_id"], "sess-1");
  EXPECT_EQ(s["link"], "pppoe-1");
  EXPECT_EQ(s["bundle"], "B-1");
  EXPECT_EQ(s["iface"], "ppp0");
  EXPECT_EQ(s["type"], "pppoe");
  EXPECT_EQ(s["user"], "alice<script>");
  EXPECT_EQ(s["peer_addr"], "52:54:00:12:34:56");
  EXPECT_EQ(s["ip"], "10.0.0.2");
  EXPECT_EQ(s["state"], "up");
  EXPECT_EQ(s["up_seconds"], 118);
  EXPECT_EQ(s["in_octets"], 500);
  EXPECT_EQ(s["in_packets"], 5);
  EXPECT_EQ(s["out_octets"], 700);
  EXPECT_EQ(s["out_packets"], 7);
  EXPECT_EQ(j["sessions"][1]["state"], "down");
  EXPECT_EQ(j["sessions"][1]["type"], "l2tp");
}

TEST_F(WebApiTest, SessionFilters) {
  EXPECT_EQ(GetJson("/api/v1/sessions", "user=bob")["sessions"].size(), 1u);
  EXPECT_EQ(GetJson("/api/v1/sessions", "user=alice%3Cscript%3E")["sessions"][0]["bundle"], "B-1");
  EXPECT_EQ(GetJson("/api/v1/sessions", "iface=ppp1")["sessions"][0]["bundle"], "B-2");
  EXPECT_EQ(GetJson("/api/v1/sessions", "type=pppoe")["sessions"].size(), 1u);
  EXPECT_EQ(GetJson("/api/v1/sessions", "type=pptp")["sessions"].size(), 0u);
  EXPECT_EQ(GetJson("/api/v1/sessions", "type=l2tp&user=alice")["sessions"].size(), 0u);
}

TEST_F(WebApiTest, Links) {
  json j = GetJson("/api/v1/links");
  ASSERT_EQ(j["links"].size(), 4u);
  const json& l = j["links"][0];
  EXPECT_EQ(Keys(l),
            (std::vector<std::string>{
                "name",          "id",          "conf_name",  "type",        "is_template",
                "state",         "phase",       "lcp_state",  "bundle",      "session_id",
                "peer_authname", "auth_method", "device",     "peer_addr",   "self_addr",
                "calling_num",   "called_num",  "mru",        "peer_mru",    "up_seconds",
                "in_octets",     "out_octets",  "in_packets", "out_packets", "bad_frames"}));
  EXPECT_EQ(l["name"], "pppoe-1");
  EXPECT_EQ(l["id"], 0x11);
  EXPECT_EQ(l["conf_name"], "PPPoE");
  EXPECT_EQ(l["is_template"], false);
  EXPECT_EQ(l["phase"], "Network");
  EXPECT_EQ(l["auth_method"], "CHAP-MD5");
  EXPECT_EQ(l["device"], "eth1");
  EXPECT_EQ(l["self_addr"], "52:54:00:aa:bb:cc");
  EXPECT_EQ(l["mru"], 1492);
  EXPECT_EQ(l["up_seconds"], 120);
  EXPECT_EQ(l["in_octets"], 1000);
  EXPECT_EQ(l["out_packets"], 20);
  EXPECT_EQ(l["bad_frames"], 1);
  EXPECT_EQ(j["links"][2]["is_template"], true);
  EXPECT_EQ(j["links"][2]["up_seconds"], -1);
}

TEST_F(WebApiTest, Bundles) {
  json j = GetJson("/api/v1/bundles");
  ASSERT_EQ(j["bundles"].size(), 2u);
  const json& b = j["bundles"][0];
  EXPECT_EQ(Keys(b), (std::vector<std::string>{"name",
                                               "iface",
                                               "up",
                                               "ipcp_state",
                                               "ipv6cp_state",
                                               "ccp_state",
                                               "ecp_state",
                                               "self_ip",
                                               "peer_ip",
                                               "self_ipv6",
                                               "peer_ipv6",
                                               "dns",
                                               "ccp_method_in",
                                               "ccp_method_out",
                                               "ecp_method_in",
                                               "ecp_method_out",
                                               "ccp_resets_sent",
                                               "ccp_resets_received",
                                               "msession_id",
                                               "session_id",
                                               "user",
                                               "links",
                                               "mtu",
                                               "up_seconds",
                                               "session_timeout",
                                               "idle_timeout",
                                               "in_octets",
                                               "out_octets",
                                               "in_packets",
                                               "out_packets",
                                               "dropped"}));
  EXPECT_EQ(b["up"], true);
  EXPECT_EQ(b["dns"], json::array({"192.0.2.53"}));
  EXPECT_EQ(b["links"], json::array({"pppoe-1"}));
  EXPECT_EQ(b["ccp_method_in"], "MPPE 128 bit, stateless");
  EXPECT_EQ(b["msession_id"], "ms-1");
  EXPECT_EQ(b["session_timeout"], 3600);
  EXPECT_EQ(b["dropped"], 2);
}

TEST_F(WebApiTest, Interfaces) {
  json j = GetJson("/api/v1/interfaces");
  ASSERT_EQ(j["interfaces"].size(), 2u);
  const json& i = j["interfaces"][1];
  EXPECT_EQ(Keys(i), (std::vector<std::string>{"name", "bundle", "mtu", "up", "in_octets",
                                               "out_octets", "in_packets", "out_packets"}));
  EXPECT_EQ(i["name"], "ppp1");
  EXPECT_EQ(i["bundle"], "B-2");
  EXPECT_EQ(i["mtu"], 1400);
  EXPECT_EQ(i["up"], false);
  EXPECT_EQ(i["in_octets"], 1);
  EXPECT_EQ(i["in_packets"], 2);
  EXPECT_EQ(i["out_octets"], 3);
  EXPECT_EQ(i["out_packets"], 4);
}

TEST_F(WebApiTest, Counters) {
  json j = GetJson("/api/v1/counters");
  EXPECT_EQ(j["version"], "mlpppd 0.1.0");
  EXPECT_EQ(j["pid"], 4242);
  EXPECT_EQ(j["uptime_seconds"], 3600);
  EXPECT_EQ(j["sessions_up"], 1);
  EXPECT_EQ(j["links"], 3);  // the template is not a link
  EXPECT_EQ(j["setups"], json({{"l2tp", 3}, {"pppoe", 7}}));
  ASSERT_EQ(j["failures"].size(), 2u);
  EXPECT_EQ(j["failures"][0], json({{"type", "l2tp"}, {"cause", "lcp \"timeout\""}, {"count", 1}}));
  EXPECT_EQ(j["auth"]["accepts"], 10);
  EXPECT_EQ(j["auth"]["rejects"], 2);
  const json& lat = j["auth"]["latency_us"];
  EXPECT_EQ(lat["count"], 2);
  EXPECT_EQ(lat["mean"], 51);
  EXPECT_EQ(lat["p50"], 3);
  EXPECT_EQ(lat["p99"], 3);  // rank floor(0.99 * 1) + 1 = 1 of 2
  EXPECT_EQ(lat["max"], 100);
  EXPECT_EQ(j["radius"]["requests"], 12);
  EXPECT_EQ(j["radius"]["timeouts"], 1);
  EXPECT_EQ(j["radius"]["retransmits"], 3);
  EXPECT_EQ(
      j["totals"],
      json({{"in_octets", 501}, {"out_octets", 703}, {"in_packets", 7}, {"out_packets", 11}}));
}

TEST_F(WebApiTest, DisconnectReachesTheController) {
  HttpResponse ok = PostAs("/api/v1/sessions/sess-2/disconnect");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(json::parse(ok.body), json({{"ok", true}}));
  HttpResponse missing = PostAs("/api/v1/sessions/nope/disconnect");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["error"], "no such session: nope");
  EXPECT_EQ(controller.calls, (std::vector<std::string>{"disconnect sess-2", "disconnect nope"}));
}

TEST_F(WebApiTest, OpenCloseReachTheController) {
  EXPECT_EQ(PostAs("/api/v1/links/l2tp-2/close").status, 200);
  EXPECT_EQ(PostAs("/api/v1/links/L\"1/open").status, 200);
  EXPECT_EQ(PostAs("/api/v1/links/ghost/open").status, 404);
  controller.fail_actions = true;
  HttpResponse fail = PostAs("/api/v1/links/l2tp-2/open");
  EXPECT_EQ(fail.status, 409);
  EXPECT_EQ(json::parse(fail.body)["error"], "cannot open");
  EXPECT_EQ(controller.calls, (std::vector<std::string>{"close l2tp-2||link", "open L\"1||link",
                                                        "open l2tp-2||link"}));
}

TEST_F(WebApiTest, WrongMethodsAndUnknownPaths) {
  HttpResponse r = PostAs("/api/v1/sessions");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(app.Handle(WithAuth(Get("/api/v1/links/l2tp-2/close"), testing::kAdminB64)).status,
            405);
  EXPECT_EQ(app.Handle(WithAuth(Get("/api/v1/nope"), testing::kAdminB64)).status, 404);
  EXPECT_EQ(app.Handle(WithAuth(Get("/api/v1"), testing::kAdminB64)).status, 404);
  EXPECT_EQ(PostAs("/api/v1/links/l2tp-2/reboot").status, 404);
  EXPECT_EQ(PostAs("/api/v1/sessions/x/y/disconnect").status, 404);
  EXPECT_TRUE(controller.calls.empty());
}

}  // namespace
}  // namespace mlppp::control::web
