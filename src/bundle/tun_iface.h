#pragma once

#include <asio/posix/stream_descriptor.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bundle/iface.h"
#include "core/log.h"
#include "event/asio_loop.h"
#include "os/netlink.h"
#include "os/tun.h"
#include "os/tun_names.h"
#include "os/worker_pool.h"

namespace mlppp::bundle {

// One TUN device per bundle, as mpd5 has one ngN/pppN interface per bundle.
// Reads are edge-driven on the loop: wait for readability, then drain up to
// kReadBatch packets with read(2). Netlink configuration runs on the
// WorkerPool. Destroying the TunIface hands the TUN fd to the WorkerPool to
// close, and the kernel then removes the device (with its addresses and
// routes) a few ms later: the name may still exist right after destruction.
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
    uint64_t tx_drops = 0;  // EAGAIN (queue full) or write error
  };

  // Takes ownership of dev.fd. nl is shared with the factory and with jobs
  // still running on the pool. scratch is the receive buffer, shared by all
  // TunIfaces on one loop (null: allocate one).
  TunIface(event::AsioLoop& loop, os::WorkerPool& pool, std::shared_ptr<os::NetlinkPool> nl,
           os::TunDevice dev, std::shared_ptr<std::vector<uint8_t>> scratch = nullptr);
  ~TunIface() override;

  const std::string& name() const override { return name_; }
  int ifindex() const { return ifindex_; }
  void SetReceiver(std::function<void(IpFamily, Packet&&)> rx) override;
  // done is not run if this TunIface is destroyed first.
  void ConfigureV4(const Ipv4Params& p, std::function<void(Status)> done) override;
  void ConfigureV6(const Ipv6Params& p, std::function<void(Status)> done) override;
  void Deliver(IpFamily fam, Packet&& pkt) override;

  const Counters& counters() const { return counters_; }

 private:
  void ArmRead();
  void OnReadable();
  // Runs job(netlink) on the pool, then done(status) on the loop if alive.
  void RunNetlink(std::function<Status(os::Netlink&)> job, std::function<void(Status)> done);

  event::AsioLoop& loop_;
  os::WorkerPool& pool_;
  std::shared_ptr<os::NetlinkPool> nl_;
  std::string name_;
  int ifindex_;
  asio::posix::stream_descriptor sd_;
  std::function<void(IpFamily, Packet&&)> rx_;
  // Receive buffer: a TUN read must offer room for the largest packet
  // (64 KiB); each packet is then copied into a right-sized Packet before
  // anyone else runs, so one buffer serves every TunIface on the loop.
  std::shared_ptr<std::vector<uint8_t>> scratch_;
  Counters counters_;
  log::RateLimit rx_limit_;
  log::RateLimit tx_limit_;
  // Cleared by the destructor. Shared with queued read completions and pool
  // jobs, which check it before touching this object; atomic because pool
  // threads read it.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
  // Gives a pppN name back to the factory's TunNames when we go.
  os::TunNameLease lease_;
};

// Creates a TunIface per call: a TUN named `name` (or the lowest free pppN,
// chosen by names_ rather than by the kernel's O(devices) pattern scan).
// Opening a TUN is a couple of syscalls, done on the loop; all netlink work
// goes to the pool.
class TunIfaceFactory : public IfaceFactory {
 public:
  TunIfaceFactory(event::AsioLoop& loop, os::WorkerPool& pool);
  Result<std::unique_ptr<Iface>> Create(const std::string& name) override;

 private:
  event::AsioLoop& loop_;
  os::WorkerPool& pool_;
  std::shared_ptr<os::NetlinkPool> nl_ = std::make_shared<os::NetlinkPool>();
  std::shared_ptr<std::vector<uint8_t>> scratch_;
  std::shared_ptr<os::TunNames> names_ = std::make_shared<os::TunNames>();
};

}  // namespace mlppp::bundle
