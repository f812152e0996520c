// Fakes for the web interface tests: the shared FakeController serving a
// fixed Snapshot, a CommandSession that echoes its commands with an
// mpd5-like context, request helpers and test credentials.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "control/command_session.h"
#include "control/controller.h"
#include "control/web/http_types.h"
#include "fake_controller.h"

namespace mlppp::control::web::testing {

// The controller fake is the shared one (fake_controller.h; included by
// its file name so fuzz/web_request.cc, built without tests/ on the include
// path, finds it too).
using control::testing::FakeController;

// Echoes each line as "ran <line> as <priv>\n"; `link X` / `bund X` set the
// prompt's context, `fail` fails, `html` prints markup, `exit` exits.
class FakeSession : public CommandSession {
 public:
  FakeSession(Privilege priv, std::string user, std::vector<std::string>* log)
      : priv_(priv), user_(std::move(user)), log_(log) {}
  CommandResult Run(std::string_view line, std::string* out) override {
    if (log_) log_->push_back(std::string(line));
    if (line.starts_with("link ") || line.starts_with("bund ")) {
      context_ = std::string(line.substr(5));
      return {};
    }
    if (line == "fail") {
      *out += "Error in 'fail': it failed\n";
      return {CommandCode::kFailed, "it failed"};
    }
    if (line == "html") {
      *out += "<b>&\"x\"</b>\n";
      return {};
    }
    if (line == "exit") {
      exit_ = true;
      return {};
    }
    *out += "ran " + std::string(line) + " as " + std::string(PrivilegeName(priv_)) + "\n";
    return {};
  }
  std::string Prompt() const override { return "[" + context_ + "] "; }
  std::vector<std::string> Complete(std::string_view) const override { return {}; }
  bool ExitRequested() const override { return exit_; }

