#include "config/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/log.h"

namespace mlppp::config {
namespace {

std::vector<std::string> Errors(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics)
    if (d.error) out.push_back(d.ToString());
  return out;
}
std::vector<std::string> Warnings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics)
    if (!d.error) out.push_back(d.ToString());
  return out;
}

// Runs `body` as the default label, after a bundle and a pppoe link.
LoadResult RunDefault(const std::string& body) {
  return LoadConfigText(
      "default:\n\tcreate bundle static B1\n\tcreate link static L1 pppoe\n" + body, "");
}

constexpr uint32_t Ip(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a) << 24 | b << 16 | c << 8 | d;
}

TEST(Engine, StartupThenDefault) {
  auto r = LoadConfigText(
      "default:\n\tset global enable one-shot\nstartup:\n\tset global disable one-shot\n"
      "\tlog -all +lcp\n",
      "");
  EXPECT_FALSE(r.HasErrors());
  EXPECT_TRUE(r.config.one_shot);  // default ran after startup
  EXPECT_EQ(r.config.log_enable, uint64_t{1} << static_cast<unsigned>(log::Cat::kLcp));
  EXPECT_NE(r.config.log_disable & (uint64_t{1} << static_cast<unsigned>(log::Cat::kBund)), 0u);
}

TEST(Engine, MissingNamedLabelIsFatal) {
  auto r = LoadConfigText("default:\n\topen\n", "nosuch");
  EXPECT_TRUE(r.fatal);
  EXPECT_TRUE(r.HasErrors());
  EXPECT_EQ(Errors(r).back(), "mpd.conf: label \"nosuch\" not found");
}

TEST(Engine, UnknownCommandIsReportedAndLaterLinesRun) {
  auto r = RunDefault("\tfrobnicate now\n\tset link frob 1\n\tset link mtu 1400\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:4: unknown command \"frobnicate\"",
                                                 "mpd.conf:5: unknown command \"set link frob\""}));
  EXPECT_EQ(r.config.FindLink("L1")->mtu, 1400);
}

TEST(Engine, UniquePrefixesAreAccepted) {
  auto r =
      RunDefault("\tset li mt 1400\n\tset link keep 3 9\n\tset link ena pap\n\tcr bu static B2\n");
  EXPECT_TRUE(Errors(r).empty());
  const LinkConf* l = r.config.FindLink("L1");
  EXPECT_EQ(l->mtu, 1400);
  EXPECT_EQ(l->keepalive_interval, 3);
  EXPECT_TRUE(l->pap.enable);
  EXPECT_NE(r.config.FindBundle("B2"), nullptr);
}

TEST(Engine, AmbiguousPrefixIsAnError) {
  auto r =
      RunDefault("\tset link m 1400\n\tset ip dns 1.1.1.1\n\tset link max 3\n\tse link mtu 1\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:4: ambiguous command \"set link m\"",
                                                 "mpd.conf:5: ambiguous command \"set ip\"",
                                                 "mpd.conf:6: ambiguous command \"set link max\"",
                                                 "mpd.conf:7: ambiguous command \"se\""}));
}

TEST(Engine, OptionNamesAreExact) {
  auto r = RunDefault("\tset link enable pa\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:4: unknown link option \"pa\""}));
}

TEST(Engine, CreateLinkAndBundle) {
  auto r = LoadConfigText(
      "default:\n"
      "\tcreate bundle template B\n"
      "\tcreate link template common pppoe\n"
      "\tset link mtu 1400\n"
      "\tcreate link template fxp0 common\n"
      "\tset pppoe iface fxp0\n"
      "\tcreate link static X fxp0\n"
      "\tcreate bundle B2 B\n",
      "");
  EXPECT_TRUE(Errors(r).empty()) << Errors(r)[0];
  ASSERT_EQ(r.config.links.size(), 3u);
  ASSERT_EQ(r.config.bundles.size(), 2u);
  EXPECT_TRUE(r.config.bundles[0].is_template);
  EXPECT_FALSE(r.config.bundles[1].is_template);
  const LinkConf* fxp0 = r.config.FindLink("fxp0");
  EXPECT_TRUE(fxp0->is_template);
  EXPECT_EQ(fxp0->type, "pppoe");
  EXPECT_EQ(fxp0->mtu, 1400);  // inherited
  EXPECT_EQ(fxp0->pppoe.iface, "fxp0");
  EXPECT_EQ(r.config.FindLink("common")->pppoe.iface, "");  // the template is unchanged
  const LinkConf* x = r.config.FindLink("X");
  EXPECT_FALSE(x->is_template);
  EXPECT_EQ(x->pppoe.iface, "fxp0");
  // Our default: a link created under a bundle terminates there.
  EXPECT_EQ(r.config.FindLink("common")->action_bundle, "B");
}

