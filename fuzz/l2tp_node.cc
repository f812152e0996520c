// Fuzzes the L2TPv2 node (RFC 2661): a listening node that also dials one
// call, fed datagrams from a few source endpoints — raw bytes, well-formed
// SCCRQs, control messages of any type with fuzzed fields and sequence
// numbers, data messages — with clock steps and driver actions between
// them. Whatever arrives, the node must not crash, leak or read out of
// bounds, and its half-open limits must hold.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "event/fake_loop.h"
#include "link/l2tp/header.h"
#include "link/l2tp/message.h"
#include "link/l2tp/node.h"

namespace {

namespace l2tp = mlppp::link::l2tp;
using namespace std::chrono_literals;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

class Input {
 public:
  explicit Input(std::span<const uint8_t> d) : d_(d) {}
  bool empty() const { return pos_ >= d_.size(); }
  uint8_t U8() { return pos_ < d_.size() ? d_[pos_++] : 0; }
  uint16_t U16() { return static_cast<uint16_t>(U8() << 8 | U8()); }
  l2tp::Bytes Take(size_t n) {
    n = std::min(n, d_.size() - std::min(pos_, d_.size()));
    l2tp::Bytes b(d_.begin() + pos_, d_.begin() + pos_ + n);
    pos_ += n;
    return b;
  }