 private:
  Privilege priv_;
  std::string user_;
  std::vector<std::string>* log_;
  std::string context_;
  bool exit_ = false;
};

// A factory making FakeSessions that log into *lines and record the
// privilege and user they were made for.
struct FakeSessions {
  std::vector<std::string> lines;
  std::vector<std::pair<Privilege, std::string>> made;
  CommandSessionFactory Factory() {
    return [this](Privilege p, const std::string& user) -> std::unique_ptr<CommandSession> {
      made.emplace_back(p, user);
      return std::make_unique<FakeSession>(p, user, &lines);
    };
  }
};

// Users: admin/secret (admin), op/oppw (operator), joe/joepw (user).
inline LoginCheck FakeLogin() {
  return [](const std::string& user, const std::string& pw) -> std::optional<Privilege> {
    if (user == "admin" && pw == "secret") return Privilege::kAdmin;
    if (user == "op" && pw == "oppw") return Privilege::kOperator;
    if (user == "joe" && pw == "joepw") return Privilege::kUser;
    return std::nullopt;
  };
}

// Two live PPPoE/L2TP sessions, one idle template and one down static link.
inline Snapshot SampleSnapshot() {
  Snapshot s;
  s.version = "mlpppd 0.1.0";
  s.pid = 4242;
  s.started_unix = 1700000000;
  s.uptime_seconds = 3600;

  LinkView l1;
  l1.name = "pppoe-1";
  l1.id = 0x11;
  l1.conf_name = "PPPoE";
  l1.type = "pppoe";
  l1.state = "UP";
  l1.phase = "Network";
  l1.lcp_state = "Opened";
  l1.bundle = "B-1";
  l1.session_id = "sess-1";
  l1.peer_authname = "alice<script>";
  l1.auth_method = "CHAP-MD5";
  l1.device = "eth1";
  l1.peer_addr = "52:54:00:12:34:56";
  l1.self_addr = "52:54:00:aa:bb:cc";
  l1.calling_num = "52:54:00:12:34:56";
  l1.called_num = "eth1";
  l1.mru = 1492;
  l1.peer_mru = 1492;
  l1.up_seconds = 120;
  l1.traffic = {1000, 10, 2000, 20};
  l1.bad_frames = 1;

  LinkView l2;
  l2.name = "l2tp-2";
  l2.id = 0x12;
  l2.conf_name = "L2TP";
  l2.type = "l2tp";
  l2.state = "UP";
  l2.phase = "Network";
  l2.lcp_state = "Opened";
  l2.bundle = "B-2";
  l2.session_id = "sess-2";
  l2.peer_authname = "bob";
  l2.peer_addr = "192.0.2.7:1701";
  l2.up_seconds = 60;

  LinkView tmpl;
  tmpl.name = "PPPoE";
  tmpl.type = "pppoe";
  tmpl.is_template = true;
  tmpl.state = "DOWN";
  tmpl.phase = "Dead";
  tmpl.lcp_state = "Initial";

  LinkView idle;
  idle.name = "L\"1";  // a name that needs escaping everywhere
  idle.type = "pptp";
  idle.state = "DOWN";
  idle.phase = "Dead";
  idle.lcp_state = "Initial";
  s.links = {l1, l2, tmpl, idle};

  BundleView b1;
  b1.name = "B-1";
  b1.iface = "ppp0";
  b1.up = true;
  b1.ipcp_state = "Opened";
  b1.ccp_state = "Opened";
  b1.self_ip = "10.0.0.1";
  b1.peer_ip = "10.0.0.2";
  b1.dns = {"192.0.2.53"};
  b1.ccp_method_in = "MPPE 128 bit, stateless";
  b1.msession_id = "ms-1";
  b1.session_id = "sess-1";
  b1.user = "alice<script>";
  b1.links = {"pppoe-1"};
  b1.mtu = 1492;
  b1.up_seconds = 118;
  b1.session_timeout = 3600;
  b1.traffic = {500, 5, 700, 7};
  b1.dropped = 2;

  BundleView b2;
  b2.name = "B-2";
  b2.iface = "ppp1";
  b2.up = false;
  b2.ipcp_state = "Req-Sent";
  b2.session_id = "sess-2";
  b2.user = "bob";
  b2.links = {"l2tp-2"};
  b2.mtu = 1400;
  b2.traffic = {1, 2, 3, 4};
  s.bundles = {b1, b2};

  s.counters.setups = {{"pppoe", 7}, {"l2tp", 3}};
  s.counters.failures = {{{"pppoe", "auth failed"}, 2}, {{"l2tp", "lcp \"timeout\""}, 1}};
  s.counters.auth_accepts = 10;
  s.counters.auth_rejects = 2;
  s.counters.auth_latency.Add(std::chrono::microseconds(3));
  s.counters.auth_latency.Add(std::chrono::microseconds(100));
  s.counters.radius_requests = 12;
  s.counters.radius_timeouts = 1;
  s.counters.radius_retransmits = 3;
  s.counters.radius_replies = 11;
  s.counters.loop_lag.Add(std::chrono::microseconds(50));
  return s;
}

inline HttpRequest Get(std::string path, std::string query = "") {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  r.peer = "127.0.0.1";
  return r;
}

inline HttpRequest Post(std::string path) {
  HttpRequest r = Get(std::move(path));
  r.method = "POST";
  return r;
}

// "Basic base64(user:pw)" for the few credentials the tests use.
inline HttpRequest WithAuth(HttpRequest r, std::string b64) {
  r.headers.emplace_back("authorization", "Basic " + std::move(b64));
  return r;
}
inline constexpr const char* kAdminB64 = "YWRtaW46c2VjcmV0";  // admin:secret
inline constexpr const char* kOpB64 = "b3A6b3Bwdw==";         // op:oppw
inline constexpr const char* kJoeB64 = "am9lOmpvZXB3";        // joe:joepw
inline constexpr const char* kBadB64 = "YWRtaW46d3Jvbmc=";    // admin:wrong

}  // namespace mlppp::control::web::testing
