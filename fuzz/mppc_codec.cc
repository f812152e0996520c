// Hostile datagrams into the MPPC/MPPE decoders (RFC 2118 §3, RFC 3078 §3)
// of every mode: MPPC alone, MPPE 40/56/128 alone and with MPPC, each
// stateful and stateless. The input is records <control><length><octets>:
// control 0xFF asks every encoder for a reset; an odd control encodes the
// octets (a protocol and an information field) with each mode's encoder,
// flips the octet at control/2 (0: none) and gives the datagram to that
// mode's decoder, so the paths past decryption run; an even control gives
// the octets as they are to every decoder.
#include "ppp/ccp/mppc_codec.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  using namespace mlppp::ppp::ccp;
  std::vector<std::unique_ptr<Encoder>> encoders;
  std::vector<std::unique_ptr<Decoder>> decoders;
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
        if (!e || !d) return 0;
        encoders.push_back(std::move(*e));
        decoders.push_back(std::move(*d));
      }
    }
  }
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
        (void)decoders[i]->Decode(p);
      }
    } else {
      for (auto& d : decoders) {
        Packet p = Packet::Copy(body);
        (void)d->Decode(p);
      }
    }
  }
  return 0;
}
