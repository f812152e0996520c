// The batched data path of all bundles on one event loop: packets whose
// MPPE keystream pass was deferred (ppp/ccp/codec.h CryptJob) wait here
// with the rest of their way, sending to the link or delivering to the
// interface. Flush runs every queued pass at once (CryptQueue: the RC4
// streams of different sessions overlap on one core, rc4.h
// Rc4ProcessMulti) and then hands each packet back to its bundle, in the
// order they came. It runs once per event-loop turn (posted by the first
// packet of a batch), or at once when kMaxEntries are waiting: a burst
// read from many sessions' sockets and TUN devices in one turn is
// enciphered in one pass.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/packet.h"
#include "event/loop.h"
#include "ppp/ccp/crypt_queue.h"

namespace mlppp::bundle {

class Bundle;

class DataBatch {
 public:
  // Enough to cover one PPPoE receive batch and a TUN read burst; bounds
  // the extra latency and memory of one turn.
  static constexpr size_t kMaxEntries = 64;

  explicit DataBatch(event::Loop& loop, size_t max_entries = kMaxEntries);
  ~DataBatch();
  DataBatch(const DataBatch&) = delete;
  DataBatch& operator=(const DataBatch&) = delete;

  // The runner a codec gets with EncodeDeferred/DecodeDeferred.
  ppp::ccp::CryptRunner& runner() { return queue_; }

  // A packet to send on `owner`'s link with `protocol` once `job` ran.
  void AddTx(Bundle& owner, ppp::ccp::CryptJob job, uint16_t protocol, Packet&& pkt);
  // A received packet to finish (ccp::FinishDeferred) and deliver once
  // `job` ran; `decrypted`: it came through ECP first.
  void AddRx(Bundle& owner, ppp::ccp::CryptJob job, bool decrypted, Packet&& pkt);

  // Runs the passes and hands every waiting packet to its bundle.
  void Flush();
  // `owner` is going away: its waiting packets are dropped.
  void Cancel(const Bundle& owner);
  // `owner` has packets waiting (a bundle that must send without deferring
  // flushes first, or its packets would overtake these).
  bool Holds(const Bundle& owner) const;
  size_t waiting() const { return entries_.size(); }

 private:
  struct Entry {
    Bundle* owner = nullptr;  // null once cancelled
    bool rx = false;
    bool decrypted = false;  // rx
    uint16_t protocol = 0;   // tx
    uint64_t ticket = 0;     // its job in queue_
    Packet pkt;
  };
  void Add(Entry e, ppp::ccp::CryptJob job);

  event::Loop& loop_;
  size_t max_entries_;
  ppp::ccp::CryptQueue queue_;
  std::vector<Entry> entries_;
  // The entries the running Flush calls (nested ones too) are handing out:
  // Cancel reaches them there.
  std::vector<std::vector<Entry>*> in_flight_;
  bool posted_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace mlppp::bundle
