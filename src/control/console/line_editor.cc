#include "control/console/line_editor.h"

#include <algorithm>

namespace mlppp::control::console {
namespace {

constexpr uint8_t kCtrlC = 0x03;
constexpr uint8_t kBackspace = 0x08;
constexpr uint8_t kTab = 0x09;
constexpr uint8_t kLf = 0x0a;
constexpr uint8_t kCtrlN = 0x0e;
constexpr uint8_t kCtrlP = 0x10;
constexpr uint8_t kCr = 0x0d;
constexpr uint8_t kCtrlU = 0x15;
constexpr uint8_t kCtrlW = 0x17;
constexpr uint8_t kEscape = 0x1b;
constexpr uint8_t kDel = 0x7f;
constexpr char kBell = '\a';
// Longest escape sequence we wait for before giving up on it.
constexpr size_t kMaxEscape = 16;

bool Printable(uint8_t c) { return c >= 0x20 && c < 0x7f; }

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

}  // namespace

void LineEditor::SetMode(Mode mode) {
  mode_ = mode;
  line_.clear();
  draft_.clear();
  esc_ = Esc::kNone;
  hist_pos_ = history_.size();
}

std::string LineEditor::TakeLine() {
  std::string s = std::move(done_);
  done_.clear();
  return s;
}

LineEditor::Event LineEditor::Feed(uint8_t byte, std::string* out) {
  // CR LF and CR NUL are one Return (RFC 854).
  if (after_cr_) {
    after_cr_ = false;
    if (byte == kLf || byte == 0) return Event::kNone;
  }
  if (esc_ != Esc::kNone && FeedEscape(byte, out)) return Event::kNone;

  switch (byte) {
    case kCr:
      after_cr_ = true;
      return EndLine(out);
    case kLf:
      return EndLine(out);
    case kBackspace:
    case kDel:
      Erase(1, out);
      return Event::kNone;
    case kCtrlU:
      Erase(line_.size(), out);
      return Event::kNone;
    case kCtrlW:
      EraseWord(out);
      return Event::kNone;
    case kCtrlC:
      line_.clear();
      draft_.clear();
      hist_pos_ = history_.size();
      out->append("^C\r\n");
      return Event::kInterrupt;
    case kEscape:
      esc_ = Esc::kEsc;
      esc_len_ = 0;
      return Event::kNone;
    case kCtrlP:
      HistoryUp(out);
      return Event::kNone;
    case kCtrlN:
      HistoryDown(out);
      return Event::kNone;
    case kTab:
      if (mode_ == Mode::kCommand) Complete(out);
      return Event::kNone;
    case '?':
      // mpd5 console.c: '?' is echoed, the line so far goes to HelpCommand
      // and stays in the editor, redrawn after the help.
      if (mode_ == Mode::kCommand) {
        out->append("?\r\n");
        return Event::kHelp;
      }
      break;
    default:
      break;
  }
  if (Printable(byte)) Insert(byte, out);
  return Event::kNone;
}

bool LineEditor::FeedEscape(uint8_t byte, std::string* out) {
  // A control character inside a sequence abandons it and counts as
  // itself, so a stray ESC cannot swallow the Return after it.
  if (byte < 0x20 || ++esc_len_ > kMaxEscape) {
    esc_ = Esc::kNone;
    return byte >= 0x20;
  }
  switch (esc_) {
    case Esc::kEsc:
      esc_ = byte == '[' ? Esc::kCsi : byte == 'O' ? Esc::kSs3 : Esc::kNone;
      esc_len_ = 0;  // counts the bytes after ESC [ or ESC O
      return true;
    case Esc::kCsi:
      // ECMA-48: parameter and intermediate bytes 0x20..0x3f, then one
      // final byte 0x40..0x7e.
      if (byte < 0x40) return true;
      esc_ = Esc::kNone;
      if (esc_len_ == 1 && byte == 'A') HistoryUp(out);
      if (esc_len_ == 1 && byte == 'B') HistoryDown(out);
      return true;
    case Esc::kSs3:
      esc_ = Esc::kNone;
      if (byte == 'A') HistoryUp(out);
      if (byte == 'B') HistoryDown(out);
      return true;
    case Esc::kNone:
      break;
  }
  return false;
}

LineEditor::Event LineEditor::EndLine(std::string* out) {
  out->append("\r\n");
  done_ = std::move(line_);
  line_.clear();
  if (mode_ == Mode::kCommand && !Blank(done_) && (history_.empty() || history_.back() != done_)) {
    history_.push_back(done_);
    if (history_.size() > kMaxHistory) history_.pop_front();
  }
  hist_pos_ = history_.size();
  draft_.clear();
  return Event::kLine;
}

void LineEditor::Insert(uint8_t c, std::string* out) {
  if (line_.size() >= kMaxLine) {
    out->push_back(kBell);
    return;
  }
  line_.push_back(static_cast<char>(c));
  if (echo()) out->push_back(static_cast<char>(c));
}

void LineEditor::Erase(size_t n, std::string* out) {
  n = std::min(n, line_.size());
  line_.resize(line_.size() - n);
  if (!echo()) return;
  for (size_t i = 0; i < n; ++i) out->append("\b \b");
}

void LineEditor::EraseWord(std::string* out) {
  // As a Unix tty's WERASE: the blanks before the cursor, then the word.
  size_t end = line_.size();
  while (end > 0 && line_[end - 1] == ' ') --end;
  while (end > 0 && line_[end - 1] != ' ') --end;
  Erase(line_.size() - end, out);
}

void LineEditor::ReplaceLine(const std::string& text, std::string* out) {
  Erase(line_.size(), out);
  line_ = text;
  out->append(line_);
}

void LineEditor::HistoryUp(std::string* out) {
  if (mode_ != Mode::kCommand) return;
  if (hist_pos_ == 0) {
    out->push_back(kBell);
    return;
  }
  if (hist_pos_ == history_.size()) draft_ = line_;
  --hist_pos_;
  ReplaceLine(history_[hist_pos_], out);
}

void LineEditor::HistoryDown(std::string* out) {
  if (mode_ != Mode::kCommand) return;
  if (hist_pos_ >= history_.size()) {
    out->push_back(kBell);
    return;
  }
  ++hist_pos_;
  ReplaceLine(hist_pos_ == history_.size() ? draft_ : history_[hist_pos_], out);
}

void LineEditor::Complete(std::string* out) {
  std::vector<std::string> words;
  if (completer_) words = completer_(line_);
  if (words.empty()) {
    out->push_back(kBell);
    return;
  }
  if (words.size() > 1) {
    List(words, out);
    return;
  }
  const std::string& word = words.front();
  size_t start = line_.rfind(' ');
  start = start == std::string::npos ? 0 : start + 1;
  std::string_view partial = std::string_view(line_).substr(start);
  if (start + word.size() + 1 > kMaxLine ||
      !std::all_of(word.begin(), word.end(), [](char c) { return Printable(c); })) {
    out->push_back(kBell);
    return;
  }
  if (word.starts_with(partial)) {
    out->append(word, partial.size());
  } else {
    Erase(partial.size(), out);
    out->append(word);
  }
  line_.resize(start);
  line_.append(word);
  line_.push_back(' ');
  out->push_back(' ');
}

void LineEditor::List(const std::vector<std::string>& words, std::string* out) {
  out->append("\r\n");
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out->append("  ");
    out->append(words[i]);
  }
  out->append("\r\n");
  out->append(prompt_);
  out->append(line_);
}

}  // namespace mlppp::control::console
