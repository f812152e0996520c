// Privileges as mpd5's command tables give them (command_privilege.h): for
// a user, an operator and an admin, a sample of commands allowed and
// refused, refusals with mpd5's "Unknown command" message.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "control/command_privilege.h"
#include "control/command_shell.h"
#include "control/fake_controller.h"

namespace mlppp::control {
namespace {

using testing::FakeController;

class PrivilegeTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillTwoSessions(&ctl_); }

  // Runs `line` as `priv` in a fresh session; the result's code.
  CommandCode Run(Privilege priv, std::string_view line, std::string* out = nullptr) {
    CommandShell sh(ctl_, priv, "someone");
    std::string o;
    CommandCode code = sh.Run(line, &o).code;
    if (out) *out = o;
    return code;
  }
  // mpd5's message echoes the line, secrets masked.
  void ExpectRefused(Privilege priv, std::string_view line) {
    std::string out;
    EXPECT_EQ(Run(priv, line, &out), CommandCode::kDenied) << PrivilegeName(priv) << ": " << line;
    EXPECT_EQ(out, fmt::format("Unknown command: '{}'. Try \"help\".\n", LogSafeCommand(line)))
        << PrivilegeName(priv);
  }
  void ExpectAllowed(Privilege priv, std::string_view line) {
    std::string out;
    EXPECT_EQ(Run(priv, line, &out), CommandCode::kOk)
        << PrivilegeName(priv) << ": " << line << "\n"
        << out;
  }

  FakeController ctl_;
};

constexpr Privilege kAll[] = {Privilege::kUser, Privilege::kOperator, Privilege::kAdmin};

TEST_F(PrivilegeTest, EveryoneMaySelectShowAndSetConsoleOptions) {
  for (Privilege p : kAll) {
    for (std::string_view line :
         {"show version", "link L-1", "bundle B-1", "session 1234567-L-1", "iface ppp1",
          "show sessions", "show console", "help", "set console enable logging",
          "set console disable logging", "set co dis logging"}) {
      ExpectAllowed(p, line);
    }
  }
}

TEST_F(PrivilegeTest, UserIsRefusedEverythingElse) {
  for (std::string_view line :
       {"open", "close", "create link static X l2tp", "destroy link L", "log", "shutdown",
        "set iface mtu 1400", "set console open", "set console close",
        "set console self 0.0.0.0 5005", "set user eve pw admin", "set web disable auth",
        "set global enable one-shot", "set radsrv open", "unset radius server 192.0.2.1"}) {
    ExpectRefused(Privilege::kUser, line);
  }
  EXPECT_TRUE(ctl_.opens.empty());
  EXPECT_TRUE(ctl_.config.users.empty());
  EXPECT_EQ(ctl_.config_changes, 0);
}

TEST_F(PrivilegeTest, OperatorMayOpenAndCloseOnly) {
  EXPECT_EQ(Run(Privilege::kOperator, "close"), CommandCode::kNoContext);  // found, no link
  {
    CommandShell op(ctl_, Privilege::kOperator, "op");
    std::string out;
    EXPECT_TRUE(op.Run("link L-1", &out).ok());
    EXPECT_TRUE(op.Run("open", &out).ok());
    EXPECT_TRUE(op.Run("close", &out).ok());
  }
  EXPECT_EQ(ctl_.opens.size(), 1u);
  for (std::string_view line : {"log", "shutdown", "create bundle X", "set bundle links L",
                                "set console open", "set web open", "set user a b"}) {
    ExpectRefused(Privilege::kOperator, line);
  }
}

TEST_F(PrivilegeTest, AdminMayRunEverything) {
  CommandShell admin(ctl_, Privilege::kAdmin, "root");
  std::string out;
  for (std::string_view line :
       {"set console open", "set console self 127.0.0.1 5010", "set console disable auth",
        "set web open", "set user eve pw operator", "set global enable one-shot", "log", "bundle B",
        "set iface mtu 1400"}) {
    EXPECT_TRUE(admin.Run(line, &out).ok()) << line << "\n" << out;
  }
  EXPECT_TRUE(ctl_.config.console.open);
  EXPECT_EQ(ctl_.config.console.port, 5010);
  EXPECT_FALSE(ctl_.config.console.auth);
  ASSERT_EQ(ctl_.config.users.size(), 1u);
  EXPECT_EQ(ctl_.config.users[0].priv, "operator");
}

TEST_F(PrivilegeTest, ConsoleAuthSwitchNeedsAdminEvenThroughEnableDisable) {
  // mpd5's `set console enable|disable` (priv 0) reaches per-session
  // options only; our global `auth` switch must not be in a user's reach.
  for (Privilege p : {Privilege::kUser, Privilege::kOperator}) {
    std::string out;
    EXPECT_EQ(Run(p, "set console disable auth", &out), CommandCode::kDenied);
    EXPECT_EQ(out, "Error in 'set console disable auth': option \"auth\" needs privilege admin\n");
    EXPECT_EQ(Run(p, "set console disable logging auth"), CommandCode::kDenied);
  }
  EXPECT_TRUE(ctl_.config.console.auth);
}

