// The command shell's `show` commands: mpd5 layouts from a Snapshot and the
// typed configuration.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "control/command_shell.h"
#include "control/fake_controller.h"

namespace mlppp::control {
namespace {

using testing::FakeController;

class ShowTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillTwoSessions(&ctl_); }

  std::string Run(std::string_view line, CommandCode want = CommandCode::kOk) {
    std::string out;
    CommandResult r = sh_.Run(line, &out);
    EXPECT_EQ(r.code, want) << line << "\n" << out;
    return out;
  }
  static bool Has(const std::string& out, std::string_view what) {
    return out.find(what) != std::string::npos;
  }

  FakeController ctl_;
  CommandShell sh_{ctl_, Privilege::kUser, "guest"};
};

constexpr std::string_view kLine1 =
    "ppp0\t10.0.0.2\tB-1\t1234567-B-1\tL-1\t1\t1234567-L-1\talice\t02:00:00:00:00:aa\n";
constexpr std::string_view kLine2 =
    "ppp1\t10.0.0.3\tB-2\t1234568-B-2\tL-2\t26\t1234568-L-2\tBob\t02:00:00:00:00:bb\n";

TEST_F(ShowTest, SessionsAll) {
  EXPECT_EQ(Run("show sessions"), std::string(kLine1) + std::string(kLine2));
}

TEST_F(ShowTest, SessionsEachFilter) {
  EXPECT_EQ(Run("show sessions iface ppp1"), kLine2);
  EXPECT_EQ(Run("show sessions ip 10.0.0.2"), kLine1);
  EXPECT_EQ(Run("show sessions user Bob"), kLine2);
  EXPECT_EQ(Run("show sessions session 1234567-L-1"), kLine1);
  EXPECT_EQ(Run("show sessions msession 1234568-B-2"), kLine2);
  EXPECT_EQ(Run("show sessions bundle B-1"), kLine1);
  EXPECT_EQ(Run("show sessions link L-2"), kLine2);
  EXPECT_EQ(Run("show sessions link [1a]"), kLine2);
  EXPECT_EQ(Run("show sessions peer 02:00:00:00:00:aa"), kLine1);
  EXPECT_EQ(Run("show sessions user nobody"), "");
  Run("show sessions bogus x", CommandCode::kUnknown);
  Run("show sessions user", CommandCode::kUsage);
}

TEST_F(ShowTest, UnknownAndAmbiguousShow) {
  EXPECT_EQ(Run("show nothing", CommandCode::kUnknown),
            "Unknown command: 'show nothing'. Try \"help\".\n");
  // "show i" is ipcp, ipv6cp, ippool, iface.
  Run("show i", CommandCode::kUnknown);
  EXPECT_TRUE(Has(Run("show", CommandCode::kUsage), "Commands available under \"show\":"));
}

TEST_F(ShowTest, ContextNeeded) {
  EXPECT_EQ(Run("show ipcp", CommandCode::kNoContext), "Incorrect context for: 'show ipcp'\n");
  Run("show link", CommandCode::kNoContext);
  Run("show repeater", CommandCode::kNoContext);
  Run("show bundle", CommandCode::kNoContext);
}

TEST_F(ShowTest, Bundle) {
  Run("bundle B-1");
  std::string out = Run("show bundle");
  EXPECT_TRUE(Has(out, "Bundle 'B-1':\n\tLinks          : L-1[Opened/UP] \n")) << out;
  EXPECT_TRUE(Has(out, "\tStatus         : OPEN\n"));
  EXPECT_TRUE(Has(out, "\tMultiSession Id: 1234567-B-1\n"));
  EXPECT_TRUE(Has(out, "\tPeer authname  : \"alice\"\n"));
  EXPECT_TRUE(Has(out, "\tInput octets   : 111\n"));
  out = Run("show bundle B");
  EXPECT_TRUE(Has(out, "Bundle 'B' (template):\n")) << out;
  EXPECT_TRUE(Has(out, "\tipcp      \tenable\n")) << out;
  EXPECT_TRUE(Has(out, "\tipv6cp    \tdisable\n"));
  Run("show bundle nope", CommandCode::kFailed);
}

TEST_F(ShowTest, Link) {
  Run("link L-1");
  std::string out = Run("show link");
  EXPECT_TRUE(Has(out, "Link L-1:\n")) << out;
  // Settings come from the template the instance was made from.
  EXPECT_TRUE(Has(out, "\tDevice type    : pppoe\n")) << out;
  EXPECT_TRUE(Has(out, "\t\t\tSelf\t\tPeer\n"));
  EXPECT_TRUE(Has(out, "\tpap       \tdisable\t\taccept\n"));
  EXPECT_TRUE(Has(out, "\tchap-msv1 \tdisable\t\tdeny\n"));
  EXPECT_TRUE(Has(out, "\tincoming  \tenable\n"));
  EXPECT_TRUE(Has(out, "\tSession Id     : 1234567-L-1\n"));
  EXPECT_TRUE(Has(out, "\tOutput octets  : 2000\n"));
  Run("link L");
  EXPECT_TRUE(Has(Run("show link"), "Link L (template):\n"));
}

TEST_F(ShowTest, Iface) {
  Run("bundle B-1");
  std::string out = Run("show iface");
  EXPECT_TRUE(Has(out, "\tName            : ppp0\n")) << out;
  EXPECT_TRUE(Has(out, "\tIP Addresses    : 10.0.0.1 -> 10.0.0.2\n"));
  EXPECT_TRUE(Has(out, "Interface status:\n\tStatus          : UP\n")) << out;
  ctl_.snapshot.bundles[0].iface_open = false;  // after `close iface`
  EXPECT_TRUE(Has(Run("show iface"), "Interface status:\n\tStatus          : CLOSED\n"));
  Run("bundle B");
  out = Run("show iface");
  EXPECT_TRUE(Has(out, "\tMTU             : 1500 bytes\n")) << out;
}

