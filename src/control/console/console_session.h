// One telnet console connection, as mpd5's console.c runs it: banner,
// telnet options, login ("Username: ", "Password: "), then a prompt and
// one CommandSession::Run per line until `exit` or the peer goes away.
// Everything happens in loop callbacks; nothing blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "control/command_session.h"
#include "control/console/line_editor.h"
#include "control/console/telnet_codec.h"
#include "event/loop.h"
#include "event/stream_conn.h"

namespace mlppp::control::console {

// What every session of one ConsoleServer shares (`set console ...`,
// `set user ...`).
struct ConsoleConfig {
  bool auth = true;  // mpd5 `set console enable auth` (the default)
  LoginCheck check;  // required when auth is on
  CommandSessionFactory factory;
  std::string version;  // printed after login: "mlpppd pid N, version V"
  int pid = 0;
  // Handed to each logged-in session's shell for `show console`; the
  // server, which outlives its sessions.
  const ConsoleSessionList* sessions = nullptr;
};

class ConsoleSession : public event::StreamReceiver, private TelnetCodec::Handler {
 public:
  // After this many failed logins the connection closes; before each new
  // "Username: " we wait 1 s, 2 s, 4 s, ... (doubling per failure).
  static constexpr int kMaxLoginFailures = 5;
  // Input without a line end beyond this closes the session.
  static constexpr size_t kMaxUnterminated = 64 * 1024;
  // Output the peer has not read (StreamConn::pending_bytes), beyond which
  // the session closes. It is checked before each command and each input
  // chunk, so one big answer always goes out, but a peer that keeps asking
  // without reading is cut off.
  static constexpr size_t kMaxBacklog = 1024 * 1024;
  // A connection that has not logged in by then closes, so idle half-open
  // logins cannot hold every session slot.
  static constexpr auto kLoginTimeout = std::chrono::seconds(60);

  // REQUIRES: conn != nullptr; loop outlives the session; config->check
  // set when config->auth. `on_closed` runs once, from inside a callback of
  // this session, with the session, when the stream closed or the session closed it: the
  // owner must then destroy the session later (Loop::DeferDelete), not
  // inside that call. It does not run when the session is destroyed open.
  ConsoleSession(event::Loop& loop, std::unique_ptr<event::StreamConn> conn, std::string peer_addr,
                 std::shared_ptr<const ConsoleConfig> config,
                 std::function<void(ConsoleSession*)> on_closed);
  ~ConsoleSession() override;
  ConsoleSession(const ConsoleSession&) = delete;
  ConsoleSession& operator=(const ConsoleSession&) = delete;

  // Sends the banner and the telnet options, then "Username: " (or, with
  // auth off, logs in as "root" with admin rights, as mpd5 does).
  void Start();
  // Closes the stream (what was written still goes out). Idempotent.
  void Close(std::string_view reason);

  bool closed() const { return closed_; }
  bool logged_in() const { return command_ != nullptr; }
  // "" until logged in.
  const std::string& user() const { return user_; }
  Privilege privilege() const { return privilege_; }
  const std::string& peer_addr() const { return peer_addr_; }
  // When the connection was accepted.
  event::TimePoint since() const { return since_; }
  int login_failures() const { return failures_; }

  // event::StreamReceiver
  void OnStreamData(std::span<const uint8_t> bytes) override;
  void OnStreamClosed() override;

 private:
  enum class State : uint8_t { kUsername, kPassword, kLoginDelay, kCommand, kClosed };

  // TelnetCodec::Handler
  void OnTelnetData(std::span<const uint8_t> bytes) override;
  void OnTelnetSend(std::span<const uint8_t> bytes) override;
  void OnTelnetCommand(uint8_t cmd) override;
  void OnTelnetError(std::string_view what) override;

  void AskUsername();
  void OnLine(std::string line);
  void OnPassword(std::string password);
  void LoginFailed();
  void LoggedIn(std::string user, Privilege priv, bool welcome);
  void RunCommand(const std::string& line);
  void ShowPrompt();
  // The editor's '?': mpd5's help for the line so far, then the line again.
  void ShowHelp();
  // Our text to the peer; "\n" becomes "\r\n".
  void Write(std::string_view text);
  void FlushEcho();
  bool OverBacklog();

  std::unique_ptr<event::StreamConn> conn_;
  std::string peer_addr_;
  std::shared_ptr<const ConsoleConfig> config_;
  std::function<void(ConsoleSession*)> on_closed_;
  TelnetCodec codec_;
  LineEditor editor_;
  std::unique_ptr<event::Timer> delay_timer_;
  std::unique_ptr<CommandSession> command_;

  State state_ = State::kUsername;
  bool closed_ = false;
  std::string user_;
  std::string pending_user_;
  Privilege privilege_ = Privilege::kUser;
  event::TimePoint since_;
  int failures_ = 0;
  size_t since_line_end_ = 0;
  std::string echo_;
  std::unique_ptr<event::Timer> login_timer_;
};

}  // namespace mlppp::control::console
