#include "ppp/ccp/ccp.h"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "event/fake_loop.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {
namespace {

using Bytes = std::vector<uint8_t>;
using Kind = ConfReqVerdict::Kind;

CpOption Mppc(uint32_t bits) {
  return CpOption{18,
                  {static_cast<uint8_t>(bits >> 24), static_cast<uint8_t>(bits >> 16),
                   static_cast<uint8_t>(bits >> 8), static_cast<uint8_t>(bits)}};
}
CpOption Deflate(uint8_t type, uint8_t window) {
  return CpOption{type, {static_cast<uint8_t>(((window - 8) << 4) | 8), 0}};
}

// Codecs that record what they were made for and how often they were reset.
struct FakeEncoder : ccp::Encoder {
  explicit FakeEncoder(int* resets) : resets(resets) {}
  ccp::EncodeResult Encode(uint16_t, Packet&) override { return ccp::EncodeResult::kDatagram; }
  bool ResetRequested() override {
    ++*resets;
    return ack_resets;
  }
  int* resets;
  bool ack_resets = true;
};
struct FakeDecoder : ccp::Decoder {
  explicit FakeDecoder(int* acks) : acks(acks) {}
  ccp::DecodeResult Decode(Packet&) override {
    if (!script.empty()) {
      auto k = script.front();
      script.pop_front();
      return {k, 0x21, "scripted"};
    }
    return {ccp::DecodeResult::Kind::kResetNeeded, 0, "fake history lost"};
  }
  std::deque<ccp::DecodeResult::Kind> script;
  void ResetAcked() override { ++*acks; }
  int* acks;
};
struct FakeFactory : CcpCodecFactory {
  Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const CcpDirection& d) override {
    made_send = d;
    return std::unique_ptr<ccp::Encoder>(std::make_unique<FakeEncoder>(&encoder_resets));
  }
  Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const CcpDirection& d) override {
    made_recv = d;
    return std::unique_ptr<ccp::Decoder>(std::make_unique<FakeDecoder>(&decoder_acks));
  }
  std::optional<CcpDirection> made_send, made_recv;
  int encoder_resets = 0, decoder_acks = 0;
};

struct Recorder : CodecCpEvents {
  void OnCodecCpUp(CodecCp&) override { ++ups; }
  void OnCodecCpDown(CodecCp&) override { ++downs; }
  void OnCodecCpFinished(CodecCp&, std::string_view r) override { finished = std::string(r); }
  int ups = 0, downs = 0;
  std::optional<std::string> finished;
};

struct Side {
  Side(event::FakeLoop& loop, CcpConfig cfg, std::deque<Bytes>* out)
      : ccp(
            loop, cfg, codecs,
            [out](uint16_t proto, Packet&& p) {
              EXPECT_EQ(proto, 0x80fd);
              out->emplace_back(p.span().begin(), p.span().end());
            },
            events) {}
  FakeFactory codecs;
  Recorder events;
  Ccp ccp;
};

CcpConfig Mppe128Stateless() {
  CcpConfig c;
  c.mppc = {true, true};
  c.e128 = {true, true};
  c.stateless = {true, true};
  c.have_mppe_keys = true;
  return c;
}

class CcpHandlerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Side> Make(CcpConfig cfg) { return std::make_unique<Side>(loop_, cfg, &sent_); }
  event::FakeLoop loop_;
  std::deque<Bytes> sent_;
};

TEST_F(CcpHandlerTest, AsksForMppeWithTheEnabledBits) {
  auto s = Make(Mppe128Stateless());
  EXPECT_EQ(s->ccp.BuildConfReq(), std::vector<CpOption>{Mppc(kMppe128 | kMppeStateless)});
  // Without MPPE keys (no MS-CHAP) no strength is offered, and MPPC alone
  // is not enabled: nothing to ask for.
  CcpConfig no_keys = Mppe128Stateless();
  no_keys.have_mppe_keys = false;
  EXPECT_TRUE(Make(no_keys)->ccp.BuildConfReq().empty());
}

