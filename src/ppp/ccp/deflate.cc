#include "ppp/ccp/deflate.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

#include "core/wire.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr size_t kSeqLen = 2;  // RFC 1979 §2.1: the sequence number
// What Z_SYNC_FLUSH ends a packet with: the LEN/NLEN of an empty stored
// block. Linux's Z_PACKET_FLUSH sends only the block's 3 header bits, so we
// drop these four octets on output and restore them on input.
constexpr std::array<uint8_t, 4> kSyncTail = {0x00, 0x00, 0xff, 0xff};
// zlib's memLevel, as Linux uses.
constexpr int kMemLevel = 8;
// inflate's data_type when it stopped between blocks, on a byte boundary,
// and not in a final block: where every packet of ours must leave it.
constexpr int kAtBlockBoundary = 128;

// The protocol field as it goes into the stream (Linux z_compress: the
// leading zero octet is left out when the protocol fits in one octet).
class StreamProtocol {
 public:
  explicit StreamProtocol(uint16_t protocol)
      : bytes_{static_cast<uint8_t>(protocol >> 8), static_cast<uint8_t>(protocol)},
        len_(protocol > 0xff ? 2 : 1) {}
  std::span<const uint8_t> span() const { return std::span(bytes_).last(len_); }

 private:
  std::array<uint8_t, 2> bytes_;
  size_t len_;
};

bool ParamsOk(const DeflateParams& p, std::string* why) {
  if (p.window_bits < kDeflateMinWindowBits || p.window_bits > kDeflateMaxWindowBits) {
    *why = "deflate window bits must be 9..15";
    return false;
  }
  if (p.level < 1 || p.level > 9) {
    *why = "deflate level must be 1..9";
    return false;
  }
  if (p.max_info < 1 || p.max_info > kDeflateMaxInfo) {
    *why = "deflate max_info must be 1..65535";
    return false;
  }
  return true;
}

Bytef* ZIn(std::span<const uint8_t> s) {
  // zlib's next_in is not const-qualified but is only read.
  return const_cast<Bytef*>(s.data());
}

class DeflateEncoder final : public Encoder {
 public:
  DeflateEncoder() = default;
  DeflateEncoder(const DeflateEncoder&) = delete;
  DeflateEncoder& operator=(const DeflateEncoder&) = delete;
  ~DeflateEncoder() override {
    if (ready_) deflateEnd(&strm_);
  }

