// Server-side line editing for the telnet console, as mpd5's console.c
// does it (we told the client WILL ECHO, so it sends keys as typed and
// shows only what we echo). Pure logic: bytes in, terminal output and
// finished lines out; no I/O.
//
// Keys: printable ASCII is inserted and echoed (not in kSecret mode);
// Backspace/DEL erase one character ("\b \b"); ^U kills the line; ^W the
// word before the cursor; ^C abandons the line; CR, LF, CR LF and CR NUL
// end it (RFC 854 sends CR LF or CR NUL for Return); Up/Down (ESC [ A,
// ESC [ B, ESC O A/B, ^P/^N) walk the history; TAB completes the last
// word; '?' lists what can come next. Other control keys and escape
// sequences (Left/Right included) are ignored. The cursor stays at the
// end of the line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mlppp::control::console {

class LineEditor {
 public:
  enum class Mode : uint8_t {
    kCommand,  // echo, history, completion, '?' help
    kPlain,    // echo only (the user name)
    kSecret,   // no echo, nothing remembered (the password)
  };
  enum class Event : uint8_t {
    kNone,
    kLine,       // a line ended: TakeLine()
    kInterrupt,  // ^C: the line was dropped
    kHelp,       // '?' (mpd5): show `help` for line(), then redraw it
  };
  // The words that complete the last word of `partial` (CommandSession::
  // Complete): one → the word is completed plus a space; several → they
  // are listed and the prompt and line redrawn; none → a beep.
  using Completer = std::function<std::vector<std::string>(std::string_view partial)>;

  static constexpr size_t kMaxLine = 1024;  // longer input beeps (BEL)
  static constexpr size_t kMaxHistory = 100;

  LineEditor() = default;

  // Drops the line being edited; the history stays.
  void SetMode(Mode mode);
  Mode mode() const { return mode_; }
  // What to redraw after listing completions.
  void SetPrompt(std::string prompt) { prompt_ = std::move(prompt); }
  void SetCompleter(Completer completer) { completer_ = std::move(completer); }

  // One byte from the user; what the terminal should show is appended to
  // *out. After kLine the finished line is waiting in TakeLine().
  Event Feed(uint8_t byte, std::string* out);
  std::string TakeLine();

  // The line being edited.
  const std::string& line() const { return line_; }
  // Oldest first; never empty lines, consecutive repeats or kSecret input.
  const std::deque<std::string>& history() const { return history_; }

 private:
  enum class Esc : uint8_t { kNone, kEsc, kCsi, kSs3 };

  Event EndLine(std::string* out);
  void Insert(uint8_t c, std::string* out);
  void Erase(size_t n, std::string* out);
  void EraseWord(std::string* out);
  void ReplaceLine(const std::string& text, std::string* out);
  void HistoryUp(std::string* out);
  void HistoryDown(std::string* out);
  void Complete(std::string* out);
  void List(const std::vector<std::string>& words, std::string* out);
  // Returns true when the byte was part of an escape sequence.
  bool FeedEscape(uint8_t byte, std::string* out);
  bool echo() const { return mode_ != Mode::kSecret; }

  Mode mode_ = Mode::kCommand;
  std::string prompt_;
  Completer completer_;
  std::string line_;
  std::string done_;
  bool after_cr_ = false;
  Esc esc_ = Esc::kNone;
  size_t esc_len_ = 0;
  std::deque<std::string> history_;
  size_t hist_pos_ = 0;  // == history_.size() when not walking it
  std::string draft_;    // the line being typed before walking the history
};

}  // namespace mlppp::control::console
