#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aaa/radius/client.h"
#include "event/fake_loop.h"

namespace mlppp::aaa::radius {
namespace {

using std::chrono::seconds;

struct Datagram {
  std::string to;  // "host:port"
  std::vector<uint8_t> bytes;
  int sock = 0;  // which socket sent it: FakeNet's opening order
};

// A fake network: sockets to host:port, numbered in opening order; tests
// read what was sent and deliver replies as the server.
class FakeNet {
 public:
  class Socket : public DatagramSocket {
   public:
    Socket(FakeNet *net, std::string key, int ordinal, DatagramReceiver rx)
        : net_(net), key_(std::move(key)), ordinal_(ordinal), rx_(std::move(rx)) {}
    ~Socket() override { net_->sockets_.erase(ordinal_); }
    void Send(std::span<const uint8_t> d) override {
      net_->sent.push_back({key_, std::vector<uint8_t>(d.begin(), d.end()), ordinal_});
    }
    FakeNet *net_;
    std::string key_;
    int ordinal_;
    DatagramReceiver rx_;
  };

  DatagramSocketFactory Factory() {
    return [this](const std::string &host, uint16_t port,
                  DatagramReceiver rx) -> std::unique_ptr<DatagramSocket> {
      std::string key = host + ":" + std::to_string(port);
      if (refuse.count(key)) return nullptr;
      int ordinal = next_++;
      auto s = std::make_unique<Socket>(this, key, ordinal, std::move(rx));
      sockets_[ordinal] = s.get();
      return s;
    };
  }
  // To the first open socket to `key`.
  void Deliver(const std::string &key, std::span<const uint8_t> d) {
    for (auto &[n, s] : sockets_) {
      if (s->key_ == key) return s->rx_(d);
    }
    FAIL() << "no socket to " << key;
  }
  // To the socket that sent `request`.
  void Reply(const Datagram &request, std::span<const uint8_t> d) {
    sockets_.at(request.sock)->rx_(d);
  }
  size_t open_sockets() const { return sockets_.size(); }

  std::vector<Datagram> sent;
  std::set<std::string> refuse;

 private:
  std::map<int, Socket *> sockets_;
  int next_ = 0;
};

// The server's answer to a request datagram.
std::vector<uint8_t> Answer(const std::vector<uint8_t> &request, Code code,
                            const std::string &secret, bool with_ma = true) {
  auto req = Parse(request);
  EXPECT_TRUE(req.ok());
  RadiusPacket resp;
  resp.code = static_cast<uint8_t>(code);
  resp.id = req->id;
  resp.AddString(Attr::kReplyMessage, "hello");
  if (with_ma) AddMessageAuthenticator(resp);
  auto wire = EncodeResponse(resp, req->authenticator, secret);
  EXPECT_TRUE(wire.ok());
  return *wire;
}

RadiusPacket AccessRequest(std::string user = "alice") {
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccessRequest);
  p.AddString(Attr::kUserName, user);
  p.AddString(Attr::kUserPassword, "pw");
  return p;
}

RadiusPacket AccountingRequest() {
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccountingRequest);
  p.AddU32(Attr::kAcctStatusType, static_cast<uint32_t>(AcctStatusType::kStart));
  p.AddString(Attr::kAcctSessionId, "s1");
  return p;
}

class RadiusClientTest : public ::testing::Test {
 protected:
  RadiusClientConfig Config(int servers = 1, int retries = 3) {
    RadiusClientConfig c;
    for (int i = 0; i < servers; ++i) {
      c.servers.push_back(
          {"10.0.0." + std::to_string(i + 1), 1812, 1813, "secret" + std::to_string(i)});
    }
    c.retries = retries;
    c.nas_identifier = "nas1";
    return c;
  }
  std::unique_ptr<RadiusClient> Make(RadiusClientConfig c) {
    return std::make_unique<RadiusClient>(
        loop_, net_.Factory(),
        [this](std::span<uint8_t> out) {
          for (auto &b : out) b = static_cast<uint8_t>(++rand_);
        },
        std::move(c));
  }
  std::function<void(RadiusReply)> Capture() {
    return [this](RadiusReply r) { replies_.push_back(std::move(r)); };
  }

