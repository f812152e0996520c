// Fuzzes the PPPoE Discovery codec (RFC 2516 §4-§5) and a server PppoePort
// plus a dialling client on a fake Ethernet segment: the input is a series
// of frames injected from a few peer MACs, between clock steps.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/log.h"
#include "core/wire.h"
#include "event/fake_loop.h"
#include "link/pppoe/discovery.h"
#include "link/pppoe/port.h"

namespace {

using mlppp::Packet;
using mlppp::os::MacAddr;
namespace pppoe = mlppp::link::pppoe;

// Minimal segment: unicast by MAC or to everyone for group addresses,
// delivered through the loop.
class Lan {
 public:
  explicit Lan(mlppp::event::Loop& loop) : loop_(loop) {}
  class Sock : public mlppp::os::EtherSocket {
   public:
    Sock(Lan* lan, MacAddr mac, uint16_t type) : lan_(lan), mac_(mac), type_(type) {
      lan_->socks_.push_back(this);
    }
    ~Sock() override { std::erase(lan_->socks_, this); }
    const MacAddr& local_mac() const override { return mac_; }
    void SetReceiver(Receiver rx) override { rx_ = std::move(rx); }
    void Send(const MacAddr& dst, Packet&& p) override {
      lan_->Transmit(mac_, dst, type_, std::vector<uint8_t>(p.span().begin(), p.span().end()));
    }
    Lan* lan_;
    MacAddr mac_;
    uint16_t type_;
    Receiver rx_;
  };
  void Transmit(MacAddr src, MacAddr dst, uint16_t type, std::vector<uint8_t> bytes) {
    if (++frames_ > 10000) return;  // bound the work per input
    loop_.Post([this, src, dst, type, bytes = std::move(bytes)] {
      auto socks = socks_;
      for (Sock* s : socks) {
        if (std::find(socks_.begin(), socks_.end(), s) == socks_.end()) continue;
        if (s->type_ != type || s->mac_ == src || !s->rx_) continue;
        if (dst != s->mac_ && !mlppp::os::IsGroupMac(dst)) continue;
        s->rx_(src, dst, Packet::Copy(bytes));
      }
    });
  }

 private:
  mlppp::event::Loop& loop_;
  std::vector<Sock*> socks_;
  size_t frames_ = 0;
};

struct NullEvents : mlppp::link::DriverEvents {
  void OnDriverUp() override {}
  void OnDriverDown(std::string_view) override {}
  void OnFrame(Packet&&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  mlppp::log::SetMask(0);  // keep info/debug lines out of the fuzzer's way

  // 1. The codec alone: whatever parses must serialize and parse back equal.
  pppoe::Discovery d;
  if (pppoe::ParseDiscovery(input, &d) == pppoe::ParseError::kOk) {
    pppoe::Bytes out;
    if (pppoe::SerializeDiscovery(d, &out) == pppoe::ParseError::kOk) {
      pppoe::Discovery again;
      if (pppoe::ParseDiscovery(out, &again) != pppoe::ParseError::kOk || !(again == d)) {
        __builtin_trap();
      }
    }
  }
  {
    Packet p = Packet::Copy(input);
    pppoe::SessionHeader h;
    (void)pppoe::ParseSessionHeader(p, &h);
  }

  // 2. A server port and a client port, with injected frames.
  mlppp::event::FakeLoop loop;
  Lan lan(loop);
  const MacAddr server_mac = {0x02, 0, 0, 0, 0, 1};
  const MacAddr client_mac = {0x02, 0, 0, 0, 0, 2};
  uint8_t seed = 0;
  auto random = [&seed](std::span<uint8_t> out) {
    for (auto& b : out) b = ++seed;
  };
  pppoe::PppoePort server(loop, std::make_unique<Lan::Sock>(&lan, server_mac, 0x8863),
                          std::make_unique<Lan::Sock>(&lan, server_mac, 0x8864), random);
  pppoe::PppoePort client_port(loop, std::make_unique<Lan::Sock>(&lan, client_mac, 0x8863),
                               std::make_unique<Lan::Sock>(&lan, client_mac, 0x8864), random);
  std::vector<std::unique_ptr<mlppp::link::Driver>> sessions;
  NullEvents events;
  pppoe::PppoeServerConfig scfg;
  scfg.max_payload = 1500;
  scfg.max_sessions = 8;
  (void)server.Listen(scfg, [&](std::unique_ptr<mlppp::link::Driver> drv) {
    drv->SetEvents(&events);
    drv->Open();
    sessions.push_back(std::move(drv));
  });
  pppoe::PppoeClientConfig ccfg;
  ccfg.max_payload = 1500;
  auto client = client_port.MakeClient(ccfg);
  client->SetEvents(&events);
  client->Open();

  // Frames: [flags][len16][bytes]. flags bit0: session ethertype; bits1-2:
  // source MAC (0-2 strangers, 3 = the client's); bit3: to the client;
  // bit4: broadcast; bits5-7: clock step.
  mlppp::WireReader r(input);
  while (r.remaining() >= 3) {
    uint8_t flags = r.U8();
    uint16_t len = r.U16();
    auto bytes = r.Bytes(std::min<size_t>(len, r.remaining()));
    MacAddr src = {0x02, 0, 0, 0, 1, static_cast<uint8_t>((flags >> 1) & 3)};
    if (((flags >> 1) & 3) == 3) src = client_mac;
    MacAddr dst = (flags & 8) ? client_mac : server_mac;
    if (flags & 16) dst = mlppp::os::kBroadcastMac;
    lan.Transmit(src, dst, (flags & 1) ? 0x8864 : 0x8863,
                 std::vector<uint8_t>(bytes.begin(), bytes.end()));
    loop.Advance(std::chrono::milliseconds(250) * (flags >> 5));
    if (!sessions.empty() && (flags & 0xe0) == 0xe0) sessions.front()->Close();
    if (!sessions.empty()) sessions.back()->Send(Packet::Copy(bytes));
    client->Send(Packet::Copy(bytes));
  }
  loop.Advance(std::chrono::seconds(120));
  client.reset();
  sessions.clear();
  loop.RunPending();
  return 0;
}
