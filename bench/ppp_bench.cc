// PPP engine micro-benchmarks: the per-frame header codec on full-size
// packets, and a whole LCP negotiation between two automata on a fake loop.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "event/fake_loop.h"
#include "ppp/frame.h"
#include "ppp/lcp.h"

namespace mlppp::ppp {
namespace {

void BM_DecodeFrame(benchmark::State& state) {
  std::vector<uint8_t> frame(1400, 0x45);
  frame[0] = 0xff;
  frame[1] = 0x03;
  frame[2] = 0x00;
  frame[3] = 0x21;
  Packet p = Packet::Copy(frame);
  for (auto _ : state) {
    Packet q = p.Clone();
    benchmark::DoNotOptimize(DecodeFrame(q));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 1400);
}
BENCHMARK(BM_DecodeFrame);

void BM_EncodeFrame(benchmark::State& state) {
  Packet p(1400);
  for (auto _ : state) {
    EncodeFrame(p, 0x0021, false, true);
    p.Pull(1);  // back to the information field: measures the header only
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 1400);
}
BENCHMARK(BM_EncodeFrame);

class NullEvents : public LcpEvents {
 public:
  void OnLcpUp(const LcpResult&) override { ++ups; }
  void OnLcpDown() override {}
  void OnLcpStarted() override {}
  void OnLcpFinished(std::string_view) override {}
  void OnEchoTimeout() override {}
  void OnProtocolRejected(uint16_t) override {}
  int ups = 0;
};

void BM_LcpNegotiation(benchmark::State& state) {
  for (auto _ : state) {
    event::FakeLoop loop;
    NullEvents ea, eb;
    std::unique_ptr<Lcp> a, b;
    auto to = [&loop](std::unique_ptr<Lcp>* peer) {
      return [&loop, peer](uint16_t, Packet&& p) {
        auto bytes = std::make_shared<Packet>(std::move(p));
        loop.Post([peer, bytes] { (*peer)->fsm().Input(bytes->span()); });
      };
    };
    uint32_t ra = 1, rb = 2;
    LcpConfig server;
    server.require_auth = {AuthType::kChapMd5};
    LcpConfig client;
    client.accept_auth = {AuthType::kChapMd5};
    a = std::make_unique<Lcp>(loop, server, to(&b), ea, [&ra] { return ra += 0x01010101; });
    b = std::make_unique<Lcp>(loop, client, to(&a), eb, [&rb] { return rb += 0x02020202; });
    a->fsm().Up();
    b->fsm().Up();
    a->fsm().Open();
    b->fsm().Open();
    loop.RunPending();
    if (ea.ups != 1 || eb.ups != 1) state.SkipWithError("LCP did not open");
  }
}
BENCHMARK(BM_LcpNegotiation);

}  // namespace
}  // namespace mlppp::ppp
