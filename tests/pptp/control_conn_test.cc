// One PPTP node (RFC 2637) against a scripted peer that writes and reads
// raw control messages: the §3.1 control connection state machine on both
// the answering and the originating side, keep-alive, Stop, bad streams,
// half-open limits, and call messages (CCRQ, CDN, WEN, SLI).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "event/fake_loop.h"
#include "link/pptp/node.h"

namespace mlppp::link::pptp {
namespace {

using namespace std::chrono_literals;

constexpr char kPeerIp[] = "198.51.100.7";

// The test's view of one TCP connection: what the node wrote, and whether
// it closed. The node owns the StreamConn; the test keeps the shared state.
struct Wire {
  Bytes written;
  bool closed = false;
  Framer framer;
  // Decodes what the node wrote since the last call.
  std::vector<ControlMessage> Take() {
    framer.Feed(written);
    written.clear();
    std::vector<ControlMessage> out;
    Bytes msg;
    while (framer.Next(&msg) == Framer::Status::kMessage) {
      ControlMessage m;
      EXPECT_EQ(Decode(msg, &m), DecodeError::kOk);
      out.push_back(m);
    }
    return out;
  }
};

class ScriptStream : public StreamConn {
 public:
  explicit ScriptStream(std::shared_ptr<Wire> w) : w_(std::move(w)) {}
  void Write(std::span<const uint8_t> b) override {
    EXPECT_FALSE(w_->closed);
    w_->written.insert(w_->written.end(), b.begin(), b.end());
  }
  void Close() override { w_->closed = true; }

 private:
  std::shared_ptr<Wire> w_;
};

class NullGre : public GreTransport {
 public:
  void SendTo(const std::string&, std::span<const uint8_t> p) override {
    sent.emplace_back(p.begin(), p.end());
  }
  std::vector<Bytes> sent;
};

class Events : public DriverEvents {
 public:
  void OnDriverUp() override { ++up; }
  void OnDriverDown(std::string_view r) override {
    ++down;
    reason = std::string(r);
  }
  void OnFrame(Packet&&) override { ++frames; }
  int up = 0, down = 0, frames = 0;
  std::string reason;
};

template <class T>
const T* Find(const std::vector<ControlMessage>& v) {
  for (const auto& m : v) {
    if (auto* p = std::get_if<T>(&m)) return p;
  }
  return nullptr;
}

class PptpControlConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.self_ip = "192.0.2.2";
    MakeNode();
  }
  void MakeNode() {
    node_ = std::make_unique<Node>(
        loop_, config_, gre_,
        [this](const std::string&, const std::string& peer, uint16_t, ConnectDone done) {
          dialed_.push_back(peer);
          pending_connect_ = std::move(done);
        },
        [this] { return ++seed_ * 2654435761u; });
    ASSERT_TRUE(node_->Listen({}, [this](std::unique_ptr<link::Driver> d) {
      auto ev = std::make_unique<Events>();
      d->SetEvents(ev.get());
      d->Open();
      calls_.push_back(std::move(d));
      events_.push_back(std::move(ev));
    }));
  }
  void TearDown() override {
    calls_.clear();
    client_.reset();
    node_.reset();
    loop_.RunPending();
  }

  // Accepts a connection from the scripted peer.
  std::shared_ptr<Wire> Accept(const std::string& ip = kPeerIp) {
    auto w = std::make_shared<Wire>();
    streams_.push_back(new ScriptStream(w));
    node_->Accept(std::unique_ptr<StreamConn>(streams_.back()), ip);
    return w;
  }
  // The peer writes messages (ScriptStream raw pointer stays valid while the
  // connection lives; the test only writes to live ones).
  void PeerSends(size_t stream, const ControlMessage& m) {
    const Bytes b = Encode(m);
    streams_[stream]->DeliverData(b);
  }
  std::shared_ptr<Wire> Establish() {
    auto w = Accept();
    PeerSends(streams_.size() - 1, StartCtrlConnRequest{});
    auto out = w->Take();
    const auto* rp = Find<StartCtrlConnReply>(out);
    EXPECT_NE(rp, nullptr);
    return w;
  }
  // An established connection with one call the peer placed with OCRQ.
  std::shared_ptr<Wire> EstablishCall(uint16_t peer_call_id = 0x4242) {
    auto w = Establish();
    OutgoingCallRequest rq;
    rq.call_id = peer_call_id;
    rq.packet_recv_window = 16;
    PeerSends(streams_.size() - 1, rq);
    loop_.RunPending();
    return w;
  }

