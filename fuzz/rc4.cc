// Differential fuzzing of RC4 (src/ppp/ccp/rc4.h): arbitrary keys set up in
// lockstep (Rc4SetKeyMulti) and batches and lengths through
// Rc4ProcessMultiWith must give exactly what one SetKey and one Process()
// call per job give on other states, and leave the states in the same
// place. Input: <lanes octet><key count octet>, then per
// key <length octet><key octets>, then job records <state octet><length
// (2 octets)>; a job's plaintext is taken from the rest of the input.
#include "ppp/ccp/rc4.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mlppp;
  using namespace mlppp::ppp::ccp;
  WireReader r(std::span<const uint8_t>(data, size));
  size_t lanes = r.U8() % (kRc4MaxLanes + 1);  // 0 is clamped to 1
  size_t keys = r.U8() % 8 + 1;
  std::vector<Rc4> multi(keys);
  std::vector<Rc4> single(keys);
  // The `multi` states are keyed in lockstep (Rc4SetKeyMulti), the others
  // one by one: both must agree.
  std::vector<std::vector<uint8_t>> key_bytes;
  std::vector<Rc4KeyJob> key_jobs;
  bool all_keys_ok = true;
  for (size_t k = 0; k < keys; ++k) {
    auto key = r.Bytes(std::min<size_t>(r.U8(), r.remaining()));
    key_bytes.emplace_back(key.begin(), key.end());
    // Empty keys are refused: those states stay unkeyed and their jobs fail.
    all_keys_ok &= single[k].SetKey(key);
  }
  for (size_t k = 0; k < keys; ++k) key_jobs.push_back({&multi[k], key_bytes[k]});
  if (Rc4SetKeyMulti(key_jobs) != all_keys_ok) __builtin_trap();
  for (size_t k = 0; k < keys; ++k) {
    if (multi[k].keyed() != single[k].keyed()) __builtin_trap();
  }
  std::vector<std::vector<uint8_t>> in;
  std::vector<size_t> state;
  while (r.ok() && !r.AtEnd() && in.size() < 64) {
    size_t st = r.U8() % keys;
    size_t len = r.U16() % 2048;
    auto bytes = r.Bytes(std::min(len, r.remaining()));
    in.emplace_back(bytes.begin(), bytes.end());
    in.back().resize(len, 0xA5);
    state.push_back(st);
  }
  std::vector<std::vector<uint8_t>> out(in.size());
  std::vector<Rc4Job> jobs;
  for (size_t k = 0; k < in.size(); ++k) {
    out[k].assign(in[k].size(), 0);
    jobs.push_back({&multi[state[k]], in[k], out[k]});
  }
  bool all_ok = Rc4ProcessMultiWith(jobs, lanes);
  bool want_ok = true;
  for (size_t k = 0; k < in.size(); ++k) {
    std::vector<uint8_t> expect(in[k].size(), 0);
    want_ok &= single[state[k]].Process(in[k], expect);
    if (expect != out[k]) __builtin_trap();
  }
  if (all_ok != want_ok) __builtin_trap();
  for (size_t k = 0; k < keys; ++k) {
    uint8_t a[16] = {};
    uint8_t b[16] = {};
    multi[k].Process(a);
    single[k].Process(b);
    if (!std::equal(a, a + 16, b)) __builtin_trap();
  }
  return 0;
}
