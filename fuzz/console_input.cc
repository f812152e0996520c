// Fuzzes one telnet console session (auth on, user "u" password "p"):
// arbitrary bytes from the peer (telnet framing, subnegotiations, escape
// sequences, line editing, login attempts, commands), with clock steps
// that fire the failed-login delay. A canned "u\r\np\r\n" op gets past the
// login so the command path is reached too. Invariants: no crash, nothing
// written after Close(), the session reports closing at most once.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "control/console/console_session.h"
#include "core/wire.h"
#include "event/fake_loop.h"

namespace console = mlppp::control::console;
using mlppp::control::CommandResult;
using mlppp::control::CommandSession;
using mlppp::control::Privilege;

namespace {

struct Wire {
  bool closed = false;
  size_t written = 0;
};

class Conn : public mlppp::event::StreamConn {
 public:
  explicit Conn(Wire* w) : w_(w) {}
  void Write(std::span<const uint8_t> b) override {
    if (w_->closed) __builtin_trap();  // the session writes nothing after Close
    w_->written += b.size();
  }
  void Close() override { w_->closed = true; }

 private:
  Wire* w_;
};

class Shell : public CommandSession {
 public:
  CommandResult Run(std::string_view line, std::string* out) override {
    if (line == "exit") exit_ = true;
    out->append(line.substr(0, 64)).append("\n\xff\r\n");
    return {};
  }
  std::string Prompt() const override { return "[] "; }
  std::vector<std::string> Complete(std::string_view partial) const override {
    std::vector<std::string> out;
    std::string_view word = partial.substr(std::min(partial.size(), partial.rfind(' ') + 1));
    for (const char* c : {"show", "set", "session", "exit"}) {
      if (std::string_view(c).starts_with(word)) out.emplace_back(c);
    }
    return out;
  }
  bool ExitRequested() const override { return exit_; }

 private:
  bool exit_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlppp::WireReader r(std::span<const uint8_t>(data, size));
  mlppp::event::FakeLoop loop;
  auto config = std::make_shared<console::ConsoleConfig>();
  config->auth = true;
  config->check = [](const std::string& u, const std::string& p) -> std::optional<Privilege> {
    if (u == "u" && p == "p") return Privilege::kAdmin;
    return std::nullopt;
  };
  config->factory = [](Privilege, const std::string&) -> std::unique_ptr<CommandSession> {
    return std::make_unique<Shell>();
  };
  config->version = "fuzz";
  config->pid = 1;

  Wire wire;
  int closes = 0;
  auto session = std::make_unique<console::ConsoleSession>(
      loop, std::make_unique<Conn>(&wire), "192.0.2.1", config,
      [&](console::ConsoleSession*) { ++closes; });
  session->Start();
  auto feed = [&](std::span<const uint8_t> b) {
    if (!wire.closed) session->OnStreamData(b);
  };
  static const std::string kLogin = "u\r\np\r\n";
  while (r.remaining() > 0 && !wire.closed) {
    const uint8_t op = r.U8();
    switch (op % 4) {
      case 0:
      case 1:  // bytes from the peer, cut anywhere
        feed(r.Bytes(std::min<size_t>(r.U8(), r.remaining())));
        break;
      case 2:  // the clock moves (login delays)
        loop.Advance(std::chrono::milliseconds(250) * (op >> 2));
        break;
      case 3:  // a correct login, so the command path is reached
        feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kLogin.data()),
                                      kLogin.size()));
        break;
    }
    loop.RunPending();
  }
  if (closes > 1) __builtin_trap();
  if (wire.closed != (closes == 1)) __builtin_trap();
  session.reset();
  loop.RunPending();
  return 0;
}
