// `set l2tp ...`, `set pptp ...` and the global tunnel knobs (mpd5 l2tp.c,
// pptp.c, command.c), and the mpd5 sample labels that use them.
#include <gtest/gtest.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

std::vector<std::string> Errors(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics)
    if (d.error) out.push_back(d.ToString());
  return out;
}

// Runs `body` after creating link L of `type` (body starts at line 3).
LoadResult WithLink(const std::string& type, const std::string& body) {
  return LoadConfigText("default:\n\tcreate link static L " + type + "\n" + body, "");
}

const LinkConf& Link(LoadResult& r, const std::string& name = "L") {
  const LinkConf* l = r.config.FindLink(name);
  EXPECT_NE(l, nullptr) << name;
  static const LinkConf kNone;
  return l ? *l : kNone;
}

std::string Source(const std::string& rel) { return std::string(MLPPPD_SOURCE_DIR) + "/" + rel; }

// --- defaults ---

TEST(L2tpPptpDefaults, L2tp) {
  auto r = WithLink("l2tp", "");
  EXPECT_TRUE(Errors(r).empty());
  const L2tpConf& c = Link(r).l2tp;
  EXPECT_EQ(Link(r).type, "l2tp");
  EXPECT_EQ(c.self_addr, "");
  EXPECT_EQ(c.self_port, 1701);
  EXPECT_EQ(c.peer_addr, "");
  EXPECT_FALSE(c.peer_width.has_value());
  EXPECT_EQ(c.peer_port, 0);  // dial 1701, accept any source port
  EXPECT_EQ(c.calling_num, "");
  EXPECT_EQ(c.called_num, "");
  EXPECT_EQ(c.hostname, "");
  EXPECT_EQ(c.pmask, "");
  EXPECT_EQ(c.secret, "");
  EXPECT_FALSE(c.outcall);
  EXPECT_FALSE(c.hidden);
  EXPECT_FALSE(c.length);
  EXPECT_TRUE(c.dataseq);
  EXPECT_TRUE(c.resolve_once);
}

TEST(L2tpPptpDefaults, Pptp) {
  auto r = WithLink("pptp", "");
  EXPECT_TRUE(Errors(r).empty());
  const PptpConf& c = Link(r).pptp;
  EXPECT_EQ(Link(r).type, "pptp");
  EXPECT_EQ(c.self_addr, "");
  EXPECT_EQ(c.self_port, 1723);
  EXPECT_EQ(c.peer_addr, "");
  EXPECT_FALSE(c.peer_width.has_value());
  EXPECT_EQ(c.peer_port, 0);
  EXPECT_EQ(c.calling_num, "");
  EXPECT_EQ(c.called_num, "");
  EXPECT_TRUE(c.outcall);
  EXPECT_TRUE(c.delayed_ack);
  EXPECT_FALSE(c.always_ack);
  EXPECT_FALSE(c.windowing);
  EXPECT_TRUE(c.resolve_once);
}

TEST(L2tpPptpDefaults, Global) {
  auto r = LoadConfigText("default:\n\tlog +lcp\n", "");
  EXPECT_EQ(r.config.l2tp_timeout, 10);
  EXPECT_EQ(r.config.l2tp_limit, 100);
  EXPECT_EQ(r.config.pptp_timeout, 10);
  EXPECT_EQ(r.config.pptp_limit, 100);
}

// --- set l2tp ---

TEST(L2tpCommands, EveryCommand) {
  auto r = WithLink("l2tp",
                    "\tset l2tp self 192.0.2.1 1702\n"
                    "\tset l2tp peer 198.51.100.0/24 1705\n"
                    "\tset l2tp callingnum 5551000\n"
                    "\tset l2tp callednum 5552000\n"
                    "\tset l2tp hostname lns.example.net\n"
                    "\tset l2tp pmask \"lac-*\"\n"
                    "\tset l2tp secret s3cr3t\n"
                    "\tset l2tp enable outcall hidden length\n"
                    "\tset l2tp disable dataseq resolve-once\n");
  EXPECT_TRUE(Errors(r).empty());
  const L2tpConf& c = Link(r).l2tp;
  EXPECT_EQ(c.self_addr, "192.0.2.1");
  EXPECT_EQ(c.self_port, 1702);
  EXPECT_EQ(c.peer_addr, "198.51.100.0");
  EXPECT_EQ(c.peer_width, 24);
  EXPECT_EQ(c.peer_port, 1705);
  EXPECT_EQ(c.calling_num, "5551000");
  EXPECT_EQ(c.called_num, "5552000");
  EXPECT_EQ(c.hostname, "lns.example.net");
  EXPECT_EQ(c.pmask, "lac-*");
  EXPECT_EQ(c.secret, "s3cr3t");
  EXPECT_TRUE(c.outcall);
  EXPECT_TRUE(c.hidden);
  EXPECT_TRUE(c.length);
  EXPECT_FALSE(c.dataseq);
  EXPECT_FALSE(c.resolve_once);
  // The PPTP half of the link is untouched.
  EXPECT_EQ(Link(r).pptp.self_port, 1723);
}

