#include "ppp/ccp/pred1.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/wire.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kTableSize = 65536;  // RFC 1978 §3.1: indexed by the 16-bit hash
constexpr uint16_t kCompressedBit = 0x8000;
constexpr size_t kFcsLen = 2;

// RFC 1662 §C.2: the reflected CCITT polynomial x^16 + x^12 + x^5 + 1,
// table-driven eight octets at a time ("slicing-by-8"): row k advances an
// octet's contribution through k more octets, so the eight lookups of a
// block are independent instead of one long chain of dependent loads.
using FcsTables = std::array<std::array<uint16_t, 256>, 8>;
constexpr FcsTables kFcsTables = [] {
  FcsTables t{};
  for (unsigned b = 0; b < 256; ++b) {
    unsigned v = b;
    for (int k = 0; k < 8; ++k) v = (v & 1) ? (v >> 1) ^ 0x8408 : v >> 1;
    t[0][b] = static_cast<uint16_t>(v);
  }
  for (size_t k = 1; k < 8; ++k) {
    for (unsigned b = 0; b < 256; ++b) {
      t[k][b] = static_cast<uint16_t>(t[k - 1][b] >> 8 ^ t[0][t[k - 1][b] & 0xff]);
    }
  }
  return t;
}();

// RFC 1978 §3.1: HASH(x) Hash = (Hash << 4) ^ (x), in an unsigned short.
inline uint16_t NextHash(uint16_t hash, uint8_t c) { return static_cast<uint16_t>(hash << 4 ^ c); }

// The guess table and hash one direction shares with the peer's other end.
class GuessTable {
 public:
  GuessTable() : guess_(kTableSize) {}
  void Clear() {
    std::fill(guess_.begin(), guess_.end(), 0);
    hash_ = 0;
  }

  // RFC 1978 §3.1 compress(): returns the length written to `out`, which
  // must hold in.size() + (in.size() + 7) / 8 + 1 octets (one spare: the
  // loop stores every octet and advances only past the missed ones).
  size_t Compress(std::span<const uint8_t> in, std::span<uint8_t> out) {
    uint8_t* t = guess_.data();  // indexed by a uint16_t: always in range
    uint16_t h = hash_;
    size_t o = 0;
    for (size_t i = 0; i < in.size();) {
      size_t flag_at = o++;
      unsigned flags = 0;
      size_t end = std::min(in.size(), i + 8);
      for (unsigned bit = 0; i < end; ++i, ++bit) {
        uint8_t c = in[i];
        bool hit = t[h] == c;
        flags |= static_cast<unsigned>(hit) << bit;
        t[h] = c;  // unchanged on a hit: cheaper than a branch
        out[o] = c;
        o += !hit;
        h = NextHash(h, c);
      }
      out[flag_at] = static_cast<uint8_t>(flags);
    }
    hash_ = h;
    return o;
  }

  // RFC 1978 §3.1 decompress() into exactly out.size() octets. False when
  // `in` describes fewer or more (the table is then out of step; the
  // caller asks for a reset). Never reads or writes outside the spans.
  bool Decompress(std::span<const uint8_t> in, std::span<uint8_t> out) {
    uint8_t* t = guess_.data();
    uint16_t h = hash_;
    size_t s = 0;
    size_t o = 0;
    const size_t len = out.size();
    while (s < in.size()) {
      unsigned flags = in[s++];
      if (in.size() - s >= 8 && len - o >= 8) {
        // A whole group with room for it on both sides: no checks.
        for (unsigned bit = 0; bit < 8; ++bit) {
          bool hit = (flags >> bit) & 1;
          uint8_t c = hit ? t[h] : in[s];
          s += !hit;
          t[h] = c;
          out[o++] = c;
          h = NextHash(h, c);
        }
        continue;
      }
      for (unsigned bit = 0; bit < 8; ++bit) {
        bool hit = (flags >> bit) & 1;
        // The last group's unused positions are clear and have no octet.
        if (!hit && s == in.size()) break;
        if (o == len) return false;  // more data than the length field says
        uint8_t c = hit ? t[h] : in[s++];
        t[h] = c;
        out[o++] = c;
        h = NextHash(h, c);
      }
    }
    hash_ = h;
    return o == len;
  }

  // RFC 1978 §3.1 (mpd5 SyncTable): learn data that was sent uncompressed.
  void Learn(std::span<const uint8_t> in) {
    uint8_t* t = guess_.data();
    uint16_t h = hash_;
    for (uint8_t c : in) {
      t[h] = c;
      h = NextHash(h, c);
    }
    hash_ = h;
  }

 private:
  std::vector<uint8_t> guess_;
  uint16_t hash_ = 0;
};

std::array<uint8_t, 2> LengthField(size_t len) {
  return {static_cast<uint8_t>(len >> 8 & 0x7f), static_cast<uint8_t>(len)};
}