  event::FakeLoop loop_;
  NodeConfig config_;
  NullGre gre_;
  uint32_t seed_ = 0;
  std::unique_ptr<Node> node_;
  std::vector<ScriptStream*> streams_;
  std::vector<std::unique_ptr<link::Driver>> calls_;
  std::vector<std::unique_ptr<Events>> events_;
  std::vector<std::string> dialed_;
  ConnectDone pending_connect_;
  std::unique_ptr<link::Driver> client_;
};

TEST_F(PptpControlConnTest, SccrqAnsweredWithSccrp) {
  auto w = Accept();
  EXPECT_EQ(node_->half_open(), 1u);
  StartCtrlConnRequest rq;
  rq.host_name = "client";
  PeerSends(0, rq);
  auto out = w->Take();
  ASSERT_EQ(out.size(), 1u);
  const auto* rp = Find<StartCtrlConnReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kSccrpSuccess);
  EXPECT_EQ(rp->protocol_version, 0x0100);
  EXPECT_EQ(rp->vendor_string, "mlpppd");
  EXPECT_EQ(rp->host_name, "mlpppd");
  EXPECT_EQ(rp->framing_capabilities, kFramingAsync | kFramingSync);
  EXPECT_EQ(node_->half_open(), 0u);
  EXPECT_FALSE(w->closed);
}

TEST_F(PptpControlConnTest, BadProtocolVersionRefused) {
  auto w = Accept();
  StartCtrlConnRequest rq;
  rq.protocol_version = 0x0200;
  PeerSends(0, rq);
  auto out = w->Take();
  const auto* rp = Find<StartCtrlConnReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kSccrpBadVersion);
  EXPECT_TRUE(w->closed);
}

TEST_F(PptpControlConnTest, OutgoingCallRequestAnsweredConnected) {
  auto w = EstablishCall(0x4242);
  auto out = w->Take();
  const auto* rp = Find<OutgoingCallReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kOcrpConnected);
  EXPECT_EQ(rp->peer_call_id, 0x4242);
  EXPECT_NE(rp->call_id, 0);
  EXPECT_EQ(rp->packet_recv_window, 64);
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(events_[0]->up, 1);
  EXPECT_EQ(calls_[0]->Info().session_id, rp->call_id);
  EXPECT_EQ(calls_[0]->Info().peer_addr, kPeerIp);
}

TEST_F(PptpControlConnTest, DuplicateOcrqRefused) {
  auto w = EstablishCall(7);
  w->Take();
  OutgoingCallRequest rq;
  rq.call_id = 7;
  PeerSends(0, rq);
  auto out = w->Take();
  const auto* rp = Find<OutgoingCallReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kOcrpGeneralError);
  EXPECT_EQ(calls_.size(), 1u);
}

TEST_F(PptpControlConnTest, CallsOverPptpLimitRefused) {
  config_.calls_per_conn = 2;
  MakeNode();
  auto w = EstablishCall(1);
  for (uint16_t id = 2; id <= 3; ++id) {
    OutgoingCallRequest rq;
    rq.call_id = id;
    PeerSends(0, rq);
  }
  auto out = w->Take();
  std::vector<OutgoingCallReply> replies;
  for (const auto& m : out) {
    if (auto* p = std::get_if<OutgoingCallReply>(&m)) replies.push_back(*p);
  }
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[1].result_code, result::kOcrpConnected);
  EXPECT_EQ(replies[2].result_code, result::kOcrpGeneralError);
  EXPECT_EQ(replies[2].error_code, static_cast<uint8_t>(GeneralError::kNoResource));
  EXPECT_EQ(replies[2].peer_call_id, 3);
  EXPECT_EQ(calls_.size(), 2u);
  EXPECT_EQ(node_->counters().calls_refused, 1u);
  EXPECT_NE(replies[0].call_id, replies[1].call_id);
}

TEST_F(PptpControlConnTest, OcrqRefusedWhenOutgoingCallsDisabled) {
  ServerConfig sc;
  sc.accept_outgoing = false;
  ASSERT_TRUE(node_->Listen(sc, [](std::unique_ptr<link::Driver>) { FAIL(); }));
  auto w = EstablishCall(5);
  const auto out = w->Take();
  const auto* rp = Find<OutgoingCallReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kOcrpDoNotAccept);
  EXPECT_FALSE(w->closed);
}

