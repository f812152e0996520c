// The one Controller fake of the control tests (shell, console and web): a
// Snapshot the test builds, a real config::Config, and a record of the
// operator's actions.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "config/model.h"
#include "control/controller.h"

namespace mlppp::control::testing {

class FakeController : public Controller {
 public:
  struct LayerCall {
    std::string link, bundle;
    Layer layer;
    bool operator==(const LayerCall&) const = default;
  };

  Snapshot TakeSnapshot() override {
    ++snapshots;
    return snapshot;
  }
  config::Config& MutableConfig() override { return config; }
  std::string ConfigDir() const override { return config_dir; }
  void ConfigChanged() override { ++config_changes; }
  Status OpenLayer(const std::string& link, const std::string& bundle, Layer layer) override {
    opens.push_back({link, bundle, layer});
    calls.push_back("open " + link + "|" + bundle + "|" + std::string(LayerName(layer)));
    return fail_actions ? Status::Error("cannot open") : layer_status;
  }
  Status CloseLayer(const std::string& link, const std::string& bundle, Layer layer) override {
    closes.push_back({link, bundle, layer});
    calls.push_back("close " + link + "|" + bundle + "|" + std::string(LayerName(layer)));
    return fail_actions ? Status::Error("cannot close") : layer_status;
  }
  // Succeeds for a session id one of the snapshot's bundles has.
  Status Disconnect(const std::string& session_id) override {
    disconnects.push_back(session_id);
    calls.push_back("disconnect " + session_id);
    for (const auto& b : snapshot.bundles)
      if (b.session_id == session_id) return Status::Ok();
    return Status::Error("no such session: " + session_id);
  }
  void Shutdown() override {
    ++shutdowns;
    calls.push_back("shutdown");
  }

  Snapshot snapshot;
  config::Config config;
  std::string config_dir;
  Status layer_status;        // what OpenLayer/CloseLayer return
  bool fail_actions = false;  // OpenLayer/CloseLayer fail ("cannot open"/"cannot close")
  std::vector<LayerCall> opens, closes;
  std::vector<std::string> disconnects;
  // Every action in order: "open L|B|link", "close ...", "disconnect ID",
  // "shutdown".
  std::vector<std::string> calls;
  int shutdowns = 0;
  int config_changes = 0;
  int snapshots = 0;
};

// Two PPPoE sessions in bundles B-1 (ppp0) and B-2 (ppp1) made from link
// template L / bundle template B, and the idle template itself.
inline LinkView MakeLink(std::string name, uint32_t id, std::string bundle, std::string session,
                         std::string user, std::string peer) {
  LinkView l;
  l.name = std::move(name);
  l.id = id;
  l.conf_name = "L";
  l.type = "pppoe";
  l.state = "UP";
  l.phase = "Network";
  l.lcp_state = "Opened";
  l.bundle = std::move(bundle);
  l.session_id = std::move(session);
  l.peer_authname = std::move(user);
  l.auth_method = "CHAP-MD5";
  l.device = "eth0";
  l.peer_addr = std::move(peer);
  l.self_addr = "02:00:00:00:00:01";
  l.mru = 1492;
  l.peer_mru = 1492;
  l.up_seconds = 60;
  l.traffic = {1000, 10, 2000, 20};
  return l;
}

inline BundleView MakeBundle(std::string name, std::string iface, std::string link,
                             std::string msession, std::string user, std::string peer_ip) {
  BundleView b;
  b.name = std::move(name);
  b.iface = std::move(iface);
  b.up = true;
  b.ipcp_state = "Opened";
  b.ccp_state = "Opened";
  b.self_ip = "10.0.0.1";
  b.peer_ip = std::move(peer_ip);
  b.dns = {"192.0.2.53"};
  b.ccp_method_in = b.ccp_method_out = "MPPE 128 bit, stateless";
  b.ccp_resets_sent = 3;
  b.ccp_resets_received = 4;
  b.msession_id = std::move(msession);
  b.user = std::move(user);
  b.links = {std::move(link)};
  b.mtu = 1492;
  b.up_seconds = 59;
  b.traffic = {111, 1, 222, 2};
  return b;
}

inline void FillTwoSessions(FakeController* f) {
  Snapshot& s = f->snapshot;
  s.version = "mlpppd 0.1.0";
  s.pid = 42;
  s.links.push_back(MakeLink("L-1", 0x1, "B-1", "1234567-L-1", "alice", "02:00:00:00:00:aa"));
  s.links.push_back(MakeLink("L-2", 0x1a, "B-2", "1234568-L-2", "Bob", "02:00:00:00:00:bb"));
  LinkView tmpl;
  tmpl.name = "L";
  tmpl.conf_name = "L";
  tmpl.type = "pppoe";
  tmpl.is_template = true;
  tmpl.state = "DOWN";
  tmpl.lcp_state = "Initial";
  s.links.push_back(tmpl);
  s.bundles.push_back(MakeBundle("B-1", "ppp0", "L-1", "1234567-B-1", "alice", "10.0.0.2"));
  s.bundles.push_back(MakeBundle("B-2", "ppp1", "L-2", "1234568-B-2", "Bob", "10.0.0.3"));

  config::LinkConf l;
  l.name = "L";
  l.is_template = true;
  l.type = "pppoe";
  l.incoming = true;
  l.action_bundle = "B";
  l.pppoe.iface = "eth0";
  f->config.links.push_back(l);
  config::BundleConf b;
  b.name = "B";
  b.is_template = true;
  f->config.bundles.push_back(b);
}

}  // namespace mlppp::control::testing
