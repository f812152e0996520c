#include "ppp/ccp/crypt_queue.h"

#include <algorithm>

#include "ppp/ccp/mppe.h"

namespace mlppp::ppp::ccp {

void CryptQueue::Add(CryptJob job) {
  if (job) jobs_.push_back(std::move(job));
}

void CryptQueue::RunPasses(std::span<CryptJob* const> jobs) {
  scratch_.clear();
  for (CryptJob* j : jobs) {
    // A null state makes Rc4ProcessMulti zero the data and skip the job.
    Rc4* rc4 = j->cipher->ok() ? &j->cipher->keystream() : nullptr;
    scratch_.push_back(Rc4Job{rc4, j->data, j->data});
  }
  Rc4ProcessMulti(scratch_);
  scratch_.clear();
}

void CryptQueue::RunQueued() {
  if (jobs_.empty()) return;
  wave_.clear();
  bool any_rekeys = false;
  for (CryptJob& j : jobs_) {
    wave_.push_back(&j);
    any_rekeys |= j.rekeys != 0;
  }
  if (!any_rekeys) {
    // Rc4ProcessMulti keeps each cipher's passes in order by itself.
    RunPasses(wave_);
  } else {
    RunWaves();
  }
  wave_.clear();
  jobs_.clear();
}

void CryptQueue::RunWaves() {
  // Each wave takes the first job not yet run of every cipher, in queue
  // order: its key changes are made (all the wave's ciphers in lockstep,
  // one change per round), then its passes run together. A cipher's later
  // jobs wait for a later wave, so its key changes and passes keep their
  // order.
  done_.assign(jobs_.size(), 0);
  size_t left = jobs_.size();
  while (left > 0) {
    wave_.clear();
    seen_.clear();
    for (size_t i = 0; i < jobs_.size(); ++i) {
      if (done_[i]) continue;
      MppeCipher* c = jobs_[i].cipher.get();
      if (std::find(seen_.begin(), seen_.end(), c) != seen_.end()) continue;
      seen_.push_back(c);
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
