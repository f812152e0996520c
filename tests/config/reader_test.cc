#include "config/reader.h"

#include <gtest/gtest.h>

namespace mlppp::config {
namespace {

std::vector<std::string> Tok(std::string_view s) {
  std::vector<std::string> out;
  std::string err;
  EXPECT_TRUE(TokenizeLine(s, &out, &err)) << err;
  return out;
}

TEST(Tokenize, SplitsOnBlanks) {
  EXPECT_EQ(Tok("  set\tlink  mtu 1460 "),
            (std::vector<std::string>{"set", "link", "mtu", "1460"}));
}

TEST(Tokenize, QuotesKeepBlanksAndEmptyWords) {
  EXPECT_EQ(Tok(R"(set pppoe service "" "a b")"),
            (std::vector<std::string>{"set", "pppoe", "service", "", "a b"}));
  EXPECT_EQ(Tok(R"(x"y z"w)"), (std::vector<std::string>{"xy zw"}));
}

TEST(Tokenize, CEscapesInsideQuotes) {
  EXPECT_EQ(Tok(R"("\x34\"foo\n")"), (std::vector<std::string>{"4\"foo\n"}));
  EXPECT_EQ(Tok(R"("\101\t\r\\")"), (std::vector<std::string>{"A\t\r\\"}));
  EXPECT_EQ(Tok(R"("@corp1\\.net$")"), (std::vector<std::string>{"@corp1\\.net$"}));
  // Outside quotes a backslash is an ordinary character.
  EXPECT_EQ(Tok(R"(a\nb)"), (std::vector<std::string>{"a\\nb"}));
}

TEST(Tokenize, UnterminatedQuoteIsAnError) {
  std::vector<std::string> out;
  std::string err;
  EXPECT_FALSE(TokenizeLine(R"(set auth password "abc)", &out, &err));
  EXPECT_EQ(err, "unterminated quoted string");
}

TEST(Reader, LabelsCommentsAndLineNumbers) {
  std::vector<Diagnostic> d;
  auto f = ParseConfigFile(
      "# header comment\n"
      "startup:\n"
      "\tset user foo bar\n"
      "   # indented comment\n"
      "\n"
      "default: trailing words ignored\n"
      "  load dialup\n"
      "dialup:\n"
      "\tcreate bundle static B1 # not a comment\n",
      "mpd.conf", &d);
  EXPECT_TRUE(d.empty());
  ASSERT_EQ(f.labels.size(), 3u);
  ASSERT_NE(f.Find("startup"), nullptr);
  EXPECT_EQ(f.Find("startup")->size(), 1u);
  const auto& def = *f.Find("default");
  ASSERT_EQ(def.size(), 1u);
  EXPECT_EQ(def[0].line, 7);
  EXPECT_EQ(def[0].file, "mpd.conf");
  EXPECT_EQ(def[0].args, (std::vector<std::string>{"load", "dialup"}));
  const auto& dial = *f.Find("dialup");
  ASSERT_EQ(dial.size(), 1u);
  EXPECT_EQ(dial[0].args.size(), 8u);  // '#' after the first word is an argument
  EXPECT_EQ(f.Find("missing"), nullptr);
}

TEST(Reader, ContinuationJoinsLinesAndKeepsFirstLineNumber) {
  std::vector<Diagnostic> d;
  auto f = ParseConfigFile("a:\n\tset iface \\\n  addrs 1.1.1.1 \\\n2.2.2.2\n\topen\n", "f", &d);
  EXPECT_TRUE(d.empty());
  const auto& a = *f.Find("a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].line, 2);
  EXPECT_EQ(a[0].args, (std::vector<std::string>{"set", "iface", "addrs", "1.1.1.1", "2.2.2.2"}));
  EXPECT_EQ(a[1].line, 5);
}

TEST(Reader, CrLfLineEndings) {
  std::vector<Diagnostic> d;
  auto f = ParseConfigFile("a:\r\n\topen\r\n", "f", &d);
  ASSERT_NE(f.Find("a"), nullptr);
  EXPECT_EQ((*f.Find("a"))[0].args, (std::vector<std::string>{"open"}));
}

TEST(Reader, ProblemsAreReportedWithFileAndLine) {
  std::vector<Diagnostic> d;
  auto f = ParseConfigFile("\tstray\na:\n\tset \"x\nb:\na:\n\tlost\n", "x.conf", &d);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_FALSE(d[0].error);
  EXPECT_EQ(d[0].ToString(), "x.conf:1: command outside a label ignored");
  EXPECT_TRUE(d[1].error);
  EXPECT_EQ(d[1].ToString(), "x.conf:3: unterminated quoted string");
  EXPECT_EQ(d[2].ToString(), "x.conf:5: duplicate label \"a\" ignored");
  EXPECT_TRUE(f.Find("a")->empty());  // the first "a" wins; its only line was bad
}

}  // namespace
}  // namespace mlppp::config