TEST_F(PptpControlConnTest, ClientSccrpRefusalTakesCallDown) {
  ClientConfig cc;
  cc.peer_ip = kPeerIp;
  client_ = node_->Dial(cc);
  Events ev;
  client_->SetEvents(&ev);
  client_->Open();
  auto w = std::make_shared<Wire>();
  auto* s = new ScriptStream(w);
  pending_connect_(std::unique_ptr<StreamConn>(s));
  StartCtrlConnReply rp;
  rp.result_code = result::kSccrpNotAuthorized;
  s->DeliverData(Encode(rp));
  loop_.RunPending();
  EXPECT_EQ(ev.down, 1);
  EXPECT_NE(ev.reason.find("SCCRP"), std::string::npos);
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(node_->conn_count(), 0u);
  client_.reset();
}

TEST_F(PptpControlConnTest, MessagesSplitAtEveryBoundary) {
  auto w = Accept();
  Bytes all = Encode(StartCtrlConnRequest{});
  OutgoingCallRequest ocrq;
  ocrq.call_id = 9;
  const Bytes b = Encode(ocrq);
  all.insert(all.end(), b.begin(), b.end());
  const Bytes e = Encode(EchoRequest{0xdeadbeef});
  all.insert(all.end(), e.begin(), e.end());
  // Chunks of 1, 2, 3, ... octets.
  size_t at = 0;
  for (size_t n = 1; at < all.size(); ++n) {
    const size_t len = std::min(n, all.size() - at);
    streams_[0]->DeliverData(std::span<const uint8_t>(all).subspan(at, len));
    at += len;
  }
  loop_.RunPending();
  auto out = w->Take();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NE(Find<StartCtrlConnReply>(out), nullptr);
  EXPECT_NE(Find<OutgoingCallReply>(out), nullptr);
  const auto* er = Find<EchoReply>(out);
  ASSERT_NE(er, nullptr);
  EXPECT_EQ(er->identifier, 0xdeadbeefu);
  EXPECT_EQ(calls_.size(), 1u);
}

TEST_F(PptpControlConnTest, EchoRequestAfterSilenceAndTimeout) {
  auto w = EstablishCall();
  w->Take();
  loop_.Advance(59s);
  EXPECT_TRUE(w->Take().empty());
  loop_.Advance(1s);
  auto out = w->Take();
  const auto* er = Find<EchoRequest>(out);
  ASSERT_NE(er, nullptr);
  // Answered: stays up and asks again after another silence.
  PeerSends(0, EchoReply{er->identifier, result::kOk, 0});
  loop_.Advance(60s);
  ASSERT_NE(Find<EchoRequest>(w->Take()), nullptr);
  EXPECT_FALSE(w->closed);
  // Not answered: down, with the call.
  loop_.Advance(60s);
  loop_.RunPending();
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(events_[0]->down, 1);
  EXPECT_EQ(events_[0]->reason, "control connection down: Echo-Reply timeout");
}

TEST_F(PptpControlConnTest, StopCcrqFromPeerAnsweredAndCallsDown) {
  auto w = EstablishCall();
  w->Take();
  PeerSends(0, StopCtrlConnRequest{kStopReasonLocalShutdown});
  loop_.RunPending();
  auto out = w->Take();
  const auto* rp = Find<StopCtrlConnReply>(out);
  ASSERT_NE(rp, nullptr);
  EXPECT_EQ(rp->result_code, result::kOk);
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(events_[0]->down, 1);
  EXPECT_EQ(node_->conn_count(), 0u);
}

TEST_F(PptpControlConnTest, LocalStopWaitsForStopCcrp) {
  auto w = EstablishCall();
  w->Take();
  node_->Shutdown();
  loop_.RunPending();
  auto out = w->Take();
  const auto* rq = Find<StopCtrlConnRequest>(out);
  ASSERT_NE(rq, nullptr);
  EXPECT_EQ(rq->reason, kStopReasonLocalShutdown);
  EXPECT_EQ(events_[0]->down, 1);
  EXPECT_FALSE(w->closed);
  PeerSends(0, StopCtrlConnReply{result::kOk, 0});
  EXPECT_TRUE(w->closed);
}

TEST_F(PptpControlConnTest, LocalStopClosesWithoutStopCcrp) {
  auto w = Establish();
  node_->Shutdown();
  loop_.Advance(config_.setup_timeout);
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(node_->conn_count(), 0u);
}

TEST_F(PptpControlConnTest, BadStreamLengthCloses) {
  auto w = EstablishCall();
  const uint8_t bad[] = {0xff, 0xff, 0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d, 0, 5, 0, 0};
  streams_[0]->DeliverData(bad);
  loop_.RunPending();
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(events_[0]->down, 1);
}

