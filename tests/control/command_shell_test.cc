// The command shell's word matching, privileges, mpd5 error messages,
// context selection and prompt.
#include "control/command_shell.h"

#include <gtest/gtest.h>

#include "control/fake_controller.h"

namespace mlppp::control {
namespace {

using testing::FakeController;

class ShellTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillTwoSessions(&ctl_); }

  std::string Run(CommandShell& sh, std::string_view line, CommandCode want = CommandCode::kOk) {
    std::string out;
    CommandResult r = sh.Run(line, &out);
    EXPECT_EQ(r.code, want) << line << "\n" << out;
    return out;
  }

  FakeController ctl_;
  CommandShell admin_{ctl_, Privilege::kAdmin, "root"};
  CommandShell op_{ctl_, Privilege::kOperator, "op"};
  CommandShell user_{ctl_, Privilege::kUser, "guest"};
};

TEST_F(ShellTest, EmptyLineDoesNothing) {
  EXPECT_EQ(Run(admin_, ""), "");
  EXPECT_EQ(Run(admin_, "   "), "");
}

TEST_F(ShellTest, UnknownCommandMessage) {
  EXPECT_EQ(Run(admin_, "frobnicate now", CommandCode::kUnknown),
            "Unknown command: 'frobnicate now'. Try \"help\".\n");
}

TEST_F(ShellTest, AmbiguousPrefix) {
  // "s" is session, set, shutdown, show.
  EXPECT_EQ(Run(admin_, "s", CommandCode::kUnknown), "Ambiguous command: 's'. Try \"help\".\n");
  EXPECT_EQ(Run(admin_, "se", CommandCode::kUnknown), "Ambiguous command: 'se'. Try \"help\".\n");
}

TEST_F(ShellTest, UnambiguousPrefixRuns) {
  Run(admin_, "li L-1");
  EXPECT_EQ(admin_.link(), "L-1");
  std::string out = Run(admin_, "sho ver");
  EXPECT_NE(out.find("MPD version: mlpppd 0.1.0"), std::string::npos);
}

TEST_F(ShellTest, PrefixCountsOnlyAllowedCommands) {
  // For a user, "s" means session or show; "sh" only show (shutdown is
  // admin-only), so it is not ambiguous.
  std::string out = Run(user_, "sh version");
  EXPECT_NE(out.find("MPD version"), std::string::npos);
  // For an admin, "sh" is also shutdown.
  Run(admin_, "sh version", CommandCode::kUnknown);
}

TEST_F(ShellTest, ExactMatchWinsOverLongerNames) {
  // "set" is a prefix of nothing else, but "session" and "set" share "se";
  // "link" exactly names a command even though "load"/"log" start with "l".
  Run(admin_, "link L-2");
  EXPECT_EQ(admin_.link(), "L-2");
}

TEST_F(ShellTest, UserCannotOpenCloseSetShutdown) {
  // (`load` itself is privilege user in mpd5: shell_privilege_test.cc.)
  for (std::string_view line : {"open", "close", "set iface mtu 1400", "shutdown", "log",
                                "create bundle X", "destroy link L"}) {
    std::string out;
    CommandResult r = user_.Run(line, &out);
    EXPECT_EQ(r.code, CommandCode::kDenied) << line;
    EXPECT_EQ(out.rfind("Unknown command: '", 0), 0u) << out;
  }
  EXPECT_TRUE(ctl_.opens.empty());
  EXPECT_EQ(ctl_.shutdowns, 0);
}

TEST_F(ShellTest, OperatorCanOpenCloseButNotSet) {
  Run(op_, "link L-1");
  Run(op_, "open");
  Run(op_, "close ipcp");
  ASSERT_EQ(ctl_.opens.size(), 1u);
  EXPECT_EQ(ctl_.opens[0], (FakeController::LayerCall{"L-1", "B-1", Layer::kLink}));
  ASSERT_EQ(ctl_.closes.size(), 1u);
  EXPECT_EQ(ctl_.closes[0], (FakeController::LayerCall{"L-1", "B-1", Layer::kIpcp}));
  Run(op_, "set iface mtu 1400", CommandCode::kDenied);
  Run(op_, "shutdown", CommandCode::kDenied);
}

TEST_F(ShellTest, AdminShutdown) {
  Run(admin_, "shutdown");
  EXPECT_EQ(ctl_.shutdowns, 1);
  EXPECT_TRUE(admin_.ExitRequested());
}

TEST_F(ShellTest, Exit) {
  EXPECT_FALSE(user_.ExitRequested());
  Run(user_, "exit");
  EXPECT_TRUE(user_.ExitRequested());
  Run(user_, "exit now", CommandCode::kUsage);
}

TEST_F(ShellTest, OpenWithoutContextIsIncorrectContext) {
  EXPECT_EQ(Run(op_, "open", CommandCode::kNoContext), "Incorrect context for: 'open'\n");
  EXPECT_EQ(Run(op_, "close iface", CommandCode::kNoContext),
            "Incorrect context for: 'close iface'\n");
}

TEST_F(ShellTest, OpenLayerPrefixAndUnknownLayer) {
  Run(op_, "bundle B-2");
  Run(op_, "open ipv6");
  ASSERT_EQ(ctl_.opens.size(), 1u);
  EXPECT_EQ(ctl_.opens[0].layer, Layer::kIpv6cp);
  std::string out = Run(op_, "open bogus", CommandCode::kUsage);
  EXPECT_NE(out.find("Usage: open [{layer}]"), std::string::npos);
  EXPECT_EQ(ctl_.opens.size(), 1u);
}