TEST_F(CcpHandlerTest, AcksPppdsMppe128StatelessRequest) {
  auto s = Make(Mppe128Stateless());
  // pppd's require-mppe-128 with mppe-stateless: 01 00 00 40.
  auto v = s->ccp.CheckConfReq(std::vector<CpOption>{Mppc(0x01000040)});
  EXPECT_EQ(v.kind, Kind::kAck);
  EXPECT_EQ(s->ccp.result().send, (CcpDirection{CcpMethod::kMppc, 0x01000040, 0}));
}

TEST_F(CcpHandlerTest, NaksSeveralStrengthsWithTheStrongest) {
  CcpConfig c = Mppe128Stateless();
  c.e40 = {true, true};
  auto s = Make(c);
  // RFC 3078 §2: exactly one strength; the peer offered 40 and 128 and
  // stateful/stateless both: we pick 128 and keep H because we accept it.
  auto v = s->ccp.CheckConfReq(std::vector<CpOption>{Mppc(kMppe40 | kMppe128 | kMppeStateless)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Mppc(kMppe128 | kMppeStateless)});
  // Only a strength we refuse: Nak'ed with ours.
  CcpConfig only40 = c;
  only40.e128 = {};
  v = Make(only40)->ccp.CheckConfReq(std::vector<CpOption>{Mppc(kMppe128)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Mppc(kMppe40)});
}

TEST_F(CcpHandlerTest, CryptReqdNaksCompressionOnlyWithAKey) {
  CcpConfig c = Mppe128Stateless();
  c.mppc_compress = {true, true};
  // Without crypt-reqd a request for MPPC alone is fine...
  auto v = Make(c)->ccp.CheckConfReq(std::vector<CpOption>{Mppc(kMppcCompress)});
  EXPECT_EQ(v.kind, Kind::kAck);
  // ...with it, the peer is asked to encrypt too.
  c.require_mppe = true;
  v = Make(c)->ccp.CheckConfReq(std::vector<CpOption>{Mppc(kMppcCompress)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Mppc(kMppcCompress | kMppe128)});
}

TEST_F(CcpHandlerTest, RejectsMppeWithoutKeysAndUnknownMethods) {
  CcpConfig c = Mppe128Stateless();
  c.have_mppe_keys = false;
  auto s = Make(c);
  auto v = s->ccp.CheckConfReq(std::vector<CpOption>{Mppc(kMppe128)});
  EXPECT_EQ(v.kind, Kind::kRej);
  // BSD-Compress (21) is not ours (the issue: rejected cleanly).
  CpOption bsd{21, {0x2f}};
  v = s->ccp.CheckConfReq(std::vector<CpOption>{bsd});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, std::vector<CpOption>{bsd});
  // A malformed option 18 is counted and rejected.
  v = s->ccp.CheckConfReq(std::vector<CpOption>{CpOption{18, {1, 2}}});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(s->ccp.peer_errors(), 1u);
}

TEST_F(CcpHandlerTest, DeflateWindowAndTheDraftCodePoint) {
  CcpConfig c;
  c.deflate = {true, true};
  auto s = Make(c);
  EXPECT_EQ(s->ccp.BuildConfReq(), std::vector<CpOption>{Deflate(26, 15)});
  // pppd offers Deflate (26) then Deflate-draft (24): the first is taken,
  // the second rejected (one method per direction).
  auto v = s->ccp.CheckConfReq(std::vector<CpOption>{Deflate(26, 15), Deflate(24, 15)});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, std::vector<CpOption>{Deflate(24, 15)});
  v = s->ccp.CheckConfReq(std::vector<CpOption>{Deflate(26, 12)});
  EXPECT_EQ(v.kind, Kind::kAck);
  EXPECT_EQ(s->ccp.result().send, (CcpDirection{CcpMethod::kDeflate, 0, 12}));
  // zlib's raw deflate has no 256-octet window: 8 is Nak'ed with 9.
  v = s->ccp.CheckConfReq(std::vector<CpOption>{Deflate(26, 8)});
  EXPECT_EQ(v.kind, Kind::kNak);
  EXPECT_EQ(v.options, std::vector<CpOption>{Deflate(26, 9)});
  // A peer Nak'ing our window down to 10 gets 10 next time.
  s->ccp.OnConfNak(std::vector<CpOption>{Deflate(26, 10)});
  EXPECT_EQ(s->ccp.BuildConfReq(), std::vector<CpOption>{Deflate(26, 10)});
}

