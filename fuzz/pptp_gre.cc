// Fuzzes the Enhanced GRE header (RFC 2637 §4.1) and the per-call receive
// window (§4.3-§4.4): the input is a series of length-prefixed packets,
// parsed, re-encoded and fed to a GreWindow between clock steps.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/packet.h"
#include "core/wire.h"
#include "event/fake_loop.h"
#include "link/pptp/gre.h"
#include "link/pptp/gre_window.h"

namespace pptp = mlppp::link::pptp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  mlppp::WireReader r(input);
  uint8_t opts = r.U8();
  mlppp::event::FakeLoop loop;
  pptp::GreWindowConfig cfg;
  cfg.delayed_ack = opts & 1;
  cfg.always_ack = opts & 2;
  cfg.windowing = opts & 4;
  cfg.peer_recv_window = r.U16();
  cfg.peer_ppd = r.U8();
  uint64_t lone_acks = 0;
  pptp::GreWindow win(loop, cfg, [&](uint32_t) { ++lone_acks; });
  std::optional<uint32_t> last;

  // Packets: [step][len16][bytes]; step bit 0: send a data packet of ours
  // first; bits 1-7: clock step in ms.
  while (r.remaining() >= 3) {
    uint8_t step = r.U8();
    uint16_t len = r.U16();
    auto bytes = r.Bytes(std::min<size_t>(len, r.remaining()));
    if (step & 1) (void)win.DataHeader(1);

    pptp::GreHeader h;
    std::span<const uint8_t> payload;
    if (pptp::ParseGre(bytes, &h, &payload) == pptp::GreError::kOk) {
      if (payload.size() != h.payload_length) __builtin_trap();
      std::vector<uint8_t> enc;
      pptp::EncodeGre(h, &enc);
      if (enc.size() != h.Size()) __builtin_trap();
      enc.insert(enc.end(), payload.begin(), payload.end());
      pptp::GreHeader back;
      if (pptp::ParseGre(enc, &back) != pptp::GreError::kOk || !(back == h)) __builtin_trap();

      mlppp::Packet p = mlppp::Packet::Copy(bytes);
      if (pptp::StripGre(p, &back) != pptp::GreError::kOk || p.size() != h.payload_length) {
        __builtin_trap();
      }
      if (win.OnReceive(h)) {
        // Accepted: strictly newer than the last accepted (serial arithmetic).
        if (last && static_cast<int32_t>(*h.seq - *last) <= 0) __builtin_trap();
        last = h.seq;
      }
    }
    if (cfg.windowing && win.in_flight() > win.send_window()) __builtin_trap();
    loop.Advance(std::chrono::milliseconds(step >> 1));
  }
  loop.Advance(std::chrono::seconds(10));
  if (win.ack_pending()) __builtin_trap();  // the delayed ack always goes out
  return 0;
}