TEST(L2tpCommands, DisableThenEnableAndPrefixes) {
  auto r = WithLink("l2tp",
                    "\tset l2tp disable dataseq\n\tset l2tp enable dataseq\n"
                    "\tset l2 sec x\n\tset l2tp en outcall\n\tset l2tp dis outcall\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_TRUE(Link(r).l2tp.dataseq);
  EXPECT_FALSE(Link(r).l2tp.outcall);
  EXPECT_EQ(Link(r).l2tp.secret, "x");
}

TEST(L2tpCommands, AddressForms) {
  auto r = WithLink("l2tp", "\tset l2tp self 2001:db8::1\n\tset l2tp peer lns.example.com\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Link(r).l2tp.self_addr, "2001:db8::1");
  EXPECT_EQ(Link(r).l2tp.self_port, 1701);
  EXPECT_EQ(Link(r).l2tp.peer_addr, "lns.example.com");
  EXPECT_FALSE(Link(r).l2tp.peer_width.has_value());

  r = WithLink("l2tp", "\tset l2tp peer 2001:db8::/32\n\tset l2tp self 0.0.0.0 0\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Link(r).l2tp.peer_addr, "2001:db8::");
  EXPECT_EQ(Link(r).l2tp.peer_width, 32);
  EXPECT_EQ(Link(r).l2tp.self_addr, "0.0.0.0");
  EXPECT_EQ(Link(r).l2tp.self_port, 1701);  // port 0: the default (mpd5)

  // mpd5 parses `self` as a range and keeps the address; the width must
  // still be valid.
  r = WithLink("l2tp", "\tset l2tp self 192.0.2.7/24 1800\n\tset l2tp self 192.0.2.8/x\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:4: bad l2tp self address "
                                                 "\"192.0.2.8/x\" (expected an IPv4 or IPv6 "
                                                 "address)"}));
  EXPECT_EQ(Link(r).l2tp.self_addr, "192.0.2.7");
  EXPECT_EQ(Link(r).l2tp.self_port, 1800);

  // A name cannot have a width.
  r = WithLink("l2tp", "\tset l2tp peer lns.example/24\n");
  EXPECT_EQ(Errors(r).size(), 1u);
  EXPECT_EQ(Link(r).l2tp.peer_addr, "");

  // A later `peer` replaces the earlier one, range included.
  r = WithLink("l2tp", "\tset l2tp peer 10.0.0.0/8 99\n\tset l2tp peer 10.1.2.3\n");
  EXPECT_EQ(Link(r).l2tp.peer_addr, "10.1.2.3");
  EXPECT_FALSE(Link(r).l2tp.peer_width.has_value());
  EXPECT_EQ(Link(r).l2tp.peer_port, 0);
}

TEST(L2tpCommands, Errors) {
  auto r = WithLink("l2tp",
                    "\tset l2tp self 1.2.3.256\n"       // 3
                    "\tset l2tp self lns.example\n"     // 4: self is an address
                    "\tset l2tp self 1.2.3.4 65536\n"   // 5
                    "\tset l2tp peer 1.2.3.4/33\n"      // 6
                    "\tset l2tp peer 1.2.3.999\n"       // 7
                    "\tset l2tp peer bad_name!\n"       // 8
                    "\tset l2tp peer 1.2.3.4 x\n"       // 9
                    "\tset l2tp enable frob hidden\n"   // 10: frob only
                    "\tset l2tp bogus 1\n"              // 11
                    "\tset l2tp self\n"                 // 12
                    "\tset l2tp secret a b\n"           // 13
                    "\tset l2tp peer 2001:db8::/129\n"  // 14
                    "\tset l2tp callingnum " +
                        std::string(64, '1') + "\n");  // 15
  EXPECT_EQ(
      Errors(r),
      (std::vector<std::string>{
          "mpd.conf:3: bad l2tp self address \"1.2.3.256\" (expected an IPv4 or IPv6 address)",
          "mpd.conf:4: bad l2tp self address \"lns.example\" (expected an IPv4 or IPv6 address)",
          "mpd.conf:5: bad l2tp port \"65536\" (expected a number from 0 to 65535)",
          "mpd.conf:6: bad l2tp peer address \"1.2.3.4/33\" (expected an IP address, IP/width "
          "or host name)",
          "mpd.conf:7: bad l2tp peer address \"1.2.3.999\" (expected an IP address, IP/width or "
          "host name)",
          "mpd.conf:8: bad l2tp peer address \"bad_name!\" (expected an IP address, IP/width or "
          "host name)",
          "mpd.conf:9: bad l2tp port \"x\" (expected a number from 0 to 65535)",
          "mpd.conf:10: unknown l2tp option \"frob\"",
          "mpd.conf:11: unknown command \"set l2tp bogus\"",
          "mpd.conf:12: usage: set l2tp self {ip} [{port}]",
          "mpd.conf:13: usage: set l2tp secret {sec}",
          "mpd.conf:14: bad l2tp peer address \"2001:db8::/129\" (expected an IP address, "
          "IP/width or host name)",
          "mpd.conf:15: l2tp callingnum too long (64 characters, at most 63)",
      }));
  const L2tpConf& c = Link(r).l2tp;
  // Failed commands change nothing; the good option of line 10 applies.
  EXPECT_EQ(c.self_addr, "");
  EXPECT_EQ(c.self_port, 1701);
  EXPECT_EQ(c.peer_addr, "");
  EXPECT_EQ(c.secret, "");
  EXPECT_EQ(c.calling_num, "");
  EXPECT_TRUE(c.hidden);
}

TEST(L2tpCommands, SecretNeverInDiagnostics) {
  auto r = WithLink("pppoe", "\tset l2tp secret TopSecret42\n\tset l2tp secret TopSecret42 x\n");
  ASSERT_EQ(Errors(r).size(), 2u);
  for (const auto& d : r.diagnostics)
    EXPECT_EQ(d.ToString().find("TopSecret42"), std::string::npos) << d.ToString();
}

// --- set pptp ---

TEST(PptpCommands, EveryCommand) {
  auto r = WithLink("pptp",
                    "\tset pptp self 192.0.2.1 1724\n"
                    "\tset pptp peer 198.51.100.7 1725\n"
                    "\tset pptp callingnum 100\n"
                    "\tset pptp callednum 200\n"
                    "\tset pptp disable outcall delayed-ack resolve-once\n"
                    "\tset pptp enable always-ack windowing\n");
  EXPECT_TRUE(Errors(r).empty());
  const PptpConf& c = Link(r).pptp;
  EXPECT_EQ(c.self_addr, "192.0.2.1");
  EXPECT_EQ(c.self_port, 1724);
  EXPECT_EQ(c.peer_addr, "198.51.100.7");
  EXPECT_FALSE(c.peer_width.has_value());
  EXPECT_EQ(c.peer_port, 1725);
  EXPECT_EQ(c.calling_num, "100");
  EXPECT_EQ(c.called_num, "200");
  EXPECT_FALSE(c.outcall);
  EXPECT_FALSE(c.delayed_ack);
  EXPECT_FALSE(c.resolve_once);
  EXPECT_TRUE(c.always_ack);
  EXPECT_TRUE(c.windowing);
  EXPECT_EQ(Link(r).l2tp.self_port, 1701);
}

TEST(PptpCommands, PeerRangeAndName) {
  auto r = WithLink("pptp", "\tset pptp peer 203.0.113.0/25\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Link(r).pptp.peer_addr, "203.0.113.0");
  EXPECT_EQ(Link(r).pptp.peer_width, 25);
  r = WithLink("pptp", "\tset pptp peer vpn.example.org\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Link(r).pptp.peer_addr, "vpn.example.org");
}

TEST(PptpCommands, Errors) {
  auto r = WithLink("pptp",
                    "\tset pptp self 300.1.1.1\n"   // 3
                    "\tset pptp peer 1.2.3.4 -1\n"  // 4
                    "\tset pptp enable hidden\n"    // 5: an l2tp option
                    "\tset pptp hostname x\n"       // 6: l2tp only
                    "\tset pptp callednum " +
                        std::string(70, '2') + "\n");  // 7
  EXPECT_EQ(
      Errors(r),
      (std::vector<std::string>{
          "mpd.conf:3: bad pptp self address \"300.1.1.1\" (expected an IPv4 or IPv6 address)",
          "mpd.conf:4: bad pptp port \"-1\" (expected a number from 0 to 65535)",
          "mpd.conf:5: unknown pptp option \"hidden\"",
          "mpd.conf:6: unknown command \"set pptp hostname\"",
          "mpd.conf:7: pptp callednum too long (70 characters, at most 63)",
      }));
  EXPECT_EQ(Link(r).pptp.self_addr, "");
  EXPECT_EQ(Link(r).pptp.peer_addr, "");
}

// --- link type and context ---

TEST(L2tpPptpContext, WrongLinkType) {
  auto r = LoadConfigText(
      "default:\n"
      "\tcreate link static P pppoe\n"
      "\tset l2tp peer 1.2.3.4\n"      // 3
      "\tset pptp enable windowing\n"  // 4
      "\tcreate link static T l2tp\n"
      "\tset pptp self 1.2.3.4\n"  // 6
      "\tcreate link static Q pptp\n"
      "\tset l2tp secret x\n"      // 8
      "\tset pppoe iface eth0\n",  // 9
      "");
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{
                "mpd.conf:3: incorrect context for \"set l2tp peer\": link \"P\" is of type pppoe",
                "mpd.conf:4: incorrect context for \"set pptp enable\": link \"P\" is of type "
                "pppoe",
                "mpd.conf:6: incorrect context for \"set pptp self\": link \"T\" is of type l2tp",
                "mpd.conf:8: incorrect context for \"set l2tp secret\": link \"Q\" is of type pptp",
                "mpd.conf:9: incorrect context for \"set pppoe iface\": link \"Q\" is of type "
                "pptp",
            }));
  EXPECT_EQ(r.config.FindLink("P")->l2tp.peer_addr, "");
  EXPECT_FALSE(r.config.FindLink("P")->pptp.windowing);
  EXPECT_EQ(r.config.FindLink("Q")->l2tp.secret, "");
}

TEST(L2tpPptpContext, NoCurrentLink) {
  auto r = LoadConfigText("default:\n\tset l2tp peer 1.2.3.4\n\tset pptp peer 1.2.3.4\n", "");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:2: no current link for \"set l2tp\"",
                                                 "mpd.conf:3: no current link for \"set pptp\""}));
}

