#include "bundle/tun_iface.h"

#include <unistd.h>

#include <asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <span>

#include "core/wire.h"
#include "os/fd.h"
#include "os/ipv6_sysctl.h"

namespace mlppp::bundle {
namespace {

// Largest IP packet a TUN read can return (IPv4/IPv6 total length is 16 bits).
constexpr size_t kMaxPacket = 65535;

}  // namespace

TunIface::TunIface(event::AsioLoop& loop, os::WorkerPool& pool, std::shared_ptr<os::NetlinkPool> nl,
                   os::TunDevice dev, std::shared_ptr<std::vector<uint8_t>> scratch)
    : loop_(loop),
      pool_(pool),
      nl_(std::move(nl)),
      name_(std::move(dev.name)),
      ifindex_(dev.ifindex),
      sd_(loop.context(), dev.fd.release()),
      scratch_(scratch ? std::move(scratch) : std::make_shared<std::vector<uint8_t>>(kMaxPacket)),
      lease_(std::move(dev.lease)) {
  ArmRead();
}

TunIface::~TunIface() {
  // Queued completions see alive_ == false and return without touching us.
  *alive_ = false;
  std::error_code ignored;
  sd_.cancel(ignored);
  // Closing a TUN unregisters the device, which waits for an RCU grace
  // period (~20 ms measured; closes on parallel threads share one), so the
  // close runs on the pool, not on the loop. The Fd inside the job closes
  // the descriptor even if the pool drops the job at shutdown.
  os::Fd fd(sd_.release());
  pool_.Run([fd = std::move(fd)]() mutable { fd.Reset(); }, [] {});
  MLOG_INFO(kIface, "iface {}: removing", name_);
}

void TunIface::SetReceiver(std::function<void(IpFamily, Packet&&)> rx) { rx_ = std::move(rx); }

void TunIface::ArmRead() {
  sd_.async_wait(asio::posix::stream_descriptor::wait_read,
                 [this, alive = alive_](const std::error_code& ec) {
                   if (ec || !*alive) return;
                   OnReadable();
                 });
}

void TunIface::OnReadable() {
  const int fd = sd_.native_handle();
  for (int i = 0; i < kReadBatch; ++i) {
    ssize_t n = ::read(fd, scratch_->data(), scratch_->size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        MLOG_PEER_ERROR(rx_limit_, kIface, "iface {}: read: {}", name_, std::strerror(errno));
      }
      // Drained: asio's epoll registration is edge-triggered, so only now
      // is it safe to wait for the next readiness edge.
      ArmRead();
      return;
    }
    if (n == 0) continue;
    auto bytes = std::span<const uint8_t>(scratch_->data(), static_cast<size_t>(n));
    // The IP version nibble says which family this is (RFC 791 s. 3.1,
    // RFC 8200 s. 3); with IFF_NO_PI there is no other marker.
    WireReader r(bytes);
    const uint8_t version = r.PeekU8().value_or(0) >> 4;
    if ((version != 4 && version != 6) || !rx_) {
      ++counters_.rx_drops;
      continue;
    }
    ++counters_.rx_packets;
    counters_.rx_bytes += bytes.size();
    rx_(version == 4 ? IpFamily::kV4 : IpFamily::kV6, Packet::Copy(bytes));
  }
  // Batch used up with packets possibly left: yield to other handlers and
  // continue draining (no new edge would wake a fresh async_wait).
  asio::post(loop_.context(), [this, alive = alive_] {
    if (*alive) OnReadable();
  });
}

void TunIface::Deliver(IpFamily /*fam: the kernel reads it from the header*/, Packet&& pkt) {
  for (;;) {
    ssize_t n = ::write(sd_.native_handle(), pkt.data(), pkt.size());
    if (n >= 0) {
      ++counters_.tx_packets;
      counters_.tx_bytes += pkt.size();
      return;
    }
    if (errno == EINTR) continue;
    ++counters_.tx_drops;
    // EAGAIN: the TUN queue is full; EIO: the link is not up yet. Both are
    // normal transients, counted only.
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EIO) {
      MLOG_PEER_ERROR(tx_limit_, kIface, "iface {}: write: {}", name_, std::strerror(errno));
    }
    return;
  }
}