TEST_F(CcpHandlerTest, FallsBackInPreferenceOrderWhenRejected) {
  CcpConfig c = Mppe128Stateless();
  c.deflate = {true, true};
  c.pred1 = {true, true};
  auto s = Make(c);
  EXPECT_EQ(s->ccp.BuildConfReq()[0].type, 18);
  s->ccp.OnConfRej(std::vector<CpOption>{Mppc(kMppe128 | kMppeStateless)});
  EXPECT_EQ(s->ccp.BuildConfReq(), std::vector<CpOption>{Deflate(26, 15)});
  s->ccp.OnConfRej(std::vector<CpOption>{Deflate(26, 15)});
  EXPECT_EQ(s->ccp.BuildConfReq(), (std::vector<CpOption>{CpOption{1, {}}}));
  s->ccp.OnConfRej((std::vector<CpOption>{CpOption{1, {}}}));
  EXPECT_TRUE(s->ccp.BuildConfReq().empty());
}

// Two Ccps joined back to back.
class CcpBackToBack : public ::testing::Test {
 protected:
  void Pump() {
    for (int i = 0; i < 100 && (!a_out_.empty() || !b_out_.empty()); ++i) {
      while (!a_out_.empty()) {
        Bytes p = std::move(a_out_.front());
        a_out_.pop_front();
        b_->ccp.fsm().Input(p);
      }
      while (!b_out_.empty()) {
        Bytes p = std::move(b_out_.front());
        b_out_.pop_front();
        a_->ccp.fsm().Input(p);
      }
      loop_.RunPending();
    }
  }
  void Start(CcpConfig a, CcpConfig b) {
    a_ = std::make_unique<Side>(loop_, a, &a_out_);
    b_ = std::make_unique<Side>(loop_, b, &b_out_);
    for (Side* s : {a_.get(), b_.get()}) {
      s->ccp.fsm().Open();
      s->ccp.fsm().Up();
    }
    Pump();
  }
  event::FakeLoop loop_;
  std::deque<Bytes> a_out_, b_out_;
  std::unique_ptr<Side> a_, b_;
};

TEST_F(CcpBackToBack, BothDirectionsAgreeOnMppe) {
  CcpConfig server = Mppe128Stateless();
  server.e40 = {true, true};
  Start(server, Mppe128Stateless());
  ASSERT_TRUE(a_->ccp.opened());
  ASSERT_TRUE(b_->ccp.opened());
  const CcpDirection want{CcpMethod::kMppc, kMppe128 | kMppeStateless, 0};
  EXPECT_EQ(a_->codecs.made_send, want);
  EXPECT_EQ(a_->codecs.made_recv, want);
  EXPECT_EQ(b_->codecs.made_send, want);
  EXPECT_EQ(a_->events.ups, 1);
  EXPECT_EQ(a_->ccp.summary(), "send mppc(e128 stateless) recv mppc(e128 stateless)");
}

TEST_F(CcpBackToBack, OneDirectionOnly) {
  CcpConfig a;
  a.deflate = {true, false};  // we want to receive Deflate, send nothing
  CcpConfig b;
  b.deflate = {false, true};
  Start(a, b);
  ASSERT_TRUE(a_->ccp.opened());
  EXPECT_EQ(a_->ccp.result().recv, (CcpDirection{CcpMethod::kDeflate, 0, 15}));
  EXPECT_EQ(a_->ccp.result().send.method, CcpMethod::kNone);
  EXPECT_NE(a_->ccp.decoder(), nullptr);
  EXPECT_EQ(a_->ccp.encoder(), nullptr);
  EXPECT_NE(b_->ccp.encoder(), nullptr);
}

