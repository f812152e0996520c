// LineEditor byte for byte: what each key shows and what line comes out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "control/console/line_editor.h"

namespace mlppp::control::console {
namespace {

using Event = LineEditor::Event;

class LineEditorTest : public ::testing::Test {
 protected:
  // Feeds every byte; returns what the terminal shows. Lines that ended
  // are collected in lines_, ^C count in interrupts_.
  std::string Type(std::string_view keys) {
    std::string out;
    for (char c : keys) {
      Event ev = ed_.Feed(static_cast<uint8_t>(c), &out);
      if (ev == Event::kLine) lines_.push_back(ed_.TakeLine());
      if (ev == Event::kInterrupt) ++interrupts_;
    }
    return out;
  }

  LineEditor ed_;
  std::vector<std::string> lines_;
  int interrupts_ = 0;
};

TEST_F(LineEditorTest, EchoesAndEndsLineOnCr) {
  EXPECT_EQ(Type("show\r"), "show\r\n");
  EXPECT_EQ(lines_, std::vector<std::string>{"show"});
}

TEST_F(LineEditorTest, CrLfCrNulAndLfAreOneLineEndEach) {
  Type("a\r\nb\r");
  Type(std::string("\0c\n", 3));
  Type("d\n\n");
  EXPECT_EQ(lines_, (std::vector<std::string>{"a", "b", "c", "d", ""}));
}

TEST_F(LineEditorTest, BackspaceAndDelErase) {
  EXPECT_EQ(Type("shx\bw\x7fow"), "shx\b \bw\b \bow");
  EXPECT_EQ(ed_.line(), "show");
  // Nothing to erase: nothing shown.
  LineEditor e2;
  std::string out;
  e2.Feed(0x7f, &out);
  EXPECT_EQ(out, "");
}

TEST_F(LineEditorTest, CtrlUKillsLineCtrlWKillsWord) {
  EXPECT_EQ(Type("ab\x15"), "ab\b \b\b \b");
  EXPECT_EQ(ed_.line(), "");
  EXPECT_EQ(Type("set foo  \x17"), "set foo  \b \b\b \b\b \b\b \b\b \b");
  EXPECT_EQ(ed_.line(), "set ");
}

TEST_F(LineEditorTest, CtrlCAbandonsLine) {
  EXPECT_EQ(Type("show\x03"), "show^C\r\n");
  EXPECT_EQ(interrupts_, 1);
  EXPECT_TRUE(lines_.empty());
  EXPECT_EQ(ed_.line(), "");
}

TEST_F(LineEditorTest, SecretModeEchoesNothingAndKeepsNoHistory) {
  ed_.SetMode(LineEditor::Mode::kSecret);
  EXPECT_EQ(Type("pw\x7fx\r"), "\r\n");
  EXPECT_EQ(lines_, std::vector<std::string>{"px"});
  EXPECT_TRUE(ed_.history().empty());
  ed_.SetMode(LineEditor::Mode::kCommand);
  EXPECT_EQ(Type("\x1b[A"), "\a");  // nothing to walk back to
}

TEST_F(LineEditorTest, HistoryWalksUpAndDown) {
  Type("show\rset\rset\r\r  \r");
  // No repeats, no blank lines.
  EXPECT_EQ(ed_.history(), (std::deque<std::string>{"show", "set"}));
  EXPECT_EQ(Type("li"), "li");
  EXPECT_EQ(Type("\x1b[A"), "\b \b\b \bset");
  EXPECT_EQ(Type("\x10"), "\b \b\b \b\b \bshow");  // ^P
  EXPECT_EQ(Type("\x1b[A"), "\a");                 // oldest
  EXPECT_EQ(Type("\x1bOB"), "\b \b\b \b\b \b\b \bset");
  EXPECT_EQ(Type("\x0e"), "\b \b\b \b\b \bli");  // ^N back to the draft
  EXPECT_EQ(ed_.line(), "li");
  EXPECT_EQ(Type("\x1b[B"), "\a");
}

TEST_F(LineEditorTest, HistoryIsBounded) {
  for (int i = 0; i < 150; ++i) Type(std::to_string(i) + "\r");
  ASSERT_EQ(ed_.history().size(), LineEditor::kMaxHistory);
  EXPECT_EQ(ed_.history().front(), "50");
}

TEST_F(LineEditorTest, OtherEscapeSequencesAndControlsAreIgnored) {
  EXPECT_EQ(Type("ab\x1b[D\x1b[1;5C\x1b[3~\x01\x02x"), "abx");
  EXPECT_EQ(ed_.line(), "abx");
  // A control byte cuts a half sequence short and counts as itself.
  EXPECT_EQ(Type("\x1b[\r"), "\r\n");
  EXPECT_EQ(lines_.back(), "abx");
}

TEST_F(LineEditorTest, LineIsCappedWithBell) {
  std::string out = Type(std::string(LineEditor::kMaxLine, 'a'));
  EXPECT_EQ(out.size(), LineEditor::kMaxLine);
  EXPECT_EQ(Type("b"), "\a");
  EXPECT_EQ(ed_.line().size(), LineEditor::kMaxLine);
}

TEST_F(LineEditorTest, TabCompletesOneMatch) {
  std::string asked;
  ed_.SetCompleter([&](std::string_view p) {
    asked = p;
    return std::vector<std::string>{"show"};
  });
  EXPECT_EQ(Type("sh\t"), "show ");
  EXPECT_EQ(asked, "sh");
  EXPECT_EQ(ed_.line(), "show ");
  // A match that is not an extension of the word replaces it.
  ed_.SetCompleter([](std::string_view) { return std::vector<std::string>{"link"}; });
  EXPECT_EQ(Type("LI\t"), "LI\b \b\b \blink ");
  EXPECT_EQ(ed_.line(), "show link ");
}

TEST_F(LineEditorTest, TabListsSeveralMatchesAndRedraws) {
  ed_.SetPrompt("[] ");
  ed_.SetCompleter([](std::string_view) {
    return std::vector<std::string>{"set", "show", "session"};
  });
  EXPECT_EQ(Type("s\t"), "s\r\nset  show  session\r\n[] s");
  EXPECT_EQ(ed_.line(), "s");
  ed_.SetCompleter([](std::string_view) { return std::vector<std::string>{}; });
  EXPECT_EQ(Type("\t"), "\a");
}

// mpd5 console.c: '?' is echoed and asks for help on the line so far,
// which stays in the editor.
TEST_F(LineEditorTest, QuestionMarkAsksForHelpAndKeepsTheLine) {
  std::string out;
  for (char c : std::string("show ")) ed_.Feed(static_cast<uint8_t>(c), &out);
  out.clear();
  EXPECT_EQ(ed_.Feed('?', &out), LineEditor::Event::kHelp);
  EXPECT_EQ(out, "?\r\n");
  EXPECT_EQ(ed_.line(), "show ");
  // Not in the user name: '?' is a character there.
  ed_.SetMode(LineEditor::Mode::kPlain);
  EXPECT_EQ(Type("a?\t"), "a?");
}

}  // namespace
}  // namespace mlppp::control::console
