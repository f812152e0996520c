// Fuzzes the PPTP control-connection codec (RFC 2637 §2): the input is a TCP
// byte stream fed to the Framer in chunks; every framed message that decodes
// must re-encode to the same bytes (modulo Reserved fields and what follows
// a NUL in a string field) and decode back equal.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "link/pptp/control_message.h"

namespace pptp = mlppp::link::pptp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  pptp::Framer framer;
  // The first octet picks the read size, so split points vary.
  size_t chunk = size ? (data[0] % 64) + 1 : 1;
  size_t pos = size ? 1 : 0;
  pptp::Bytes msg;
  while (pos < size) {
    size_t n = std::min(chunk, size - pos);
    framer.Feed(input.subspan(pos, n));
    pos += n;
    for (;;) {
      auto st = framer.Next(&msg);
      if (st != pptp::Framer::Status::kMessage) break;
      if (msg.size() < pptp::kHeaderSize || msg.size() > pptp::kMaxMessageLength) {
        __builtin_trap();
      }
      pptp::ControlMessage m;
      if (pptp::Decode(msg, &m) != pptp::DecodeError::kOk) continue;
      pptp::Bytes again = pptp::Encode(m);
      if (again.size() != msg.size()) __builtin_trap();
      pptp::ControlMessage back;
      if (pptp::Decode(again, &back) != pptp::DecodeError::kOk || !(back == m)) {
        __builtin_trap();
      }
      if (pptp::Encode(back) != again) __builtin_trap();
      (void)pptp::ControlTypeName(pptp::TypeOf(m));
    }
    if (framer.failed()) break;
  }
  // The whole input as one message, too.
  pptp::ControlMessage m;
  (void)pptp::Decode(input, &m);
  return 0;
}
