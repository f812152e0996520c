#include "aaa/secrets.h"

#include <gtest/gtest.h>

namespace mlppp::aaa {
namespace {

std::string Source(const std::string& rel) { return std::string(MLPPPD_SOURCE_DIR) + "/" + rel; }

TEST(Secrets, LoadsTheMpd5Sample) {
  std::vector<std::string> diags;
  auto s = Secrets::Load(Source("tests/config/data/mpd.secret.sample"), &diags);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_TRUE(diags.empty());
  ASSERT_EQ(s->entries().size(), 6u);
  const SecretEntry* bob = s->Find("bob");
  ASSERT_NE(bob, nullptr);
  EXPECT_EQ(bob->password, "4\"foo\n");  // "\x34\"foo\n"
  ASSERT_TRUE(bob->ip.has_value());
  EXPECT_EQ(bob->ip->addr, 0xC0A8010Au);  // 192.168.1.10
  EXPECT_EQ(bob->ip->width, 24);
  EXPECT_EQ(s->Find("MyLogin")->password, "MyPassword");
  EXPECT_FALSE(s->Find("MyLogin")->ip.has_value());
  EXPECT_EQ(s->Find("fred")->password, "fred-pw");
  EXPECT_EQ(s->Find("joe")->ip->width, 32);
  EXPECT_EQ(s->Find("nobody"), nullptr);
}

TEST(Secrets, ExamplesFileLoads) {
  std::vector<std::string> diags;
  auto s = Secrets::Load(Source("examples/pppoe-server/mpd.secret"), &diags);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(diags.empty());
  ASSERT_NE(s->Find("demo"), nullptr);
  EXPECT_EQ(s->Find("demo")->password, "demo-pass");
  EXPECT_EQ(s->Find("bob")->password, "bob \"quoted\" pass");
}

TEST(Secrets, ProgramsAndCatchAll) {
  auto s = Secrets::Parse(
      "alice secret\n"
      "prog \"!/usr/local/bin/getpw -x\"\n"
      "* \"!/usr/local/bin/getpw\"\n",
      "mpd.secret", nullptr);
  ASSERT_EQ(s.entries().size(), 3u);
  EXPECT_TRUE(s.Find("prog")->IsProgram());
  EXPECT_EQ(s.Find("prog")->password, "!/usr/local/bin/getpw -x");
  EXPECT_FALSE(s.Find("alice")->IsProgram());
  EXPECT_EQ(s.Find("anyone")->user, "*");  // the catch-all
  EXPECT_EQ(s.Find("alice")->user, "alice");
}

TEST(Secrets, BadLinesAreReportedAndDropped) {
  std::vector<std::string> d;
  auto s = Secrets::Parse(
      "# comment\n"
      "   \n"
      "lonely\n"                  // 3: no password
      "x \"unterminated\n"        // 4
      "y pw 10.0.0.300\n"         // 5: bad address: the user is dropped
      "* plainpassword\n"         // 6: catch-all needs a program
      "z pw 10.0.0.1/24 extra\n"  // 7: warning, entry kept
      "z other\n",                // duplicate: first wins
      "f", &d);
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0], "f:3: missing password; entry ignored");
  EXPECT_EQ(d[1], "f:4: unterminated quoted string; entry ignored");
  EXPECT_EQ(d[2], "f:5: bad address \"10.0.0.300\"; entry for \"y\" ignored");
  EXPECT_EQ(d[3].substr(0, 4), "f:6:");
  EXPECT_EQ(d[4], "f:7: extra words after the address ignored");
  EXPECT_EQ(s.Find("y"), nullptr);
  EXPECT_EQ(s.Find("anyone"), nullptr);
  EXPECT_EQ(s.Find("z")->password, "pw");
  for (const auto& m : d) EXPECT_EQ(m.find("plainpassword"), std::string::npos);
}

TEST(Secrets, ProgramCommandMustBeShort) {
  // mpd5: the whole "!command" under 128 characters.
  std::vector<std::string> d;
  std::string ok_cmd = "!/bin/" + std::string(120, 'p');    // 126 characters
  std::string long_cmd = "!/bin/" + std::string(122, 'p');  // 128
  auto s = Secrets::Parse("a " + ok_cmd + "\nb " + long_cmd + "\n", "f", &d);
  ASSERT_NE(s.Find("a"), nullptr);
  EXPECT_EQ(s.Find("a")->password, ok_cmd);
  EXPECT_EQ(s.Find("b"), nullptr);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "f:2: password program command too long; entry ignored");
}

TEST(Secrets, MissingFileIsAnError) {
  auto s = Secrets::Load("/nonexistent/mpd.secret");
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace mlppp::aaa