TEST_F(CcpBackToBack, ResetRequestReachesThePeersEncoderAndTheAckOurDecoder) {
  CcpConfig c;
  c.deflate = {true, true};
  Start(c, c);
  ASSERT_TRUE(a_->ccp.opened());
  Packet p = Packet::Copy(Bytes{0, 1, 2});
  // RFC 1962 §3.1: a decoder out of step sends Reset-Request; the peer's
  // encoder resets and (Deflate) answers with Reset-Ack.
  EXPECT_EQ(a_->ccp.Decode(p).kind, ccp::DecodeResult::Kind::kResetNeeded);
  EXPECT_EQ(a_->ccp.Decode(p).kind, ccp::DecodeResult::Kind::kResetNeeded);
  ASSERT_EQ(a_out_.size(), 1u);  // one outstanding request, not two
  EXPECT_EQ(a_out_.front()[0], 14);
  Pump();
  EXPECT_EQ(b_->codecs.encoder_resets, 1);
  EXPECT_EQ(a_->codecs.decoder_acks, 1);
  EXPECT_EQ(a_->ccp.counters().reset_requests_sent, 1u);
  EXPECT_EQ(b_->ccp.counters().reset_acks_sent, 1u);
  // After the ack, the next failure may ask again.
  EXPECT_EQ(a_->ccp.Decode(p).kind, ccp::DecodeResult::Kind::kResetNeeded);
  EXPECT_EQ(a_out_.size(), 1u);
}

TEST_F(CcpBackToBack, ALostResetRequestIsRepeatedWhileTheDecoderWaits) {
  CcpConfig c;
  c.mppc = {true, true};
  c.mppc_compress = {true, true};
  Start(c, c);
  ASSERT_TRUE(a_->ccp.opened());
  using K = ccp::DecodeResult::Kind;
  auto* dec = static_cast<FakeDecoder*>(a_->ccp.decoder());
  // MPPE/MPPC: one packet shows the loss, the following ones are dropped
  // until the peer's flushed packet arrives.
  dec->script = {K::kResetNeeded, K::kDrop, K::kDrop, K::kOk, K::kDrop};
  Packet p = Packet::Copy(Bytes{0, 1, 2});
  a_->ccp.Decode(p);
  ASSERT_EQ(a_out_.size(), 1u);
  a_out_.clear();  // the Reset-Request is lost on the way
  a_->ccp.Decode(p);
  EXPECT_TRUE(a_out_.empty());  // not again at once
  loop_.Advance(CodecCp::kResetInterval);
  a_->ccp.Decode(p);
  ASSERT_EQ(a_out_.size(), 1u);  // repeated after the interval
  EXPECT_EQ(a_out_.front()[0], 14);
  EXPECT_EQ(a_->ccp.counters().reset_requests_sent, 2u);
  Pump();
  a_->ccp.Decode(p);  // back in step
  loop_.Advance(CodecCp::kResetInterval);
  a_->ccp.Decode(p);  // an ordinary drop asks for nothing
  EXPECT_TRUE(a_out_.empty());
  EXPECT_EQ(a_->ccp.counters().reset_requests_sent, 2u);
}

TEST_F(CcpBackToBack, ClosingDropsTheCodecs) {
  CcpConfig c;
  c.pred1 = {true, true};
  Start(c, c);
  ASSERT_NE(a_->ccp.encoder(), nullptr);
  a_->ccp.fsm().Close("test");
  Pump();
  EXPECT_EQ(a_->ccp.encoder(), nullptr);
  EXPECT_EQ(a_->events.downs, 1);
  EXPECT_EQ(b_->events.downs, 1);
}

}  // namespace
}  // namespace mlppp::ppp