TEST(Engine, CreateErrors) {
  auto r = LoadConfigText(
      "default:\n"
      "\tcreate link static L1 pppoe\n"
      "\tcreate link static L1 pppoe\n"             // 3 duplicate
      "\tcreate link static pppoe pppoe\n"          // 4 reserved
      "\tcreate link static X nosuch\n"             // 5 no template
      "\tcreate link static Y L1\n"                 // 6 not a template
      "\tcreate link template toolongname pppoe\n"  // 7
      "\tcreate link static M modem\n"              // 8 unsupported type
      "\tset link mtu 1400\n"                       // no cascade
      "\tset modem device /dev/cuau0\n"             // warning only
      "\tset pppoe iface eth0\n"                    // 11 wrong type
      "\topen\n"                                    // warning: placeholder
      "\tcreate bundle static B1 nosuch\n",         // 13
      "");
  EXPECT_EQ(
      Errors(r),
      (std::vector<std::string>{
          "mpd.conf:3: link \"L1\" already exists",
          "mpd.conf:4: name \"pppoe\" is reserved by device type",
          "mpd.conf:5: link template \"nosuch\" not found",
          "mpd.conf:6: link \"L1\" is not a template",
          "mpd.conf:7: link name \"toolongname\" must be 1 to 10 characters",
          "mpd.conf:8: link type modem not supported yet",
          "mpd.conf:11: incorrect context for \"set pppoe iface\": link \"M\" is of type modem",
          "mpd.conf:13: bundle template \"nosuch\" not found"}));
  EXPECT_EQ(r.config.links.size(), 1u);  // the modem link is not in the model
  EXPECT_TRUE(r.config.opens.empty());
  EXPECT_EQ(Warnings(r).size(), 2u);
}

TEST(Engine, ContextErrors) {
  auto r = LoadConfigText("default:\n\tset link mtu 1400\n\tset iface mtu 1400\n\topen\n", "");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:2: no current link for \"set link\"",
                                                 "mpd.conf:3: no current bundle for \"set iface\"",
                                                 "mpd.conf:4: no current link to open"}));
}

TEST(Engine, UsageErrors) {
  auto r = RunDefault("\tset link mtu\n\tset link keep-alive 1 2 3\n\tset\n");
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{"mpd.conf:4: usage: set link mtu {value}",
                                      "mpd.conf:5: usage: set link keep-alive {secs} {max}",
                                      "mpd.conf:6: incomplete command \"set\""}));
}

TEST(Engine, LinkSettings) {
  auto r = RunDefault(
      "\tset link no pap chap eap\n"
      "\tset link enable chap-md5 incoming passive\n"
      "\tset link deny acfcomp\n"
      "\tset link disable protocomp magicnum\n"
      "\tset link keep-alive 10 60\n"
      "\tset link mru 1492\n"
      "\tset link mtu 1460\n"
      "\tset link max-redial 0\n"
      "\tset link redial-delay 5\n"
      "\tset link fsm-timeout 3\n"
      "\tset link bandwidth 1000000\n"
      "\tset link latency 10\n"
      "\tset link accmap 0x000a0000\n"
      "\tset link mrru 1600\n"
      "\tset link ident hello\n"
      "\tset link max-children 100\n"
      "\tset link enable check-magic shortseq\n"
      "\tset auth authname \"user name\"\n"
      "\tset auth password secret\n");
  EXPECT_TRUE(Errors(r).empty()) << Errors(r)[0];
  EXPECT_TRUE(Warnings(r).empty()) << Warnings(r)[0];
  const LinkConf& l = *r.config.FindLink("L1");
  EXPECT_FALSE(l.pap.enable);
  EXPECT_FALSE(l.pap.accept);
  EXPECT_TRUE(l.chap_md5.enable);
  EXPECT_FALSE(l.chap_md5.accept);
  EXPECT_TRUE(l.incoming);
  EXPECT_TRUE(l.passive);
  EXPECT_TRUE(l.acfcomp.enable);
  EXPECT_FALSE(l.acfcomp.accept);
  EXPECT_FALSE(l.protocomp.enable);
  EXPECT_TRUE(l.protocomp.accept);
  EXPECT_FALSE(l.magicnum);
  EXPECT_EQ(l.keepalive_interval, 10);
  EXPECT_EQ(l.keepalive_max, 60);
  EXPECT_EQ(l.mru, 1492);
  EXPECT_EQ(l.mtu, 1460);
  EXPECT_EQ(l.max_redial, 0);
  EXPECT_EQ(l.redial_delay, 5);
  EXPECT_EQ(l.fsm_timeout, 3);
  EXPECT_EQ(l.auth.authname, "user name");
  EXPECT_EQ(l.auth.password, "secret");
  EXPECT_EQ(l.action_bundle, "B1");
}