  event::FakeLoop loop_;
  FakeNet net_;
  uint8_t rand_ = 0;
  std::vector<RadiusReply> replies_;
};

TEST_F(RadiusClientTest, SuccessThroughTheLoop) {
  auto c = Make(Config());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].to, "10.0.0.1:1812");
  // What the server sees: hidden password, a valid Message-Authenticator
  // first, our NAS-Identifier.
  auto req = Parse(net_.sent[0].bytes);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->attributes.front().type, static_cast<uint8_t>(Attr::kMessageAuthenticator));
  EXPECT_TRUE(VerifyMessageAuthenticator(net_.sent[0].bytes, req->authenticator, "secret0"));
  EXPECT_EQ(*UnhidePassword(*req->Find(Attr::kUserPassword), "secret0", req->authenticator), "pw");
  EXPECT_EQ(req->FindString(Attr::kNasIdentifier), "nas1");

  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_TRUE(replies_.empty());  // completion goes through the loop
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
  EXPECT_EQ(replies_[0].packet.code_enum(), Code::kAccessAccept);
  EXPECT_EQ(replies_[0].packet.FindString(Attr::kReplyMessage), "hello");
  EXPECT_EQ(replies_[0].server, 0u);
  EXPECT_EQ(replies_[0].request_authenticator, req->authenticator);
  EXPECT_EQ(c->counters().replies, 1u);
  EXPECT_EQ(c->pending(), 0u);
  // A duplicate of the reply finds no request.
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(c->counters().unknown_id, 1u);
  loop_.Advance(seconds(60));
  EXPECT_EQ(replies_.size(), 1u);
  EXPECT_EQ(net_.sent.size(), 1u);
}

TEST_F(RadiusClientTest, RetransmitsSameBytesThenSucceeds) {
  auto c = Make(Config());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  loop_.Advance(seconds(4));
  EXPECT_EQ(net_.sent.size(), 1u);
  loop_.Advance(seconds(1));
  ASSERT_EQ(net_.sent.size(), 2u);
  EXPECT_EQ(net_.sent[1].bytes,
            net_.sent[0].bytes);  // same id and authenticator
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[1].bytes, Code::kAccessReject, "secret0"));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
  EXPECT_EQ(replies_[0].packet.code_enum(), Code::kAccessReject);
  EXPECT_EQ(c->counters().retransmits, 1u);
}

TEST_F(RadiusClientTest, FailsOverAndRemembersTheGoodServer) {
  auto c = Make(Config(2, 3));
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  loop_.Advance(seconds(15));  // three sends to the first server
  ASSERT_EQ(net_.sent.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(net_.sent[i].to, "10.0.0.1:1812");
  EXPECT_EQ(net_.sent[3].to, "10.0.0.2:1812");
  auto second = Parse(net_.sent[3].bytes);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->authenticator, Parse(net_.sent[0].bytes)->authenticator);
  EXPECT_TRUE(VerifyMessageAuthenticator(net_.sent[3].bytes, second->authenticator, "secret1"));
  EXPECT_EQ(*UnhidePassword(*second->Find(Attr::kUserPassword), "secret1", second->authenticator),
            "pw");
  // A late answer from the first server is no longer wanted.
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(c->counters().unknown_id, 1u);
  net_.Deliver("10.0.0.2:1812", Answer(net_.sent[3].bytes, Code::kAccessAccept, "secret1"));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
  EXPECT_EQ(replies_[0].server, 1u);
  EXPECT_EQ(c->counters().failovers, 1u);
  // The next request starts at the server that answered.
  c->Send(AccessRequest("bob"), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 5u);
  EXPECT_EQ(net_.sent[4].to, "10.0.0.2:1812");
}

