// The telnet console end to end on a FakeLoop: a ConsoleServer with fake
// streams and a fake CommandSession, checked byte for byte on the wire.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "control/console/console_server.h"
#include "event/fake_loop.h"

namespace mlppp::control::console {
namespace {

using namespace std::chrono_literals;

const std::string kBanner = "Multi-link PPP daemon for Linux\r\n\r\n";
// IAC WILL ECHO, IAC WILL SGA, IAC DO SGA.
const std::string kOptions = "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x03";
const std::string kWelcome = "\r\nWelcome!\r\nmlpppd pid 42, version 1.2.3\r\n";

// What a fake stream saw; outlives the stream.
struct Wire {
  std::string out;
  size_t unread = 0;  // written and not read by the peer (pending_bytes)
  bool closed = false;
  event::StreamConn* conn = nullptr;  // null once the stream is destroyed
  // Returns and forgets what was written so far.
  std::string Take() { return std::exchange(out, ""); }
};

class FakeConn : public event::StreamConn {
 public:
  explicit FakeConn(std::shared_ptr<Wire> w) : w_(std::move(w)) { w_->conn = this; }
  ~FakeConn() override { w_->conn = nullptr; }
  void Write(std::span<const uint8_t> b) override {
    if (w_->closed) return;
    w_->out.append(b.begin(), b.end());
    w_->unread += b.size();
  }
  void Close() override { w_->closed = true; }
  size_t pending_bytes() const override { return w_->unread; }

 private:
  std::shared_ptr<Wire> w_;
};

struct Shell {
  std::vector<std::string> runs;
  std::vector<std::pair<std::string, Privilege>> made;
  size_t big = 0;  // bytes "big" prints
};

class FakeCommandSession : public CommandSession {
 public:
  explicit FakeCommandSession(Shell* shell) : shell_(shell) {}
  CommandResult Run(std::string_view line, std::string* out) override {
    shell_->runs.emplace_back(line);
    if (line == "exit") {
      exit_ = true;
    } else if (line == "big") {
      out->append(shell_->big, 'x');
    } else if (line == "iac") {
      out->append(
          "a\xff"
          "b\n");
    } else {
      out->append("ran ").append(line).append("\n");
    }
    return {};
  }
  std::string Prompt() const override { return "[] "; }
  std::vector<std::string> Complete(std::string_view partial) const override {
    std::string_view word =
        partial.substr(partial.rfind(' ') == std::string_view::npos ? 0 : partial.rfind(' ') + 1);
    std::vector<std::string> out;
    for (const char* c : {"set", "show", "session", "link"}) {
      if (std::string_view(c).starts_with(word)) out.emplace_back(c);
    }
    return out;
  }
  bool ExitRequested() const override { return exit_; }

