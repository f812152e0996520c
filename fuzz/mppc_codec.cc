// Hostile datagrams into the MPPC/MPPE decoders (RFC 2118 §3, RFC 3078 §3)
// of every mode: MPPC alone, MPPE 40/56/128 alone and with MPPC, each
// stateful and stateless. The input is records <control><length><octets>:
// control 0xFF asks every encoder for a reset; an odd control encodes the
// octets (a protocol and an information field) with each mode's encoder,
// flips the octet at control/2 (0: none) and gives the datagram to that
// mode's decoder, so the paths past decryption run; an even control gives
// the octets as they are to every decoder.
// Each decoder has a twin fed the same datagrams through DecodeDeferred and
// a CryptQueue (the daemon's batched path, every record's passes run as one
// batch): any difference in result or recovered octets traps.
#include "ppp/ccp/mppc_codec.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ppp/ccp/crypt_queue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  using namespace mlppp::ppp::ccp;
  std::vector<std::unique_ptr<Encoder>> encoders;
  std::vector<std::unique_ptr<Decoder>> decoders;
  std::vector<std::unique_ptr<Decoder>> twins;
  for (bool compress : {false, true}) {
    for (int bits : {0, 40, 56, 128}) {
      for (bool stateless : {false, true}) {
        if (!compress && bits == 0) continue;
        MppcParams p;
        p.compress = compress;
        p.key_bits = bits;
        p.stateless = stateless;
        p.start_key.fill(0x5A);
        auto e = MakeMppcEncoder(p);
        auto d = MakeMppcDecoder(p);
        auto t = MakeMppcDecoder(p);
        if (!e || !d || !t) return 0;
        encoders.push_back(std::move(*e));
        decoders.push_back(std::move(*d));
        twins.push_back(std::move(*t));
      }
    }
  }
  // One record's decodes: the direct result, and the twin's packet waiting
  // for its pass.
  struct Pending {
    DecodeResult direct;
    Packet direct_pkt;
    DecodeResult twin;
    Packet twin_pkt;
    bool deferred;
  };
  CryptQueue queue;
  std::vector<Pending> pending;
  auto decode = [&](size_t i, Packet p) {
    Packet q = p.Clone();
    DecodeResult r = decoders[i]->Decode(p);
    CryptJob job;
    DecodeResult t = twins[i]->DecodeDeferred(q, queue, job);
    bool deferred = static_cast<bool>(job);
    queue.Add(std::move(job));
    pending.push_back({r, std::move(p), t, std::move(q), deferred});
  };
  auto settle = [&] {
    queue.RunQueued();
    for (Pending& w : pending) {
      if (w.deferred) w.twin = FinishDeferred(w.twin_pkt);
      bool same = w.direct.kind == w.twin.kind;
      if (same && w.direct.kind == DecodeResult::Kind::kOk) {
        same = w.direct.protocol == w.twin.protocol &&
               std::equal(w.direct_pkt.span().begin(), w.direct_pkt.span().end(),
                          w.twin_pkt.span().begin(), w.twin_pkt.span().end());
      }
      if (!same) __builtin_trap();
    }
    pending.clear();
  };
  std::span<const uint8_t> in(data, size);
  while (in.size() >= 2) {
    uint8_t control = in[0];
    size_t len = std::min<size_t>(in[1], in.size() - 2);
    auto body = in.subspan(2, len);
    in = in.subspan(2 + len);
    if (control == 0xFF) {
      for (auto& e : encoders) (void)e->ResetRequested();
    } else if (control & 1) {
      if (body.size() < 2) continue;
      uint16_t protocol = static_cast<uint16_t>(body[0] << 8 | body[1]);
      for (size_t i = 0; i < encoders.size(); ++i) {
        Packet p = Packet::Copy(body.subspan(2));
        if (encoders[i]->Encode(protocol, p) != EncodeResult::kDatagram) continue;
        size_t flip = control >> 1;
        if (flip && !p.empty()) p.span()[flip % p.size()] ^= 0x5A;
        decode(i, std::move(p));
      }
    } else {
      for (size_t i = 0; i < decoders.size(); ++i) decode(i, Packet::Copy(body));
    }
    settle();
  }
  settle();
  return 0;
}