  Status Init(const DeflateParams& p) {
    // Negative windowBits: raw deflate, no zlib header or Adler-32 (RFC 1979
    // §2.1 carries RFC 1951 data only).
    if (deflateInit2(&strm_, p.level, Z_DEFLATED, -p.window_bits, kMemLevel, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return Status::Error("deflateInit2 failed");
    }
    ready_ = true;
    return Status::Ok();
  }

  EncodeResult Encode(uint16_t protocol, Packet& info) override {
    if (!DeflateCoversProtocol(protocol)) return EncodeResult::kUncompressed;
    // The sequence number counts every packet that entered the history,
    // sent compressed or not (Linux z_compress increments before knowing).
    uint16_t seq = seq_++;
    size_t n = 0;
    if (!Compress(StreamProtocol(protocol).span(), info.span(), &n)) {
      // zlib refused (cannot happen with a valid stream): the packet is
      // lost and the sequence number skipped, so the peer's Decoder asks
      // for a reset, which brings both sides back to an empty history.
      return EncodeResult::kDrop;
    }
    // Linux sends compressed only when that is strictly shorter than the
    // original (z_compress: olen < isize, both counting the PPP header).
    if (kSeqLen + n >= info.size()) return EncodeResult::kUncompressed;
    info.Resize(kSeqLen + n);
    std::span<uint8_t> dst = info.span();
    dst[0] = static_cast<uint8_t>(seq >> 8);
    dst[1] = static_cast<uint8_t>(seq);
    std::copy_n(out_.begin(), n, dst.begin() + kSeqLen);
    return EncodeResult::kDatagram;
  }

  bool ResetRequested() override {
    // RFC 1979 §2.2 / Linux z_comp_reset: empty history, sequence 0; the
    // Reset-Ack that CCP sends marks where the new stream starts.
    deflateReset(&strm_);
    seq_ = 0;
    return true;
  }

 private:
  // Deflates `proto` then `data` with a sync flush into out_; *n gets the
  // length without the flush's trailing kSyncTail.
  bool Compress(std::span<const uint8_t> proto, std::span<const uint8_t> data, size_t* n) {
    // Enough for any one packet (deflate's stored-block worst case is 5
    // octets per 16 KiB plus the flush), so the loop below rarely grows it.
    size_t want = data.size() + data.size() / 8 + 64;
    if (out_.size() < want) out_.resize(want);
    strm_.next_out = out_.data();
    strm_.avail_out = static_cast<uInt>(out_.size());
    strm_.next_in = ZIn(proto);
    strm_.avail_in = static_cast<uInt>(proto.size());
    if (deflate(&strm_, Z_NO_FLUSH) != Z_OK || strm_.avail_in != 0) return false;
    strm_.next_in = ZIn(data);
    strm_.avail_in = static_cast<uInt>(data.size());
    for (;;) {
      int rc = deflate(&strm_, Z_SYNC_FLUSH);
      if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
      if (strm_.avail_out != 0) break;  // flushed completely
      size_t used = out_.size();
      out_.resize(used * 2);
      strm_.next_out = out_.data() + used;
      strm_.avail_out = static_cast<uInt>(out_.size() - used);
    }
    if (strm_.avail_in != 0) return false;
    size_t total = out_.size() - strm_.avail_out;
    if (total < kSyncTail.size() ||
        !std::equal(kSyncTail.begin(), kSyncTail.end(), out_.begin() + (total - kSyncTail.size())))
      return false;
    *n = total - kSyncTail.size();
    return true;
  }

  z_stream strm_{};
  bool ready_ = false;
  uint16_t seq_ = 0;
  std::vector<uint8_t> out_;
};

class DeflateDecoder final : public Decoder {
 public:
  DeflateDecoder() = default;
  DeflateDecoder(const DeflateDecoder&) = delete;
  DeflateDecoder& operator=(const DeflateDecoder&) = delete;
  ~DeflateDecoder() override {
    if (ready_) inflateEnd(&strm_);
  }

  Status Init(const DeflateParams& p) {
    if (inflateInit2(&strm_, -p.window_bits) != Z_OK) return Status::Error("inflateInit2 failed");
    ready_ = true;
    // Output is the protocol field (at most 2 octets) plus the information
    // field; one octet more tells "too long" from "exactly the limit".
    limit_ = p.max_info + 2 + 1;
    return Status::Ok();
  }

  DecodeResult Decode(Packet& pkt) override {
    if (out_of_step_) return ResetNeeded("awaiting Reset-Ack");
    WireReader r(pkt.span());
    uint16_t seq = r.U16();
    // Linux z_decompress: a packet needs at least one octet of data.
    if (!r.ok() || r.AtEnd()) return ResetNeeded("short packet");
    if (seq != seq_) return ResetNeeded("bad sequence number");
    ++seq_;
    std::span<const uint8_t> data = r.Rest();

    size_t produced = 0;
    if (const char* why = Inflate(data, &produced)) return ResetNeeded(why);

    // The protocol field: one octet if its low bit is set (RFC 1661 §6.5,
    // as Linux z_decompress decides), else two. The history is in step
    // either way, so a packet without one is only dropped.
    std::span<const uint8_t> out(out_.data(), produced);
    auto field = ReadProtocolField(out);
    if (!field) return Drop("no protocol field");
    if (out.size() - field->length > limit_ - 3) return ResetNeeded("longer than max_info");
    std::span<const uint8_t> body = out.subspan(field->length);
    pkt.Resize(body.size());
    std::copy(body.begin(), body.end(), pkt.span().begin());
    return {DecodeResult::Kind::kOk, field->protocol, {}};
  }

  void Incompressible(uint16_t protocol, std::span<const uint8_t> info) override {
    if (!DeflateCoversProtocol(protocol) || out_of_step_) return;
    // The peer's compressor put this packet into its history and counted
    // it (Linux z_incomp). zlib has no inflateIncomp, but for raw inflate
    // inflateSetDictionary may be called at any time and appends to the
    // window (zlib.h), which is the same thing between two packets.
    ++seq_;
    StreamProtocol proto(protocol);
    if (inflateSetDictionary(&strm_, proto.span().data(), static_cast<uInt>(proto.span().size())) !=
            Z_OK ||
        (!info.empty() &&
         inflateSetDictionary(&strm_, info.data(), static_cast<uInt>(info.size())) != Z_OK)) {
      out_of_step_ = true;  // the next compressed packet asks for a reset
    }
  }

