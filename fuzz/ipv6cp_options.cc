// Feeds IPV6CP option lists (RFC 5072 §4) to the handler. Input:
// <selector><length><options> records; the selector picks CheckConfReq,
// OnConfNak, OnConfRej or OnConfAck. The "random" source is fuzzed too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "event/fake_loop.h"
#include "ppp/cp_packet.h"
#include "ppp/ipv6cp.h"

namespace {

class NullEvents : public mlppp::ppp::Ipv6cpEvents {
 public:
  void OnIpv6cpUp(const mlppp::ppp::Ipv6cpResult&) override {}
  void OnIpv6cpDown() override {}
  void OnIpv6cpFinished(std::string_view) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  if (size < 1) return 0;
  event::FakeLoop loop;
  NullEvents events;
  // Small random values collide often, which is the interesting case.
  uint64_t seed = data[0];
  auto random = [&seed] { return (seed++) % 4; };
  ppp::Ipv6cp v6(
      loop, {}, [](uint16_t, Packet&&) {}, events, random);
  std::span<const uint8_t> in(data + 1, size - 1);
  while (in.size() >= 2) {
    uint8_t sel = in[0];
    size_t n = std::min<size_t>(in[1], in.size() - 2);
    auto opts = ppp::ParseOptions(in.subspan(2, n));
    in = in.subspan(2 + n);
    if (!opts) continue;
    switch (sel & 3) {
      case 0:
        (void)v6.CheckConfReq(*opts);
        break;
      case 1:
        v6.OnConfNak(*opts);
        break;
      case 2:
        v6.OnConfRej(*opts);
        break;
      case 3:
        v6.OnConfAck(*opts);
        break;
    }
    auto req = v6.BuildConfReq();
    for (const auto& o : req) {
      // RFC 5072 §4.1: we never ask for a zero identifier.
      if (o.type == 1 &&
          std::all_of(o.data.begin(), o.data.end(), [](uint8_t b) { return b == 0; }))
        __builtin_trap();
    }
  }
  loop.RunPending();
  return 0;
}
