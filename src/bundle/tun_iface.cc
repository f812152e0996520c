#include "bundle/tun_iface.h"

#include <net/if.h>
#include <unistd.h>

#include <asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <span>

#include "core/wire.h"
#include "os/fd.h"
#include "os/ipv6_sysctl.h"
#include "os/tun.h"

namespace mlppp::bundle {
namespace {

// Largest IP packet a TUN read can return (IPv4/IPv6 total length is 16 bits).
constexpr size_t kMaxPacket = 65535;

}  // namespace

// The open step's result. Built on a pool thread, read on the loop.
struct TunIface::OpenOutcome {
  os::TunOpenResult open;
  std::string ipv6_note;  // why IPv6 could not be turned off (debug only)
};

TunIface::TunIface(event::AsioLoop& loop, os::WorkerPool& pool, std::shared_ptr<os::NetlinkPool> nl,
                   std::shared_ptr<os::TunNames> names, std::string requested,
                   std::shared_ptr<std::vector<uint8_t>> scratch)
    : loop_(loop),
      pool_(pool),
      nl_(std::move(nl)),
      names_(std::move(names)),
      requested_(std::move(requested)),
      name_(requested_),
      sd_(loop.context()),
      scratch_(scratch ? std::move(scratch) : std::make_shared<std::vector<uint8_t>>(kMaxPacket)) {
  if (requested_.empty() && !PickName()) {
    use_pattern_ = true;
    name_ = os::kDefaultTunPattern;
  }
  Enqueue([this] { StartOpen(); });
}

TunIface::~TunIface() {
  // Queued completions and pool jobs see alive_ == false and leave us be.
  *alive_ = false;
  if (sd_.is_open()) {
    std::error_code ignored;
    sd_.cancel(ignored);
    // Closing a TUN unregisters the device, which waits for an RCU grace
    // period (~20 ms measured; closes on parallel threads share one), so
    // the close runs on the pool, not on the loop. The Fd inside the job
    // closes the descriptor even if the pool drops the job at shutdown.
    os::Fd fd(sd_.release());
    pool_.Run([fd = std::move(fd)]() mutable { fd.Reset(); }, [] {});
  }
  MLOG_INFO(kIface, "iface {}: removing", name_);
}

bool TunIface::PickName() {
  if (open_tries_ >= os::kMaxTakenTunNames) return false;
  std::optional<unsigned> index = names_->Acquire();
  if (!index) return false;
  ++open_tries_;
  lease_ = os::TunNameLease(names_, *index);
  name_ = names_->Name(*index);
  return true;
}

void TunIface::Enqueue(std::function<void()> start) {
  queue_.push_back(std::move(start));
  if (!busy_) StartNext();
}

void TunIface::StartNext() {
  if (queue_.empty()) {
    busy_ = false;
    return;
  }
  busy_ = true;
  std::function<void()> start = std::move(queue_.front());
  queue_.pop_front();
  start();
}

void TunIface::StartOpen() {
  // Our own pppN names are opened exclusively, so a device someone else
  // holds is reported (and skipped) rather than shared; a configured name
  // attaches to a persistent TUN of that name, as before.
  const bool exclusive = requested_.empty() && !use_pattern_;
  pool_.Run(
      [want = name_, exclusive, own = requested_.empty(), alive = alive_]() -> OpenOutcome {
        if (!*alive) return {{Result<os::TunDevice>::Error("iface destroyed"), 0}, {}};
        OpenOutcome out{
            exclusive ? os::OpenTunExclusive(want) : os::TunOpenResult{os::OpenTun(want), 0}, {}};
        if (!out.open.dev.ok()) return out;
        // IPv6 stays off until ConfigureV6 (IPV6CP up) on the devices we
        // name. The device is still down, so this is one short sysctl
        // write. A configured name may be an administrator's persistent
        // TUN, which outlives us: its setting is left alone.
        if (own) {
          if (Status s = os::SetIpv6Disabled(out.open.dev->name, true); !s.ok())
            out.ipv6_note = s.message();
        }
        // Destroyed meanwhile: close the device here, off the loop.
        if (!*alive) out.open.dev = Result<os::TunDevice>::Error("iface destroyed");
        return out;
      },
      [this, alive = alive_](OpenOutcome out) {
        // (Destroyed after the job's last check: the fd closes here.)
        if (*alive) OnOpened(std::move(out));
      });
}

void TunIface::OnOpened(OpenOutcome&& out) {
  if (out.open.dev.ok()) {
    os::TunDevice& dev = *out.open.dev;
    name_ = dev.name;
    std::error_code ec;
    sd_.assign(dev.fd.get(), ec);
    if (!ec) {
      dev.fd.release();
      ifindex_ = dev.ifindex;
      taken_.clear();
      MLOG_INFO(kIface, "iface {}: created (ifindex {})", name_, ifindex_);
      if (!out.ipv6_note.empty()) MLOG_DEBUG(kIface, "iface {}: {}", name_, out.ipv6_note);
      ArmRead();
      StartNext();
      return;
    }
    // Rare (epoll registration failed); the fd closes with `out`.
    out.open.dev = Status::Error("iface " + name_ + ": " + ec.message());
  } else if (out.open.name_taken() && requested_.empty() && !use_pattern_) {
    // Another device holds this pppN: keep it leased (so it is not picked
    // again) and try the next; after kMaxTakenTunNames, the kernel chooses.
    MLOG_DEBUG(kIface, "iface {}: name taken, trying the next", name_);
    taken_.push_back(std::move(lease_));
    if (!PickName()) {
      use_pattern_ = true;
      name_ = os::kDefaultTunPattern;
    }
    StartOpen();
    return;
  }
  open_error_ = out.open.dev.status();
  taken_.clear();
  lease_.Reset();
  MLOG_ERROR(kIface, "iface {}: cannot create: {}", name_, open_error_.message());
  StartNext();  // the queued steps now fail with open_error_
}

void TunIface::QueueNetlink(std::string what, NetlinkWork work, std::function<void(Status)> done) {
  Enqueue([this, what = std::move(what), work = std::move(work), done = std::move(done)] {
    if (!open_error_.ok()) {
      // Asynchronous as always: done never runs inside the request.
      loop_.Post([this, alive = alive_, s = open_error_, done] {
        if (!*alive) return;
        StartNext();
        done(s);
      });
      return;
    }
    pool_.Run(
        [nl = nl_, alive = alive_, work, ifindex = ifindex_, name = name_]() -> Status {
          // The device is gone once the iface is destroyed; skip the work.
          if (!*alive) return Status::Error("iface destroyed");
          auto sock = nl->Take();
          if (!sock.ok()) return sock.status();
          Status s = work(**sock, ifindex, name);
          nl->Give(std::move(*sock));
          return s;
        },
        [this, alive = alive_, what, done](Status s) {
          if (!*alive) return;
          if (!s.ok()) MLOG_WARN(kIface, "iface {}: {} failed: {}", name_, what, s.message());
          // Start the next step first: done may destroy us (the bundle
          // defers that, but nothing here relies on it).
          StartNext();
          done(std::move(s));
        });
  });
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
  if (!sd_.is_open()) {  // the open step has not finished (or failed)
    ++counters_.tx_drops;
    return;
  }
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

void TunIface::ConfigureV4(const Ipv4Params& p, std::function<void(Status)> done) {
  QueueNetlink(
      "IPv4 configuration",
      [p, up = admin_up_](os::Netlink& nl, int ifindex, const std::string&) -> Status {
        // No IPv6 address generation to stop here: on the devices we name
        // the open turned IPv6 off, and only ConfigureV6 turns it on (after
        // choosing none); an administrator's device keeps its own settings.
        if (!up) {
          // `close iface` in force: the address only. The kernel refuses
          // routes on a down link (ENETDOWN); the bundle applies all of
          // this again after `open iface`.
          return nl.AddIpv4PeerAddress(ifindex, p.local, p.peer);
        }
        if (Status s = nl.SetLinkUp(ifindex, p.mtu); !s.ok()) return s;
        if (Status s = nl.AddIpv4PeerAddress(ifindex, p.local, p.peer); !s.ok()) return s;
        for (const Ipv4Route& r : p.routes) {
          if (Status s = nl.AddIpv4Route(ifindex, r.dest, r.width); !s.ok()) return s;
        }
        return Status::Ok();
      },
      std::move(done));
}

void TunIface::ConfigureV6(const Ipv6Params& p, std::function<void(Status)> done) {
  QueueNetlink(
      "IPv6 configuration",
      [id = p.local_id, up = admin_up_, own = requested_.empty()](
          os::Netlink& nl, int ifindex, const std::string& name) -> Status {
        // On the devices we name: the open left IPv6 off; addresses come
        // only from IPV6CP's ids (RFC 5072 s. 5). An administrator's device
        // (a configured name, maybe a persistent TUN that outlives us) keeps
        // its disable_ipv6 and addr_gen_mode, as StartOpen and UnconfigureV6
        // leave them: the kernel may add a link-local of its own there, and
        // with IPv6 disabled on it the address below is refused.
        if (own) {
          if (Status s = nl.DisableIpv6AddrGen(ifindex); !s.ok()) return s;
          if (Status s = os::SetIpv6Disabled(name, false); !s.ok()) return s;
        }
        if (up) {
          if (Status s = nl.SetLinkUp(ifindex, 0); !s.ok()) return s;
        }
        Status s = nl.AddIpv6LinkLocal(ifindex, id);
        if (!s.ok() && !own)
          return Status::Error(s.message() +
                               " (an administrator's device: its IPv6 settings are left as they "
                               "are; see net.ipv6.conf." +
                               name + ".disable_ipv6)");
        return s;
      },
      std::move(done));
}

void TunIface::SetAdminUp(bool up, std::function<void(Status)> done) {
  admin_up_ = up;
  QueueNetlink(
      up ? "link up" : "link down",
      [up](os::Netlink& nl, int ifindex, const std::string&) {
        return nl.SetLinkAdmin(ifindex, up);
      },
      std::move(done));
}

void TunIface::UnconfigureV4(const Ipv4Params& p, std::function<void(Status)> done) {
  // mpd5 IfaceIpIfaceDown: routes first, then the address. Every delete is
  // tried; the first failure is reported.
  QueueNetlink(
      "IPv4 removal",
      [p](os::Netlink& nl, int ifindex, const std::string&) {
        Status first;
        for (const Ipv4Route& r : p.routes) {
          Status s = nl.DeleteIpv4Route(ifindex, r.dest, r.width);
          if (!s.ok() && first.ok()) first = std::move(s);
        }
        Status s = nl.DeleteIpv4PeerAddress(ifindex, p.local, p.peer);
        if (!s.ok() && first.ok()) first = std::move(s);
        return first;
      },
      std::move(done));
}

void TunIface::UnconfigureV6(const Ipv6Params& p, std::function<void(Status)> done) {
  // mpd5 IfaceIpv6IfaceDown: the fe80::<id>/64 ConfigureV6 added. Then
  // IPv6 goes off again, as the open left it: no address or route of the
  // kernel's own appears while IPV6CP is down, and a later ConfigureV6
  // starts from the same state as the first.
  QueueNetlink(
      "IPv6 removal",
      [id = p.local_id, own = requested_.empty()](os::Netlink& nl, int ifindex,
                                                  const std::string& name) {
        Status s = nl.DeleteIpv6LinkLocal(ifindex, id);
        if (!own) return s;  // an administrator's device: see StartOpen
        Status off = os::SetIpv6Disabled(name, true);
        return s.ok() ? off : s;
      },
      std::move(done));
}

TunIfaceFactory::TunIfaceFactory(event::AsioLoop& loop, os::WorkerPool& pool)
    : loop_(loop), pool_(pool), scratch_(std::make_shared<std::vector<uint8_t>>(kMaxPacket)) {}

Result<std::unique_ptr<Iface>> TunIfaceFactory::Create(const std::string& name) {
  if (name.size() >= IFNAMSIZ)
    return Result<std::unique_ptr<Iface>>::Error("tun: name too long: " + name);
  return std::unique_ptr<Iface>(
      std::make_unique<TunIface>(loop_, pool_, nl_, names_, name, scratch_));
}

}  // namespace mlppp::bundle