TEST(L2tpPptpContext, TemplatesIncomingAndInstances) {
  auto r = LoadConfigText(
      "default:\n"
      "\tcreate link template LT l2tp\n"
      "\tset l2tp self 192.0.2.1\n"
      "\tset l2tp secret abc\n"
      "\tset link enable incoming\n"
      "\tcreate link static L1 LT\n"
      "\tset l2tp peer 192.0.2.9\n"
      "\tcreate link template PT pptp\n"
      "\tset pptp self 192.0.2.2\n"
      "\tset link enable incoming\n"
      "\topen\n"  // a template cannot be opened
      "\tcreate link static P1 PT\n"
      "\topen\n",
      "");
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{"mpd.conf:11: link \"PT\": impossible to open template"}));
  const LinkConf* lt = r.config.FindLink("LT");
  ASSERT_NE(lt, nullptr);
  EXPECT_TRUE(lt->is_template);
  EXPECT_TRUE(lt->incoming);
  EXPECT_EQ(lt->l2tp.peer_addr, "");  // set on the instance only
  const LinkConf* l1 = r.config.FindLink("L1");
  ASSERT_NE(l1, nullptr);
  EXPECT_EQ(l1->type, "l2tp");
  EXPECT_EQ(l1->l2tp.self_addr, "192.0.2.1");  // copied from the template
  EXPECT_EQ(l1->l2tp.secret, "abc");
  EXPECT_EQ(l1->l2tp.peer_addr, "192.0.2.9");
  EXPECT_TRUE(l1->incoming);
  const LinkConf* p1 = r.config.FindLink("P1");
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->type, "pptp");
  EXPECT_EQ(p1->pptp.self_addr, "192.0.2.2");
  EXPECT_EQ(r.config.opens, (std::vector<std::string>{"P1"}));
}