 private:
  Shell* shell_;
  bool exit_ = false;
};

class ConsoleTest : public ::testing::Test {
 protected:
  void MakeServer(bool auth) {
    server_ = std::make_unique<ConsoleServer>(
        loop_, auth,
        [this](const std::string& u, const std::string& p) -> std::optional<Privilege> {
          checked_.push_back(u + "/" + p);
          if (u == "admin" && p == "pw") return Privilege::kAdmin;
          if (u == "op" && p == "pw") return Privilege::kOperator;
          return std::nullopt;
        },
        [this](Privilege priv, const std::string& user) -> std::unique_ptr<CommandSession> {
          shell_.made.emplace_back(user, priv);
          return std::make_unique<FakeCommandSession>(&shell_);
        },
        "1.2.3", 42);
  }
  std::shared_ptr<Wire> Connect(const std::string& peer = "192.0.2.1") {
    auto w = std::make_shared<Wire>();
    server_->Accept(std::make_unique<FakeConn>(w), peer);
    loop_.RunPending();
    return w;
  }
  void Send(const std::shared_ptr<Wire>& w, std::string_view bytes) {
    ASSERT_NE(w->conn, nullptr);
    w->conn->DeliverData(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    loop_.RunPending();
  }
  // Connects and logs in as admin; returns the wire with nothing pending.
  std::shared_ptr<Wire> LoggedIn() {
    auto w = Connect();
    Send(w, "admin\r\n");
    Send(w, "pw\r\n");
    EXPECT_EQ(w->out.substr(w->out.size() - kWelcome.size() - 3), kWelcome + "[] ");
    w->Take();
    return w;
  }

  event::FakeLoop loop_;
  Shell shell_;
  std::vector<std::string> checked_;
  std::unique_ptr<ConsoleServer> server_;
};

TEST_F(ConsoleTest, BannerAndTelnetOptionsThenUsername) {
  MakeServer(true);
  auto w = Connect();
  EXPECT_EQ(w->Take(), kBanner + kOptions + "Username: ");
  EXPECT_EQ(server_->session_count(), 1u);
  auto info = server_->Sessions();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_FALSE(info[0].logged_in);
  EXPECT_EQ(info[0].peer_addr, "192.0.2.1");
  EXPECT_EQ(info[0].since, loop_.Now());
}

TEST_F(ConsoleTest, LoginSucceeds) {
  MakeServer(true);
  auto w = Connect();
  w->Take();
  Send(w, "admin\r\n");
  EXPECT_EQ(w->Take(), "admin\r\nPassword: ");
  Send(w, "pw\r\n");
  EXPECT_EQ(w->Take(), "\r\n" + kWelcome + "[] ");
  EXPECT_EQ(checked_, std::vector<std::string>{"admin/pw"});
  ASSERT_EQ(shell_.made.size(), 1u);
  EXPECT_EQ(shell_.made[0].first, "admin");
  EXPECT_EQ(shell_.made[0].second, Privilege::kAdmin);
  auto info = server_->Sessions();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_TRUE(info[0].logged_in);
  EXPECT_EQ(info[0].user, "admin");
  EXPECT_EQ(info[0].privilege, Privilege::kAdmin);
}

TEST_F(ConsoleTest, PasswordIsNotEchoedNorRemembered) {
  MakeServer(true);
  auto w = Connect();
  Send(w, "admin\r\n");
  w->Take();
  Send(w, "p");
  Send(w, "w");
  EXPECT_EQ(w->Take(), "");
  Send(w, "\r\n");
  w->Take();
  // History starts empty: Up beeps instead of showing the password.
  Send(w, "\x1b[A");
  EXPECT_EQ(w->Take(), "\a");
  // The user name is not history either.
  Send(w, "\x10");
  EXPECT_EQ(w->Take(), "\a");
}

TEST_F(ConsoleTest, FailedLoginsWaitLongerEachTimeThenClose) {
  MakeServer(true);
  auto w = Connect();
  w->Take();
  event::Duration wait = 1s;
  for (int i = 1; i <= ConsoleSession::kMaxLoginFailures; ++i) {
    Send(w, "admin\r\n");
    Send(w, "wrong\r\n");
    EXPECT_EQ(w->Take(), "admin\r\nPassword: \r\nLogin failed\r\n") << i;
    if (i == ConsoleSession::kMaxLoginFailures) break;
    EXPECT_FALSE(w->closed);
    // Typed ahead during the wait: dropped.
    Send(w, "admin\r\n");
    loop_.Advance(wait - 1ms);
    EXPECT_EQ(w->Take(), "") << i;
    loop_.Advance(1ms);
    EXPECT_EQ(w->Take(), "Username: ") << i;
    wait *= 2;
  }
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(w->conn, nullptr);  // destroyed after its callback
  EXPECT_EQ(server_->session_count(), 0u);
  EXPECT_TRUE(shell_.made.empty());
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(ConsoleTest, FailureThenSuccess) {
  MakeServer(true);
  auto w = Connect();
  Send(w, "op\r\nbad\r\n");
  loop_.Advance(1s);
  w->Take();
  Send(w, "op\r\npw\r\n");
  EXPECT_EQ(w->Take(), "op\r\nPassword: \r\n" + kWelcome + "[] ");
  EXPECT_EQ(server_->Sessions()[0].privilege, Privilege::kOperator);
}

TEST_F(ConsoleTest, AuthOffLogsInAsRootAdmin) {
  MakeServer(false);
  auto w = Connect();
  EXPECT_EQ(w->Take(), kBanner + kOptions + "[] ");
  ASSERT_EQ(shell_.made.size(), 1u);
  EXPECT_EQ(shell_.made[0].first, "root");
  EXPECT_EQ(shell_.made[0].second, Privilege::kAdmin);
  EXPECT_TRUE(checked_.empty());
}

TEST_F(ConsoleTest, SetAuthAppliesToLaterSessions) {
  MakeServer(true);
  auto before = Connect();
  server_->SetAuth(false);
  auto after = Connect();
  EXPECT_EQ(before->Take(), kBanner + kOptions + "Username: ");
  EXPECT_EQ(after->Take(), kBanner + kOptions + "[] ");
}

TEST_F(ConsoleTest, EachLineRunsAndIsFollowedByThePrompt) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "show\r\n");
  EXPECT_EQ(w->Take(), "show\r\nran show\r\n[] ");
  // CR LF, CR NUL and bare LF each end one line; blank lines run nothing.
  Send(w, std::string("a\r\nb\r\0c\n\r\n", 10));
  EXPECT_EQ(shell_.runs, (std::vector<std::string>{"show", "a", "b", "c"}));
  EXPECT_EQ(w->Take(), "a\r\nran a\r\n[] b\r\nran b\r\n[] c\r\nran c\r\n[] \r\n[] ");
}

TEST_F(ConsoleTest, BackspaceAndKillLine) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "shx\x7fow\r");
  EXPECT_EQ(w->Take(), "shx\b \bow\r\nran show\r\n[] ");
  Send(w, "abc\x15set\r");
  EXPECT_EQ(w->Take(), "abc\b \b\b \b\b \bset\r\nran set\r\n[] ");
  // Telnet's own EC and EL (RFC 854) act the same.
  Send(w, "ab\xff\xf7\xff\xf8xy\r");
  EXPECT_EQ(shell_.runs.back(), "xy");
}

