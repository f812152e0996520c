// Fuzzes the MPPC coder (RFC 2118 §3.1, §4). The input is read twice:
// 1. as <flags octet><length octet><data> records fed to one
//    MppcDecompressor, which must never crash or touch memory outside its
//    buffers whatever the flags and data;
// 2. as packets (cut at the record lengths) through one compressor and a
//    fresh decompressor, which must give every packet back unchanged.
#include "ppp/ccp/mppc.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp::ppp::ccp;
  std::span<const uint8_t> in(data, size);

  MppcDecompressor hostile;
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 2 <= in.size();) {
    const uint8_t flags = in[i];
    const size_t len = std::min<size_t>(in[i + 1], in.size() - i - 2);
    (void)hostile.Decompress(in.subspan(i + 2, len), flags, out);
    if (out.size() > kMppcHistorySize + 255) abort();
    i += 2 + len;
  }

  // Packets of 1..256 octets (a record's length octet picks each length);
  // occasionally a long one, to cross the history's end with B.
  MppcCompressor c;
  MppcDecompressor d;
  std::vector<uint8_t> wire, back;
  for (size_t i = 0; i < in.size();) {
    size_t len = static_cast<size_t>(in[i]) + 1;
    if (in[i] == 0xff) len = 4000;
    len = std::min(len, in.size() - i);
    auto pkt = in.subspan(i, len);
    const uint8_t flags = c.Compress(pkt, wire);
    if (!(flags & kMppcCompressed) && (wire.size() != pkt.size())) abort();
    if (!d.Decompress(wire, flags, back)) abort();
    if (back.size() != pkt.size() || !std::equal(back.begin(), back.end(), pkt.begin())) abort();
    if (in[i] == 0x7e) c.Reset();  // as a Reset-Request would
    i += len;
  }
  return 0;
}
