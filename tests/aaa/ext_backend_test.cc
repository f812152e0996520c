#include "aaa/ext_backend.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aaa/chap_digest.h"
#include "aaa/mschap.h"

namespace mlppp::aaa {
namespace {

namespace fs = std::filesystem;

class ExtBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlppp-ext-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes an executable /bin/sh script; $D in `body` is the temp dir.
  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nD='" << dir_ << "'\n" << body;
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool Exists(const std::string& name) { return fs::exists(dir_ + "/" + name); }

  ExtAuthReply Auth(ExtAuthBackend& b, const AuthRequest& req, const SessionInfo& info = {}) {
    ExtAuthReply out;
    int calls = 0;
    b.AuthenticateExt(req, info, [&](ExtAuthReply r) {
      out = std::move(r);
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return out;
  }

  std::string dir_;
};

AuthRequest Pap(std::string user, std::string pw) {
  AuthRequest r;
  r.proto = AuthProto::kPap;
  r.user = std::move(user);
  r.pap_password = std::move(pw);
  return r;
}

AuthRequest Chap(std::string user, std::string_view secret, uint8_t id = 9) {
  AuthRequest r;
  r.proto = AuthProto::kChapMd5;
  r.user = std::move(user);
  r.chap_id = id;
  r.chap_challenge = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  auto resp = ChapMd5Response(id, secret, r.chap_challenge);
  r.chap_response.assign(resp.begin(), resp.end());
  return r;
}

bool NoChildrenLeft() { return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD; }

TEST(ExtProtocolTest, ParseReplyStopsAtEmptyLine) {
  auto a = ParseExtReply("RESULT:SUCCESS\r\nNOCOLON\nFRAMED_ROUTE:10.0.0.0/8 1.2.3.4\n\nLATE:1\n");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0], (std::pair<std::string, std::string>("RESULT", "SUCCESS")));
  EXPECT_EQ(a[1], (std::pair<std::string, std::string>("NOCOLON", "")));
  EXPECT_EQ(a[2], (std::pair<std::string, std::string>("FRAMED_ROUTE", "10.0.0.0/8 1.2.3.4")));
  // A last line without '\n' (EOF) counts; a value keeps its own colons.
  auto b = ParseExtReply("REPLY_MESSAGE:a:b");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].second, "a:b");
  EXPECT_TRUE(ParseExtReply("\nRESULT:SUCCESS\n").empty());
}

TEST(ExtProtocolTest, AuthTypeNames) {
  EXPECT_EQ(ExtAuthTypeName(AuthProto::kPap), "PAP");
  EXPECT_EQ(ExtAuthTypeName(AuthProto::kChapMd5), "CHAP MD5");
  EXPECT_EQ(ExtAuthTypeName(AuthProto::kChapMsV1), "CHAP MSOFT");
  EXPECT_EQ(ExtAuthTypeName(AuthProto::kChapMsV2), "CHAP MSOFTv2");
  EXPECT_EQ(ExtAuthTypeName(AuthProto::kEap), "EAP");
}

TEST(ExtProtocolTest, AuthRequestLines) {
  SessionInfo info;
  info.acct_session_id = "S1";
  info.link = "L1";
  info.nas_port = 3;
  info.nas_port_type = "pppoe";
  info.calling_station_id = "00:11:22:33:44:55";
  info.peer_iface = "eth0\nRESULT:SUCCESS";  // a line break cannot forge a line
  EXPECT_EQ(BuildExtAuthRequest(Pap("bob", "pw"), info),
            "USER_NAME:bob\nAUTH_TYPE:PAP\nUSER_PASSWORD:pw\nACCT_SESSION_ID:S1\nLINK:L1\n"
            "NAS_PORT:3\nNAS_PORT_TYPE:pppoe\nCALLING_STATION_ID:00:11:22:33:44:55\n"
            "CALLED_STATION_ID:\nSELF_NAME:\nPEER_NAME:\nSELF_ADDR:\nPEER_ADDR:\nPEER_PORT:\n"
            "PEER_MAC_ADDR:\nPEER_IFACE:eth0?RESULT:SUCCESS\nPEER_IDENT:\n\n");
  // CHAP: no password line.
  std::string chap = BuildExtAuthRequest(Chap("bob", "x"), {});
  EXPECT_TRUE(chap.starts_with("USER_NAME:bob\nAUTH_TYPE:CHAP MD5\nACCT_SESSION_ID:\n"));
}