void TunIface::RunNetlink(std::function<Status(os::Netlink&)> job,
                          std::function<void(Status)> done) {
  pool_.Run(
      [nl = nl_, alive = alive_, job = std::move(job)]() -> Status {
        // The device is gone once the iface is destroyed; skip the work.
        if (!*alive) return Status::Error("iface destroyed");
        auto sock = nl->Take();
        if (!sock.ok()) return sock.status();
        Status s = job(**sock);
        nl->Give(std::move(*sock));
        return s;
      },
      [alive = alive_, done = std::move(done)](Status s) {
        if (*alive) done(std::move(s));
      });
}

void TunIface::ConfigureV4(const Ipv4Params& p, std::function<void(Status)> done) {
  const int ifindex = ifindex_;
  std::string name = name_;
  RunNetlink(
      [ifindex, p](os::Netlink& nl) -> Status {
        // No IPv6 address generation to stop here: Create() turned IPv6
        // off, and only ConfigureV6 turns it on (after choosing none).
        if (Status s = nl.SetLinkUp(ifindex, p.mtu); !s.ok()) return s;
        if (Status s = nl.AddIpv4PeerAddress(ifindex, p.local, p.peer); !s.ok()) return s;
        for (const Ipv4Route& r : p.routes) {
          if (Status s = nl.AddIpv4Route(ifindex, r.dest, r.width); !s.ok()) return s;
        }
        return Status::Ok();
      },
      [name, done = std::move(done)](Status s) {
        if (!s.ok())
          MLOG_WARN(kIface, "iface {}: IPv4 configuration failed: {}", name, s.message());
        done(std::move(s));
      });
}

void TunIface::ConfigureV6(const Ipv6Params& p, std::function<void(Status)> done) {
  const int ifindex = ifindex_;
  std::string name = name_;
  RunNetlink(
      [ifindex, name, id = p.local_id](os::Netlink& nl) -> Status {
        if (Status s = nl.DisableIpv6AddrGen(ifindex); !s.ok()) return s;
        // Create() left IPv6 off; addresses come only from IPV6CP's ids.
        if (Status s = os::SetIpv6Disabled(name, false); !s.ok()) return s;
        if (Status s = nl.SetLinkUp(ifindex, 0); !s.ok()) return s;
        return nl.AddIpv6LinkLocal(ifindex, id);
      },
      [name, done = std::move(done)](Status s) {
        if (!s.ok())
          MLOG_WARN(kIface, "iface {}: IPv6 configuration failed: {}", name, s.message());
        done(std::move(s));
      });
}

TunIfaceFactory::TunIfaceFactory(event::AsioLoop& loop, os::WorkerPool& pool)
    : loop_(loop), pool_(pool), scratch_(std::make_shared<std::vector<uint8_t>>(kMaxPacket)) {}

Result<std::unique_ptr<Iface>> TunIfaceFactory::Create(const std::string& name) {
  auto dev = name.empty() ? os::OpenTun(names_) : os::OpenTun(name);
  if (!dev.ok()) return dev.status();
  MLOG_INFO(kIface, "iface {}: created (ifindex {})", dev->name, dev->ifindex);
  // IPv6 stays off until ConfigureV6 (IPV6CP up). The device is still
  // down, so this is one short sysctl write, done before any pool job.
  if (Status s = os::SetIpv6Disabled(dev->name, true); !s.ok())
    MLOG_DEBUG(kIface, "iface {}: {}", dev->name, s.message());
  return std::unique_ptr<Iface>(
      std::make_unique<TunIface>(loop_, pool_, nl_, std::move(*dev), scratch_));
}

}  // namespace mlppp::bundle
