#include "control/console/console_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "control/command_shell.h"
#include "core/log.h"

namespace mlppp::control::console {
namespace {

// Command output carries peer-chosen strings (user names, calling
// numbers): their control characters must not reach the operator's
// terminal as escape sequences.
std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool ok = c >= 0x20 ? c != 0x7f : (c == '\n' || c == '\r' || c == '\t');
    out += ok ? static_cast<char>(c) : '?';
  }
  return out;
}

constexpr std::string_view kBanner = "Multi-link PPP daemon for Linux\r\n\r\n";
constexpr uint8_t kCtrlC = 0x03;
constexpr uint8_t kCtrlU = 0x15;
constexpr uint8_t kDel = 0x7f;

// Failed logins are peer-caused: one limiter for all console sessions.
log::RateLimit& LoginLimiter() {
  static log::RateLimit limiter;
  return limiter;
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

// Best effort: the password does not linger in freed memory.
void Wipe(std::string& s) {
  std::fill(s.begin(), s.end(), '\0');
  s.clear();
}

}  // namespace

ConsoleSession::ConsoleSession(event::Loop& loop, std::unique_ptr<event::StreamConn> conn,
                               std::string peer_addr, std::shared_ptr<const ConsoleConfig> config,
                               std::function<void(ConsoleSession*)> on_closed)
    : conn_(std::move(conn)),
      peer_addr_(std::move(peer_addr)),
      config_(std::move(config)),
      on_closed_(std::move(on_closed)),
      codec_(this),
      delay_timer_(loop.CreateTimer()),
      since_(loop.Now()),
      login_timer_(loop.CreateTimer()) {}

ConsoleSession::~ConsoleSession() {
  on_closed_ = nullptr;  // the owner is destroying us: no call back
  Close("console shut down");
  if (conn_) conn_->SetReceiver(nullptr);
}

void ConsoleSession::Start() {
  conn_->SetReceiver(this);
  MLOG_DEBUG(kConsole, "console: connection from {}", peer_addr_);
  codec_.Send(kBanner);
  codec_.Start();
  if (config_->auth) {
    login_timer_->Start(kLoginTimeout, [this] { Close("no login in time"); });
    AskUsername();
  } else {
    LoggedIn("root", Privilege::kAdmin, /*welcome=*/false);
  }
}

void ConsoleSession::Close(std::string_view reason) {
  if (closed_) return;
  closed_ = true;
  state_ = State::kClosed;
  delay_timer_->Stop();
  login_timer_->Stop();
  if (command_) {
    MLOG_INFO(kConsole, "console: {} logged out from {} ({})", user_, peer_addr_, reason);
  } else {
    MLOG_DEBUG(kConsole, "console: connection from {} closed ({})", peer_addr_, reason);
  }
  if (conn_) conn_->Close();
  auto cb = std::move(on_closed_);
  on_closed_ = nullptr;
  if (cb) cb(this);
}

void ConsoleSession::OnStreamData(std::span<const uint8_t> bytes) {
  if (closed_) return;
  if (OverBacklog()) return Close("peer does not read its output");
  codec_.Receive(bytes);
}

void ConsoleSession::OnStreamClosed() { Close("peer closed the connection"); }

void ConsoleSession::OnTelnetData(std::span<const uint8_t> bytes) {
  for (uint8_t b : bytes) {
    if (closed_) return;
    if (++since_line_end_ > kMaxUnterminated) {
      FlushEcho();
      return Close("input line too long");
    }
    if (state_ == State::kLoginDelay) {
      // Typed ahead while we make a failed login wait: dropped.
      if (b == '\r' || b == '\n') since_line_end_ = 0;
      continue;
    }
    LineEditor::Event ev = editor_.Feed(b, &echo_);
    if (ev == LineEditor::Event::kNone) continue;
    FlushEcho();
    if (ev == LineEditor::Event::kLine) {
      since_line_end_ = 0;
      OnLine(editor_.TakeLine());
    } else if (ev == LineEditor::Event::kHelp) {
      ShowHelp();
    } else if (state_ == State::kCommand) {  // ^C
      ShowPrompt();
    } else {
      AskUsername();
    }
  }
  FlushEcho();
}

void ConsoleSession::OnTelnetSend(std::span<const uint8_t> bytes) {
  if (closed_) return;
  conn_->Write(bytes);
}