TEST_F(ConsoleTest, CtrlCAbandonsTheLine) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "show\x03");
  EXPECT_EQ(w->Take(), "show^C\r\n[] ");
  EXPECT_TRUE(shell_.runs.empty());
}

TEST_F(ConsoleTest, HistoryUpAndDown) {
  auto& s = *this;
  s.MakeServer(true);
  auto w = LoggedIn();
  Send(w, "show\rset\r");
  w->Take();
  Send(w, "\x1b[A");
  EXPECT_EQ(w->Take(), "set");
  Send(w, "\x1b[A");
  EXPECT_EQ(w->Take(), "\b \b\b \b\b \bshow");
  Send(w, "\x1b[B");
  EXPECT_EQ(w->Take(), "\b \b\b \b\b \b\b \bset");
  Send(w, "\r");
  EXPECT_EQ(shell_.runs.back(), "set");
}

TEST_F(ConsoleTest, TabCompletesOneOrListsSeveral) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "sh\t");
  EXPECT_EQ(w->Take(), "show ");
  Send(w, "l\t");
  EXPECT_EQ(w->Take(), "link ");
  Send(w, "\r");
  EXPECT_EQ(shell_.runs.back(), "show link ");
  w->Take();
  Send(w, "s\t");
  EXPECT_EQ(w->Take(), "s\r\nset  show  session\r\n[] s");
  // mpd5: '?' shows help for the words so far, then the line again.
  Send(w, "?");
  EXPECT_EQ(w->Take(), "?\r\nran help s\r\n[] s");
  EXPECT_EQ(shell_.runs.back(), "help s");
  Send(w, "x\t");
  EXPECT_EQ(w->Take(), "x\a");
}

TEST_F(ConsoleTest, IacInDataBothWays) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  // IAC IAC from the peer is a data byte 0xff (not printable: dropped by
  // the editor), not a command.
  Send(w,
       "a\xff\xff"
       "b\r");
  EXPECT_EQ(shell_.runs.back(), "ab");
  w->Take();
  Send(w, "iac\r");
  EXPECT_EQ(w->Take(),
            "iac\r\na\xff\xff"
            "b\r\n[] ");
}

