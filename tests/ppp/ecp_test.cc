#include "ppp/ecp/ecp.h"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <vector>

#include "event/fake_loop.h"

namespace mlppp::ppp {
namespace {

using Bytes = std::vector<uint8_t>;
using Kind = ConfReqVerdict::Kind;

struct NullEncoder : ccp::Encoder {
  ccp::EncodeResult Encode(uint16_t, Packet&) override { return ccp::EncodeResult::kDatagram; }
  bool ResetRequested() override { return true; }
};
struct NullDecoder : ccp::Decoder {
  ccp::DecodeResult Decode(Packet&) override { return {ccp::DecodeResult::Kind::kOk, 0x21, {}}; }
};
struct FakeFactory : EcpCodecFactory {
  Result<std::unique_ptr<ccp::Encoder>> MakeEncoder(const EcpDirection& d) override {
    made_send = d;
    return std::unique_ptr<ccp::Encoder>(std::make_unique<NullEncoder>());
  }
  Result<std::unique_ptr<ccp::Decoder>> MakeDecoder(const EcpDirection& d) override {
    made_recv = d;
    return std::unique_ptr<ccp::Decoder>(std::make_unique<NullDecoder>());
  }
  std::optional<EcpDirection> made_send, made_recv;
};
struct Recorder : CodecCpEvents {
  void OnCodecCpUp(CodecCp&) override { ++ups; }
  void OnCodecCpDown(CodecCp&) override {}
  void OnCodecCpFinished(CodecCp&, std::string_view) override {}
  int ups = 0;
};

struct Side {
  Side(event::FakeLoop& loop, EcpConfig cfg, uint64_t seed, std::deque<Bytes>* out)
      : ecp(
            loop, cfg, codecs, [seed] { return seed; },
            [out](uint16_t proto, Packet&& p) {
              EXPECT_EQ(proto, 0x8053);
              out->emplace_back(p.span().begin(), p.span().end());
            },
            events) {}
  FakeFactory codecs;
  Recorder events;
  Ecp ecp;
};

EcpConfig Both() {
  EcpConfig c;
  c.dese_bis = {true, true};
  c.dese_old = {true, true};
  c.have_key = true;
  return c;
}

CpOption Nonce(uint8_t type, uint8_t first) { return CpOption{type, {first, 2, 3, 4, 5, 6, 7, 8}}; }

TEST(EcpHandler, OffersDeseBisWithOurNonceAndFallsBackToDese) {
  event::FakeLoop loop;
  std::deque<Bytes> out;
  Side s(loop, Both(), 0x0807060504030201ull, &out);
  std::vector<CpOption> req = s.ecp.BuildConfReq();
  EXPECT_EQ(req, (std::vector<CpOption>{CpOption{3, {1, 2, 3, 4, 5, 6, 7, 8}}}));
  s.ecp.OnConfRej(req);
  EXPECT_EQ(s.ecp.BuildConfReq()[0].type, 1);
  s.ecp.OnConfRej(s.ecp.BuildConfReq());
  EXPECT_TRUE(s.ecp.BuildConfReq().empty());
}

TEST(EcpHandler, WithoutAKeyNothingIsOfferedOrAccepted) {
  event::FakeLoop loop;
  std::deque<Bytes> out;
  EcpConfig c = Both();
  c.have_key = false;
  Side s(loop, c, 1, &out);
  EXPECT_TRUE(s.ecp.BuildConfReq().empty());
  EXPECT_EQ(s.ecp.CheckConfReq(std::vector<CpOption>{Nonce(3, 9)}).kind, Kind::kRej);
}

TEST(EcpHandler, TakesTheFirstAcceptableAndRejectsTheRest) {
  event::FakeLoop loop;
  std::deque<Bytes> out;
  Side s(loop, Both(), 1, &out);
  // 3DESE (RFC 2420) is not ours; DESE-bis is taken; DESE after it is
  // rejected (one method per direction); a short nonce is a peer error.
  auto v = s.ecp.CheckConfReq(std::vector<CpOption>{Nonce(2, 1), Nonce(3, 9), Nonce(1, 9)});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(v.options, (std::vector<CpOption>{Nonce(2, 1), Nonce(1, 9)}));
  v = s.ecp.CheckConfReq(std::vector<CpOption>{CpOption{3, {1, 2}}});
  EXPECT_EQ(v.kind, Kind::kRej);
  EXPECT_EQ(s.ecp.peer_errors(), 1u);
  v = s.ecp.CheckConfReq(std::vector<CpOption>{Nonce(3, 9)});
  EXPECT_EQ(v.kind, Kind::kAck);
  EXPECT_EQ(s.ecp.result().recv.method, EcpMethod::kDeseBis);
  EXPECT_EQ(s.ecp.result().recv.nonce[0], 9);
}

TEST(EcpBackToBack, EachEncoderUsesItsOwnNonceAsMpd5Does) {
  event::FakeLoop loop;
  std::deque<Bytes> a_out, b_out;
  Side a(loop, Both(), 0x1111111111111111ull, &a_out);
  Side b(loop, Both(), 0x2222222222222222ull, &b_out);
  for (Side* s : {&a, &b}) {
    s->ecp.fsm().Open();
    s->ecp.fsm().Up();
  }
  for (int i = 0; i < 20 && (!a_out.empty() || !b_out.empty()); ++i) {
    while (!a_out.empty()) {
      Bytes p = std::move(a_out.front());
      a_out.pop_front();
      b.ecp.fsm().Input(p);
    }
    while (!b_out.empty()) {
      Bytes p = std::move(b_out.front());
      b_out.pop_front();
      a.ecp.fsm().Input(p);
    }
    loop.RunPending();
  }
  ASSERT_TRUE(a.ecp.opened());
  ASSERT_TRUE(b.ecp.opened());
  // mpd5 ecp.c: a side transmits with the nonce of its own request, and
  // the peer decrypts with the nonce it acked.
  EXPECT_EQ(a.codecs.made_send->nonce[0], 0x11);
  EXPECT_EQ(a.codecs.made_recv->nonce[0], 0x22);
  EXPECT_EQ(b.codecs.made_send->nonce[0], 0x22);
  EXPECT_EQ(b.codecs.made_recv->nonce[0], 0x11);
  EXPECT_EQ(a.codecs.made_send->method, EcpMethod::kDeseBis);
  EXPECT_EQ(a.events.ups, 1);
  EXPECT_EQ(a.ecp.summary(), "send dese-bis recv dese-bis");
}

}  // namespace
}  // namespace mlppp::ppp