// --- set global ---

TEST(GlobalTunnelKnobs, SetAndBounds) {
  auto r = LoadConfigText(
      "default:\n"
      "\tset global l2tptimeout 30\n"
      "\tset global l2tplimit 0\n"
      "\tset global pptptimeout 0\n"
      "\tset global pptplimit 65536\n"
      "\tset global l2tptimeout -1\n"       // 6
      "\tset global l2tplimit 65537\n"      // 7
      "\tset global pptplimit 0\n"          // 8
      "\tset global pptptimeout 1000001\n"  // 9
      "\tset global l2tplimit\n",           // 10
      "");
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{
                "mpd.conf:6: bad l2tptimeout \"-1\" (expected a number from 0 to 1000000)",
                "mpd.conf:7: bad l2tplimit \"65537\" (expected a number from 0 to 65536)",
                "mpd.conf:8: bad pptplimit \"0\" (expected a number from 1 to 65536)",
                "mpd.conf:9: bad pptptimeout \"1000001\" (expected a number from 0 to 1000000)",
                "mpd.conf:10: usage: set global l2tplimit {num}",
            }));
  EXPECT_EQ(r.config.l2tp_timeout, 30);
  EXPECT_EQ(r.config.l2tp_limit, 0);
  EXPECT_EQ(r.config.pptp_timeout, 0);
  EXPECT_EQ(r.config.pptp_limit, 65536);
  for (const auto& d : r.diagnostics) EXPECT_TRUE(d.error) << d.ToString();  // no "not supported"
}