TEST_F(PptpControlConnTest, BadMagicCloses) {
  auto w = Establish();
  Bytes b = Encode(EchoRequest{1});
  b[4] = 0;  // Magic Cookie
  streams_[0]->DeliverData(b);
  EXPECT_TRUE(w->closed);
}

TEST_F(PptpControlConnTest, StreamClosedByPeerTakesCallDown) {
  auto w = EstablishCall();
  streams_[0]->DeliverClosed();
  loop_.RunPending();
  EXPECT_EQ(events_[0]->down, 1);
  EXPECT_EQ(node_->conn_count(), 0u);
  EXPECT_EQ(node_->registered_calls(), 0u);
}

TEST_F(PptpControlConnTest, HalfOpenClosedAfterSetupTimeout) {
  auto w = Accept();
  loop_.Advance(config_.setup_timeout - 1ms);
  EXPECT_FALSE(w->closed);
  loop_.Advance(1ms);
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(node_->counters().setup_timeouts, 1u);
  EXPECT_EQ(node_->half_open(), 0u);
}

TEST_F(PptpControlConnTest, MessageBeforeSccrqCloses) {
  auto w = Accept();
  PeerSends(0, EchoRequest{1});
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(node_->half_open(), 0u);
}

TEST_F(PptpControlConnTest, SecondSccrqCountedAndDropped) {
  auto w = Establish();
  PeerSends(0, StartCtrlConnRequest{});
  EXPECT_TRUE(w->Take().empty());
  EXPECT_FALSE(w->closed);
}

TEST_F(PptpControlConnTest, PerSourceLimit) {
  config_.max_conns_per_source = 2;
  MakeNode();
  auto a = Accept();
  auto b = Accept();
  auto c = Accept();
  auto d = Accept("198.51.100.8");
  EXPECT_TRUE(c->closed);
  EXPECT_FALSE(a->closed);
  EXPECT_FALSE(d->closed);
  EXPECT_EQ(node_->counters().refused_per_source, 1u);
  // A slot frees when a connection goes.
  streams_[0]->DeliverClosed();
  auto e = Accept();
  EXPECT_FALSE(e->closed);
}

TEST_F(PptpControlConnTest, NotListeningRefuses) {
  node_->StopListening();
  auto w = Accept();
  EXPECT_TRUE(w->closed);
  EXPECT_EQ(node_->counters().refused_not_listening, 1u);
}

TEST_F(PptpControlConnTest, CallClearRequestAnsweredWithCdn) {
  auto w = EstablishCall(0x99);
  auto rp = *Find<OutgoingCallReply>(w->Take());
  PeerSends(0, CallClearRequest{0x99});
  loop_.RunPending();
  auto out = w->Take();
  const auto* cdn = Find<CallDisconnectNotify>(out);
  ASSERT_NE(cdn, nullptr);
  EXPECT_EQ(cdn->call_id, rp.call_id);
  EXPECT_EQ(cdn->result_code, result::kCdnRequest);
  EXPECT_EQ(events_[0]->down, 1);
  // The connection closes after pptptimeout without calls.
  loop_.Advance(config_.idle_timeout);
  ASSERT_NE(Find<StopCtrlConnRequest>(w->Take()), nullptr);
}

TEST_F(PptpControlConnTest, WanErrorAndSetLinkInfoNotedNeverFatal) {
  auto w = EstablishCall(0x99);
  auto rp = *Find<OutgoingCallReply>(w->Take());
  WanErrorNotify wen;
  wen.peer_call_id = rp.call_id;
  wen.crc_errors = 3;
  PeerSends(0, wen);
  SetLinkInfo sli;
  sli.peer_call_id = rp.call_id;
  sli.send_accm = 0;
  sli.receive_accm = 0x000a0000;
  PeerSends(0, sli);
  // For an unknown call: counted, ignored.
  sli.peer_call_id = static_cast<uint16_t>(rp.call_id + 1);
  PeerSends(0, sli);
  loop_.RunPending();
  auto* call = static_cast<PptpCall*>(calls_[0].get());
  EXPECT_EQ(call->stats().wan_errors, 1u);
  EXPECT_EQ(call->send_accm(), 0u);
  EXPECT_EQ(call->recv_accm(), 0x000a0000u);
  EXPECT_EQ(events_[0]->down, 0);
  EXPECT_FALSE(w->closed);
}