TEST_F(ShellTest, ControllerErrorIsErrorIn) {
  ctl_.layer_status = Status::Error("link is a template");
  Run(op_, "link L");
  EXPECT_EQ(Run(op_, "open", CommandCode::kFailed), "Error in 'open': link is a template\n");
}

TEST_F(ShellTest, UsageErrorPrintsCommandHelp) {
  EXPECT_EQ(Run(user_, "link a b", CommandCode::kUsage), "Usage: link {name}\n");
  EXPECT_EQ(Run(user_, "session a b", CommandCode::kUsage), "Usage: session {sesid}\n");
}

TEST_F(ShellTest, PromptFollowsContext) {
  EXPECT_EQ(user_.Prompt(), "[] ");
  Run(user_, "bundle B-2");
  // Selecting a bundle selects its first link; the prompt shows the link.
  EXPECT_EQ(user_.link(), "L-2");
  EXPECT_EQ(user_.Prompt(), "[L-2] ");
  Run(user_, "bundle B");  // a template bundle with no links
  EXPECT_EQ(user_.link(), "");
  EXPECT_EQ(user_.Prompt(), "[B] ");
}

TEST_F(ShellTest, LinkSelectsItsBundle) {
  Run(user_, "link L-1");
  EXPECT_EQ(user_.bundle(), "B-1");
  Run(user_, "link [1a]");
  EXPECT_EQ(user_.link(), "L-2");
  EXPECT_EQ(user_.bundle(), "B-2");
  Run(user_, "link L");  // idle template: no bundle
  EXPECT_EQ(user_.bundle(), "");
}

TEST_F(ShellTest, FailedSelectionClearsContext) {
  Run(user_, "link L-1");
  EXPECT_EQ(Run(user_, "link nope", CommandCode::kFailed),
            "Error in 'link nope': Link \"nope\" is not defined\n");
  EXPECT_EQ(user_.Prompt(), "[] ");
  Run(user_, "link L-1");
  EXPECT_EQ(Run(user_, "bundle nope", CommandCode::kFailed),
            "Error in 'bundle nope': Bundle \"nope\" not defined.\n");
  EXPECT_EQ(user_.link(), "");
}

TEST_F(ShellTest, EachSelector) {
  Run(user_, "session 1234568-L-2");
  EXPECT_EQ(user_.link(), "L-2");
  Run(user_, "msession 1234567-B-1");
  EXPECT_EQ(user_.bundle(), "B-1");
  EXPECT_EQ(user_.link(), "L-1");
  Run(user_, "iface ppp1");
  EXPECT_EQ(user_.bundle(), "B-2");
  EXPECT_EQ(user_.link(), "L-2");
  Run(user_, "authname alice");
  EXPECT_EQ(user_.link(), "L-1");
  Run(user_, "authname bob", CommandCode::kFailed);
  Run(user_, "authname bob CI");
  EXPECT_EQ(user_.link(), "L-2");
  EXPECT_EQ(Run(user_, "session x", CommandCode::kFailed),
            "Error in 'session x': Session \"x\" is not found\n");
  EXPECT_EQ(Run(user_, "iface ppp9", CommandCode::kFailed),
            "Error in 'iface ppp9': iface \"ppp9\" is not found\n");
  Run(user_, "msession x", CommandCode::kFailed);
  EXPECT_EQ(Run(user_, "repeater R", CommandCode::kFailed),
            "Error in 'repeater R': Repeater \"R\" not defined.\n");
}

TEST_F(ShellTest, ListingSelectors) {
  std::string out = Run(user_, "bundle");
  EXPECT_NE(out.find("Defined bundles:\n\tB-1            L-1 \n"), std::string::npos) << out;
  EXPECT_NE(out.find("\tB              \n"), std::string::npos) << out;
  out = Run(user_, "link");
  EXPECT_NE(out.find("\tL-1            B-1\n"), std::string::npos) << out;
  EXPECT_NE(Run(user_, "session").find("\t1234567-L-1\n"), std::string::npos);
  EXPECT_NE(Run(user_, "iface").find("\tppp0\tB-1\n"), std::string::npos);
  EXPECT_EQ(Run(user_, "repeater"), "Defined repeaters:\n");
}

TEST_F(ShellTest, UnterminatedQuote) {
  std::string out = Run(admin_, "set user a \"secret", CommandCode::kFailed);
  EXPECT_EQ(out.find("secret"), std::string::npos) << out;
}

TEST_F(ShellTest, CompleteCommandWords) {
  // `set` is privilege 0 in mpd5 (its entries are checked below it).
  EXPECT_EQ(user_.Complete("s"), (std::vector<std::string>{"session", "set", "show"}));
  EXPECT_EQ(admin_.Complete("sh"), (std::vector<std::string>{"shutdown", "show"}));
  EXPECT_EQ(user_.Complete("show ver"), (std::vector<std::string>{"version"}));
  EXPECT_EQ(admin_.Complete("set iface m"), (std::vector<std::string>{"mtu"}));
  EXPECT_EQ(op_.Complete("open ip"), (std::vector<std::string>{"ipcp", "ipv6cp"}));
  EXPECT_TRUE(user_.Complete("zzz").empty());
  // A line of blanks only (found by fuzz_console_command): every command.
  EXPECT_EQ(user_.Complete("\v"), user_.Complete(""));
  EXPECT_FALSE(user_.Complete("\v").empty());
  EXPECT_EQ(user_.Complete("show\t"), user_.Complete("show "));
}

}  // namespace
}  // namespace mlppp::control
