// The keystream passes of a batch of packets, many sessions' at once: codecs
// that defer (codec.h CryptJob) queue here, and RunQueued runs the passes
// with Rc4ProcessMulti, which overlaps the serial dependency chains of
// different RC4 streams on one core (rc4.h). Passes on one cipher run in
// the order they were queued, as the keystream requires (RFC 3078 §7).
// Passive: the owner decides when to run (bundle/data_batch.h runs once per
// event-loop turn).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "ppp/ccp/codec.h"
#include "ppp/ccp/rc4.h"

namespace mlppp::ppp::ccp {

class CryptQueue final : public CryptRunner {
 public:
  // Queues `job`'s pass and returns its ticket (never 0); an empty job is
  // ignored (ticket 0).
  uint64_t Add(CryptJob job);
  // Runs every queued job, its key changes first, and forgets them (the
  // ciphers they kept alive may go now). A pass whose cipher failed (a key
  // change could not be made) gets its data zeroed (fail closed: nothing
  // leaves in clear text).
  void RunQueued() override;
  size_t queued() const { return jobs_.size(); }
  // The job of `ticket` has run and its cipher had failed: its data is
  // zeros, and the packet must be dropped, not sent.
  bool Failed(uint64_t ticket) const;
  // Forgets the failures of tickets up to `ticket` (handed on already).
  void ForgetFailed(uint64_t ticket);

 private:
  // The passes of `jobs` through Rc4ProcessMulti (a cipher's in order).
  void RunPasses(std::span<CryptJob* const> jobs);
  // RunQueued's work: the jobs in waves, each after its key changes.
  void RunWaves();

  std::vector<CryptJob> jobs_;
  std::vector<uint64_t> tickets_;  // of jobs_, index for index
  uint64_t next_ticket_ = 1;
  std::vector<uint64_t> failed_;  // rare: a cipher whose key change failed
  // Reused between runs: no allocation per run once warm.
  std::vector<Rc4Job> scratch_;
  std::vector<CryptJob*> wave_;
  std::vector<MppeCipher*> seen_;    // ciphers in the wave being built
  std::vector<MppeCipher*> closed_;  // ...that have a job left for a later wave
  std::vector<MppeCipher*> rekey_;
  std::vector<uint8_t> done_;
};

}  // namespace mlppp::ppp::ccp
