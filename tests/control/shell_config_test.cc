// The command shell's run-time configuration (`set`, `create`, `destroy`,
// `unset`, `load`), `log`, `help`, and that no show prints a secret.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "control/command_shell.h"
#include "control/fake_controller.h"
#include "core/log.h"

namespace mlppp::control {
namespace {

using testing::FakeController;

class ConfigShellTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillTwoSessions(&ctl_); }

  std::string Run(std::string_view line, CommandCode want = CommandCode::kOk) {
    std::string out;
    CommandResult r = sh_.Run(line, &out);
    EXPECT_EQ(r.code, want) << line << "\n" << out;
    return out;
  }

  FakeController ctl_;
  CommandShell sh_{ctl_, Privilege::kAdmin, "root"};
};

TEST_F(ConfigShellTest, SetIfaceMtuOnSelectedBundle) {
  Run("bundle B");
  EXPECT_EQ(Run("set iface mtu 1400"), "");
  EXPECT_EQ(ctl_.config.bundles[0].iface.mtu, 1400);
  EXPECT_EQ(ctl_.config_changes, 1);
  // Prefixes work inside the engine's tables too.
  Run("se if mtu 1300", CommandCode::kUnknown);  // "se": session or set
  Run("set if mtu 1300");
  EXPECT_EQ(ctl_.config.bundles[0].iface.mtu, 1300);
}

TEST_F(ConfigShellTest, SetOnLiveInstanceEditsItsTemplate) {
  Run("link L-1");
  Run("set link mru 1400");
  EXPECT_EQ(ctl_.config.links[0].mru, 1400);
}

TEST_F(ConfigShellTest, SetOnLiveBundleInstanceEditsItsTemplate) {
  ctl_.snapshot.bundles[0].conf_name = "B";
  Run("bundle B-1");
  Run("set iface mtu 1410");
  EXPECT_EQ(ctl_.config.bundles[0].iface.mtu, 1410);
}

TEST_F(ConfigShellTest, BadSetReportsAndChangesNothing) {
  Run("bundle B");
  std::string out = Run("set iface mtu lots", CommandCode::kFailed);
  EXPECT_EQ(out.rfind("Error in 'set iface mtu lots': ", 0), 0u) << out;
  EXPECT_EQ(ctl_.config.bundles[0].iface.mtu, 1500);
  EXPECT_EQ(ctl_.config_changes, 0);
  // A line that fails half way leaves the first half undone as well.
  Run("link L");
  Run("set link enable pap nosuchoption", CommandCode::kFailed);
  EXPECT_FALSE(ctl_.config.links[0].pap.enable);
}

TEST_F(ConfigShellTest, SetErrorsInMpd5Words) {
  EXPECT_EQ(Run("set iface mtu 1400", CommandCode::kNoContext),
            "Incorrect context for: 'set iface mtu 1400'\n");
  EXPECT_EQ(Run("set nosuch thing", CommandCode::kUnknown),
            "Unknown command: 'set nosuch thing'. Try \"help\".\n");
  Run("bundle B");
  EXPECT_EQ(Run("set iface mtu", CommandCode::kUsage), "Usage: set iface mtu {size} [override]\n");
  EXPECT_NE(Run("set iface", CommandCode::kUsage).find("Commands available under \"set iface\":"),
            std::string::npos);
}

TEST_F(ConfigShellTest, CreateMovesContext) {
  Run("create bundle static B9");
  EXPECT_EQ(sh_.bundle(), "B9");
  ASSERT_NE(ctl_.config.FindBundle("B9"), nullptr);
  Run("create link static L9 pppoe");
  EXPECT_EQ(sh_.link(), "L9");
  Run("set pppoe iface eth1");
  EXPECT_EQ(ctl_.config.FindLink("L9")->pppoe.iface, "eth1");
  Run("create link static L9 pppoe", CommandCode::kFailed);  // exists already
}