TEST(Engine, LinkBadValues) {
  auto r = RunDefault(
      "\tset link mtu 100\n"
      "\tset link mru abc\n"
      "\tset link keep-alive -1 5\n"
      "\tset link max-redial -2\n"
      "\tset link accmap zz\n"
      "\tset link mrru 5000\n"
      "\tset link accept incoming\n");
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0], "mpd.conf:4: bad MTU \"100\" (expected a number from 296 to 65535)");
  EXPECT_EQ(e[1], "mpd.conf:5: bad MRU \"abc\" (expected a number from 296 to 65535)");
  EXPECT_NE(e[2].find("keep-alive interval"), std::string::npos);
  EXPECT_NE(e[3].find("max-redial"), std::string::npos);
  EXPECT_NE(e[4].find("accmap"), std::string::npos);
  EXPECT_NE(e[5].find("MRRU"), std::string::npos);
  EXPECT_EQ(Warnings(r).size(), 1u);  // accept on an enable-only option
  EXPECT_EQ(r.config.FindLink("L1")->mtu, 1500);
}

TEST(Engine, MsChapAndEapLinkOptions) {
  auto r = RunDefault(
      "\tset link enable multilink\n\tset link deny chap-msv2 eap\n"
      "\tset link disable chap-msv1 multilink\n\tset link yes chap\n");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Warnings(r).size(), 1u);  // multilink
  const LinkConf& l = *r.config.FindLink("L1");
  EXPECT_TRUE(l.chap_md5.enable);  // `chap` stands for the three CHAPs
  EXPECT_TRUE(l.chap_msv1.enable);
  EXPECT_TRUE(l.chap_msv2.enable);
  EXPECT_TRUE(l.chap_msv2.accept);  // `yes` after `deny`: enable and accept
  EXPECT_FALSE(l.eap.accept);
  // mpd5 defaults: MS-CHAPv1 denied, MS-CHAPv2 and EAP accepted.
  LinkConf d;
  EXPECT_FALSE(d.chap_msv1.accept);
  EXPECT_TRUE(d.chap_msv2.accept);
  EXPECT_TRUE(d.eap.accept);
}

TEST(Engine, LinkActions) {
  auto r = LoadConfigText(
      "default:\n"
      "\tcreate link template A pppoe\n"
      "\tset link action forward X \"@corp\"\n"
      "\tset link action bundle B1\n"
      "\tset link action bundle B2\n"
      "\tcreate bundle static B3\n"
      "\tcreate link template C pppoe\n"
      "\tset link action bundle B4\n"
      "\tcreate link template D pppoe\n"
      "\tset link action clear\n",
      "");
  EXPECT_TRUE(Errors(r).empty());
  EXPECT_EQ(Warnings(r).size(), 2u);  // forward; second bundle action
  EXPECT_EQ(r.config.FindLink("A")->action_bundle, "B1");
  EXPECT_EQ(r.config.FindLink("C")->action_bundle, "B4");  // explicit beats the default
  EXPECT_EQ(r.config.FindLink("D")->action_bundle, "");
}

TEST(Engine, BundleSettings) {
  auto r = RunDefault(
      "\tset bundle disable ipcp\n\tset bundle enable ipv6cp\n\tset bundle fsm-timeout 5\n"
      "\tset bundle enable compression\n\tset bundle disable encryption\n"
      "\tset bundle links L1\n\tset bundle enable frob\n\tset bundle fsm-timeout 0\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{
                           "mpd.conf:10: unknown bundle option \"frob\"",
                           "mpd.conf:11: bad fsm-timeout \"0\" (expected a number from 1 to 60)"}));
  EXPECT_EQ(Warnings(r).size(), 1u);  // links
  const BundleConf& b = *r.config.FindBundle("B1");
  EXPECT_FALSE(b.ipcp);
  EXPECT_TRUE(b.ipv6cp);
  EXPECT_EQ(b.fsm_timeout, 5);
  EXPECT_TRUE(b.compression);
  EXPECT_FALSE(b.encryption);
  EXPECT_FALSE(b.crypt_reqd);
}