 private:
  std::span<const uint8_t> d_;
  size_t pos_ = 0;
};

class NullTransport : public l2tp::DatagramTransport {
 public:
  void SendTo(const l2tp::Endpoint&, std::span<const uint8_t> d) override {
    ++sent;
    // What we send must itself parse.
    l2tp::ParsedHeader p;
    Check(l2tp::ParseHeader(d, &p) == l2tp::HeaderError::kOk);
  }
  uint64_t sent = 0;
};

struct Sink : mlppp::link::DriverEvents {
  void OnDriverUp() override {}
  void OnDriverDown(std::string_view) override {}
  void OnFrame(mlppp::Packet&&) override {}
};

const l2tp::Endpoint kSources[] = {
    {"192.0.2.1", 1701}, {"192.0.2.1", 40000}, {"192.0.2.2", 1701}, {"2001:db8::1", 1701}};

l2tp::Bytes Control(uint16_t tid, uint16_t sid, uint16_t ns, uint16_t nr,
                    const l2tp::ControlMessage& m, const l2tp::HidingContext* hide) {
  l2tp::Bytes out;
  auto body = l2tp::EncodeControl(m, hide, [](std::span<uint8_t> o) {
    for (auto& b : o) b = 0x5a;
  });
  if (!body.ok()) return out;
  (void)l2tp::BuildMessage(l2tp::ControlHeader(tid, sid, ns, nr), *body, &out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in({data, size});
  mlppp::event::FakeLoop loop;
  NullTransport transport;
  l2tp::NodeConfig cfg;
  cfg.hostname = "fuzz";
  cfg.session_limit = 1 + in.U8() % 8;
  cfg.max_half_open_per_source = 3;
  cfg.max_half_open_total = 5;
  uint32_t seed = 1;
  l2tp::Node node(loop, transport, "192.0.2.100", cfg, [&seed](std::span<uint8_t> out) {
    for (auto& b : out) {
      seed = seed * 1103515245 + 12345;
      b = static_cast<uint8_t>(seed >> 16);
    }
  });
  l2tp::ServerConfig server;
  const uint8_t mode = in.U8();
  if (mode & 1) server.tunnel.secret = "fuzz secret";
  server.tunnel.hidden = mode & 2;
  server.session.dataseq = mode & 4;
  server.session.length = mode & 8;
  if (mode & 16) server.tunnel.pmask = "l*";
  const l2tp::HidingContext hide{server.tunnel.secret, server.tunnel.hidden};
  Sink sink;
  std::deque<std::unique_ptr<mlppp::link::Driver>> drivers;
  Check(node.Listen(server,
                    [&](std::unique_ptr<mlppp::link::Driver> d) {
                      d->SetEvents(&sink);
                      d->Open();
                      drivers.push_back(std::move(d));
                    })
            .ok());
  // Sometimes one dialed call towards source 0, so the initiator side is
  // reachable (not always: a dial runs much code every time, and libFuzzer's
  // per-feature bookkeeping makes that slow).
  l2tp::ClientConfig cc;
  cc.peer = kSources[0];
  cc.outcall = mode & 32;
  cc.tunnel = server.tunnel;
  auto dialed = node.Dial(cc);
  dialed->SetEvents(&sink);
  if (mode & 64) dialed->Open();

  for (int steps = 0; !in.empty() && steps < 512; ++steps) {
    const uint8_t op = in.U8();
    const l2tp::Endpoint& src = kSources[(op >> 4) % 4];
    auto tunnels = node.tunnels();
    l2tp::Tunnel* t = tunnels.empty() ? nullptr : tunnels[in.U8() % tunnels.size()];
    switch (op % 8) {
      case 0: {  // raw datagram
        auto d = in.Take(in.U8());
        node.OnDatagram(src, d);
        break;
      }
      case 1:  // clock step
        loop.Advance(std::chrono::milliseconds(250) * in.U8());
        break;
      case 2: {  // SCCRQ
        l2tp::ControlMessage m;
        m.type = l2tp::MessageType::kSCCRQ;
        m.protocol_version = l2tp::ProtocolVersion{1, 0};
        m.host_name = (in.U8() & 1) ? "lac" : "other";
        m.framing_capabilities = l2tp::kFramingSync;
        m.assigned_tunnel_id = in.U16();
        if (in.U8() & 1) m.challenge = in.Take(16);
        if (in.U8() & 1) m.receive_window_size = in.U16();
        node.OnDatagram(src, Control(0, 0, in.U8() % 2, 0, m, &hide));
        break;
      }
      case 3: {  // any control message into a tunnel
        if (!t) break;
        l2tp::ControlMessage m;
        m.type = static_cast<l2tp::MessageType>(in.U8() % 17);
        if (!l2tp::IsKnownMessageType(static_cast<uint16_t>(m.type))) break;
        m.protocol_version = l2tp::ProtocolVersion{1, 0};
        m.host_name = "lac";
        m.framing_capabilities = l2tp::kFramingSync;
        m.assigned_tunnel_id = in.U16();
        m.assigned_session_id = in.U16();
        m.call_serial_number = 1;
        m.minimum_bps = 0;
        m.maximum_bps = 1;
        m.bearer_type = 1;
        m.framing_type = 1;
        m.called_number = "";
        m.tx_connect_speed = 1;
        m.sequencing_required = in.U8() & 1;
        m.result_code = l2tp::ResultCode{in.U16(), std::nullopt, ""};
        m.call_errors = l2tp::CallErrors{};
        m.accm = l2tp::Accm{};
        if (in.U8() & 1) m.challenge_response = in.Take(16);
        uint16_t sid = in.U8() & 1 && !drivers.empty()
                           ? static_cast<uint16_t>(drivers[0]->Info().session_id)
                           : in.U16();
        uint16_t ns = in.U16();
        uint16_t nr = in.U16();
        node.OnDatagram((op & 0x80) ? src : t->peer(),
                        Control(t->local_id(), sid, ns, nr, m, &hide));
        break;
      }
      case 4: {  // data message
        if (!t) break;
        uint16_t sid = !drivers.empty() && (in.U8() & 1)
                           ? static_cast<uint16_t>(drivers.back()->Info().session_id)
                           : in.U16();
        mlppp::Packet f = mlppp::Packet::Copy(in.Take(in.U8() % 32));
        uint8_t flags = in.U8();
        l2tp::Header h =
            l2tp::DataHeader(t->local_id(), sid, flags & 1, flags & 2, in.U16(), in.U16());
        if (l2tp::PrependHeader(h, f) == l2tp::HeaderError::kOk)
          node.OnDatagram(t->peer(), f.span());
        break;
      }
      case 5: {  // driver actions
        if (drivers.empty()) break;
        size_t i = in.U8() % drivers.size();
        switch (in.U8() % 3) {
          case 0:
            drivers[i]->Send(mlppp::Packet::Copy(in.Take(8)));
            break;
          case 1:
            drivers[i]->Close();
            break;
          case 2:
            drivers.erase(drivers.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
        break;
      }
      case 6:
        loop.RunPending();
        dialed->Send(mlppp::Packet::Copy(in.Take(4)));
        break;
      case 7:
        if (in.U8() == 0xff) node.StopAll("fuzz");
        break;
    }
    Check(node.half_open() <= cfg.max_half_open_total);
  }
  loop.RunPending();
  return 0;
}
