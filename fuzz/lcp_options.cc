// Feeds arbitrary LCP packets to an Lcp in Req-Sent on a fake loop (RFC 1661
// §5, §6): option negotiation, the automaton, Echo and Protocol-Reject must
// survive anything. The input may hold several packets, each prefixed by a
// one-octet length; a final octet advances the clock to fire the timers.
#include <cstdint>
#include <span>
#include <string_view>

#include "event/fake_loop.h"
#include "ppp/lcp.h"

namespace {

class NullEvents : public mlppp::ppp::LcpEvents {
 public:
  void OnLcpUp(const mlppp::ppp::LcpResult&) override {}
  void OnLcpDown() override {}
  void OnLcpStarted() override {}
  void OnLcpFinished(std::string_view) override {}
  void OnEchoTimeout() override {}
  void OnProtocolRejected(uint16_t) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  event::FakeLoop loop;
  NullEvents events;
  ppp::LcpConfig config;
  config.require_auth = {ppp::AuthType::kChapMd5, ppp::AuthType::kPap};
  config.accept_auth = {ppp::AuthType::kPap};
  uint32_t seed = 0x9e3779b9;
  ppp::Lcp lcp(
      loop, config, [](uint16_t, Packet&&) {}, events, [&seed] { return seed *= 2654435761u; });
  lcp.fsm().Up();
  lcp.fsm().Open();  // Req-Sent
  std::span<const uint8_t> in(data, size);
  // Whole input as one packet first, then as length-prefixed packets.
  lcp.fsm().Input(in);
  while (in.size() > 1) {
    size_t n = std::min<size_t>(in[0], in.size() - 1);
    lcp.fsm().Input(in.subspan(1, n));
    in = in.subspan(1 + n);
  }
  if (!in.empty()) loop.Advance(std::chrono::seconds(in[0]));
  lcp.SendProtocolReject(0x8021, std::span<const uint8_t>(data, size));
  return 0;
}
