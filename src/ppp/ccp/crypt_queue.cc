#include "ppp/ccp/crypt_queue.h"

#include <algorithm>

#include "ppp/ccp/mppe.h"

namespace mlppp::ppp::ccp {

uint64_t CryptQueue::Add(CryptJob job) {
  if (!job) return 0;
  jobs_.push_back(std::move(job));
  tickets_.push_back(next_ticket_);
  return next_ticket_++;
}

bool CryptQueue::Failed(uint64_t ticket) const {
  return ticket != 0 && std::find(failed_.begin(), failed_.end(), ticket) != failed_.end();
}

void CryptQueue::ForgetFailed(uint64_t ticket) {
  std::erase_if(failed_, [ticket](uint64_t t) { return t <= ticket; });
}

void CryptQueue::RunPasses(std::span<CryptJob* const> jobs) {
  scratch_.clear();
  for (CryptJob* j : jobs) {
    // A null state makes Rc4ProcessMulti zero the data and skip the job.
    Rc4* rc4 = j->cipher->ok() ? &j->cipher->keystream() : nullptr;
    if (!rc4) failed_.push_back(tickets_[static_cast<size_t>(j - jobs_.data())]);
    scratch_.push_back(Rc4Job{rc4, j->data, j->data});
  }
  Rc4ProcessMulti(scratch_);
  scratch_.clear();
}

void CryptQueue::RunQueued() {
  if (jobs_.empty()) return;
  RunWaves();
  wave_.clear();
  jobs_.clear();
  tickets_.clear();
}

void CryptQueue::RunWaves() {
  // Each wave takes, for every cipher, its first job not yet run and the
  // jobs after it up to (not including) its next one with key changes, in
  // queue order: the key changes are made (all the wave's ciphers in
  // lockstep, one change per round), then the passes run together
  // (Rc4ProcessMulti keeps one cipher's in order). A cipher's later jobs
  // wait for a later wave, so its key changes and passes keep their order,
  // and a stateful cipher's jobs all go in the first wave (without key
  // changes in the queue, everything is one wave).
  done_.assign(jobs_.size(), 0);
  size_t left = jobs_.size();
  while (left > 0) {
    wave_.clear();
    seen_.clear();
    closed_.clear();
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (done_[i]) continue;
      MppeCipher* c = jobs_[i].cipher.get();
      if (std::find(closed_.begin(), closed_.end(), c) != closed_.end()) continue;
      bool seen = std::find(seen_.begin(), seen_.end(), c) != seen_.end();
      if (seen && jobs_[i].rekeys != 0) {
        closed_.push_back(c);  // its key change waits for the next wave
        continue;
      }
      if (!seen) seen_.push_back(c);
      wave_.push_back(&jobs_[i]);
      done_[i] = 1;
      --left;
    }
    for (;;) {
      rekey_.clear();
      for (CryptJob* j : wave_) {
        if (j->rekeys == 0) continue;
        --j->rekeys;
        rekey_.push_back(j->cipher.get());
      }
      if (rekey_.empty()) break;
      MppeCipher::RekeyMulti(rekey_);
    }
    RunPasses(wave_);
  }
}

}  // namespace mlppp::ppp::ccp