// --- the mpd5 sample ---

TEST(L2tpPptpSamples, PptpLabelsLoadWithoutErrors) {
  const std::string dir = Source("tests/config/data");
  auto server = LoadConfig(dir, "mpd.conf.sample", "pptp_server");
  EXPECT_TRUE(Errors(server).empty()) << ::testing::PrintToString(Errors(server));
  const LinkConf* l = server.config.FindLink("L");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->type, "pptp");
  EXPECT_TRUE(l->is_template);
  EXPECT_TRUE(l->incoming);
  EXPECT_EQ(l->pptp.self_addr, "1.2.3.4");
  EXPECT_EQ(l->pptp.self_port, 1723);
  EXPECT_EQ(l->mtu, 1460);
  EXPECT_EQ(l->action_bundle, "B");

  auto vpn = LoadConfig(dir, "mpd.conf.sample", "pptp_vpn");
  EXPECT_TRUE(Errors(vpn).empty()) << ::testing::PrintToString(Errors(vpn));
  l = vpn.config.FindLink("L1");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->pptp.self_addr, "1.2.3.4");
  EXPECT_EQ(l->pptp.peer_addr, "2.3.4.5");
  EXPECT_TRUE(l->incoming);
  EXPECT_EQ(vpn.config.opens, (std::vector<std::string>{"L1"}));

  auto client = LoadConfig(dir, "mpd.conf.sample", "pptp_client");
  EXPECT_TRUE(Errors(client).empty()) << ::testing::PrintToString(Errors(client));
  l = client.config.FindLink("L1");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->pptp.peer_addr, "1.2.3.4");
  EXPECT_FALSE(l->pptp.windowing);
  EXPECT_TRUE(l->pptp.outcall);
  EXPECT_EQ(client.config.opens, (std::vector<std::string>{"L1"}));
}

TEST(L2tpPptpSamples, LacLabelsLoadWithoutErrors) {
  const std::string dir = Source("tests/config/data");
  auto simple = LoadConfig(dir, "mpd.conf.sample", "simple_lac");
  EXPECT_TRUE(Errors(simple).empty()) << ::testing::PrintToString(Errors(simple));
  const LinkConf* l2 = simple.config.FindLink("L2");
  ASSERT_NE(l2, nullptr);
  EXPECT_EQ(l2->type, "l2tp");
  EXPECT_TRUE(l2->is_template);
  EXPECT_EQ(l2->l2tp.peer_addr, "1.2.3.4");
  EXPECT_EQ(l2->l2tp.peer_port, 0);

  auto lac = LoadConfig(dir, "mpd.conf.sample", "complete_lac");
  EXPECT_TRUE(Errors(lac).empty()) << ::testing::PrintToString(Errors(lac));
  ASSERT_NE(lac.config.FindLink("L2"), nullptr);
  ASSERT_NE(lac.config.FindLink("L3"), nullptr);
  EXPECT_EQ(lac.config.FindLink("L2")->l2tp.secret, "corp1secret");
  EXPECT_EQ(lac.config.FindLink("L3")->l2tp.peer_addr, "2.3.4.5");
  EXPECT_EQ(lac.config.FindLink("L3")->l2tp.secret, "corp2secret");
}

}  // namespace
}  // namespace mlppp::config
