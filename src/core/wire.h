#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlppp {

// Bounds-checked big-endian reader over a byte span. Every read checks the
// remaining length; a short read sets a sticky error and returns zeros, so a
// parser can read a whole header and test ok() once.
class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> data) : data_(data) {}

  bool ok() const { return ok_; }
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  size_t position() const { return pos_; }
  bool AtEnd() const { return remaining() == 0; }

  uint8_t U8() {
    if (!Need(1)) return 0;
    return data_[pos_++];
  }
  uint16_t U16() {
    if (!Need(2)) return 0;
    uint16_t v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = static_cast<uint32_t>(data_[pos_]) << 24 | static_cast<uint32_t>(data_[pos_ + 1]) << 16 |
                 static_cast<uint32_t>(data_[pos_ + 2]) << 8 | data_[pos_ + 3];
    pos_ += 4;
    return v;
  }
  uint64_t U64() {
    uint64_t hi = U32();
    return hi << 32 | U32();
  }
  // Returns the next n bytes (empty span on a short read).
  std::span<const uint8_t> Bytes(size_t n) {
    if (!Need(n)) return {};
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::span<const uint8_t> Rest() { return Bytes(remaining()); }
  std::string String(size_t n) {
    auto b = Bytes(n);
    return std::string(b.begin(), b.end());
  }
  // Peeks without consuming; nullopt when not enough bytes.
  std::optional<uint8_t> PeekU8() const {
    if (!ok_ || pos_ >= data_.size()) return std::nullopt;
    return data_[pos_];
  }
  void Skip(size_t n) { (void)Bytes(n); }
  // A sub-reader over the next n bytes, consumed from this one.
  WireReader Sub(size_t n) {
    auto b = Bytes(n);
    WireReader r(b);
    if (!ok_) r.ok_ = false;
    return r;
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Big-endian writer appending to a byte vector. Length fields written before
// their contents are known are reserved with Reserve16() and patched later.
class WireWriter {
 public:
  explicit WireWriter(std::vector<uint8_t>& out) : out_(out) {}

  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v));
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void U64(uint64_t v) {
    U32(static_cast<uint32_t>(v >> 32));
    U32(static_cast<uint32_t>(v));
  }
  void Bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void String(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void Zeros(size_t n) { out_.insert(out_.end(), n, 0); }
  size_t size() const { return out_.size(); }
  // Reserves a 16-bit field; returns its offset for Patch16.
  size_t Reserve16() {
    size_t at = out_.size();
    U16(0);
    return at;
  }
  size_t Reserve8() {
    size_t at = out_.size();
    U8(0);
    return at;
  }
  void Patch16(size_t at, uint16_t v) {
    out_[at] = static_cast<uint8_t>(v >> 8);
    out_[at + 1] = static_cast<uint8_t>(v);
  }
  void Patch8(size_t at, uint8_t v) { out_[at] = v; }

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace mlppp