void ConsoleSession::OnTelnetCommand(uint8_t cmd) {
  // The telnet editing commands (RFC 854) act as their keys.
  uint8_t key = 0;
  if (cmd == telnet::kInterruptProcess) key = kCtrlC;
  if (cmd == telnet::kEraseChar) key = kDel;
  if (cmd == telnet::kEraseLine) key = kCtrlU;
  if (key) OnTelnetData(std::span<const uint8_t>(&key, 1));
}

void ConsoleSession::OnTelnetError(std::string_view what) { Close(what); }

void ConsoleSession::AskUsername() {
  state_ = State::kUsername;
  editor_.SetMode(LineEditor::Mode::kPlain);
  Write("Username: ");
}

void ConsoleSession::OnLine(std::string line) {
  switch (state_) {
    case State::kUsername:
      if (Blank(line)) return Write("Username: ");
      pending_user_ = std::move(line);
      state_ = State::kPassword;
      editor_.SetMode(LineEditor::Mode::kSecret);
      return Write("Password: ");
    case State::kPassword:
      OnPassword(std::move(line));
      return;
    case State::kCommand:
      RunCommand(line);
      return;
    case State::kLoginDelay:
    case State::kClosed:
      return;
  }
}

void ConsoleSession::OnPassword(std::string password) {
  std::optional<Privilege> priv;
  if (config_->check) priv = config_->check(pending_user_, password);
  Wipe(password);
  if (!priv) return LoginFailed();
  std::string user = std::move(pending_user_);
  pending_user_.clear();
  LoggedIn(std::move(user), *priv, /*welcome=*/true);
}

void ConsoleSession::LoginFailed() {
  ++failures_;
  MLOG_PEER_ERROR(LoginLimiter(), kConsole, "console: login failed for user \"{}\" from {}",
                  pending_user_, peer_addr_);
  pending_user_.clear();
  Write("Login failed\n");
  if (failures_ >= kMaxLoginFailures) return Close("too many failed logins");
  // Each failure doubles the wait before the next try: 1 s, 2 s, 4 s, ...
  state_ = State::kLoginDelay;
  editor_.SetMode(LineEditor::Mode::kPlain);
  delay_timer_->Start(std::chrono::seconds(int64_t{1} << (failures_ - 1)),
                      [this] { AskUsername(); });
}

void ConsoleSession::LoggedIn(std::string user, Privilege priv, bool welcome) {
  if (config_->factory) command_ = config_->factory(priv, user);
  if (!command_) {
    MLOG_ERROR(kConsole, "console: no command session for {}", user);
    return Close("no command session");
  }
  command_->SetConsoleSessions(config_->sessions);
  user_ = std::move(user);
  privilege_ = priv;
  state_ = State::kCommand;
  login_timer_->Stop();
  MLOG_INFO(kConsole, "console: {} logged in from {} ({})", user_, peer_addr_, PrivilegeName(priv));
  if (welcome) {
    Write(fmt::format("\nWelcome!\nmlpppd pid {}, version {}\n", config_->pid, config_->version));
  }
  editor_.SetMode(LineEditor::Mode::kCommand);
  editor_.SetCompleter([this](std::string_view partial) { return command_->Complete(partial); });
  ShowPrompt();
}

void ConsoleSession::RunCommand(const std::string& line) {
  if (Blank(line)) return ShowPrompt();
  if (OverBacklog()) return Close("peer does not read its output");
  // mpd5 logs every console command (console level); secrets masked.
  MLOG_INFO(kConsole, "console: {}: {}", user_, LogSafeCommand(line));
  std::string out;
  command_->Run(line, &out);
  Write(Printable(out));
  if (command_->ExitRequested()) return Close("exit");
  ShowPrompt();
}

void ConsoleSession::ShowHelp() {
  // mpd5 runs HelpCommand on the words typed so far (not logged: nothing
  // runs), then shows the prompt and the line again.
  if (OverBacklog()) return Close("peer does not read its output");
  std::string out;
  command_->Run(fmt::format("help {}", editor_.line()), &out);
  Write(Printable(out));
  ShowPrompt();
  Write(editor_.line());
}

void ConsoleSession::ShowPrompt() {
  std::string prompt = command_->Prompt();
  editor_.SetPrompt(prompt);
  Write(prompt);
}

void ConsoleSession::Write(std::string_view text) {
  std::string wire;
  wire.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) wire.push_back('\r');
    wire.push_back(text[i]);
  }
  codec_.Send(wire);
}

void ConsoleSession::FlushEcho() {
  if (echo_.empty()) return;
  codec_.Send(echo_);
  echo_.clear();
}

bool ConsoleSession::OverBacklog() { return conn_ && conn_->pending_bytes() > kMaxBacklog; }

}  // namespace mlppp::control::console
