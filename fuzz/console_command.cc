// Fuzzes the console command shell: arbitrary lines, run one after another
// by an admin session (so every command, `set` and `create` included, is
// reachable) against a fake daemon with two live sessions. The config
// directory does not exist, so `load` finds nothing relative to it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "control/command_shell.h"
#include "control/controller.h"

namespace {

using namespace mlppp::control;

class FuzzController : public Controller {
 public:
  FuzzController() {
    snap_.version = "mlpppd fuzz";
    for (int i = 1; i <= 2; ++i) {
      LinkView l;
      l.name = "L-" + std::to_string(i);
      l.id = static_cast<uint32_t>(i);
      l.conf_name = "L";
      l.type = "pppoe";
      l.state = "UP";
      l.lcp_state = "Opened";
      l.bundle = "B-" + std::to_string(i);
      l.session_id = "100-" + l.name;
      l.peer_authname = "user" + std::to_string(i);
      snap_.links.push_back(l);
      BundleView b;
      b.name = l.bundle;
      b.iface = "ppp" + std::to_string(i);
      b.links = {l.name};
      b.msession_id = "100-" + b.name;
      b.peer_ip = "10.0.0." + std::to_string(i + 1);
      snap_.bundles.push_back(b);
    }
    mlppp::config::LinkConf l;
    l.name = "L";
    l.is_template = true;
    l.type = "pppoe";
    base_.links.push_back(l);
    mlppp::config::BundleConf b;
    b.name = "B";
    b.is_template = true;
    base_.bundles.push_back(b);
    conf_ = base_;
  }
  Snapshot TakeSnapshot() override { return snap_; }
  mlppp::config::Config& MutableConfig() override { return conf_; }
  std::string ConfigDir() const override { return "/nonexistent-mlpppd-fuzz"; }
  void ConfigChanged() override {}
  mlppp::Status OpenLayer(const std::string&, const std::string&, Layer) override { return {}; }
  mlppp::Status CloseLayer(const std::string&, const std::string&, Layer) override { return {}; }
  mlppp::Status Disconnect(const std::string&) override { return {}; }
  void Shutdown() override {}
  void Reset() { conf_ = base_; }

 private:
  Snapshot snap_;
  mlppp::config::Config base_, conf_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FuzzController ctl;
  ctl.Reset();
  CommandShell shell(ctl, Privilege::kAdmin, "fuzz");
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string out;
  int lines = 0;
  while (!input.empty() && lines++ < 64) {
    size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    // `load` with an absolute path would read the real file system; the
    // fuzzer is about the shell, not about files on this machine.
    if (line.find('/') == std::string_view::npos) {
      out.clear();
      (void)shell.Run(line, &out);
      (void)shell.Prompt();
      (void)shell.Complete(line);
    }
    if (nl == std::string_view::npos) break;
    input.remove_prefix(nl + 1);
  }
  return 0;
}
