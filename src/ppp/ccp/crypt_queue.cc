#include "ppp/ccp/crypt_queue.h"

#include "ppp/ccp/mppe.h"

namespace mlppp::ppp::ccp {

void CryptQueue::Add(CryptJob job) {
  if (job) jobs_.push_back(std::move(job));
}

void CryptQueue::RunQueued() {
  if (jobs_.empty()) return;
  scratch_.clear();
  for (CryptJob& j : jobs_) {
    // A null state makes Rc4ProcessMulti zero the data and skip the job.
    Rc4* rc4 = j.cipher->ok() ? &j.cipher->keystream() : nullptr;
    scratch_.push_back(Rc4Job{rc4, j.data, j.data});
  }
  Rc4ProcessMulti(scratch_);
  scratch_.clear();
  jobs_.clear();
}

}  // namespace mlppp::ppp::ccp