TEST_F(ConfigShellTest, DestroyAndUnset) {
  Run("link L");
  Run("set radius server 192.0.2.1 s3cret");
  Run("set radius server 192.0.2.2 s3cret");
  Run("unset radius server 192.0.2.1");
  ASSERT_EQ(ctl_.config.links[0].radius.servers.size(), 1u);
  EXPECT_EQ(ctl_.config.links[0].radius.servers[0].host, "192.0.2.2");
  Run("unset radius server 192.0.2.9", CommandCode::kFailed);
  Run("destroy link");
  EXPECT_EQ(ctl_.config.FindLink("L"), nullptr);
  EXPECT_EQ(sh_.link(), "");
  Run("destroy bundle B");
  EXPECT_TRUE(ctl_.config.bundles.empty());
  Run("destroy link L-2");  // a live instance: closed
  ASSERT_EQ(ctl_.closes.size(), 1u);
  EXPECT_EQ(ctl_.closes[0].link, "L-2");
  Run("destroy bundle nope", CommandCode::kFailed);
}

TEST_F(ConfigShellTest, LoadFromConfigDir) {
  auto dir = std::filesystem::temp_directory_path() / "mlppp_shell_load_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "extra.conf");
    f << "more:\n\tcreate bundle static BX\n\tset iface mtu 1280\n\tset iface bogus 1\n";
  }
  ctl_.config_dir = dir.string();
  std::string out = Run("load extra.conf more", CommandCode::kFailed);
  EXPECT_NE(out.find("extra.conf:4:"), std::string::npos) << out;
  // The lines that worked stay, as mpd5 runs a label to its end.
  ASSERT_NE(ctl_.config.FindBundle("BX"), nullptr);
  EXPECT_EQ(ctl_.config.FindBundle("BX")->iface.mtu, 1280);
  EXPECT_EQ(sh_.bundle(), "BX");
  Run("load extra.conf nolabel", CommandCode::kFailed);
  std::filesystem::remove_all(dir);
}