TEST(Engine, CompressionAndEncryptionOptions) {
  // mpd.conf.sample's MPPE block, plus the other methods.
  auto r = RunDefault(
      "\tset bundle enable compression crypt-reqd\n\tset ccp yes mppc\n\tset mppc yes e40\n"
      "\tset mppc yes e128\n\tset mppc yes stateless\n\tset mppc no e40\n"
      "\tset ccp enable deflate\n\tset ccp accept pred1\n\tset mppc enable policy compress\n"
      "\tset mppc accept policy\n\tset ccp yes frob\n\tset ecp key s3cret\n"
      "\tset ecp enable dese-bis\n\tset ecp accept dese-old\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:14: unknown ccp option \"frob\""}));
  EXPECT_EQ(Warnings(r).size(), 1u);  // accept policy
  const BundleConf& b = *r.config.FindBundle("B1");
  EXPECT_TRUE(b.compression);
  EXPECT_TRUE(b.crypt_reqd);
  EXPECT_TRUE(b.ccp.mppc.enable && b.ccp.mppc.accept);
  EXPECT_TRUE(b.ccp.deflate.enable && !b.ccp.deflate.accept);
  EXPECT_TRUE(!b.ccp.pred1.enable && b.ccp.pred1.accept);
  EXPECT_TRUE(b.mppc.e128.enable && b.mppc.e128.accept);
  EXPECT_TRUE(!b.mppc.e40.enable && !b.mppc.e40.accept);
  EXPECT_TRUE(b.mppc.stateless.enable && b.mppc.stateless.accept);
  EXPECT_TRUE(b.mppc.compress.enable && !b.mppc.compress.accept);
  EXPECT_FALSE(b.mppc.e56.enable || b.mppc.e56.accept);
  EXPECT_TRUE(b.mppc.policy);
  EXPECT_EQ(b.ecp.key, "s3cret");
  EXPECT_TRUE(b.ecp.dese_bis.enable && !b.ecp.dese_bis.accept);
  EXPECT_TRUE(!b.ecp.dese_old.enable && b.ecp.dese_old.accept);
}

TEST(Engine, IfaceSettings) {
  auto r = RunDefault(
      "\tset iface addrs 1.1.1.1 !2.2.2.2/32\n"
      "\tset iface route default\n"
      "\tset iface route 192.168.2.0/24\n"
      "\tset iface route 10.1.1.1\n"
      "\tset iface name ppp-b1\n"
      "\tset iface mtu 1400\n"
      "\tset iface idle 900\n"
      "\tset iface session 3600\n"
      "\tset iface up-script /etc/up.sh\n"
      "\tset iface down-script /etc/down.sh\n"
      "\tset iface description \"%a to %A\"\n"
      "\tset iface group ppp\n"
      "\tset iface disable on-demand proxy-arp\n");
  EXPECT_TRUE(Errors(r).empty()) << Errors(r)[0];
  EXPECT_TRUE(Warnings(r).empty());
  const IfaceConf& i = r.config.FindBundle("B1")->iface;
  EXPECT_EQ(i.self_addr->addr, Ip(1, 1, 1, 1));
  EXPECT_EQ(i.self_addr->width, 32);
  EXPECT_EQ(i.peer_addr->addr, Ip(2, 2, 2, 2));
  ASSERT_EQ(i.routes.size(), 3u);
  EXPECT_EQ(i.routes[0].width, 0);
  EXPECT_EQ(i.routes[1].addr, Ip(192, 168, 2, 0));
  EXPECT_EQ(i.routes[1].width, 24);
  EXPECT_EQ(i.routes[2].width, 32);
  EXPECT_EQ(i.name, "ppp-b1");
  EXPECT_EQ(i.mtu, 1400);
  EXPECT_EQ(i.idle_timeout, 900);
  EXPECT_EQ(i.session_timeout, 3600);
  EXPECT_EQ(i.up_script, "/etc/up.sh");
  EXPECT_EQ(i.down_script, "/etc/down.sh");
  EXPECT_EQ(i.description, "%a to %A");
  EXPECT_EQ(i.group, "ppp");
}

TEST(Engine, IfaceBadValues) {
  auto r = RunDefault(
      "\tset iface addrs 1.1.1 2.2.2.2\n\tset iface route 10.0.0.0/33\n"
      "\tset iface name waytoolonginterfacename\n\tset iface mtu 70000\n"
      "\tset iface enable nat\n\tset iface enable frob\n\tset iface addrs 1.1.1.256 2.2.2.2\n");
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0], "mpd.conf:4: bad self address \"1.1.1\" (expected a.b.c.d[/width])");
  EXPECT_EQ(e[1], "mpd.conf:5: bad route \"10.0.0.0/33\" (expected a.b.c.d[/width])");
  EXPECT_NE(e[2].find("bad interface name"), std::string::npos);
  EXPECT_NE(e[3].find("bad MTU"), std::string::npos);
  EXPECT_EQ(e[4], "mpd.conf:9: unknown iface option \"frob\"");
  EXPECT_NE(e[5].find("1.1.1.256"), std::string::npos);
  EXPECT_EQ(Warnings(r).size(), 1u);  // nat
  EXPECT_FALSE(r.config.FindBundle("B1")->iface.self_addr.has_value());
}