TEST(ExtProtocolTest, AcctRequestLines) {
  AcctEvent ev;
  ev.status = AcctEvent::kStop;
  ev.user = "bob";
  ev.session.acct_session_id = "S1";
  ev.session.link = "L1";
  ev.session.bundle = "B1";
  ev.iface = "ppp0";
  ev.iface_index = 7;
  ev.framed_ip = 0x0a000102;
  ev.session_time = 3600;
  ev.in_octets = 5000000000ull;  // past 32 bits: ext-acct gets all 64
  ev.in_packets = 10;
  ev.out_octets = 20;
  ev.out_packets = 2;
  ev.terminate_cause = "User-Request";
  EXPECT_EQ(BuildExtAcctRequest(ev),
            "ACCT_STATUS_TYPE:STOP\nACCT_SESSION_ID:S1\nACCT_MULTI_SESSION_ID:\nUSER_NAME:bob\n"
            "IFACE:ppp0\nIFACE_INDEX:7\nBUNDLE:B1\nLINK:L1\nNAS_PORT:0\nNAS_PORT_TYPE:\n"
            "ACCT_LINK_COUNT:1\nCALLING_STATION_ID:\nCALLED_STATION_ID:\nSELF_NAME:\n"
            "PEER_NAME:\nSELF_ADDR:\nPEER_ADDR:\nPEER_PORT:\nPEER_MAC_ADDR:\nPEER_IFACE:\n"
            "PEER_IDENT:\nFRAMED_IP_ADDRESS:10.0.1.2\nACCT_TERMINATE_CAUSE:User-Request\n"
            "ACCT_SESSION_TIME:3600\nACCT_INPUT_OCTETS:5000000000\nACCT_INPUT_PACKETS:10\n"
            "ACCT_OUTPUT_OCTETS:20\nACCT_OUTPUT_PACKETS:2\n\n");
  ev.status = AcctEvent::kStart;
  std::string start = BuildExtAcctRequest(ev);
  EXPECT_EQ(start.find("ACCT_SESSION_TIME"), std::string::npos);
  EXPECT_EQ(start.find("ACCT_TERMINATE_CAUSE"), std::string::npos);
  EXPECT_TRUE(start.starts_with("ACCT_STATUS_TYPE:START\n"));
  EXPECT_TRUE(start.ends_with("FRAMED_IP_ADDRESS:10.0.1.2\n\n"));
}