TEST_F(ConfigShellTest, LogShowsAndSetsCategories) {
  uint64_t saved = log::Mask();
  log::SetCategory(log::Cat::kLcp, false);
  log::SetCategory(log::Cat::kEcho, true);
  Run("log +lcp -echo");
  EXPECT_TRUE(log::Enabled(log::Cat::kLcp));
  EXPECT_FALSE(log::Enabled(log::Cat::kEcho));
  std::string out = Run("log");
  EXPECT_NE(out.find("    Log Option    Enabled     Description\n"), std::string::npos) << out;
  EXPECT_NE(out.find("      LCP           Yes         LCP negotiation\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("      ECHO          No          Echo/reply"), std::string::npos) << out;
  EXPECT_EQ(Run("log +nonsense"), "\"nonsense\" is unknown. Enter \"log\" for list.\n");
  Run("log -all");
  EXPECT_FALSE(log::Enabled(log::Cat::kBund));
  log::SetMask(saved);
}

TEST_F(ConfigShellTest, Help) {
  std::string out = Run("help");
  EXPECT_EQ(out.rfind("Available commands:\n", 0), 0u);
  EXPECT_NE(out.find(" authname : Choose link by auth name\t bundle   : Choose/list bundles "),
            std::string::npos)
      << out;
  EXPECT_EQ(Run("help link"), "Usage: link {name}\n");
  EXPECT_EQ(Run("help set iface mtu"), "Usage: set iface mtu {size} [override]\n");
  EXPECT_NE(Run("help show").find(" version  : Version string"), std::string::npos);
  EXPECT_EQ(Run("help zzz"), "Unknown command: 'zzz'.\n");
  // A user's help lists only what a user may run.
  FakeController f;
  CommandShell user(f, Privilege::kUser, "u");
  std::string uout;
  user.Run("help", &uout);
  EXPECT_EQ(uout.find("shutdown"), std::string::npos);
  EXPECT_NE(uout.find("show"), std::string::npos);
}

// mpd5 HelpCommand lists a menu's entries with their cmdtab descriptions,
// two a line (" %-9s: %-20s", a tab between the two).
TEST_F(ConfigShellTest, HelpListsMpd5Descriptions) {
  std::string out = Run("help set");
  EXPECT_EQ(out.rfind("Commands available under \"set\":\n"
                      " bundle   : Bundle specific stuff\t link     : Link specific stuff \n"
                      " iface    : Interface specific stuff\t ipcp     : IPCP specific stuff \n",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find(" console  : Console specific stuff"), std::string::npos) << out;
  out = Run("help set bundle");
  EXPECT_EQ(out.rfind("Commands available under \"set bundle\":\n"
                      " period   : BoD sampling period \t lowat    : BoD low water mark  \n",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find(" fsm-timeout: FSM retry timeout"), std::string::npos) << out;
  EXPECT_NE(out.find(" yes      : Enable and accept option"), std::string::npos) << out;
  EXPECT_EQ(Run("help create"),
            "Commands available under \"create\":\n"
            " link     : Create link/template\t bundle   : Create bundle/template\n");
  // Submenus below the first level, and prefixes, as mpd5 walks them.
  EXPECT_NE(Run("help set link act").find(" bundle   : Terminate incomings locally"),
            std::string::npos);
  // A leaf prints its usage; one without arguments no trailing blank.
  EXPECT_EQ(Run("help set bundle period"), "Usage: set bundle period {seconds}\n");
  EXPECT_EQ(Run("help set console open"), "Usage: set console open\n");
  // Unknown words are named as typed.
  EXPECT_EQ(Run("help set if zz"), "Unknown command: 'set if zz'.\n");
  // An unfinished `set` prints the same listing (mpd5 DoCommand → HelpCommand).
  out = Run("set", CommandCode::kUsage);
  EXPECT_NE(out.find(" bundle   : Bundle specific stuff\t link     : Link specific stuff \n"),
            std::string::npos)
      << out;
  Run("bundle B");
  out = Run("set iface", CommandCode::kUsage);
  EXPECT_NE(out.find(" mtu      : Set max allowed interface MTU"), std::string::npos) << out;
  // A user sees only the entries a user may run.
  FakeController f;
  CommandShell user(f, Privilege::kUser, "u");
  std::string uout;
  user.Run("help set", &uout);
  EXPECT_EQ(uout, "Commands available under \"set\":\n console  : Console specific stuff\n");
  uout.clear();
  user.Run("help set console", &uout);
  EXPECT_NE(uout.find(" enable   : Enable this console option"), std::string::npos) << uout;
  EXPECT_EQ(uout.find("open"), std::string::npos) << uout;
}

TEST_F(ConfigShellTest, NoSecretEverShown) {
  Run("set user admin2 Pa55wordA admin");
  Run("link L");
  Run("set auth password Pa55wordB");
  Run("set radius server 192.0.2.1 Pa55wordC 1812 1813");
  Run("set radsrv peer 192.0.2.7 Pa55wordD");
  Run("bundle B");
  Run("set ecp key Pa55wordE");
  Run("create link static T l2tp");
  Run("set l2tp secret Pa55wordF");
  std::string all;
  for (std::string_view sel : {"link L", "link T", "link L-1", "bundle B"}) {
    Run(sel);
    for (const auto& cmd :
         {"bundle",  "customer", "ccp",    "mppc",   "ecp",     "eap",      "ipcp",   "ipv6cp",
          "ippool",  "iface",    "device", "link",   "auth",    "radius",   "radsrv", "lcp",
          "console", "web",      "user",   "global", "summary", "sessions", "l2tp",   "pptp"}) {
      std::string out;
      sh_.Run(fmt::format("show {}", cmd), &out);
      all += out;
    }
  }
  EXPECT_EQ(all.find("Pa55word"), std::string::npos) << all;
  EXPECT_NE(all.find("admin2"), std::string::npos);
  // Error lines echo the command with the secret masked.
  std::string out = Run("set user x Pa55wordG badpriv", CommandCode::kFailed);
  EXPECT_EQ(out.find("Pa55word"), std::string::npos) << out;
  EXPECT_NE(out.find("set user x ******** badpriv"), std::string::npos) << out;
}

}  // namespace
}  // namespace mlppp::control