TEST(Engine, IpcpAndPools) {
  auto r = RunDefault(
      "\tset ippool add pool1 10.0.0.100 10.0.3.250\n"
      "\tset ippool add pool1 10.0.5.1 10.0.5.9\n"
      "\tset ipcp ranges 10.0.0.1/32 ippool pool1\n"
      "\tset ipcp dns 10.0.0.1 10.0.0.2\n"
      "\tset ipcp enable req-pri-dns req-sec-dns\n"
      "\tset ipcp disable vjcomp\n"
      "\tset ipv6cp enable\n");
  EXPECT_TRUE(Errors(r).empty()) << Errors(r)[0];
  EXPECT_TRUE(Warnings(r).empty());
  const IpcpConf& p = r.config.FindBundle("B1")->ipcp_conf;
  EXPECT_EQ(p.self_range->addr, Ip(10, 0, 0, 1));
  EXPECT_FALSE(p.peer_range.has_value());
  EXPECT_EQ(p.peer_pool, "pool1");
  EXPECT_EQ(*p.dns1, Ip(10, 0, 0, 1));
  EXPECT_EQ(*p.dns2, Ip(10, 0, 0, 2));
  EXPECT_TRUE(p.req_pri_dns);
  EXPECT_TRUE(p.req_sec_dns);
  const auto& pool = r.config.pools.at("pool1");
  ASSERT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool[0].first, Ip(10, 0, 0, 100));
  EXPECT_EQ(pool[0].last, Ip(10, 0, 3, 250));

  auto r2 = RunDefault("\tset ipcp ranges 192.168.1.1/32 192.168.2.1/24\n");
  const IpcpConf& p2 = r2.config.FindBundle("B1")->ipcp_conf;
  EXPECT_EQ(p2.peer_range->addr, Ip(192, 168, 2, 1));
  EXPECT_EQ(p2.peer_range->width, 24);
  EXPECT_TRUE(p2.peer_pool.empty());
}

TEST(Engine, IpcpAndPoolErrors) {
  auto r = RunDefault(
      "\tset ippool add p 10.0.0.9 10.0.0.1\n"
      "\tset ippool add p 10.0.0.1 10.0.0.9\n"
      "\tset ippool add q 10.0.0.5 10.0.0.20\n"
      "\tset ipcp ranges 10.0.0.1/32 ippool\n"
      "\tset ipcp dns 1.2.3\n"
      "\tset ipcp enable frob\n"
      "\tset ipv6cp enable frob\n"
      "\tset ipcp enable vjcomp\n");
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 6u);
  EXPECT_NE(e[0].find("first address 10.0.0.9 is after last address"), std::string::npos);
  EXPECT_NE(e[1].find("overlaps pool \"p\""), std::string::npos);
  EXPECT_EQ(e[1].substr(0, 11), "mpd.conf:6:");
  EXPECT_NE(e[2].find("usage"), std::string::npos);
  EXPECT_NE(e[3].find("bad primary DNS"), std::string::npos);
  EXPECT_EQ(e[4], "mpd.conf:9: unknown ipcp option \"frob\"");
  EXPECT_EQ(e[5], "mpd.conf:10: unknown ipv6cp option \"frob\"");
  EXPECT_EQ(Warnings(r).size(), 1u);  // vjcomp
  EXPECT_EQ(r.config.pools.count("q"), 0u);
}

TEST(Engine, PppoeSettings) {
  auto r = RunDefault(
      "\tset pppoe iface eth0\n\tset pppoe service \"\"\n\tset pppoe acname AC1\n"
      "\tset pppoe max-payload 1500\n\tset pppoe mac-format unix-like\n"
      "\tset pppoe max-payload 100\n\tset pppoe mac-format odd\n");
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_NE(e[0].find("bad max-payload \"100\""), std::string::npos);
  EXPECT_NE(e[1].find("bad mac-format \"odd\""), std::string::npos);
  const PppoeConf& p = r.config.FindLink("L1")->pppoe;
  EXPECT_EQ(p.iface, "eth0");
  EXPECT_EQ(p.service, "");
  EXPECT_EQ(p.acname, "AC1");
  EXPECT_EQ(p.max_payload, 1500);
}

TEST(Engine, AuthForms) {
  auto r = RunDefault(
      "\tset auth enable internal\n\tset auth enable radius-auth\n\tset auth disable pam-auth\n"
      "\tset auth max-logins 2 CI\n\tset auth timeout 10\n\tset auth enable frob\n"
      "\tset auth acct-update 300\n");
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_NE(e[0].find("bad auth timeout"), std::string::npos);
  EXPECT_EQ(e[1], "mpd.conf:9: unknown auth option \"frob\"");
  EXPECT_TRUE(Warnings(r).empty());
  const AuthConf& a = r.config.FindLink("L1")->auth;
  EXPECT_TRUE(a.internal);
  EXPECT_TRUE(a.radius_auth);
  EXPECT_FALSE(a.pam_auth);
  EXPECT_EQ(a.max_logins, 2);
  EXPECT_TRUE(a.max_logins_ci);
  EXPECT_EQ(a.timeout, 40);
  EXPECT_EQ(a.acct_update, 300);
  EXPECT_TRUE(a.acct_mandatory);
}

