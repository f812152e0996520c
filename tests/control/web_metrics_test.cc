#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "control/web/metrics.h"
#include "control/web/router.h"
#include "control/web_fake_controller.h"

namespace mlppp::control::web {
namespace {

// One sample line parsed by the exposition format's grammar:
// name{label="value",...} value
struct ParsedSample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value;
};

// Parses label values with their escapes (\\, \", \n); fails the test on
// anything else.
bool ParseLine(const std::string& line, ParsedSample* out) {
  size_t i = 0;
  while (i < line.size() && (isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  out->name = line.substr(0, i);
  if (out->name.empty()) return false;
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t eq = line.find('=', i);
      if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return false;
      std::string key = line.substr(i, eq - i);
      std::string value;
      size_t j = eq + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\') {
          if (++j >= line.size()) return false;
          if (line[j] == 'n') {
            value += '\n';
          } else if (line[j] == '\\' || line[j] == '"') {
            value += line[j];
          } else {
            return false;
          }
        } else {
          if (line[j] == '\n') return false;
          value += line[j];
        }
      }
      if (j >= line.size()) return false;
      out->labels[key] = value;
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return false;
    ++i;  // '}'
  }
  if (i >= line.size() || line[i] != ' ') return false;
  out->value = line.substr(i + 1);
  return !out->value.empty() && out->value.find(' ') == std::string::npos;
}

class WebMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    snap = testing::SampleSnapshot();
    snap.links[0].peer_authname = "x";
    // A label value that needs every escape.
    snap.bundles[1].iface = "pp\"p\\1\n";
    Parse(RenderMetrics(snap));
  }
  void Parse(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::string family;
    while (std::getline(in, line)) {
      if (line.starts_with("# HELP ")) {
        family = line.substr(7, line.find(' ', 7) - 7);
        helps.insert(family);
        continue;
      }
      if (line.starts_with("# TYPE ")) {
        std::string rest = line.substr(7);
        std::string name = rest.substr(0, rest.find(' '));
        ASSERT_EQ(name, family) << "TYPE must follow its HELP";
        types[name] = rest.substr(rest.find(' ') + 1);
        continue;
      }
      ParsedSample s;
      ASSERT_TRUE(ParseLine(line, &s)) << line;
      ASSERT_TRUE(s.name.starts_with("mlpppd_")) << line;
      // Every sample belongs to the family announced just before it.
      ASSERT_TRUE(s.name == family || s.name == family + "_bucket" || s.name == family + "_sum" ||
                  s.name == family + "_count")
          << line;
      samples.push_back(s);
    }
  }
  // The value of the one sample with this name and these labels.
  std::string Value(const std::string& name, const std::map<std::string, std::string>& labels) {
    std::string found;
    int n = 0;
    for (const auto& s : samples) {
      if (s.name == name && s.labels == labels) {
        found = s.value;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << name;
    return found;
  }
  Snapshot snap;
  std::set<std::string> helps;
  std::map<std::string, std::string> types;
  std::vector<ParsedSample> samples;
};

TEST_F(WebMetricsTest, FamiliesHaveHelpAndType) {
  std::map<std::string, std::string> want = {
      {"mlpppd_sessions", "gauge"},
      {"mlpppd_links", "gauge"},
      {"mlpppd_session_setups_total", "counter"},
      {"mlpppd_session_failures_total", "counter"},
      {"mlpppd_auth_latency_seconds", "histogram"},
      {"mlpppd_auth_results_total", "counter"},
      {"mlpppd_radius_requests_total", "counter"},
      {"mlpppd_radius_timeouts_total", "counter"},
      {"mlpppd_radius_retransmits_total", "counter"},
      {"mlpppd_interface_octets_total", "counter"},
      {"mlpppd_interface_packets_total", "counter"},
      {"mlpppd_event_loop_lag_seconds", "histogram"},
      {"mlpppd_uptime_seconds", "gauge"},
      {"mlpppd_build_info", "gauge"},
  };
  for (const auto& [name, type] : want) {
    EXPECT_TRUE(helps.contains(name)) << name;
    EXPECT_EQ(types[name], type) << name;
  }
}

TEST_F(WebMetricsTest, ValuesMatchTheSnapshot) {
  EXPECT_EQ(Value("mlpppd_sessions", {{"state", "up"}, {"type", "pppoe"}}), "1");
  EXPECT_EQ(Value("mlpppd_sessions", {{"state", "down"}, {"type", "l2tp"}}), "1");
  EXPECT_EQ(Value("mlpppd_sessions", {{"state", "up"}, {"type", "pptp"}}), "0");
  EXPECT_EQ(Value("mlpppd_links", {{"type", "pppoe"}, {"state", "up"}}), "1");
  EXPECT_EQ(Value("mlpppd_links", {{"type", "pptp"}, {"state", "down"}}), "1");
  // The template is a configuration, not a link.
  EXPECT_EQ(Value("mlpppd_links", {{"type", "pppoe"}, {"state", "down"}}), "0");
  EXPECT_EQ(Value("mlpppd_session_setups_total", {{"type", "pppoe"}}), "7");
  EXPECT_EQ(Value("mlpppd_session_setups_total", {{"type", "pptp"}}), "0");
  EXPECT_EQ(Value("mlpppd_session_failures_total", {{"type", "pppoe"}, {"cause", "auth failed"}}),
            "2");
  EXPECT_EQ(
      Value("mlpppd_session_failures_total", {{"type", "l2tp"}, {"cause", "lcp \"timeout\""}}),
      "1");
  EXPECT_EQ(Value("mlpppd_auth_results_total", {{"result", "accept"}}), "10");
  EXPECT_EQ(Value("mlpppd_auth_results_total", {{"result", "reject"}}), "2");
  EXPECT_EQ(Value("mlpppd_radius_requests_total", {}), "12");
  EXPECT_EQ(Value("mlpppd_radius_timeouts_total", {}), "1");
  EXPECT_EQ(Value("mlpppd_radius_retransmits_total", {}), "3");
  EXPECT_EQ(Value("mlpppd_interface_octets_total", {{"iface", "ppp0"}, {"direction", "in"}}),
            "500");
  EXPECT_EQ(Value("mlpppd_interface_octets_total", {{"iface", "ppp0"}, {"direction", "out"}}),
            "700");
  EXPECT_EQ(Value("mlpppd_interface_packets_total", {{"iface", "ppp0"}, {"direction", "in"}}), "5");
  // Escaped on the way out, read back intact.
  EXPECT_EQ(
      Value("mlpppd_interface_packets_total", {{"iface", "pp\"p\\1\n"}, {"direction", "out"}}),
      "4");
  EXPECT_EQ(Value("mlpppd_uptime_seconds", {}), "3600");
  EXPECT_EQ(Value("mlpppd_build_info", {{"version", "mlpppd 0.1.0"}}), "1");
}

TEST_F(WebMetricsTest, AuthLatencyHistogramIsCumulativeInSeconds) {
  // Samples: 3 µs (bucket [2,4) µs) and 100 µs (bucket [64,128) µs).
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "1e-06"}}), "0");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "2e-06"}}), "0");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "4e-06"}}), "1");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "6.4e-05"}}), "1");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "0.000128"}}), "2");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "16.777216"}}), "2");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_bucket", {{"le", "+Inf"}}), "2");
  EXPECT_EQ(Value("mlpppd_auth_latency_seconds_count", {}), "2");
  // The exact sum of the samples, 3 + 100 µs.
  EXPECT_DOUBLE_EQ(std::stod(Value("mlpppd_auth_latency_seconds_sum", {})), 103e-6);
  // Buckets never decrease.
  double prev = 0;
  int buckets = 0;
  for (const auto& s : samples) {
    if (s.name != "mlpppd_event_loop_lag_seconds_bucket") continue;
    ++buckets;
    double v = std::stod(s.value);
    EXPECT_GE(v, prev);
    prev = v;
  }
  EXPECT_EQ(buckets, static_cast<int>(LatencyHistogram::kBuckets));
  EXPECT_EQ(Value("mlpppd_event_loop_lag_seconds_count", {}), "1");
}

