// RC4 (the "alleged RC4" stream cipher as described in Schneier, Applied
// Cryptography 2nd ed. §17.1, with the test vectors of RFC 6229), written for
// MPPE (RFC 3078) throughput instead of going through OpenSSL's EVP layer.
//
// Two entry points:
//  - Rc4::Process: one keystream over one buffer (what one MPPE direction
//    does per packet).
//  - Rc4ProcessMulti: a batch of {state, buffer} jobs, advancing several
//    independent RC4 states in lockstep so the CPU overlaps their serial
//    dependency chains (RC4 cannot be parallelised within one stream). A
//    server with many sessions encrypts one receive/transmit batch this way.
//
// On x86-64 the inner loop is inline assembly (8 instructions per octet,
// see rc4.cc); elsewhere portable C++ of the same shape.
// Passive code: no I/O, no logging (the state is key material).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace mlppp::ppp::ccp {

// RC4 accepts keys of 1..256 octets (Schneier §17.1: the key is repeated to
// fill 256 octets, so octets past 256 would never be used).
inline constexpr size_t kRc4MinKeyLength = 1;
inline constexpr size_t kRc4MaxKeyLength = 256;

struct Rc4KeyJob;

// One RC4 keystream: the 256-entry permutation S and the indices i, j.
// Entries are held as uint32_t (1 KiB per state): a uint8_t box was measured
// at about half the speed on Zen3 (byte stores next to byte loads of the
// same word defeat store forwarding).
// The destructor and SetKey wipe the previous state. Not thread-safe; one
// state per cipher direction.
class Rc4 {
 public:
  // Unkeyed: Process fails (and zeroes its output) until SetKey succeeds.
  Rc4() = default;
  ~Rc4();
  Rc4(const Rc4&) = default;
  Rc4& operator=(const Rc4&) = default;

  // The key-scheduling algorithm (KSA). Returns false and leaves the state
  // unkeyed when the key is not 1..256 octets.
  bool SetKey(std::span<const uint8_t> key);
  // Forgets the key (state wiped, unkeyed).
  void Clear();
  bool keyed() const { return keyed_; }

  // XORs the next in.size() keystream octets onto `in` into `out`.
  // REQUIRES: `in` and `out` are the same buffer or do not overlap.
  // Returns false, zeroes `out` and leaves the state unchanged when the
  // state is unkeyed or the sizes differ (fail closed: nothing leaves in
  // clear text).
  bool Process(std::span<const uint8_t> in, std::span<uint8_t> out);
  // In place.
  bool Process(std::span<uint8_t> data) { return Process(data, data); }

 private:
  friend struct Rc4Access;
  friend bool Rc4SetKeyMulti(std::span<const Rc4KeyJob> jobs);

  alignas(64) std::array<uint32_t, 256> s_{};
  uint32_t i_ = 0;
  uint32_t j_ = 0;
  bool keyed_ = false;
};

// One job of a batch: encrypt/decrypt `in` into `out` with `rc4`.
struct Rc4Job {
  Rc4* rc4 = nullptr;
  std::span<const uint8_t> in;
  std::span<uint8_t> out;
};

// Number of streams the multi-stream kernel runs in lockstep by default,
// and the most it can. Two measured best on Zen3 (bench/rc4_bench.cc): the
// steps of two streams already fill the load/store ports; 4 and 8 are no
// faster and cost more registers.
inline constexpr size_t kRc4Lanes = 2;
inline constexpr size_t kRc4MaxLanes = 8;

// Runs every job, with the same result as calling jobs[k].rc4->Process(
// jobs[k].in, jobs[k].out) for k = 0, 1, ... in order: jobs that share a
// state are run one after another in their batch order, jobs of different
// states are interleaved, up to kRc4Lanes at a time. Lengths may differ.
// An invalid job (null or unkeyed state, in/out sizes differ) gets its
// output zeroed and is skipped; the others still run. Returns true when
// every job was valid.
// REQUIRES: each job's in and out are the same buffer or do not overlap;
// no job's out overlaps another job's in or out.
bool Rc4ProcessMulti(std::span<const Rc4Job> jobs);
// The same with at most `max_lanes` (clamped to 1..kRc4MaxLanes) streams in
// lockstep; for benchmarks and tests of the lane counts.
bool Rc4ProcessMultiWith(std::span<const Rc4Job> jobs, size_t max_lanes);

// One key set-up of a batch: `rc4`->SetKey(`key`).
struct Rc4KeyJob {
  Rc4* rc4 = nullptr;
  std::span<const uint8_t> key;
};
// Runs every job's key-scheduling algorithm, two states in lockstep: the
// KSA is a serial chain of 256 swaps through memory whose every step waits
// on the last (about 7 cycles a step on Zen3), and two independent chains
// interleaved take little longer than one. Same result as calling SetKey
// on each in order. A null state is skipped. Returns true when every key
// was valid (1..256 octets; an invalid one leaves its state unkeyed).
// REQUIRES: the states are distinct.
bool Rc4SetKeyMulti(std::span<const Rc4KeyJob> jobs);

}  // namespace mlppp::ppp::ccp