TEST_F(ExtBackendTest, SuccessWithAttributes) {
  std::string s = Script("auth.sh",
                         "cat > \"$D/stdin\"\nprintf '%s' \"$1\" > \"$D/arg\"\n"
                         "echo RESULT:SUCCESS\n"
                         "echo FRAMED_IP_ADDRESS:10.1.2.3\n"
                         "echo FRAMED_POOL:pool1\n"
                         "echo FRAMED_ROUTE:192.168.0.0/24\n"
                         "echo FRAMED_ROUTE:192.168.1.0/24\n"
                         "echo FRAMED_MTU:1400\n"
                         "echo SESSION_TIMEOUT:3600\n"
                         "echo IDLE_TIMEOUT:600\n"
                         "echo ACCT_INTERIM_INTERVAL:300\n"
                         "echo PRIMARY_DNS_SERVER:8.8.8.8\n"
                         "echo SECONDARY_DNS_SERVER:8.8.4.4\n"
                         "echo REPLY_MESSAGE:welcome\n"
                         "echo USER_NAME:bob@realm\n"
                         "echo MPD_FUTURE:ignored\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  SessionInfo info;
  info.link = "L7";
  auto r = Auth(b, Pap("bob", "pw1"), info);
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kSuccess);
  EXPECT_TRUE(r.result.ok);
  EXPECT_EQ(r.result.message, "welcome");
  EXPECT_EQ(r.result.framed_ip, 0x0a010203u);
  EXPECT_EQ(r.result.framed_ip_width, 32);
  EXPECT_EQ(r.result.framed_pool, "pool1");
  EXPECT_EQ(r.result.framed_routes, (std::vector<std::string>{"192.168.0.0/24", "192.168.1.0/24"}));
  EXPECT_EQ(r.result.framed_mtu, 1400);
  EXPECT_EQ(r.result.session_timeout, 3600u);
  EXPECT_EQ(r.result.idle_timeout, 600u);
  EXPECT_EQ(r.result.acct_interim, 300u);
  EXPECT_EQ(r.result.dns[0], 0x08080808u);
  EXPECT_EQ(r.result.dns[1], 0x08080404u);
  EXPECT_EQ(r.user_name, "bob@realm");
  EXPECT_EQ(Read("arg"), "bob");
  EXPECT_EQ(Read("stdin"), BuildExtAuthRequest(Pap("bob", "pw1"), info));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_F(ExtBackendTest, PlainAuthBackendInterface) {
  std::string s = Script("auth.sh", "echo RESULT:SUCCESS\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  AuthBackend& base = b;
  bool ok = false;
  base.Authenticate(Pap("bob", "x"), [&](AuthResult r) { ok = r.ok; });
  EXPECT_TRUE(ok);
}

TEST_F(ExtBackendTest, FailKeepsMessagesDropsAttributes) {
  std::string s = Script("auth.sh",
                         "echo RESULT:FAIL\necho REPLY_MESSAGE:expired\n"
                         "echo 'MS_CHAP_ERROR:E=691 R=0 V=3'\necho FRAMED_IP_ADDRESS:10.0.0.1\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  auto r = Auth(b, Pap("bob", "pw"));
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kFail);
  EXPECT_FALSE(r.result.ok);
  EXPECT_EQ(r.result.message, "expired");
  EXPECT_EQ(r.result.mschap_error, "E=691 R=0 V=3");
  EXPECT_FALSE(r.result.framed_ip.has_value());
}

TEST_F(ExtBackendTest, UnknownResultValueIsFail) {
  std::string s = Script("auth.sh", "echo RESULT:MAYBE\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  auto r = Auth(b, Pap("bob", "pw"));
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kFail);
  EXPECT_FALSE(r.result.ok);
}

TEST_F(ExtBackendTest, UndefVerifiesPap) {
  // mpd5's usual script: read up to the empty line, answer with the password.
  std::string s = Script("auth.sh",
                         "while read -r l; do [ -z \"$l\" ] && break; done\n"
                         "printf 'RESULT:UNDEF\\nUSER_PASSWORD:s3cret\\nFRAMED_MTU:1300\\n\\n'\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  auto good = Auth(b, Pap("bob", "s3cret"));
  EXPECT_EQ(good.verdict, ExtAuthReply::Verdict::kUndef);
  EXPECT_TRUE(good.result.ok);
  EXPECT_EQ(good.result.framed_mtu, 1300);
  EXPECT_EQ(good.password, "s3cret");
  auto bad = Auth(b, Pap("bob", "s3cre"));
  EXPECT_EQ(bad.verdict, ExtAuthReply::Verdict::kUndef);
  EXPECT_FALSE(bad.result.ok);
  EXPECT_FALSE(bad.result.framed_mtu.has_value());
}

TEST_F(ExtBackendTest, UndefVerifiesChapMd5) {
  std::string s = Script("auth.sh", "printf 'RESULT:UNDEF\\nUSER_PASSWORD:s3cret\\n'\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  EXPECT_TRUE(Auth(b, Chap("bob", "s3cret")).result.ok);
  EXPECT_FALSE(Auth(b, Chap("bob", "other")).result.ok);
  auto wrong_id = Chap("bob", "s3cret");
  wrong_id.chap_id ^= 1;
  EXPECT_FALSE(Auth(b, wrong_id).result.ok);
}

AuthRequest MsChapV2(std::string user, std::string_view password) {
  AuthRequest r;
  r.proto = AuthProto::kChapMsV2;
  r.user = std::move(user);
  r.chap_challenge.assign(16, 0x11);
  MsChapV2Response resp;
  resp.peer_challenge.fill(0x22);
  std::span<const uint8_t, 16> auth_challenge(r.chap_challenge.data(), 16);
  resp.nt_response = GenerateNTResponse(auth_challenge, resp.peer_challenge, r.user, password);
  r.chap_response = SerializeMsChapV2Response(resp);
  return r;
}

TEST_F(ExtBackendTest, UndefWithoutPasswordIsUndecided) {
  std::string nopw = Script("nopw.sh", "echo RESULT:UNDEF\n");
  ExtAuthBackend b(nopw, SynchronousRunBlocking());
  auto r = Auth(b, Pap("bob", ""));
  EXPECT_FALSE(r.result.ok);
  EXPECT_TRUE(r.result.undecided);
}

TEST_F(ExtBackendTest, UndefVerifiesMsChapV2WithPasswordOrNtHash) {
  if (!MsChapCryptoAvailable()) GTEST_SKIP() << "no MD4/DES in OpenSSL";
  std::string pw = Script("pw.sh", "printf 'RESULT:UNDEF\\nUSER_PASSWORD:clientPass\\n'\n");
  ExtAuthBackend b(pw, SynchronousRunBlocking());
  auto good = Auth(b, MsChapV2("User", "clientPass"));
  EXPECT_TRUE(good.result.ok);
  EXPECT_EQ(good.result.mschap_success.size(), kMsChapAuthResponseSize);
  EXPECT_TRUE(good.result.mppe.has_value());
  auto bad = Auth(b, MsChapV2("User", "wrong"));
  EXPECT_FALSE(bad.result.ok);
  EXPECT_FALSE(bad.result.undecided);
  EXPECT_TRUE(bad.result.mschap_error.starts_with("E=691")) << bad.result.mschap_error;
  // USER_NT_HASH: 32 hex digits of MD4(UTF-16LE password) (RFC 2759 §8.3).
  std::string hex = HexUpper(NtPasswordHash("clientPass"));
  std::string nt = Script("nt.sh", "printf 'RESULT:UNDEF\\nUSER_NT_HASH:" + hex + "\\n'\n");
  ExtAuthBackend b2(nt, SynchronousRunBlocking());
  EXPECT_TRUE(Auth(b2, MsChapV2("User", "clientPass")).result.ok);
  EXPECT_FALSE(Auth(b2, MsChapV2("User", "nope")).result.ok);
}

TEST_F(ExtBackendTest, ScriptErrorIsUndecidedFailIsNot) {
  ExtAuthBackend missing(dir_ + "/nonexistent", SynchronousRunBlocking());
  EXPECT_TRUE(Auth(missing, Pap("bob", "pw")).result.undecided);
  std::string fail = Script("fail.sh", "echo RESULT:FAIL\n");
  ExtAuthBackend f(fail, SynchronousRunBlocking());
  EXPECT_FALSE(Auth(f, Pap("bob", "pw")).result.undecided);
}

TEST_F(ExtBackendTest, PlainAuthenticateSendsSessionContext) {
  std::string s = Script("auth.sh", "cat > \"$D/stdin\"\necho RESULT:SUCCESS\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  AuthRequest req = Pap("bob", "pw");
  req.ctx.link = "L3";
  req.ctx.session_id = "SID";
  req.ctx.link_type = "pppoe";
  req.ctx.calling_station = "00:11:22:33:44:55";
  req.ctx.iface = "eth1";
  req.ctx.nas_port = 3;
  bool ok = false;
  b.Authenticate(req, [&](AuthResult r) { ok = r.ok; });
  EXPECT_TRUE(ok);
  std::string in = Read("stdin");
  EXPECT_NE(in.find("ACCT_SESSION_ID:SID\nLINK:L3\nNAS_PORT:3\nNAS_PORT_TYPE:pppoe\n"
                    "CALLING_STATION_ID:00:11:22:33:44:55\n"),
            std::string::npos);
  EXPECT_NE(in.find("PEER_MAC_ADDR:00:11:22:33:44:55\nPEER_IFACE:eth1\n"), std::string::npos);
}

TEST_F(ExtBackendTest, ShellMetacharactersInUserNameArePassedLiterally) {
  std::string s = Script("auth.sh", "printf '%s' \"$1\" > \"$D/arg\"\necho RESULT:SUCCESS\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  std::string evil = "x'; touch " + dir_ + "/pwned; echo '$(id)`id`|&>*";
  auto r = Auth(b, Pap(evil, "pw"));
  EXPECT_TRUE(r.result.ok);
  EXPECT_EQ(Read("arg"), evil);
  EXPECT_FALSE(Exists("pwned"));
}

TEST_F(ExtBackendTest, LineBreakInUserNameIsRefusedWithoutRunning) {
  std::string s = Script("auth.sh", "touch \"$D/ran\"\necho RESULT:SUCCESS\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  EXPECT_FALSE(Auth(b, Pap("bob\nRESULT:SUCCESS", "pw")).result.ok);
  EXPECT_FALSE(Auth(b, Pap("bob", "pw\nUSER_NAME:root")).result.ok);
  EXPECT_FALSE(Auth(b, Pap(std::string("bo\0b", 4), "pw")).result.ok);
  EXPECT_FALSE(Exists("ran"));
}

TEST_F(ExtBackendTest, HangingScriptIsKilledAfterTimeout) {
  std::string s = Script("auth.sh", "echo RESULT:SUCCESS\nsleep 30\necho\n");
  ExtAuthBackend b(s, SynchronousRunBlocking(), std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  auto r = Auth(b, Pap("bob", "pw"));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kError);
  EXPECT_FALSE(r.result.ok);
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_F(ExtBackendTest, ReplyThenLingeringScriptIsKeptAndKilled) {
  // The reply ended with its empty line; the script then hangs: the answer
  // stands, the script is killed at the deadline and reaped.
  std::string s = Script("auth.sh", "printf 'RESULT:SUCCESS\\n\\n'\nsleep 30\n");
  ExtAuthBackend b(s, SynchronousRunBlocking(), std::chrono::milliseconds(2000));
  auto r = Auth(b, Pap("bob", "pw"));
  EXPECT_TRUE(r.result.ok);
  EXPECT_TRUE(NoChildrenLeft());
}

TEST_F(ExtBackendTest, NoResultFailsCleanly) {
  std::string s = Script("auth.sh", "echo FRAMED_MTU:1400\nexit 3\n");
  ExtAuthBackend b(s, SynchronousRunBlocking());
  auto r = Auth(b, Pap("bob", "pw"));
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kError);
  EXPECT_FALSE(r.result.ok);
  EXPECT_FALSE(r.result.framed_mtu.has_value());
  std::string silent = Script("silent.sh", "exit 0\n");
  ExtAuthBackend b2(silent, SynchronousRunBlocking());
  EXPECT_EQ(Auth(b2, Pap("bob", "pw")).verdict, ExtAuthReply::Verdict::kError);
}

TEST_F(ExtBackendTest, MissingScriptFails) {
  ExtAuthBackend b(dir_ + "/nonexistent", SynchronousRunBlocking());
  auto r = Auth(b, Pap("bob", "pw"));
  EXPECT_EQ(r.verdict, ExtAuthReply::Verdict::kError);
  EXPECT_FALSE(r.result.ok);
}

TEST_F(ExtBackendTest, RunScriptReportsExitStatusAndIgnoresUnreadStdin) {
  std::string s = Script("x.sh", "echo A:1\nexit 5\n");
  auto out = RunScript(s, {}, std::string(256 * 1024, 'x'), std::chrono::seconds(10));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ(out->out, "A:1\n");
  EXPECT_EQ(out->exit_status, 5);
  EXPECT_FALSE(out->timed_out);
  EXPECT_TRUE(out->reply_complete);
}

TEST_F(ExtBackendTest, DestroyedBackendDropsLateCallback) {
  std::string s = Script("auth.sh", "echo RESULT:SUCCESS\n");
  std::deque<std::pair<std::function<void()>, std::function<void()>>> queued;
  RunBlocking deferred = [&](std::function<void()> w, std::function<void()> d) {
    queued.emplace_back(std::move(w), std::move(d));
  };
  int calls = 0;
  {
    ExtAuthBackend b(s, deferred);
    b.Authenticate(Pap("bob", "pw"), [&](AuthResult) { ++calls; });
    ExtAcct acct(s, deferred);
    acct.Send(AcctEvent{}, [&](ExtAcctReply) { ++calls; });
  }
  ASSERT_EQ(queued.size(), 2u);
  for (auto& [work, done] : queued) {
    work();
    done();
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(ExtBackendTest, AcctStartStopAndDropUser) {
  std::string s = Script("acct.sh",
                         "cat >> \"$D/stdin\"\nprintf '%s\\n' \"$1\" >> \"$D/arg\"\n"
                         "if [ -e \"$D/drop\" ]; then echo MPD_DROP_USER:1; fi\n");
  ExtAcct acct(s, SynchronousRunBlocking());
  AcctEvent ev;
  ev.user = "bob";
  ev.session.acct_session_id = "S9";
  ev.status = AcctEvent::kStart;
  std::optional<ExtAcctReply> got;
  acct.Send(ev, [&](ExtAcctReply r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->ok);
  EXPECT_FALSE(got->drop_user);
  std::ofstream(dir_ + "/drop") << "";
  ev.status = AcctEvent::kUpdate;
  ev.session_time = 60;
  got.reset();
  acct.Send(ev, [&](ExtAcctReply r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->drop_user);
  ev.status = AcctEvent::kStop;
  ev.terminate_cause = "Admin-Reset";
  acct.Send(ev);  // no callback wanted
  AcctEvent start = ev;
  start.status = AcctEvent::kStart;
  AcctEvent update = ev;
  update.status = AcctEvent::kUpdate;
  EXPECT_EQ(Read("stdin"),
            BuildExtAcctRequest(start) + BuildExtAcctRequest(update) + BuildExtAcctRequest(ev));
  EXPECT_EQ(Read("arg"), "bob\nbob\nbob\n");
}

TEST_F(ExtBackendTest, AcctDropUserZeroAndFailures) {
  std::string zero = Script("zero.sh", "echo MPD_DROP_USER:0\n");
  ExtAcct a(zero, SynchronousRunBlocking());
  AcctEvent ev;
  ev.user = "bob";
  std::optional<ExtAcctReply> got;
  a.Send(ev, [&](ExtAcctReply r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->ok);
  EXPECT_FALSE(got->drop_user);
  ExtAcct missing(dir_ + "/nope", SynchronousRunBlocking());
  got.reset();
  missing.Send(ev, [&](ExtAcctReply r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok);
  EXPECT_FALSE(got->error.empty());
  ev.user = "a\nb";
  got.reset();
  a.Send(ev, [&](ExtAcctReply r) { got = r; });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->ok);
}

}  // namespace
}  // namespace mlppp::aaa