TEST(Engine, RadiusEapRadsrv) {
  auto r = RunDefault(
      "\tset radius server 127.0.0.1 s3cret 18120 0\n\tset radius server radius.example.net s2\n"
      "\tset radius server bad_host! s\n\tset radius server 10.0.0.1 s 0 0\n"
      "\tset radius timeout 2\n\tset radius retries 0\n\tset radius me 10.0.0.9\n"
      "\tset radius identifier nas1\n\tset radius enable message-authentic\n"
      "\tset eap enable md5 radius-proxy\n\tset eap enable sha\n"
      "\tset radsrv self 127.0.0.1 3799\n\tset radsrv peer 127.0.0.1 dae-secret\n"
      "\tset radsrv disable coa\n\tset radsrv open\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{
                           "mpd.conf:6: bad RADIUS server \"bad_host!\"",
                           "mpd.conf:7: both RADIUS ports are 0",
                           "mpd.conf:9: bad RADIUS retries \"0\" (expected a number from 1 to 100)",
                           "mpd.conf:14: unknown eap option \"sha\""}));
  const LinkConf& l = *r.config.FindLink("L1");
  ASSERT_EQ(l.radius.servers.size(), 2u);
  EXPECT_EQ(l.radius.servers[0].host, "127.0.0.1");
  EXPECT_EQ(l.radius.servers[0].secret, "s3cret");
  EXPECT_EQ(l.radius.servers[0].auth_port, 18120);
  EXPECT_EQ(l.radius.servers[0].acct_port, 0);
  EXPECT_EQ(l.radius.servers[1].auth_port, 1812);
  EXPECT_EQ(l.radius.servers[1].acct_port, 1813);
  EXPECT_EQ(l.radius.timeout, 2);
  EXPECT_EQ(l.radius.retries, 3);
  EXPECT_EQ(l.radius.me, "10.0.0.9");
  EXPECT_EQ(l.radius.identifier, "nas1");
  EXPECT_TRUE(l.radius.message_authentic);
  EXPECT_TRUE(l.eap_conf.md5.enable);
  EXPECT_TRUE(l.eap_conf.radius_proxy);
  const RadsrvConf& d = r.config.radsrv;
  EXPECT_EQ(d.self_addr, "127.0.0.1");
  EXPECT_EQ(d.port, 3799);
  ASSERT_EQ(d.peers.size(), 1u);
  EXPECT_EQ(d.peers[0].secret, "dae-secret");
  EXPECT_FALSE(d.coa);
  EXPECT_TRUE(d.disconnect);
  EXPECT_TRUE(d.open);
}

TEST(Engine, OpenRecordsLinks) {
  auto r = LoadConfigText(
      "default:\n\tcreate link static L1 pppoe\n\topen\n\topen link\n"
      "\tcreate link template T pppoe\n\topen\n\topen iface\n\topen frob\n",
      "");
  EXPECT_EQ(r.config.opens, (std::vector<std::string>{"L1"}));
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{"mpd.conf:6: link \"T\": impossible to open template",
                                      "mpd.conf:8: unknown layer \"frob\""}));
  EXPECT_EQ(Warnings(r).size(), 1u);  // open iface
}

TEST(Engine, GlobalLogAndModulesNotBuilt) {
  auto r = RunDefault(
      "\tlog +lcp -echo auth2\n\tlog +nosuch\n\tset global enable one-shot\n"
      "\tset global startrule 100\n\tset global enable frob\n\tset user foo bar admin\n"
      "\tset console self 127.0.0.1 5005\n\tset web open\n\tset radius server x y\n"
      "\tset radsrv open\n\tset netflow node n\n\tset nat address 1.1.1.1\n\tset eap enable md5\n"
      "\tset ng node x\n");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{
                           "mpd.conf:5: unknown log category \"nosuch\"",
                           "mpd.conf:8: unknown global option \"frob\"",
                           "mpd.conf:17: incorrect context for \"set ng\": link \"L1\" is of type "
                           "pppoe"}));
  EXPECT_EQ(Warnings(r).size(), 3u);
  EXPECT_TRUE(r.config.one_shot);
  auto bit = [](log::Cat c) { return uint64_t{1} << static_cast<unsigned>(c); };
  EXPECT_EQ(r.config.log_enable, bit(log::Cat::kLcp) | bit(log::Cat::kAuth2));
  EXPECT_EQ(r.config.log_disable, bit(log::Cat::kEcho));
}

