// Feeds arbitrary HTTP requests (method, path, raw query, headers, body,
// auth on or off, with or without good credentials) to the web interface's
// WebApp against a fake daemon with live sessions: every page, the /cmd
// decoder, Basic auth parsing, the JSON API and /metrics must answer
// without crashing and produce valid JSON where they promise it.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "../tests/control/web_fake_controller.h"
#include "control/web/router.h"
#include "event/fake_loop.h"

namespace {

using namespace mlppp::control;
using namespace mlppp::control::web;

// Paths worth reaching often; the fuzzer's own strings reach the rest.
constexpr const char* kPaths[] = {"/",
                                  "/cmd",
                                  "/bincmd",
                                  "/json",
                                  "/metrics",
                                  "/mpd.css",
                                  "/dashboard",
                                  "/assets/dashboard.js",
                                  "/api/v1/sessions",
                                  "/api/v1/links",
                                  "/api/v1/bundles",
                                  "/api/v1/interfaces",
                                  "/api/v1/counters",
                                  "/api/v1/sessions/sess-1/disconnect",
                                  "/api/v1/links/pppoe-1/open",
                                  "/api/v1/links/l2tp-2/close"};
constexpr const char* kMethods[] = {"GET", "POST", "HEAD", "PUT", "DELETE"};
constexpr const char* kCreds[] = {"YWRtaW46c2VjcmV0", "b3A6b3Bwdw==", "am9lOmpvZXB3"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  web::testing::FakeController controller;
  controller.snapshot = web::testing::SampleSnapshot();
  // Hostile snapshot text too: a peer chooses its auth name.
  controller.snapshot.bundles[0].user = in.ConsumeRandomLengthString(64);
  controller.snapshot.links[0].peer_authname = controller.snapshot.bundles[0].user;
  web::testing::FakeSessions sessions;
  const bool auth = in.ConsumeBool();
  // A loop for the failed-login back-off: the request is sent twice, some
  // fuzzed time apart, so the throttle's windows are exercised too.
  mlppp::event::FakeLoop loop;
  WebApp app(controller, sessions.Factory(), web::testing::FakeLogin(), auth, &loop);
  const auto gap = std::chrono::milliseconds(in.ConsumeIntegralInRange(0, 40000));

  HttpRequest req;
  req.method = in.ConsumeBool() ? std::string(in.PickValueInArray(kMethods))
                                : in.ConsumeRandomLengthString(16);
  req.path = in.ConsumeBool() ? std::string(in.PickValueInArray(kPaths))
                              : in.ConsumeRandomLengthString(128);
  req.query = in.ConsumeRandomLengthString(512);
  req.peer = "192.0.2.1";
  if (in.ConsumeBool()) {
    req.headers.emplace_back("authorization", std::string("Basic ") + in.PickValueInArray(kCreds));
  }
  int n = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < n; ++i) {
    std::string name = in.ConsumeRandomLengthString(32);
    req.headers.emplace_back(std::move(name), in.ConsumeRandomLengthString(256));
  }
  req.body = in.ConsumeRemainingBytesAsString();

  if (app.Handle(req).status == 401 && req.Header("authorization") && auth) {
    loop.Advance(gap);
  }
  HttpResponse r = app.Handle(req);
  if (r.status < 100 || r.status > 599) __builtin_trap();
  if (r.status == 200 && r.content_type == "application/json") {
    // JSON answers parse (invalid UTF-8 was replaced, not passed through).
    if (nlohmann::json::parse(r.body, nullptr, false).is_discarded()) __builtin_trap();
  }
  return 0;
}