  void ResetAcked() override {
    // Linux z_decomp_reset: the peer restarted its stream at sequence 0
    // with an empty history when it sent this Reset-Ack.
    inflateReset(&strm_);
    seq_ = 0;
    out_of_step_ = false;
  }

 private:
  DecodeResult ResetNeeded(std::string_view why) {
    out_of_step_ = true;
    return {DecodeResult::Kind::kResetNeeded, 0, why};
  }
  static DecodeResult Drop(std::string_view why) { return {DecodeResult::Kind::kDrop, 0, why}; }

  // Inflates `data` and the restored sync tail into out_; *produced gets
  // the output length. Returns null, or why the stream is now unusable.
  const char* Inflate(std::span<const uint8_t> data, size_t* produced) {
    if (out_.size() < std::min<size_t>(kInitialOut, limit_)) {
      out_.resize(std::min<size_t>(kInitialOut, limit_));
    }
    strm_.next_out = out_.data();
    strm_.avail_out = static_cast<uInt>(out_.size());
    if (const char* why = Feed(data)) return why;
    // A sender that kept the tail (no Linux peer does) already ended the
    // stored block; feeding another would start a new one. Stripped data
    // never ends in 0xFF: its last octet holds the stored block's zero
    // header bits and zero padding.
    bool has_tail = data.size() >= kSyncTail.size() &&
                    std::equal(kSyncTail.begin(), kSyncTail.end(), data.end() - kSyncTail.size());
    if (!has_tail) {
      if (const char* why = Feed(kSyncTail)) return why;
    }
    // Every packet must end exactly between two deflate blocks, or the next
    // one would be read from the middle of this one.
    if (strm_.data_type != kAtBlockBoundary) return "packet does not end on a flush";
    *produced = static_cast<size_t>(strm_.next_out - out_.data());
    return nullptr;
  }

  const char* Feed(std::span<const uint8_t> in) {
    strm_.next_in = ZIn(in);
    strm_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      int rc = inflate(&strm_, Z_SYNC_FLUSH);
      if (rc == Z_STREAM_END) return "final block";  // a stream per link never ends
      if (rc != Z_OK && rc != Z_BUF_ERROR) return "corrupt data";
      if (strm_.avail_out == 0) {
        // More output may be pending even with no input left: grow, up to
        // the limit, and go on.
        size_t used = out_.size();
        if (used >= limit_) return "longer than max_info";
        out_.resize(std::min(used * 2, limit_));
        strm_.next_out = out_.data() + used;
        strm_.avail_out = static_cast<uInt>(out_.size() - used);
        continue;
      }
      if (strm_.avail_in == 0) return nullptr;
      return "corrupt data";  // stopped with input and output space left
    }
  }

  static constexpr size_t kInitialOut = 4096;

  z_stream strm_{};
  bool ready_ = false;
  uint16_t seq_ = 0;
  bool out_of_step_ = false;
  size_t limit_ = 0;
  std::vector<uint8_t> out_;
};

}  // namespace

bool DeflateCoversProtocol(uint16_t protocol) {
  return protocol <= 0x3fff && protocol != 0x00fd && protocol != 0x00fb;
}

Result<std::unique_ptr<Encoder>> MakeDeflateEncoder(const DeflateParams& params) {
  std::string why;
  if (!ParamsOk(params, &why)) return Status::Error(why);
  auto e = std::make_unique<DeflateEncoder>();
  if (Status s = e->Init(params); !s.ok()) return s;
  return std::unique_ptr<Encoder>(std::move(e));
}

Result<std::unique_ptr<Decoder>> MakeDeflateDecoder(const DeflateParams& params) {
  std::string why;
  if (!ParamsOk(params, &why)) return Status::Error(why);
  auto d = std::make_unique<DeflateDecoder>();
  if (Status s = d->Init(params); !s.ok()) return s;
  return std::unique_ptr<Decoder>(std::move(d));
}

}  // namespace mlppp::ppp::ccp