TEST_F(ConsoleTest, ExitCloses) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "exit\r\n");
  EXPECT_EQ(w->Take(), "exit\r\n");
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(w->conn, nullptr);
  EXPECT_EQ(server_->session_count(), 0u);
}

TEST_F(ConsoleTest, PeerCloseRemovesTheSession) {
  MakeServer(true);
  auto w = LoggedIn();
  w->conn->DeliverClosed();
  EXPECT_EQ(server_->session_count(), 0u);
  EXPECT_NE(w->conn, nullptr);  // not destroyed inside its own callback
  loop_.RunPending();
  EXPECT_EQ(w->conn, nullptr);
}

TEST_F(ConsoleTest, SessionLimit) {
  MakeServer(false);
  std::vector<std::shared_ptr<Wire>> wires;
  for (size_t i = 0; i < ConsoleServer::kMaxSessions; ++i) wires.push_back(Connect());
  EXPECT_EQ(server_->session_count(), ConsoleServer::kMaxSessions);
  auto extra = Connect("198.51.100.9");
  EXPECT_EQ(extra->out, ConsoleServer::kTooManyMessage);
  EXPECT_TRUE(extra->closed);
  EXPECT_EQ(extra->conn, nullptr);
  EXPECT_EQ(server_->session_count(), ConsoleServer::kMaxSessions);
  // One leaves: the next one gets in.
  Send(wires[3], "exit\r");
  auto next = Connect();
  EXPECT_FALSE(next->closed);
  EXPECT_EQ(server_->session_count(), ConsoleServer::kMaxSessions);
}

TEST_F(ConsoleTest, LongLineIsCappedThenCutOff) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, std::string(LineEditor::kMaxLine, 'a'));
  EXPECT_EQ(w->Take().size(), LineEditor::kMaxLine);
  Send(w, "a");
  EXPECT_EQ(w->Take(), "\a");
  Send(w, std::string(ConsoleSession::kMaxUnterminated - LineEditor::kMaxLine - 1, 'a'));
  EXPECT_FALSE(w->closed);
  Send(w, "a");
  EXPECT_TRUE(w->closed);
  EXPECT_TRUE(shell_.runs.empty());
  EXPECT_EQ(server_->session_count(), 0u);
}

TEST_F(ConsoleTest, PeerThatDoesNotReadIsCutOff) {
  MakeServer(false);
  shell_.big = 700 * 1024;
  auto w = Connect();
  Send(w, "big\r");
  Send(w, "big\r");
  EXPECT_FALSE(w->closed);  // one big answer always goes out
  Send(w, "big\r");
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(shell_.runs.size(), 2u);
}

TEST_F(ConsoleTest, PeerThatReadsSlowlyIsNotCutOff) {
  MakeServer(false);
  shell_.big = 700 * 1024;
  auto w = Connect();
  for (int i = 0; i < 5; ++i) {
    Send(w, "big\r");
    w->unread = 0;  // the peer read it
  }
  EXPECT_FALSE(w->closed);
  EXPECT_EQ(shell_.runs.size(), 5u);
}

TEST_F(ConsoleTest, UnimplementedOptionsAreRefused) {
  MakeServer(false);
  auto w = Connect();
  w->Take();
  Send(w, "\xff\xfd\x1f\xff\xfa\x18\x01\xff\xf0");  // DO NAWS, SB TTYPE SEND
  EXPECT_EQ(w->Take(), "\xff\xfc\x1f");
  EXPECT_FALSE(w->closed);
}

TEST_F(ConsoleTest, ServerDestructionClosesSessions) {
  MakeServer(true);
  auto a = LoggedIn();
  auto b = Connect();
  server_.reset();
  EXPECT_TRUE(a->closed);
  EXPECT_TRUE(b->closed);
  EXPECT_EQ(a->conn, nullptr);
  loop_.RunPending();
}

}  // namespace
}  // namespace mlppp::control::console
