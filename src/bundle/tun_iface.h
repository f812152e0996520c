#pragma once

#include <asio/posix/stream_descriptor.hpp>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bundle/iface.h"
#include "core/log.h"
#include "event/asio_loop.h"
#include "os/netlink.h"
#include "os/tun_names.h"
#include "os/worker_pool.h"

namespace mlppp::bundle {

// One TUN device per bundle, as mpd5 has one ngN/pppN interface per bundle.
// Reads are edge-driven on the loop: wait for readability, then drain up to
// kReadBatch packets with read(2).
//
// Every blocking step of one interface runs on the WorkerPool, one after
// another in request order (the next starts when the previous one's
// completion is back on the loop), while different interfaces' steps run in
// parallel: first the open (TUNSETIFF, which registers the netdevice under
// the kernel's global RTNL lock and so must not run on the loop), then each
// ConfigureV4/V6, UnconfigureV4/V6 and SetAdminUp. If the open fails, every
// queued and later step completes with that error.
//
// Until the device exists: ifindex() is 0, Deliver() counts a tx drop, and
// reading starts only when it arrives. name() is the configured name from
// the start; for a pppN of our choosing it may move to the next free N if
// another device holds the first choice (before any configure completes).
//
// Destroying the TunIface hands the TUN fd to the WorkerPool to close, and
// the kernel then removes the device (with its addresses and routes) a few
// ms later: the name may still exist right after destruction. An open still
// in flight closes its fd itself; queued steps are skipped and their done
// callbacks never run.
// REQUIRES: the WorkerPool and loop outlive every TunIface.
class TunIface : public Iface {
 public:
  // Packets drained per readiness event before yielding to other fds.
  static constexpr int kReadBatch = 64;

  struct Counters {
    uint64_t rx_packets = 0;  // host → daemon (read from the TUN)
    uint64_t rx_bytes = 0;
    uint64_t rx_drops = 0;    // not IPv4/IPv6, or no receiver set
    uint64_t tx_packets = 0;  // daemon → host (written to the TUN)
    uint64_t tx_bytes = 0;
    uint64_t tx_drops = 0;  // no device yet, EAGAIN (queue full) or write error
  };

  // Starts opening a TUN named `requested` (exact name, or a kernel
  // pattern with "%d") or, when empty, the lowest pppN `names` hands out;
  // returns at once. nl is shared with the factory and with jobs still
  // running on the pool. scratch is the receive buffer, shared by all
  // TunIfaces on one loop (null: allocate one).
  TunIface(event::AsioLoop& loop, os::WorkerPool& pool, std::shared_ptr<os::NetlinkPool> nl,
           std::shared_ptr<os::TunNames> names, std::string requested,
           std::shared_ptr<std::vector<uint8_t>> scratch = nullptr);
  ~TunIface() override;

  const std::string& name() const override { return name_; }
  // 0 until the device exists.
  int ifindex() const { return ifindex_; }
  // The device exists (the open step succeeded).
  bool opened() const { return sd_.is_open(); }
  // Why the open failed; ok() while it has not (yet) failed.
  const Status& open_error() const { return open_error_; }
  // Stored at once; packets flow once the device exists.
  void SetReceiver(std::function<void(IpFamily, Packet&&)> rx) override;
  // done is not run if this TunIface is destroyed first.
  void ConfigureV4(const Ipv4Params& p, std::function<void(Status)> done) override;
  void ConfigureV6(const Ipv6Params& p, std::function<void(Status)> done) override;
  void SetAdminUp(bool up, std::function<void(Status)> done) override;
  void UnconfigureV4(const Ipv4Params& p, std::function<void(Status)> done) override;
  void UnconfigureV6(const Ipv6Params& p, std::function<void(Status)> done) override;
  void Deliver(IpFamily fam, Packet&& pkt) override;

  const Counters& counters() const { return counters_; }

 private:
  struct OpenOutcome;  // what the open step hands back to the loop
  // A netlink step: runs on a pool thread with the device's ifindex and
  // name as they are when the step starts (after the open has finished).
  using NetlinkWork = std::function<Status(os::Netlink&, int ifindex, const std::string& name)>;

  // The serial queue: start() launches one step on the pool, and that
  // step's completion calls StartNext() on the loop.
  void Enqueue(std::function<void()> start);
  void StartNext();
  void QueueNetlink(std::string what, NetlinkWork work, std::function<void(Status)> done);
  // The open step, tried again under the next pppN while names are taken.
  void StartOpen();
  void OnOpened(OpenOutcome&& out);
  // Leases the next pppN into lease_/name_; false when the tries or the
  // names are used up.
  bool PickName();

  void ArmRead();
  void OnReadable();

  event::AsioLoop& loop_;
  os::WorkerPool& pool_;
  std::shared_ptr<os::NetlinkPool> nl_;
  std::shared_ptr<os::TunNames> names_;
  // The configured name or pattern; "" = a pppN from names_.
  std::string requested_;
  std::string name_;
  int ifindex_ = 0;
  asio::posix::stream_descriptor sd_;  // not open until the device exists
  std::function<void(IpFamily, Packet&&)> rx_;
  // Receive buffer: a TUN read must offer room for the largest packet
  // (64 KiB); each packet is then copied into a right-sized Packet before
  // anyone else runs, so one buffer serves every TunIface on the loop.
  std::shared_ptr<std::vector<uint8_t>> scratch_;
  Counters counters_;
  log::RateLimit rx_limit_;
  log::RateLimit tx_limit_;

  std::deque<std::function<void()>> queue_;
  bool busy_ = false;  // a step is on the pool (or its completion queued)
  Status open_error_;
  // The state the last SetAdminUp asked for (mpd5 `close iface`): a
  // configure queued behind a "down" does not bring the link up again.
  bool admin_up_ = true;
  int open_tries_ = 0;        // pppN names tried so far
  bool use_pattern_ = false;  // gave up on our names: the kernel's ppp%d
  // Cleared by the destructor. Shared with queued read completions and pool
  // jobs, which check it before touching this object; atomic because pool
  // threads read it.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
  // Gives our pppN back to names_ when we go. Names another device held
  // stay leased in taken_ until the open settles, so the next try cannot
  // get them again.
  os::TunNameLease lease_;
  std::vector<os::TunNameLease> taken_;
};

// Creates a TunIface per call: a TUN named `name` (or the lowest free pppN,
// chosen by names_ rather than by the kernel's O(devices) pattern scan).
// Returns at once: opening the TUN and all netlink work run on the pool.
class TunIfaceFactory : public IfaceFactory {
 public:
  TunIfaceFactory(event::AsioLoop& loop, os::WorkerPool& pool);
  // Fails only on a name the kernel could never accept (too long); open
  // failures reach the iface's first configure.
  Result<std::unique_ptr<Iface>> Create(const std::string& name) override;
  const os::TunNames& names() const { return *names_; }

 private:
  event::AsioLoop& loop_;
  os::WorkerPool& pool_;
  std::shared_ptr<os::NetlinkPool> nl_ = std::make_shared<os::NetlinkPool>();
  std::shared_ptr<std::vector<uint8_t>> scratch_;
  std::shared_ptr<os::TunNames> names_ = std::make_shared<os::TunNames>();
};

}  // namespace mlppp::bundle