TEST_F(RadiusClientTest, TimesOutAfterEveryServerAndRetry) {
  auto c = Make(Config(2, 2));
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  loop_.Advance(seconds(19));
  EXPECT_EQ(net_.sent.size(), 4u);
  EXPECT_TRUE(replies_.empty());
  loop_.Advance(seconds(1));
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kTimeout);
  EXPECT_EQ(c->counters().timeouts, 1u);
  EXPECT_EQ(c->pending(), 0u);
  loop_.Advance(seconds(60));
  EXPECT_EQ(replies_.size(), 1u);
  EXPECT_EQ(net_.sent.size(), 4u);
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(RadiusClientTest, DropsReplyWithWrongAuthenticator) {
  auto c = Make(Config());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  const auto &req = net_.sent[0].bytes;
  net_.Deliver("10.0.0.1:1812", Answer(req, Code::kAccessAccept, "not-the-secret"));
  auto tampered = Answer(req, Code::kAccessAccept, "secret0");
  tampered.back() ^= 1;
  net_.Deliver("10.0.0.1:1812", tampered);
  loop_.RunPending();
  EXPECT_TRUE(replies_.empty());
  EXPECT_EQ(c->counters().bad_authenticator, 2u);
  net_.Deliver("10.0.0.1:1812", Answer(req, Code::kAccessAccept, "secret0"));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
}

// BlastRADIUS (CVE-2024-3596): an Access-Accept with a valid Response
// Authenticator but no (or a bad) Message-Authenticator is dropped.
TEST_F(RadiusClientTest, DropsAccessReplyWithoutValidMessageAuthenticator) {
  auto c = Make(Config());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  const auto &req = net_.sent[0].bytes;
  net_.Deliver("10.0.0.1:1812", Answer(req, Code::kAccessAccept, "secret0", false));
  EXPECT_EQ(c->counters().missing_message_authenticator, 1u);
  // A Message-Authenticator over the wrong authenticator, with a correct
  // Response Authenticator over the result.
  auto parsed = Parse(req);
  RadiusPacket resp;
  resp.code = static_cast<uint8_t>(Code::kAccessAccept);
  resp.id = parsed->id;
  AddMessageAuthenticator(resp);
  auto wire = *Serialize(resp);
  Authenticator wrong{};
  ASSERT_TRUE(SignMessageAuthenticator(wire, wrong, "secret0"));
  SignAuthenticator(wire, parsed->authenticator, "secret0");
  ASSERT_TRUE(VerifyResponseAuthenticator(wire, parsed->authenticator, "secret0"));
  net_.Deliver("10.0.0.1:1812", wire);
  EXPECT_EQ(c->counters().bad_message_authenticator, 1u);
  loop_.RunPending();
  EXPECT_TRUE(replies_.empty());
  EXPECT_EQ(c->pending(), 1u);
}

TEST_F(RadiusClientTest, DropsUnknownIdWrongCodeAndMalformed) {
  auto c = Make(Config());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  auto req = net_.sent[0].bytes;
  auto other = req;
  other[1] ^= 0x80;  // an identifier with no request
  net_.Deliver("10.0.0.1:1812", Answer(other, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(c->counters().unknown_id, 1u);
  net_.Deliver("10.0.0.1:1812", Answer(req, Code::kAccountingResponse, "secret0"));
  EXPECT_EQ(c->counters().wrong_code, 1u);
  auto ok = Answer(req, Code::kAccessAccept, "secret0");
  net_.Deliver("10.0.0.1:1812", std::span(ok).first(19));
  auto longer = ok;
  longer[3] += 1;  // Length beyond the datagram
  net_.Deliver("10.0.0.1:1812", longer);
  EXPECT_EQ(c->counters().malformed, 2u);
  loop_.RunPending();
  EXPECT_TRUE(replies_.empty());
  net_.Deliver("10.0.0.1:1812", ok);
  loop_.RunPending();
  EXPECT_EQ(replies_.size(), 1u);
}

TEST_F(RadiusClientTest, AccountingUsesItsPortAndAuthenticator) {
  auto c = Make(Config());
  c->Send(AccountingRequest(), RequestKind::kAcct, Capture());
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].to, "10.0.0.1:1813");
  EXPECT_TRUE(VerifyRequestAuthenticator(net_.sent[0].bytes, "secret0"));
  EXPECT_FALSE(Parse(net_.sent[0].bytes)->Find(Attr::kMessageAuthenticator).has_value());
  // Accounting-Response needs no Message-Authenticator.
  net_.Deliver("10.0.0.1:1813",
               Answer(net_.sent[0].bytes, Code::kAccountingResponse, "secret0", false));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
  EXPECT_EQ(replies_[0].packet.code_enum(), Code::kAccountingResponse);
}

