// PLACEHOLDER until the RFC 2118 coder lands: never compresses.
#include "ppp/ccp/mppc.h"

namespace mlppp::ppp::ccp {

MppcCompressor::MppcCompressor() : history_(kMppcHistorySize) {}

uint8_t MppcCompressor::Compress(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  out.assign(in.begin(), in.end());
  uint8_t flags = flush_next_ ? kMppcFlushed : 0;
  flush_next_ = false;
  return flags;
}

void MppcCompressor::Reset() { flush_next_ = true; }

MppcDecompressor::MppcDecompressor() : history_(kMppcHistorySize) {}

bool MppcDecompressor::Decompress(std::span<const uint8_t> in, uint8_t flags,
                                  std::vector<uint8_t>& out) {
  if (flags & kMppcCompressed) return false;
  out.assign(in.begin(), in.end());
  return true;
}

}  // namespace mlppp::ppp::ccp
