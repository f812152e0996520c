// The command shell's device, tunnel, auth, RADIUS and web shows in mpd5's
// layouts (phys.c PhysStat with pppoe.c PppoeStat / l2tp.c L2tpStat /
// pptp.c PptpStat, L2tpsStat, PptpsStat, auth.c AuthStat, radius.c
// RadStat, web.c WebStat).
#include <gtest/gtest.h>

#include "control/command_shell.h"
#include "control/fake_controller.h"

namespace mlppp::control {
namespace {

using testing::FakeController;

class ShowDeviceTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::FillTwoSessions(&ctl_); }

  std::string Run(std::string_view line) {
    std::string out;
    CommandResult r = sh_.Run(line, &out);
    EXPECT_EQ(r.code, CommandCode::kOk) << line << "\n" << out;
    return out;
  }
  static bool Has(const std::string& out, std::string_view what) {
    return out.find(what) != std::string::npos;
  }

  // An L2TP template "T" with one incoming call "T-1" up, and a PPTP
  // template "P" with two calls from one peer.
  void AddTunnels() {
    config::LinkConf t;
    t.name = "T";
    t.is_template = true;
    t.type = "l2tp";
    t.incoming = true;
    t.l2tp.self_addr = "192.0.2.1";
    t.l2tp.peer_addr = "198.51.100.0";
    t.l2tp.peer_width = 24;
    t.l2tp.hostname = "lns";
    t.l2tp.secret = "tunnel-secret";
    ctl_.config.links.push_back(t);
    config::LinkConf p;
    p.name = "P";
    p.is_template = true;
    p.type = "pptp";
    p.incoming = true;
    ctl_.config.links.push_back(p);

    LinkView l = testing::MakeLink("T-1", 3, "", "1234569-T-1", "carol", "198.51.100.7");
    l.conf_name = "T";
    l.type = "l2tp";
    l.self_addr = "192.0.2.1";
    l.incoming = true;
    l.calling_num = "5551234";
    ctl_.snapshot.links.push_back(l);
    ctl_.snapshot.tunnels.push_back(
        {"l2tp", "l2tp0", "192.0.2.1", "198.51.100.7", 1701, 0, "established", 1, {"T-1"}});
    ctl_.snapshot.tunnels.push_back(
        {"pptp", "pptp0", "192.0.2.1", "203.0.113.9", 1723, 0, "ESTABLISHED", 2, {"P-1", "P-2"}});
  }

  FakeController ctl_;
  CommandShell sh_{ctl_, Privilege::kUser, "guest"};
};

TEST_F(ShowDeviceTest, PppoeInstance) {
  ctl_.snapshot.links[0].incoming = true;
  ctl_.snapshot.links[0].service = "isp";
  Run("link L-1");
  EXPECT_EQ(Run("show device"),
            "Device 'L-1' (instance)\n"
            "\tType         : pppoe\n"
            "\tState        : UP\n"
            "\tSession time : 60 seconds\n"
            "PPPoE configuration:\n"
            "\tIface Name   : eth0\n"
            "\tSession      : *\n"
            "PPPoE status:\n"
            "\tOpened       : YES\n"
            "\tIncoming     : YES\n"
            "\tCurrent peer : 02:00:00:00:00:aa\n"
            "\tSession      : isp\n"
            "\tCircuit-ID   : \n"
            "\tRemote-ID    : \n");
}

TEST_F(ShowDeviceTest, PppoeTemplateHasNoStatus) {
  Run("link L");
  std::string out = Run("show device");
  EXPECT_TRUE(Has(out, "Device 'L' (template)\n\tType         : pppoe\nPPPoE configuration:\n"))
      << out;
  EXPECT_FALSE(Has(out, "State")) << out;
  EXPECT_TRUE(out.ends_with("PPPoE status:\n")) << out;
}

TEST_F(ShowDeviceTest, L2tpCallShowsTunnelEndpointsAndNeverTheSecret) {
  AddTunnels();
  Run("link T-1");
  std::string out = Run("show device");
  EXPECT_TRUE(Has(out, "Device 'T-1' (instance)\n\tType         : l2tp\n")) << out;
  EXPECT_TRUE(Has(out,
                  "L2TP configuration:\n"
                  "\tSelf addr    : 192.0.2.1, port 1701\n"
                  "\tPeer range   : 198.51.100.0/24\n"
                  "\tHostname     : lns\n"
                  "\tSecret       : ******\n"))
      << out;
  EXPECT_TRUE(Has(out, "L2TP options:\n\toutcall   \tdisable\n")) << out;
  EXPECT_TRUE(Has(out,
                  "L2TP status:\n"
                  "\tIncoming     : YES\n"
                  "\tCurrent self : 192.0.2.1, port 1701\n"
                  "\tCurrent peer : 198.51.100.7, port 0\n"
                  "\tFraming      : Sync\n"
                  "\tCalling number: 5551234\n"))
      << out;
  EXPECT_FALSE(Has(out, "tunnel-secret")) << out;
}