TEST_F(ShowTest, Ipcp) {
  ctl_.config.bundles[0].ipcp_conf.peer_pool = "pool1";
  ctl_.config.bundles[0].ipcp_conf.dns1 = 0x08080808;
  Run("bundle B-1");
  std::string out = Run("show ipcp");
  EXPECT_TRUE(Has(out, "[B-1] IPCP [Opened]\n")) << out;
  EXPECT_TRUE(Has(out, "\tSelf: 10.0.0.1\n\tPeer: 10.0.0.2\n"));
  EXPECT_TRUE(Has(out, "DNS servers :      192.0.2.53          0.0.0.0\n")) << out;
  Run("bundle B");
  out = Run("show ipcp");
  EXPECT_TRUE(Has(out, "[B] IPCP [Initial]\n")) << out;
  EXPECT_TRUE(Has(out, "\tPeer: ippool pool1\n"));
  EXPECT_TRUE(Has(out, "DNS servers :         8.8.8.8          0.0.0.0\n")) << out;
}

TEST_F(ShowTest, Lcp) {
  LinkView& l = ctl_.snapshot.links[1];
  l.magic = 0x1234abcd;
  l.peer_magic = 0xfeed;
  l.acfcomp = true;
  l.peer_protocomp = true;
  l.peer_mru = 1480;
  Run("link L-2");
  // mpd5 LcpStat: state, then Self (what we ask) and Peer (what it asked).
  EXPECT_EQ(Run("show lcp"),
            "LCP [Opened]\n"
            "Self:\n"
            "\tMRU      : 1492 bytes\n"
            "\tMAGIC    : 0x1234abcd\n"
            "\tACCMAP   : 0x00000000\n"
            "\tACFCOMP  : Yes\n"
            "\tPROTOCOMP: No\n"
            "\tAUTHTYPE : CHAP-MD5\n"
            "Peer:\n"
            "\tMRU      : 1480 bytes\n"
            "\tMAGIC    : 0x0000feed\n"
            "\tACCMAP   : 0x00000000\n"
            "\tACFCOMP  : No\n"
            "\tPROTOCOMP: Yes\n"
            "\tAUTHTYPE : none\n");
  // The template: its configuration, nothing negotiated.
  Run("link L");
  std::string out = Run("show lcp");
  EXPECT_TRUE(Has(out, "LCP [Initial]\nSelf:\n\tMRU      : 1500 bytes\n")) << out;
  EXPECT_TRUE(Has(out, "Peer:\n\tMRU      : 0 bytes\n\tMAGIC    : 0x00000000\n")) << out;
}

TEST_F(ShowTest, Ccp) {
  Run("bundle B-2");
  std::string out = Run("show ccp");
  EXPECT_TRUE(Has(out, "[B-2] CCP [Opened]\n")) << out;
  EXPECT_TRUE(Has(out, "\tProto\t: MPPE 128 bit, stateless\n\tResets\t: 4\n"));
  EXPECT_TRUE(
      Has(out, "Incoming decompression:\n\tProto\t: MPPE 128 bit, stateless\n\tResets\t: 3\n"));
}

TEST_F(ShowTest, SummaryVersionLayersTypes) {
  ctl_.snapshot.counters.setups["pppoe"] = 7;
  std::string out = Run("show summary");
  EXPECT_TRUE(Has(out, "Current daemon status summary\n")) << out;
  EXPECT_TRUE(Has(out, "ppp0\tB-1\tUp\tL-1\tOpened\tpppoe\tUP\t   alice\t02:00:00:00:00:aa\n"))
      << out;
  EXPECT_TRUE(Has(out, "\t\t\tL\tInitial\tpppoe\tDOWN\t        \t\n")) << out;
  EXPECT_TRUE(Has(out, "\tpppoe   : 7\n"));
  EXPECT_TRUE(Has(Run("show version"), "MPD version: mlpppd 0.1.0\n"));
  out = Run("show layers");
  EXPECT_TRUE(
      Has(out, "\tName\t\tDescription\n\t----\t\t-----------\n\tiface\t\tSystem interface\n"));
  EXPECT_TRUE(Has(out, "\tdevice\t\tPhysical link layer\n"));
  EXPECT_EQ(Run("show types"),
            "Supported device types:\n\tpptp\tPPTP tunnel\n\tl2tp\tL2TP tunnel\n"
            "\tpppoe\tPPP over Ethernet\n");
}

TEST_F(ShowTest, EverySubcommandRunsInContext) {
  Run("link L-1");
  for (std::string_view cmd :
       {"bundle", "customer", "ccp",    "mppc",   "ecp",     "eap",      "events",  "ipcp",
        "ipv6cp", "ippool",   "iface",  "routes", "layers",  "device",   "pptp",    "l2tp",
        "link",   "auth",     "radius", "radsrv", "lcp",     "nat",      "mem",     "console",
        "web",    "user",     "global", "types",  "version", "sessions", "summary", "netflow"}) {
    std::string out;
    CommandResult r = sh_.Run(fmt::format("show {}", cmd), &out);
    EXPECT_EQ(r.code, CommandCode::kOk) << cmd << "\n" << out;
    EXPECT_FALSE(out.empty()) << cmd;
  }
}

}  // namespace
}  // namespace mlppp::control