class Pred1Encoder final : public Encoder {
 public:
  EncodeResult Encode(uint16_t protocol, Packet& info) override {
    size_t n = 2 + info.size();
    if (n > kPred1MaxLength) return EncodeResult::kDrop;
    in_.resize(n);
    in_[0] = static_cast<uint8_t>(protocol >> 8);
    in_[1] = static_cast<uint8_t>(protocol);
    std::copy(info.span().begin(), info.span().end(), in_.begin() + 2);

    std::array<uint8_t, 2> lf = LengthField(n);
    uint16_t fcs = PppFcs16(PppFcs16(kPppInitFcs16, lf), in_);
    fcs = static_cast<uint16_t>(~fcs);

    out_.resize(n + (n + 7) / 8 + 1);
    size_t m = table_.Compress(in_, out_);
    // RFC 1978 §3.2: compressed only when that is shorter (mpd5: len <
    // orglen); the table has learnt the data either way.
    bool compressed = m < n;
    std::span<const uint8_t> body =
        compressed ? std::span<const uint8_t>(out_.data(), m) : std::span<const uint8_t>(in_);

    info.Resize(lf.size() + body.size() + kFcsLen);
    std::span<uint8_t> dst = info.span();
    dst[0] = static_cast<uint8_t>(lf[0] | (compressed ? kCompressedBit >> 8 : 0));
    dst[1] = lf[1];
    std::copy(body.begin(), body.end(), dst.begin() + 2);
    dst[dst.size() - 2] = static_cast<uint8_t>(fcs);  // least significant first
    dst[dst.size() - 1] = static_cast<uint8_t>(fcs >> 8);
    return EncodeResult::kDatagram;
  }

  bool ResetRequested() override {
    // RFC 1978 / mpd5 Pred1RecvResetReq: start over from an empty table;
    // CCP answers with Reset-Ack.
    table_.Clear();
    return true;
  }

 private:
  GuessTable table_;
  std::vector<uint8_t> in_;
  std::vector<uint8_t> out_;
};

class Pred1Decoder final : public Decoder {
 public:
  DecodeResult Decode(Packet& pkt) override {
    if (awaiting_ack_) return ResetNeeded("awaiting Reset-Ack");
    WireReader r(pkt.span());
    uint16_t lf = r.U16();
    if (!r.ok() || r.remaining() < kFcsLen) return ResetNeeded("short packet");
    std::span<const uint8_t> body = r.Bytes(r.remaining() - kFcsLen);
    std::span<const uint8_t> fcs_octets = r.Bytes(kFcsLen);
    size_t len = lf & ~kCompressedBit;

    out_.resize(len);
    if (lf & kCompressedBit) {
      if (!table_.Decompress(body, out_)) return ResetNeeded("length mismatch");
    } else {
      if (body.size() != len) return ResetNeeded("length mismatch");
      std::copy(body.begin(), body.end(), out_.begin());
      table_.Learn(out_);
    }
    // RFC 1978 §3.2: the FCS covers the length (C clear) and the data.
    uint16_t fcs = PppFcs16(kPppInitFcs16, LengthField(len));
    fcs = PppFcs16(fcs, out_);
    if (PppFcs16(fcs, fcs_octets) != kPppGoodFcs16) return ResetNeeded("bad FCS");

    // The table is in step; a packet without a protocol field is only
    // dropped. One octet when its low bit is set (RFC 1661 §6.5).
    auto field = ReadProtocolField(out_);
    if (!field) return {DecodeResult::Kind::kDrop, 0, "no protocol field"};
    pkt.Resize(out_.size() - field->length);
    std::copy(out_.begin() + static_cast<ptrdiff_t>(field->length), out_.end(), pkt.span().begin());
    return {DecodeResult::Kind::kOk, field->protocol, {}};
  }

  void ResetAcked() override {
    // The peer cleared its table before sending this Reset-Ack.
    table_.Clear();
    awaiting_ack_ = false;
  }

 private:
  DecodeResult ResetNeeded(std::string_view why) {
    awaiting_ack_ = true;
    return {DecodeResult::Kind::kResetNeeded, 0, why};
  }

  GuessTable table_;
  std::vector<uint8_t> out_;
  bool awaiting_ack_ = false;
};

}  // namespace

uint16_t PppFcs16(uint16_t fcs, std::span<const uint8_t> data) {
  const auto& t = kFcsTables;
  size_t i = 0;
  for (; data.size() - i >= 8; i += 8) {
    std::span<const uint8_t, 8> b = data.subspan(i).first<8>();
    fcs = static_cast<uint16_t>(t[7][(b[0] ^ fcs) & 0xff] ^ t[6][b[1] ^ (fcs >> 8)] ^ t[5][b[2]] ^
                                t[4][b[3]] ^ t[3][b[4]] ^ t[2][b[5]] ^ t[1][b[6]] ^ t[0][b[7]]);
  }
  for (; i < data.size(); ++i) fcs = static_cast<uint16_t>(fcs >> 8 ^ t[0][(fcs ^ data[i]) & 0xff]);
  return fcs;
}

Result<std::unique_ptr<Encoder>> MakePred1Encoder() {
  return std::unique_ptr<Encoder>(std::make_unique<Pred1Encoder>());
}

Result<std::unique_ptr<Decoder>> MakePred1Decoder() {
  return std::unique_ptr<Decoder>(std::make_unique<Pred1Decoder>());
}

}  // namespace mlppp::ppp::ccp
