#include "ppp/cp_packet.h"

#include <algorithm>

#include "core/wire.h"

namespace mlppp::ppp {

namespace {
constexpr size_t kHeaderLen = 4;  // Code, Identifier, Length (RFC 1661 §5)
constexpr size_t kMaxData = 0xffff - kHeaderLen;
constexpr size_t kMaxOptionData = 0xff - 2;
}  // namespace

std::optional<CpHeader> SplitCpPacket(std::span<const uint8_t> info) {
  WireReader r(info);
  CpHeader h;
  h.code = r.U8();
  h.id = r.U8();
  uint16_t length = r.U16();
  if (!r.ok() || length < kHeaderLen || length > info.size()) return std::nullopt;
  h.body = r.Bytes(length - kHeaderLen);
  if (!r.ok()) return std::nullopt;
  return h;
}

std::optional<CpPacket> ParseCpPacket(std::span<const uint8_t> info) {
  auto h = SplitCpPacket(info);
  if (!h) return std::nullopt;
  CpPacket p;
  p.code = h->code;
  p.id = h->id;
  p.data.assign(h->body.begin(), h->body.end());
  return p;
}

Packet SerializeCpPacket(const CpPacket& p) {
  // Data beyond what Length can describe is dropped; callers keep packets
  // within the MRU anyway.
  size_t n = std::min(p.data.size(), kMaxData);
  std::vector<uint8_t> out;
  out.reserve(kHeaderLen + n);
  WireWriter w(out);
  w.U8(p.code);
  w.U8(p.id);
  w.U16(static_cast<uint16_t>(kHeaderLen + n));
  w.Bytes(std::span<const uint8_t>(p.data).first(n));
  return Packet::Copy(out);
}

std::optional<std::vector<CpOption>> ParseOptions(std::span<const uint8_t> data) {
  WireReader r(data);
  std::vector<CpOption> opts;
  while (!r.AtEnd()) {
    CpOption o;
    o.type = r.U8();
    uint8_t len = r.U8();
    if (!r.ok() || len < 2) return std::nullopt;
    auto body = r.Bytes(len - 2);
    if (!r.ok()) return std::nullopt;
    o.data.assign(body.begin(), body.end());
    opts.push_back(std::move(o));
  }
  return opts;
}

std::vector<uint8_t> SerializeOptions(std::span<const CpOption> opts) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  for (const CpOption& o : opts) {
    size_t n = std::min(o.data.size(), kMaxOptionData);
    w.U8(o.type);
    w.U8(static_cast<uint8_t>(2 + n));
    w.Bytes(std::span<const uint8_t>(o.data).first(n));
  }
  return out;
}

}  // namespace mlppp::ppp
