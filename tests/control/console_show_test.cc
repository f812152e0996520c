// `show console` lists the live console sessions (mpd5 ConsoleStat
// "Active sessions:"): through a fake list, and end to end from a
// ConsoleServer whose sessions run real CommandShells.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "control/command_shell.h"
#include "control/console/console_server.h"
#include "control/fake_controller.h"
#include "event/fake_loop.h"

namespace mlppp::control {
namespace {

using namespace std::chrono_literals;

class FakeList : public ConsoleSessionList {
 public:
  std::vector<ConsoleSessionView> ConsoleSessions() const override { return views; }
  std::vector<ConsoleSessionView> views;
};

TEST(ShowConsole, ListsEverySessionWithPeerUserAndPrivilege) {
  testing::FakeController ctl;
  ctl.config.console.open = true;
  FakeList list;
  list.views = {{"192.0.2.1:40001", "admin", Privilege::kAdmin, true, 75},
                {"198.51.100.2", "", Privilege::kUser, false, 3}};
  CommandShell sh(ctl, Privilege::kUser, "guest");
  sh.SetConsoleSessions(&list);
  std::string out;
  ASSERT_TRUE(sh.Run("show console", &out).ok());
  EXPECT_NE(out.find("Active sessions:\n"
                     "\tUsername: admin\tFrom: 192.0.2.1:40001\tPriv: admin\tAge: 75s\n"
                     "\tUsername: -\tFrom: 198.51.100.2\tPriv: -\tAge: 3s (logging in)\n"
                     "This session:\n"
                     "\tUsername: guest\tPriv: user\n"),
            std::string::npos)
      << out;
}

TEST(ShowConsole, WithoutAListOnlyThisSession) {
  testing::FakeController ctl;
  CommandShell sh(ctl, Privilege::kAdmin, "root");
  std::string out;
  ASSERT_TRUE(sh.Run("show console", &out).ok());
  EXPECT_EQ(out.find("Active sessions:"), std::string::npos) << out;
  EXPECT_NE(out.find("This session:\n\tUsername: root\tPriv: admin\n"), std::string::npos);
}

// A stream that records what the console writes.
class FakeConn : public event::StreamConn {
 public:
  explicit FakeConn(std::string* out) : out_(out) {}
  void Write(std::span<const uint8_t> b) override { out_->append(b.begin(), b.end()); }
  void Close() override {}

 private:
  std::string* out_;
};

TEST(ShowConsole, ConsoleServerGivesItsSessionsToTheirShells) {
  event::FakeLoop loop;
  testing::FakeController ctl;
  std::string a_out, b_out, c_out;  // outlive the server's streams
  console::ConsoleServer server(
      loop, /*auth=*/true,
      [](const std::string& u, const std::string& p) -> std::optional<Privilege> {
        if (u == "admin" && p == "pw") return Privilege::kAdmin;
        if (u == "op" && p == "pw") return Privilege::kOperator;
        return std::nullopt;
      },
      [&ctl](Privilege priv, const std::string& user) {
        return std::make_unique<CommandShell>(ctl, priv, user);
      },
      "1.2.3", 42);
  auto connect = [&](std::string* out, const std::string& peer) {
    auto conn = std::make_unique<FakeConn>(out);
    event::StreamConn* raw = conn.get();
    server.Accept(std::move(conn), peer);
    loop.RunPending();
    return raw;
  };
  auto send = [&](event::StreamConn* c, std::string_view s) {
    c->DeliverData(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    loop.RunPending();
  };
  event::StreamConn* a = connect(&a_out, "192.0.2.1");
  send(a, "admin\r\npw\r\n");
  loop.Advance(10s);
  event::StreamConn* b = connect(&b_out, "2001:db8::7");
  send(b, "op\r\npw\r\n");
  loop.Advance(2s);
  connect(&c_out, "198.51.100.2");  // still at "Username: "
  loop.Advance(1s);
  a_out.clear();
  send(a, "show console\r\n");
  EXPECT_NE(a_out.find("Active sessions:\r\n"
                       "\tUsername: admin\tFrom: 192.0.2.1\tPriv: admin\tAge: 13s\r\n"
                       "\tUsername: op\tFrom: 2001:db8::7\tPriv: operator\tAge: 3s\r\n"
                       "\tUsername: -\tFrom: 198.51.100.2\tPriv: -\tAge: 1s (logging in)\r\n"
                       "This session:\r\n"
                       "\tUsername: admin\tPriv: admin\r\n"),
            std::string::npos)
      << a_out;
  // The operator sees the same list.
  b_out.clear();
  send(b, "show console\r\n");
  EXPECT_NE(b_out.find("\tUsername: admin\tFrom: 192.0.2.1\tPriv: admin"), std::string::npos)
      << b_out;
  EXPECT_EQ(server.ConsoleSessions().size(), 3u);
}

}  // namespace
}  // namespace mlppp::control
