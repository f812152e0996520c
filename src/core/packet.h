// core/: value types shared by every layer — packets, wire readers and
// writers, results and logging. Nothing here makes a syscall.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace mlppp {

// An owned, movable packet buffer with headroom, so each layer on the way
// down can prepend its header (PPP protocol, PPPoE, Ethernet) without a copy,
// and each layer on the way up can strip its header by moving the start.
class Packet {
 public:
  static constexpr size_t kDefaultHeadroom = 64;

  Packet() = default;
  explicit Packet(size_t size, size_t headroom = kDefaultHeadroom)
      : buf_(headroom + size), head_(headroom), len_(size) {}
  static Packet Copy(std::span<const uint8_t> bytes, size_t headroom = kDefaultHeadroom) {
    // The bound is far above any frame; it also keeps g++ 12 at -O2 from
    // inventing a wrapped-around size for the memcpy (-Wstringop-overflow).
    if (bytes.size() > kMaxCopy || headroom > kMaxCopy) return Packet();
    Packet p(bytes.size(), headroom);
    if (!bytes.empty()) std::memcpy(p.data(), bytes.data(), bytes.size());
    return p;
  }
  static constexpr size_t kMaxCopy = size_t{1} << 30;

  Packet(Packet&&) noexcept = default;
  Packet& operator=(Packet&&) noexcept = default;
  Packet(const Packet&) = delete;
  Packet& operator=(const Packet&) = delete;
  Packet Clone() const { return Copy(span(), head_); }

  uint8_t* data() { return buf_.data() + head_; }
  const uint8_t* data() const { return buf_.data() + head_; }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  size_t headroom() const { return head_; }
  std::span<uint8_t> span() { return {data(), len_}; }
  std::span<const uint8_t> span() const { return {data(), len_}; }

  // Makes room for an n-byte header in front and returns a pointer to it.
  // Grows (one copy) only when the headroom is too small.
  uint8_t* Prepend(size_t n) {
    if (n > head_) {
      size_t extra = n - head_ + kDefaultHeadroom;
      buf_.insert(buf_.begin(), extra, 0);
      head_ += extra;
    }
    head_ -= n;
    len_ += n;
    return data();
  }
  // Drops n bytes from the front. REQUIRES: n <= size().
  void Pull(size_t n) {
    head_ += n;
    len_ -= n;
  }
  // Appends n bytes at the end and returns a pointer to them.
  uint8_t* Append(size_t n) {
    if (head_ + len_ + n > buf_.size()) buf_.resize(head_ + len_ + n);
    uint8_t* p = data() + len_;
    len_ += n;
    return p;
  }
  void Append(std::span<const uint8_t> bytes) {
    if (!bytes.empty()) std::memcpy(Append(bytes.size()), bytes.data(), bytes.size());
  }
  // Sets the length. REQUIRES: n <= capacity after headroom.
  void Resize(size_t n) {
    if (head_ + n > buf_.size()) buf_.resize(head_ + n);
    len_ = n;
  }
  // Room available after the data, for receiving into.
  size_t tailroom() const { return buf_.size() - head_ - len_; }

 private:
  std::vector<uint8_t> buf_;
  size_t head_ = 0;
  size_t len_ = 0;
};

}  // namespace mlppp
