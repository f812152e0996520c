// Fuzzes the L2TPv2 codec (RFC 2661): the header (§3.1), then the control
// message body (§4, §6) with and without a hiding secret (§4.3). Whatever
// decodes must re-encode, in the clear and hidden, and decode back to the
// same message; a rebuilt header must parse back to the same header.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "link/l2tp/header.h"
#include "link/l2tp/message.h"

namespace {

namespace l2tp = mlppp::link::l2tp;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void RoundTrip(std::span<const uint8_t> body, const l2tp::HidingContext* ctx) {
  l2tp::ControlMessage m;
  l2tp::DecodeResult r = l2tp::DecodeControl(body, ctx, &m);
  (void)r.Describe();
  if (!r.ok()) return;
  // Bodies near the 16-bit limit may outgrow it once hidden; below that,
  // anything DecodeControl accepted must encode.
  const bool must_fit = body.size() < 30000;

  auto plain = l2tp::EncodeControl(m, nullptr, nullptr);
  Check(plain.ok() || !must_fit);
  if (!plain.ok()) return;
  l2tp::ControlMessage m2;
  Check(l2tp::DecodeControl(*plain, nullptr, &m2).ok());
  // Fields a message does not carry are dropped once; after that the
  // encoding is stable.
  auto again = l2tp::EncodeControl(m2, nullptr, nullptr);
  Check(again.ok() && *again == *plain);

  l2tp::HidingContext hide{"fuzz secret", true};
  uint8_t seed = 0;
  auto hidden = l2tp::EncodeControl(m2, &hide, [&seed](std::span<uint8_t> out) {
    for (auto& b : out) b = ++seed;
  });
  Check(hidden.ok() || !must_fit);
  if (!hidden.ok()) return;
  l2tp::ControlMessage m3;
  Check(l2tp::DecodeControl(*hidden, &hide, &m3).ok());
  Check(m3 == m2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);

  l2tp::ParsedHeader p;
  const bool header_ok = l2tp::ParseHeader(input, &p) == l2tp::HeaderError::kOk;
  if (header_ok) {
    std::vector<uint8_t> rebuilt;
    if (l2tp::BuildMessage(p.header, p.payload, &rebuilt) == l2tp::HeaderError::kOk) {
      l2tp::ParsedHeader p2;
      Check(l2tp::ParseHeader(rebuilt, &p2) == l2tp::HeaderError::kOk);
      Check(p2.header == p.header);
      Check(std::vector<uint8_t>(p2.payload.begin(), p2.payload.end()) ==
            std::vector<uint8_t>(p.payload.begin(), p.payload.end()));
    }
  }
  // A control payload when the header parses; otherwise the raw input, so
  // the AVP decoder sees every input.
  std::span<const uint8_t> body = header_ok ? p.payload : input;
  l2tp::HidingContext secret{"fuzz secret", false};
  RoundTrip(body, nullptr);
  RoundTrip(body, &secret);
  return 0;
}