TEST(CumulativeBuckets, RecoversEveryBucket) {
  LatencyHistogram h;
  EXPECT_EQ(CumulativeBuckets(h)[LatencyHistogram::kBuckets - 1], 0u);
  using std::chrono::microseconds;
  for (int i = 0; i < 5; ++i) h.Add(microseconds(0));           // bucket 0
  for (int i = 0; i < 3; ++i) h.Add(microseconds(3));           // bucket 2
  h.Add(microseconds(1000));                                    // bucket 10
  for (int i = 0; i < 7; ++i) h.Add(std::chrono::seconds(60));  // last, open-ended
  auto cum = CumulativeBuckets(h);
  EXPECT_EQ(cum[0], 5u);
  EXPECT_EQ(cum[1], 5u);
  EXPECT_EQ(cum[2], 8u);
  EXPECT_EQ(cum[9], 8u);
  EXPECT_EQ(cum[10], 9u);
  EXPECT_EQ(cum[LatencyHistogram::kBuckets - 2], 9u);
  EXPECT_EQ(cum[LatencyHistogram::kBuckets - 1], 16u);
  // Large counts: the rank arithmetic stays exact.
  LatencyHistogram big;
  for (int i = 0; i < 100000; ++i) big.Add(microseconds(i % 2 ? 5 : 40));
  auto c2 = CumulativeBuckets(big);
  EXPECT_EQ(c2[3], 50000u);
  EXPECT_EQ(c2[6], 100000u);
}

TEST(EscapeLabelValue, EscapesBackslashQuoteNewline) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(WebMetrics, ServedWithTheExpositionContentType) {
  testing::FakeController controller;
  controller.snapshot = testing::SampleSnapshot();
  testing::FakeSessions sessions;
  WebApp app(controller, sessions.Factory(), testing::FakeLogin(), /*auth=*/false);
  HttpResponse r = app.Handle(testing::Get("/metrics"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("mlpppd_uptime_seconds 3600\n"), std::string::npos);
}

}  // namespace
}  // namespace mlppp::control::web