TEST_F(RadiusClientTest, IdentifierExhaustionQueues) {
  auto cfg = Config();
  cfg.max_sockets = 1;
  cfg.id_hold = seconds(0);
  auto c = Make(cfg);
  for (int i = 0; i < 300; ++i) c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 256u);
  std::set<uint8_t> ids;
  for (const auto &d : net_.sent) ids.insert(d.bytes[1]);
  EXPECT_EQ(ids.size(), 256u);
  EXPECT_EQ(c->counters().queued, 44u);
  EXPECT_EQ(c->pending(), 300u);
  // Answering identifier 5 frees it for the first queued request.
  auto req5 = net_.sent[5].bytes;
  ASSERT_EQ(req5[1], 5);
  net_.Deliver("10.0.0.1:1812", Answer(req5, Code::kAccessAccept, "secret0"));
  loop_.RunPending();
  ASSERT_EQ(net_.sent.size(), 257u);
  EXPECT_EQ(net_.sent[256].bytes[1], 5);
  EXPECT_NE(Parse(net_.sent[256].bytes)->authenticator, Parse(req5)->authenticator);
  EXPECT_EQ(replies_.size(), 1u);
  // The rest drain as the first ones time out; all complete exactly once.
  loop_.Advance(seconds(120));
  EXPECT_EQ(replies_.size(), 300u);
  EXPECT_EQ(c->pending(), 0u);
}

// RFC 5080 §2.2.2: FreeRADIUS ignores a request that reuses an Identifier
// from the same port within cleanup_delay, so a second socket carries the
// load instead of reusing one.
TEST_F(RadiusClientTest, MoreSocketsInsteadOfReusingIdentifiers) {
  auto c = Make(Config());
  for (int i = 0; i < 600; ++i) c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 600u);
  EXPECT_EQ(c->counters().queued, 0u);
  EXPECT_EQ(c->counters().sockets, 3u);
  EXPECT_EQ(net_.open_sockets(), 3u);
  std::set<std::pair<int, uint8_t>> keys;
  for (const auto &d : net_.sent) {
    EXPECT_EQ(d.to, "10.0.0.1:1812");
    keys.insert({d.sock, d.bytes[1]});
  }
  EXPECT_EQ(keys.size(), 600u);
  // Every reply reaches its request through its own socket.
  for (const auto &d : net_.sent) net_.Reply(d, Answer(d.bytes, Code::kAccessAccept, "secret0"));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 600u);
  for (const auto &r : replies_) EXPECT_EQ(r.status, ReplyStatus::kOk);
  EXPECT_EQ(c->counters().unknown_id, 0u);
}

TEST_F(RadiusClientTest, AnsweredIdentifierRestsBeforeReuse) {
  auto cfg = Config();
  cfg.max_sockets = 1;
  auto c = Make(cfg);  // id_hold: the 6 s default
  for (int i = 0; i < 256; ++i) c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  for (int i = 0; i < 256; ++i) {
    net_.Reply(net_.sent[i], Answer(net_.sent[i].bytes, Code::kAccessAccept, "secret0"));
  }
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 256u);
  // All 256 rest: the next request waits rather than reuse one at once.
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  EXPECT_EQ(net_.sent.size(), 256u);
  EXPECT_EQ(c->counters().queued, 1u);
  loop_.Advance(seconds(5));
  EXPECT_EQ(net_.sent.size(), 256u);
  loop_.Advance(seconds(1));
  ASSERT_EQ(net_.sent.size(), 257u);
  EXPECT_EQ(net_.sent[256].bytes[1], 0);  // the first one freed
  net_.Reply(net_.sent[256], Answer(net_.sent[256].bytes, Code::kAccessAccept, "secret0"));
  loop_.RunPending();
  EXPECT_EQ(replies_.size(), 257u);
}

