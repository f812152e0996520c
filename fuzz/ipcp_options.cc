// Feeds IPCP option lists (RFC 1332, RFC 1877) to the handler. Input: one
// octet picking the configuration, then <selector><length><options> records;
// the selector picks CheckConfReq, OnConfNak, OnConfRej or OnConfAck.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "event/fake_loop.h"
#include "ppp/cp_packet.h"
#include "ppp/ipcp.h"

namespace {

class NullEvents : public mlppp::ppp::IpcpEvents {
 public:
  void OnIpcpUp(const mlppp::ppp::IpcpResult&) override {}
  void OnIpcpDown() override {}
  void OnIpcpFinished(std::string_view) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  if (size < 1) return 0;
  event::FakeLoop loop;
  NullEvents events;
  ppp::IpcpConfig cfg;
  uint8_t c = data[0];
  if (c & 1) cfg.self = {0x0a000001, static_cast<uint8_t>((c & 2) ? 32 : 24)};
  if (c & 4) cfg.peer = {0x0a000002, static_cast<uint8_t>((c & 8) ? 32 : 0)};
  if (c & 16) cfg.dns1 = 0x08080808;
  if (c & 32) cfg.dns2 = 0x01010101;
  cfg.request_dns = c & 64;
  ppp::Ipcp ipcp(
      loop, cfg, [](uint16_t, Packet&&) {}, events);
  std::span<const uint8_t> in(data + 1, size - 1);
  while (in.size() >= 2) {
    uint8_t sel = in[0];
    size_t n = std::min<size_t>(in[1], in.size() - 2);
    auto opts = ppp::ParseOptions(in.subspan(2, n));
    in = in.subspan(2 + n);
    if (!opts) continue;
    switch (sel & 3) {
      case 0:
        (void)ipcp.CheckConfReq(*opts);
        break;
      case 1:
        ipcp.OnConfNak(*opts);
        break;
      case 2:
        ipcp.OnConfRej(*opts);
        break;
      case 3:
        ipcp.OnConfAck(*opts);
        break;
    }
    (void)ppp::SerializeOptions(ipcp.BuildConfReq());
  }
  loop.RunPending();
  return 0;
}