TEST_F(PrivilegeTest, PrefixesCountOnlyAllowedEntries) {
  // mpd5 FindCommand: for a user "set c" can only be console; for an admin
  // it is ccp or console.
  ExpectAllowed(Privilege::kUser, "set c enable logging");
  std::string out;
  EXPECT_EQ(Run(Privilege::kAdmin, "set c enable logging", &out), CommandCode::kUnknown);
  EXPECT_EQ(out, "Ambiguous command: 'set c enable logging'. Try \"help\".\n");
  // Below console, "set console e" is enable for everyone.
  ExpectAllowed(Privilege::kUser, "set console e logging");
}

TEST_F(PrivilegeTest, SetListingAndCompletionShowOnlyAllowedEntries) {
  std::string out;
  EXPECT_EQ(Run(Privilege::kUser, "set", &out), CommandCode::kUsage);
  EXPECT_NE(out.find(" console  : Console specific stuff"), std::string::npos) << out;
  EXPECT_EQ(out.find("iface"), std::string::npos) << out;
  CommandShell user(ctl_, Privilege::kUser, "u");
  EXPECT_EQ(user.Complete("set "), (std::vector<std::string>{"console"}));
  EXPECT_EQ(user.Complete("set console "), (std::vector<std::string>{"enable", "disable"}));
  CommandShell admin(ctl_, Privilege::kAdmin, "root");
  EXPECT_GT(admin.Complete("set ").size(), 10u);
}

TEST_F(PrivilegeTest, TopLevelPrivilegesMatchMpd5) {
  using P = Privilege;
  // mpd5 gCommands: set, load, unset (submenus), show at 0; open/close 1.
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"set"}), P::kUser);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"load"}), P::kUser);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"create"}), P::kAdmin);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"set", "iface"}), P::kAdmin);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"set", "console"}), P::kUser);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"set", "console", "self"}),
            P::kAdmin);
  EXPECT_EQ(EnginePathPrivilege(std::vector<std::string_view>{"set", "console", "disable"}),
            P::kUser);
}

class LoadPrivilegeTest : public PrivilegeTest {
 protected:
  void SetUp() override {
    PrivilegeTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / "mlppp_shell_privilege_test";
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "mpd.conf") << "mixed:\n"
                                        "\tset console disable logging\n"
                                        "\tset iface mtu 1300\n"
                                        "\tset user eve pw admin\n"
                                        "\tload inner\n"
                                        "inner:\n"
                                        "\tset console enable logging\n"
                                        "\tcreate link static Z l2tp\n"
                                        "safe:\n"
                                        "\tset console enable logging\n"
                                        "\tload loop\n"
                                        "loop:\n"
                                        "\tload loop\n";
    ctl_.config_dir = dir_.string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(LoadPrivilegeTest, BelowAdminEachLineIsCheckedAsIfTyped) {
  std::string out;
  EXPECT_EQ(Run(Privilege::kUser, "load mixed", &out), CommandCode::kFailed);
  // A refused line shows only its command word: the rest is not this
  // user's to read (secrets included).
  EXPECT_NE(out.find("mpd.conf:3: Unknown command: 'set'. Try \"help\"."), std::string::npos)
      << out;
  EXPECT_NE(out.find("mpd.conf:4: Unknown command: 'set'"), std::string::npos) << out;
  EXPECT_EQ(out.find("eve"), std::string::npos) << out;
  EXPECT_EQ(out.find("1300"), std::string::npos) << out;
  EXPECT_NE(out.find("mpd.conf:8: Unknown command: 'create'"), std::string::npos) << out;
  EXPECT_EQ(ctl_.config.FindLink("Z"), nullptr);
  EXPECT_TRUE(ctl_.config.users.empty());
  EXPECT_EQ(ctl_.config.bundles[0].iface.mtu, config::BundleConf().iface.mtu);
}

TEST_F(LoadPrivilegeTest, BelowAdminOnlyFilesOfTheConfigDirectory) {
  std::string out;
  EXPECT_EQ(Run(Privilege::kUser, "load /etc/passwd root", &out), CommandCode::kFailed);
  EXPECT_NE(out.find("only files of the configuration directory"), std::string::npos) << out;
  EXPECT_EQ(out.find("root:"), std::string::npos) << out;
  EXPECT_EQ(Run(Privilege::kOperator, "load ../mpd.conf mixed", &out), CommandCode::kFailed);
  EXPECT_NE(out.find("only files of the configuration directory"), std::string::npos) << out;
}

TEST_F(LoadPrivilegeTest, RecursionIsRefusedNotLooped) {
  std::string out;
  EXPECT_EQ(Run(Privilege::kOperator, "load safe", &out), CommandCode::kFailed);
  EXPECT_NE(out.find("recursive load of label \"loop\""), std::string::npos) << out;
}

TEST_F(LoadPrivilegeTest, AdminLoadRunsEverything) {
  std::string out;
  EXPECT_EQ(Run(Privilege::kAdmin, "load mixed", &out), CommandCode::kFailed) << out;
  // (set iface fails for want of a bundle context; set user runs.)
  ASSERT_EQ(ctl_.config.users.size(), 1u);
  EXPECT_EQ(ctl_.config.users[0].name, "eve");
  EXPECT_NE(ctl_.config.FindLink("Z"), nullptr);
}

}  // namespace
}  // namespace mlppp::control