TEST_F(RadiusClientTest, TimedOutIdentifierAlsoRests) {
  auto cfg = Config(1, 1);
  cfg.max_sockets = 1;
  cfg.timeout = seconds(1);
  cfg.id_hold = seconds(10);
  auto c = Make(cfg);
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  loop_.Advance(seconds(1));
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kTimeout);
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 2u);
  EXPECT_EQ(net_.sent[1].bytes[1], 1);  // not 0: a late reply to 0 may still come
  // That late reply is dropped, not taken as the answer to the new request.
  net_.Reply(net_.sent[0], Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(c->counters().unknown_id, 1u);
}

TEST_F(RadiusClientTest, DestructionCancelsWithoutCallbacks) {
  auto c = Make(Config(2));
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(net_.open_sockets(), 1u);
  c.reset();  // one completion is already posted
  EXPECT_EQ(net_.open_sockets(), 0u);
  loop_.Advance(seconds(120));
  EXPECT_TRUE(replies_.empty());
  EXPECT_EQ(loop_.ActiveTimers(), 0u);
}

TEST_F(RadiusClientTest, CancelForgetsOneRequest) {
  auto c = Make(Config());
  auto a = c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  c->Cancel(a);
  c->Cancel(12345);  // unknown: ignored
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[0].bytes, Code::kAccessAccept, "secret0"));
  EXPECT_EQ(c->counters().unknown_id, 1u);
  net_.Deliver("10.0.0.1:1812", Answer(net_.sent[1].bytes, Code::kAccessAccept, "secret0"));
  loop_.Advance(seconds(60));
  ASSERT_EQ(replies_.size(), 1u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kOk);
  EXPECT_EQ(net_.sent.size(), 2u);
}

TEST_F(RadiusClientTest, BadRequestsAndMissingServersAnswerThroughTheLoop) {
  auto cfg = Config(2);
  cfg.servers[0].acct_port = 0;
  cfg.servers[1].acct_port = 0;
  auto c = Make(cfg);
  c->Send(AccountingRequest(), RequestKind::kAuth,
          Capture());  // code/kind mismatch
  c->Send(AccountingRequest(), RequestKind::kAcct,
          Capture());  // no accounting server
  RadiusPacket huge = AccessRequest();
  huge.attributes[1].value.assign(129, 'x');  // password longer than RFC 2865 §5.2 allows
  c->Send(huge, RequestKind::kAuth, Capture());
  EXPECT_TRUE(replies_.empty());
  loop_.RunPending();
  ASSERT_EQ(replies_.size(), 3u);
  EXPECT_EQ(replies_[0].status, ReplyStatus::kBadRequest);
  EXPECT_EQ(replies_[1].status, ReplyStatus::kNoServer);
  EXPECT_EQ(replies_[2].status, ReplyStatus::kBadRequest);
  EXPECT_TRUE(net_.sent.empty());
}

TEST_F(RadiusClientTest, SocketFailureFailsOver) {
  net_.refuse.insert("10.0.0.1:1812");
  auto c = Make(Config(2));
  c->Send(AccessRequest(), RequestKind::kAuth, Capture());
  ASSERT_EQ(net_.sent.size(), 1u);
  EXPECT_EQ(net_.sent[0].to, "10.0.0.2:1812");
  EXPECT_EQ(c->counters().socket_errors, 1u);
}

}  // namespace
}  // namespace mlppp::aaa::radius