TEST(Engine, SelectLinkAndBundle) {
  auto r = LoadConfigText(
      "default:\n\tcreate bundle static B1\n\tcreate bundle static B2\n"
      "\tcreate link static L1 pppoe\n\tcreate link static L2 pppoe\n"
      "\tlink L1\n\tset link mtu 1400\n\tbundle B1\n\tset iface mtu 1300\n\tlink nosuch\n",
      "");
  EXPECT_EQ(Errors(r), (std::vector<std::string>{"mpd.conf:10: link \"nosuch\" not found"}));
  EXPECT_EQ(r.config.FindLink("L1")->mtu, 1400);
  EXPECT_EQ(r.config.FindLink("L2")->mtu, 1500);
  EXPECT_EQ(r.config.FindBundle("B1")->iface.mtu, 1300);
}

TEST(Engine, LoadLabelsAndRecursion) {
  auto r = LoadConfigText(
      "default:\n\tload a\n\tload nosuch\n\tload other.conf x\n"
      "a:\n\tset global enable one-shot\n\tload b\n"
      "b:\n\tload a\n",
      "");
  EXPECT_TRUE(r.config.one_shot);
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{"mpd.conf:9: recursive load of label \"a\"",
                                      "mpd.conf:3: label \"nosuch\" not found in \"mpd.conf\"",
                                      "mpd.conf:4: can't load from file \"other.conf\" here"}));
}

TEST(Engine, LoadFanOutIsBounded) {
  std::string text = "default:\n\tload l0\n";
  for (int i = 0; i < 17; ++i)
    text += "l" + std::to_string(i) + ":\n\tload l" + std::to_string(i + 1) + "\n\tload l" +
            std::to_string(i + 1) + "\n";
  text += "l17:\n\tset global enable one-shot\n";
  auto r = LoadConfigText(text, "");
  EXPECT_TRUE(r.config.one_shot);
  auto e = Errors(r);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("load loop?"), std::string::npos);
}

class TempDir {
 public:
  TempDir() {
    path_ =
        std::filesystem::temp_directory_path() /
        ("mlppp_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(Engine, LoadFromAnotherFile) {
  TempDir dir;
  dir.Write("mpd.conf",
            "default:\n\tload links.conf server\n\tset link mtu 1400\n\tload other\n"
            "other:\n\tset link mru 1400\n");
  dir.Write("links.conf",
            "server:\n\tcreate link static L1 pppoe\n\tset link bogus\n\tload other\n"
            "other:\n\tset link keep-alive 1 2\n");
  auto r = LoadConfig(dir.path(), "mpd.conf", "");
  EXPECT_FALSE(r.fatal);
  // `load label` reads the main file (mpd5), so links.conf's "other" is not used.
  EXPECT_EQ(Errors(r),
            (std::vector<std::string>{"links.conf:3: unknown command \"set link bogus\""}));
  const LinkConf* l = r.config.FindLink("L1");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->mtu, 1400);
  EXPECT_EQ(l->mru, 1400);
  EXPECT_EQ(l->keepalive_interval, 5);

  auto missing = LoadConfig(dir.path(), "nosuch.conf", "");
  EXPECT_TRUE(missing.fatal);
}

// --- the mpd5 samples and our examples ---

std::string Source(const std::string& rel) { return std::string(MLPPPD_SOURCE_DIR) + "/" + rel; }

// Errors allowed in the samples: link types this slice does not have.
void ExpectOnlyUnsupportedTypeErrors(const LoadResult& r, const std::string& label) {
  EXPECT_FALSE(r.fatal) << label;
  for (const auto& d : r.diagnostics) {
    if (!d.error) continue;
    EXPECT_NE(d.message.find("link type"), std::string::npos) << label << ": " << d.ToString();
    EXPECT_NE(d.message.find("not supported yet"), std::string::npos) << d.ToString();
  }
}

TEST(Samples, MpdConfSampleEveryLabel) {
  const std::string dir = Source("tests/config/data");
  for (const char* label :
       {"default", "dialup", "dialin", "multi_dialup", "sync", "pptp_server", "pptp_vpn",
        "pptp_client", "pppoe_server", "pppoe_client", "simple_lac", "complete_lac"}) {
    auto r = LoadConfig(dir, "mpd.conf.sample", label);
    ExpectOnlyUnsupportedTypeErrors(r, label);
  }
}

TEST(Samples, PppoeLabelsLoadWithoutErrors) {
  const std::string dir = Source("tests/config/data");
  auto server = LoadConfig(dir, "mpd.conf.sample", "pppoe_server");
  EXPECT_FALSE(server.HasErrors());
  ASSERT_NE(server.config.FindLink("fxp1"), nullptr);
  EXPECT_EQ(server.config.FindLink("fxp1")->pppoe.service, "superisp");
  EXPECT_EQ(server.config.FindLink("fxp1")->pppoe.iface, "fxp1");
  EXPECT_TRUE(server.config.FindLink("fxp1")->incoming);
  EXPECT_TRUE(server.config.FindLink("fxp1")->pap.enable);
  EXPECT_EQ(server.config.FindLink("fxp1")->action_bundle, "B");

  auto client = LoadConfig(dir, "mpd.conf.sample", "pppoe_client");
  EXPECT_FALSE(client.HasErrors());
  EXPECT_EQ(client.config.opens, (std::vector<std::string>{"L1"}));
  EXPECT_EQ(client.config.FindLink("L1")->auth.authname, "MyLogin");
  EXPECT_EQ(client.config.FindLink("L1")->keepalive_interval, 10);

  auto lac = LoadConfig(dir, "mpd.conf.sample", "complete_lac");
  EXPECT_EQ(lac.config.FindLink("L1")->action_bundle, "B1");
}

TEST(Samples, ManualExample) {
  auto r = LoadConfig(Source("tests/config/data"), "manual-example.conf", "client");
  ExpectOnlyUnsupportedTypeErrors(r, "client");
  EXPECT_EQ(Errors(r).size(), 1u);  // create link static L1 modem
}

void ExpectClean(const LoadResult& r) {
  EXPECT_FALSE(r.fatal);
  for (const auto& d : r.diagnostics) ADD_FAILURE() << d.ToString();
}

TEST(Examples, ServerLoadsClean) {
  auto r = LoadConfig(Source("examples/pppoe-server"), "mpd.conf", "");
  ExpectClean(r);
  const LinkConf* l = r.config.FindLink("L");
  ASSERT_NE(l, nullptr);
  EXPECT_TRUE(l->is_template);
  EXPECT_TRUE(l->incoming);
  EXPECT_TRUE(l->chap_md5.enable);
  EXPECT_FALSE(l->pap.enable);
  EXPECT_EQ(l->pppoe.iface, "veth-srv");
  EXPECT_EQ(l->pppoe.service, "*");
  EXPECT_EQ(l->keepalive_interval, 10);
  EXPECT_EQ(l->keepalive_max, 60);
  EXPECT_EQ(l->action_bundle, "B");
  const BundleConf* b = r.config.FindBundle("B");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->ipv6cp);
  EXPECT_EQ(b->ipcp_conf.peer_pool, "pool1");
  EXPECT_EQ(*b->ipcp_conf.dns1, Ip(10, 0, 0, 1));
  EXPECT_EQ(r.config.pools.at("pool1").at(0).last, Ip(10, 0, 3, 250));
  EXPECT_TRUE(r.config.opens.empty());
}

