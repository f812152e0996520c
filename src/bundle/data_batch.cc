#include "bundle/data_batch.h"

#include <algorithm>
#include <utility>

#include "bundle/bundle.h"

namespace mlppp::bundle {

DataBatch::DataBatch(event::Loop& loop, size_t max_entries)
    : loop_(loop), max_entries_(std::max<size_t>(max_entries, 1)) {
  entries_.reserve(max_entries_);
}

DataBatch::~DataBatch() {
  // Nothing waiting is sent any more, and the posted flush finds nothing.
  *alive_ = false;
}

void DataBatch::AddTx(Bundle& owner, ppp::ccp::CryptJob job, uint16_t protocol, Packet&& pkt) {
  Add(Entry{&owner, false, false, protocol, 0, std::move(pkt)}, std::move(job));
}

void DataBatch::AddRx(Bundle& owner, ppp::ccp::CryptJob job, bool decrypted, Packet&& pkt) {
  Add(Entry{&owner, true, decrypted, 0, 0, std::move(pkt)}, std::move(job));
}

void DataBatch::Add(Entry e, ppp::ccp::CryptJob job) {
  // The job points into the packet's buffer, which moving the Packet keeps
  // in place.
  e.ticket = queue_.Add(std::move(job));
  entries_.push_back(std::move(e));
  if (entries_.size() >= max_entries_) {
    Flush();
    return;
  }
  if (!posted_) {
    posted_ = true;
    std::weak_ptr<bool> alive = alive_;
    loop_.Post([this, alive] {
      auto a = alive.lock();
      if (!a || !*a) return;
      posted_ = false;
      Flush();
    });
  }
}

void DataBatch::Flush() {
  queue_.RunQueued();
  if (entries_.empty()) return;
  // Handing a packet on may queue new ones (or flush again): they go to a
  // fresh batch.
  std::vector<Entry> batch;
  batch.swap(entries_);
  entries_.reserve(max_entries_);
  in_flight_.push_back(&batch);
  for (Entry& e : batch) {
    if (!e.owner) continue;
    if (queue_.Failed(e.ticket)) {
      // Its cipher failed (fail closed: the data is zeros): dropped.
      e.owner->DropBatched();
      continue;
    }
    if (e.rx) {
      e.owner->FinishBatchedRx(e.decrypted, std::move(e.pkt));
    } else {
      e.owner->FinishBatchedTx(e.protocol, std::move(e.pkt));
    }
  }
  in_flight_.pop_back();
  queue_.ForgetFailed(batch.back().ticket);
}

void DataBatch::Cancel(const Bundle& owner) {
  auto drop = [&](std::vector<Entry>& v) {
    for (Entry& e : v) {
      if (e.owner == &owner) e.owner = nullptr;
    }
  };
  drop(entries_);
  for (std::vector<Entry>* v : in_flight_) drop(*v);
}

bool DataBatch::Holds(const Bundle& owner) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return e.owner == &owner; });
}

}  // namespace mlppp::bundle
