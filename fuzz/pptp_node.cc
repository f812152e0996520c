// Fuzzes a PPTP node (RFC 2637): arbitrary byte streams into accepted
// control connections (§3.1, the Framer and every message handler) and
// into a dialed one (the client side), arbitrary GRE packets (§4.1) into
// the listening node, some of them aimed at a live call's Call ID, driver
// sends and closes, and clock steps that fire the setup, echo, idle and
// ack timers. Invariants: no crash, no leak, counts stay consistent.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/packet.h"
#include "core/wire.h"
#include "event/fake_loop.h"
#include "link/pptp/control_message.h"
#include "link/pptp/gre.h"
#include "link/pptp/node.h"

namespace pptp = mlppp::link::pptp;

namespace {

struct StreamState {
  bool closed = false;
};

class Stream : public pptp::StreamConn {
 public:
  explicit Stream(std::shared_ptr<StreamState> s) : s_(std::move(s)) {}
  void Write(std::span<const uint8_t>) override {}
  void Close() override { s_->closed = true; }

 private:
  std::shared_ptr<StreamState> s_;
};

class Gre : public pptp::GreTransport {
 public:
  void SendTo(const std::string&, std::span<const uint8_t>) override { ++sent; }
  size_t sent = 0;
};

class Events : public mlppp::link::DriverEvents {
 public:
  void OnDriverUp() override {}
  void OnDriverDown(std::string_view) override {}
  void OnFrame(mlppp::Packet&&) override {}
};

constexpr char kPeer[] = "198.51.100.1";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlppp::WireReader r(std::span<const uint8_t>(data, size));
  mlppp::event::FakeLoop loop;
  Gre gre;
  pptp::NodeConfig cfg;
  cfg.self_ip = "192.0.2.1";
  const uint8_t opts = r.U8();
  cfg.calls_per_conn = static_cast<uint16_t>(1 + (opts & 3));
  cfg.max_conns_per_source = 2;
  cfg.max_half_open = 3;
  uint32_t seed = r.U32();
  Stream* client_stream = nullptr;
  std::shared_ptr<StreamState> client_state;
  Events events;
  std::vector<std::unique_ptr<mlppp::link::Driver>> calls;
  std::vector<Stream*> streams;  // valid while their state is not closed
  std::vector<std::shared_ptr<StreamState>> states;
  {
    pptp::Node node(
        loop, cfg, gre,
        [&](const std::string&, const std::string&, uint16_t, pptp::ConnectDone done) {
          loop.Post([&, done] {
            client_state = std::make_shared<StreamState>();
            auto s = std::make_unique<Stream>(client_state);
            client_stream = s.get();
            done(std::move(s));
          });
        },
        [&seed] { return seed = seed * 1664525u + 1013904223u; });
    pptp::ServerConfig sc;
    sc.options.windowing = opts & 4;
    sc.options.delayed_ack = opts & 8;
    sc.options.always_ack = opts & 16;
    (void)node.Listen(sc, [&](std::unique_ptr<mlppp::link::Driver> d) {
      d->SetEvents(&events);
      d->Open();
      if (calls.size() < 64) calls.push_back(std::move(d));
    });
    auto accept = [&] {
      auto st = std::make_shared<StreamState>();
      auto s = std::make_unique<Stream>(st);
      streams.push_back(s.get());
      states.push_back(st);
      node.Accept(std::move(s), kPeer);
    };
    auto feed = [&](size_t i, std::span<const uint8_t> b) {
      if (i < streams.size() && !states[i]->closed) streams[i]->DeliverData(b);
    };
    // Optionally start with an established connection carrying one call,
    // so GRE input reaches the data path.
    if (opts & 32) {
      accept();
      feed(0, pptp::Encode(pptp::StartCtrlConnRequest{}));
      pptp::OutgoingCallRequest ocrq;
      ocrq.call_id = 1;
      ocrq.packet_recv_window = r.U8();
      feed(0, pptp::Encode(ocrq));
      loop.RunPending();
    }
    if (opts & 64) {
      pptp::ClientConfig cc;
      cc.peer_ip = kPeer;
      cc.outcall = opts & 128;
      auto d = node.Dial(cc);
      d->SetEvents(&events);
      d->Open();
      calls.push_back(std::move(d));
      loop.RunPending();
    }

    while (r.remaining() > 0) {
      const uint8_t op = r.U8();
      switch (op % 8) {
        case 0: {  // bytes into an accepted connection
          const size_t i = r.U8();
          auto b = r.Bytes(std::min<size_t>(r.U8(), r.remaining()));
          if (!streams.empty()) feed(i % streams.size(), b);
          break;
        }
        case 1: {  // a whole GRE packet
          auto b = r.Bytes(std::min<size_t>(r.U8(), r.remaining()));
          node.OnGre(op & 8 ? kPeer : "203.0.113.9", mlppp::Packet::Copy(b));
          break;
        }
        case 2: {  // GRE aimed at a live call
          if (calls.empty()) break;
          auto* call = static_cast<pptp::PptpCall*>(calls[r.U8() % calls.size()].get());
          pptp::GreHeader h;
          h.call_id = call->call_id();
          const uint8_t f = r.U8();
          if (f & 1) h.seq = r.U32();
          if (f & 2) h.ack = r.U32();
          if (!h.seq && !h.ack) h.ack = 0;
          auto payload =
              h.seq ? r.Bytes(std::min<size_t>(r.U8(), r.remaining())) : std::span<const uint8_t>();
          h.payload_length = static_cast<uint16_t>(payload.size());
          std::vector<uint8_t> pkt;
          pptp::EncodeGre(h, &pkt);
          pkt.insert(pkt.end(), payload.begin(), payload.end());
          node.OnGre(kPeer, mlppp::Packet::Copy(pkt));
          break;
        }
        case 3: {  // clock step, up to ~65 s
          loop.Advance(std::chrono::milliseconds(r.U16()));
          break;
        }
        case 4:
          if (streams.size() < 16) accept();
          break;
        case 5: {  // the peer closes a connection
          const size_t i = r.U8();
          if (!streams.empty() && !states[i % streams.size()]->closed) {
            streams[i % streams.size()]->DeliverClosed();
          }
          break;
        }
        case 6: {  // a driver sends or closes
          if (calls.empty()) break;
          auto& d = calls[r.U8() % calls.size()];
          if (op & 8) {
            d->Close();
          } else {
            d->Send(mlppp::Packet::Copy(r.Bytes(std::min<size_t>(r.U8(), r.remaining()))));
          }
          break;
        }
        case 7: {  // bytes into the dialed connection
          auto b = r.Bytes(std::min<size_t>(r.U8(), r.remaining()));
          if (client_stream != nullptr && !client_state->closed) client_stream->DeliverData(b);
          break;
        }
      }
      loop.RunPending();
      if (node.half_open() > cfg.max_half_open) __builtin_trap();
    }
    calls.clear();
    loop.RunPending();
  }
  loop.RunPending();
  return 0;
}