TEST(Examples, ClientLoadsClean) {
  auto r = LoadConfig(Source("examples/pppoe-client"), "mpd.conf", "");
  ExpectClean(r);
  const LinkConf* l = r.config.FindLink("L1");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->auth.authname, "demo");
  EXPECT_EQ(l->auth.password, "demo-pass");
  EXPECT_TRUE(l->pap.accept);
  EXPECT_TRUE(l->chap_md5.accept);
  EXPECT_EQ(l->pppoe.iface, "veth-cli");
  EXPECT_EQ(l->action_bundle, "B1");
  EXPECT_EQ(r.config.opens, (std::vector<std::string>{"L1"}));
  EXPECT_TRUE(r.config.FindBundle("B1")->ipv6cp);
}

TEST(Engine, ConsoleWebAndUsers) {
  auto r = LoadConfigText(
      "default:\n"
      "  set console self 127.0.0.2 5115\n"
      "  set console open\n"
      "  set web self ::1\n"
      "  set web disable auth\n"
      "  set web open\n"
      "  set user admin s3cret admin\n"
      "  set user bob pw\n"
      "  set user bob pw2 operator\n"
      "  set user eve pw root\n"
      "  set web self not-an-ip\n",
      "default");
  EXPECT_EQ(r.config.console.self_addr, "127.0.0.2");
  EXPECT_EQ(r.config.console.port, 5115);
  EXPECT_TRUE(r.config.console.open);
  EXPECT_TRUE(r.config.console.auth);
  EXPECT_EQ(r.config.web.self_addr, "::1");
  EXPECT_EQ(r.config.web.port, 5006);
  EXPECT_FALSE(r.config.web.auth);
  EXPECT_TRUE(r.config.web.open);
  ASSERT_EQ(r.config.users.size(), 2u);
  EXPECT_EQ(r.config.users[0].priv, "admin");
  EXPECT_EQ(r.config.users[1].name, "bob");
  EXPECT_EQ(r.config.users[1].password, "pw2");
  EXPECT_EQ(r.config.users[1].priv, "operator");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_NE(r.diagnostics[0].message.find("unknown privilege"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("bad IP address"), std::string::npos);
}

}  // namespace
}  // namespace mlppp::config