TEST_F(PptpControlConnTest, ClientDialsSccrqThenOcrq) {
  ClientConfig cc;
  cc.peer_ip = kPeerIp;
  cc.called_num = "123";
  client_ = node_->Dial(cc);
  Events ev;
  client_->SetEvents(&ev);
  client_->Open();
  ASSERT_EQ(dialed_.size(), 1u);
  EXPECT_EQ(dialed_[0], kPeerIp);
  auto w = std::make_shared<Wire>();
  auto* s = new ScriptStream(w);
  pending_connect_(std::unique_ptr<StreamConn>(s));
  auto out = w->Take();
  ASSERT_NE(Find<StartCtrlConnRequest>(out), nullptr);
  EXPECT_EQ(Find<StartCtrlConnRequest>(out)->vendor_string, "mlpppd");
  s->DeliverData(
      Encode(StartCtrlConnReply{0x0100, result::kSccrpSuccess, 0, 3, 3, 0, 1, "pac", "x"}));
  out = w->Take();
  ASSERT_NE(Find<OutgoingCallRequest>(out), nullptr);
  const OutgoingCallRequest ocrq = *Find<OutgoingCallRequest>(out);
  const auto* rq = &ocrq;
  EXPECT_EQ(rq->phone_number, "123");
  EXPECT_EQ(rq->packet_recv_window, 64);
  EXPECT_EQ(ev.up, 0);
  OutgoingCallReply rp;
  rp.call_id = 0x77;
  rp.peer_call_id = rq->call_id;
  rp.result_code = result::kOcrpConnected;
  rp.packet_recv_window = 8;
  s->DeliverData(Encode(rp));
  loop_.RunPending();
  EXPECT_EQ(ev.up, 1);
  // Data goes out in GRE to the peer's Call ID.
  client_->Send(Packet::Copy(std::vector<uint8_t>{0xff, 0x03, 0xc0, 0x21}));
  ASSERT_EQ(gre_.sent.size(), 1u);
  GreHeader h;
  ASSERT_EQ(ParseGre(gre_.sent[0], &h), GreError::kOk);
  EXPECT_EQ(h.call_id, 0x77);
  // Close: CCRQ (§2.12), then down when no CDN comes.
  client_->Close();
  out = w->Take();
  const auto* ccrq = Find<CallClearRequest>(out);
  ASSERT_NE(ccrq, nullptr);
  EXPECT_EQ(ccrq->call_id, rq->call_id);
  loop_.Advance(PptpCall::kClearTimeout);
  EXPECT_EQ(ev.down, 1);
  EXPECT_EQ(ev.reason, "no CDN in time");
  client_.reset();
}

TEST_F(PptpControlConnTest, ClientOcrpErrorAndNoSccrp) {
  ClientConfig cc;
  cc.peer_ip = kPeerIp;
  client_ = node_->Dial(cc);
  Events ev;
  client_->SetEvents(&ev);
  client_->Open();
  auto w = std::make_shared<Wire>();
  pending_connect_(std::make_unique<ScriptStream>(w));
  loop_.Advance(config_.setup_timeout);
  EXPECT_EQ(ev.down, 1);
  EXPECT_EQ(ev.reason, "control connection down: no SCCRP in time");
  EXPECT_TRUE(w->closed);
  client_.reset();
}

TEST_F(PptpControlConnTest, ClientOcrpBusy) {
  ClientConfig cc;
  cc.peer_ip = kPeerIp;
  client_ = node_->Dial(cc);
  Events ev;
  client_->SetEvents(&ev);
  client_->Open();
  auto w = std::make_shared<Wire>();
  auto* s = new ScriptStream(w);
  pending_connect_(std::unique_ptr<StreamConn>(s));
  s->DeliverData(Encode(StartCtrlConnReply{0x0100, result::kSccrpSuccess, 0, 3, 3, 0, 1, "", ""}));
  const auto sent = w->Take();
  const auto* rq = Find<OutgoingCallRequest>(sent);
  ASSERT_NE(rq, nullptr);
  OutgoingCallReply rp;
  rp.peer_call_id = rq->call_id;
  rp.result_code = result::kOcrpBusy;
  s->DeliverData(Encode(rp));
  loop_.RunPending();
  EXPECT_EQ(ev.up, 0);
  EXPECT_EQ(ev.down, 1);
  EXPECT_NE(ev.reason.find("Busy"), std::string::npos);
  client_.reset();
}

}  // namespace
}  // namespace mlppp::link::pptp