TEST_F(ShowDeviceTest, PptpTemplate) {
  AddTunnels();
  Run("link P");
  std::string out = Run("show device");
  EXPECT_TRUE(Has(out,
                  "PPTP configuration:\n"
                  "\tSelf addr    : 0.0.0.0, port 1723\n"
                  "\tPeer FQDN    : \n"
                  "\tPeer range   : 0.0.0.0/0\n"))
      << out;
  EXPECT_TRUE(Has(out, "\tdelayed-ack\tenable\n")) << out;
  EXPECT_TRUE(out.ends_with("PPTP status:\n")) << out;
}

TEST_F(ShowDeviceTest, TunnelListsOneLinePerTunnelWithItsCalls) {
  AddTunnels();
  EXPECT_EQ(Run("show l2tp"),
            "Active L2TP tunnels:\n"
            "l2tp0\t 192.0.2.1 1701 <=> 198.51.100.7 0\testablished 1 calls\n");
  EXPECT_EQ(Run("show pptp"),
            "Active PPTP tunnels:\n"
            "pptp0\t 192.0.2.1 1723 <=> 203.0.113.9 0\tESTABLISHED\t2 calls\n");
}

TEST_F(ShowDeviceTest, AuthShowsWhatTheBackEndGaveNeverThePassword) {
  ctl_.config.links[0].auth.authname = "nas";
  ctl_.config.links[0].auth.password = "hunter2";
  AuthParamsView& p = ctl_.snapshot.links[0].auth;
  p.ok = true;
  p.ip_range = "10.0.0.2/32";
  p.dns = {"192.0.2.53"};
  p.session_timeout = 3600;
  p.routes = {"10.9.0.0/16"};
  p.mppe_policy = 2;
  p.mppe_types = 0x4;
  p.mppe_keys = true;
  Run("link L-1");
  std::string out = Run("show auth");
  EXPECT_TRUE(Has(out, "Configuration:\n\tMy authname     : nas\n\tMax-Logins      : 0\n")) << out;
  EXPECT_TRUE(Has(out, "Auth options\n\tinternal  \tenable\n")) << out;
  EXPECT_TRUE(Has(out,
                  "Auth Data\n"
                  "\tPeer authname   : alice\n"
                  "\tInterface name  : ppp0\n"
                  "\tIP range        : 10.0.0.2/32\n"
                  "\tIP pool         : \n"
                  "\tDNS             : 192.0.2.53 0.0.0.0\n"))
      << out;
  EXPECT_TRUE(Has(out, "\tSession-Timeout : 3600\n\tIdle-Timeout    : 0\n")) << out;
  EXPECT_TRUE(Has(out, "\tRoutes          :\n\t\t10.9.0.0/16\n")) << out;
  EXPECT_TRUE(Has(out, "\tMPPE Types      : 128\n\tMPPE Policy     : Required\n")) << out;
  EXPECT_TRUE(out.ends_with("\tMPPE Keys       : yes\n")) << out;
  EXPECT_FALSE(Has(out, "hunter2")) << out;
  EXPECT_FALSE(Has(out, "password")) << out;
}

TEST_F(ShowDeviceTest, RadiusListsServersWithStarsAndTheLinkData) {
  config::RadiusConf& r = ctl_.config.links[0].radius;
  r.me = "192.0.2.1";
  r.identifier = "bras1";
  r.servers.push_back({"radius.example", "s3cret", 1812, 1813});
  r.servers.push_back({"10.1.1.1", "other", 1645, 0});
  AuthParamsView& p = ctl_.snapshot.links[0].auth;
  p.by_radius = true;
  p.class_hex = "0A0B";
  Run("link L-1");
  std::string out = Run("show radius");
  EXPECT_TRUE(Has(out,
                  "Configuration:\n"
                  "\tTimeout      : 5\n"
                  "\tRetries      : 3\n"
                  "\tConfig-file  : none\n"
                  "\tMe (NAS-IP)  : 192.0.2.1\n"
                  "\tv6Me (NAS-IP): ::\n"
                  "\tIdentifier   : bras1\n"))
      << out;
  EXPECT_TRUE(Has(out,
                  "\t---------------  Radius Server 2 ---------------\n"
                  "\thostname   : 10.1.1.1\n"
                  "\tsecret     : *********\n"
                  "\tauth port  : 1645\n"
                  "\tacct port  : 0\n"))
      << out;
  EXPECT_TRUE(Has(out, "RADIUS options\n\tmessage-authentic\tenable\n")) << out;
  EXPECT_TRUE(
      out.ends_with("Data:\n"
                    "\tAuthenticated  : yes\n"
                    "\tState          : 0x\n"
                    "\tClass          : 0x0A0B\n"))
      << out;
  EXPECT_FALSE(Has(out, "s3cret")) << out;
}

TEST_F(ShowDeviceTest, Web) {
  ctl_.config.web.open = true;
  ctl_.config.web.self_addr = "127.0.0.1";
  ctl_.config.web.port = 5006;
  ctl_.config.web.auth = true;
  EXPECT_EQ(Run("show web"),
            "Web configuration:\n"
            "\tState         : OPENED\n"
            "\tIP-Address    : 127.0.0.1\n"
            "\tPort          : 5006\n"
            "Web options:\n"
            "\tauth      \tenable\n");
}

}  // namespace
}  // namespace mlppp::control
