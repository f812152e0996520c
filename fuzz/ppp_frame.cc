// Fuzzes the PPP frame header codec and the control packet / option parsers
// (RFC 1661 §2, §5, §6): no input may crash them or read out of bounds, and
// what parses must serialize back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/packet.h"
#include "ppp/cp_packet.h"
#include "ppp/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  Packet frame = Packet::Copy(std::span<const uint8_t>(data, size));
  auto proto = ppp::DecodeFrame(frame);
  if (!proto) return 0;
  if (frame.size() > size) abort();
  // Re-encoding the information field with a full header must decode again.
  Packet again = frame.Clone();
  ppp::EncodeFrame(again, *proto, true, false);
  Packet copy = again.Clone();
  if (ppp::DecodeFrame(copy) != proto || copy.size() != frame.size()) abort();

  auto pkt = ppp::ParseCpPacket(frame.span());
  if (!pkt) return 0;
  Packet back = ppp::SerializeCpPacket(*pkt);
  if (back.size() != pkt->data.size() + 4) abort();
  auto opts = ppp::ParseOptions(pkt->data);
  if (!opts) return 0;
  if (ppp::SerializeOptions(*opts) != pkt->data) abort();
  return 0;
}
