#include "os/packet_socket.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/log.h"
#include "core/wire.h"
#include "os/fd.h"

namespace mlppp::os {
namespace {

constexpr size_t kEtherHeader = 14;
// Frames read per recvmmsg call.
constexpr unsigned kBatch = 32;
// Batches per readiness event before yielding to the loop, so one busy
// interface cannot starve the others; the descriptor is still readable,
// so the next wait completes at once.
constexpr int kMaxBatchesPerWake = 8;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

class PacketSocket : public EtherSocket {
 public:
  PacketSocket(asio::io_context& io, std::string ifname, uint16_t ethertype, MacAddr mac,
               size_t frame_size)
      : sd_(io),
        ifname_(std::move(ifname)),
        ethertype_(ethertype),
        mac_(mac),
        frame_size_(frame_size),
        bufs_(kBatch * frame_size) {}

  ~PacketSocket() override {
    alive_.reset();
    std::error_code ec;
    sd_.close(ec);
  }

  Status Assign(Fd fd) {
    std::error_code ec;
    sd_.assign(fd.get(), ec);
    if (ec) return Status::Error("packet socket: assign: " + ec.message());
    (void)fd.release();  // now owned by sd_
    return Status::Ok();
  }

  const MacAddr& local_mac() const override { return mac_; }

  void SetReceiver(Receiver rx) override {
    rx_ = std::move(rx);
    if (rx_ && !waiting_) Arm();
  }

  void Send(const MacAddr& dst, Packet&& payload) override {
    // Ethernet II header in the headroom: dst, src, ethertype.
    std::span<uint8_t, kEtherHeader> h(payload.Prepend(kEtherHeader), kEtherHeader);
    std::copy(dst.begin(), dst.end(), h.begin());
    std::copy(mac_.begin(), mac_.end(), h.begin() + 6);
    h[12] = static_cast<uint8_t>(ethertype_ >> 8);
    h[13] = static_cast<uint8_t>(ethertype_);
    ssize_t n = ::send(sd_.native_handle(), payload.data(), payload.size(), MSG_DONTWAIT);
    if (n < 0) {
      // Ethernet is best effort: a full queue or an oversized frame drops
      // this frame; PPP retransmits what matters.
      MLOG_PEER_ERROR(tx_errors_, kPhys, "packet socket {}: send: {}", ifname_,
                      std::strerror(errno));
    }
  }

 private:
  void Arm() {
    waiting_ = true;
    sd_.async_wait(asio::posix::descriptor_base::wait_read,
                   [this, alive = std::weak_ptr<char>(alive_)](const std::error_code& ec) {
                     if (alive.expired()) return;
                     waiting_ = false;
                     if (ec) {
                       if (ec != asio::error::operation_aborted) {
                         MLOG_ERROR(kPhys, "packet socket {}: wait: {}", ifname_, ec.message());
                       }
                       return;
                     }
                     Drain();
                   });
  }

  void Drain() {
    std::weak_ptr<char> alive = alive_;
    std::array<mmsghdr, kBatch> msgs;
    std::array<iovec, kBatch> iov;
    std::array<sockaddr_ll, kBatch> from;
    for (int batch = 0; batch < kMaxBatchesPerWake; ++batch) {
      for (unsigned i = 0; i < kBatch; ++i) {
        iov[i] = {bufs_.data() + i * frame_size_, frame_size_};
        std::memset(&msgs[i], 0, sizeof(msgs[i]));
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
      }
      int n = ::recvmmsg(sd_.native_handle(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          MLOG_ERROR(kPhys, "packet socket {}: recvmmsg: {}", ifname_, std::strerror(errno));
        }
        break;
      }
      for (int i = 0; i < n; ++i) {
        Deliver(msgs[i], from[i],
                std::span<const uint8_t>(bufs_.data() + i * frame_size_,
                                         std::min<size_t>(msgs[i].msg_len, frame_size_)));
        if (alive.expired()) return;  // the receiver destroyed us
      }
      if (static_cast<unsigned>(n) < kBatch) break;
    }
    if (rx_ && !waiting_) Arm();
  }

  void Deliver(const mmsghdr& m, const sockaddr_ll& from, std::span<const uint8_t> frame) {
    if (from.sll_pkttype == PACKET_OUTGOING || from.sll_pkttype == PACKET_OTHERHOST) return;
    if ((m.msg_hdr.msg_flags & MSG_TRUNC) != 0) return;  // larger than the MTU we sized for
    WireReader r(frame);
    MacAddr dst, src;
    auto d = r.Bytes(6);
    auto s = r.Bytes(6);
    r.U16();  // ethertype: the socket is bound to ours
    if (!r.ok()) return;
    std::copy(d.begin(), d.end(), dst.begin());
    std::copy(s.begin(), s.end(), src.begin());
    if (rx_) rx_(src, dst, Packet::Copy(r.Rest()));
  }

  asio::posix::stream_descriptor sd_;
  std::string ifname_;
  uint16_t ethertype_;
  MacAddr mac_;
  size_t frame_size_;
  std::vector<uint8_t> bufs_;  // kBatch receive buffers, reused
  Receiver rx_;
  bool waiting_ = false;
  log::RateLimit tx_errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<EtherSocket>> OpenPacketSocket(asio::io_context& io,
                                                      const std::string& ifname,
                                                      uint16_t ethertype) {
  using R = Result<std::unique_ptr<EtherSocket>>;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) return R::Error("bad interface name: " + ifname);
  unsigned ifindex = ::if_nametoindex(ifname.c_str());
  if (ifindex == 0) return R::Error(Errno("if_nametoindex " + ifname));

  // Protocol 0 at creation: the socket receives nothing until bind() names
  // the interface and ethertype, so no frame from another interface slips
  // in between.
  Fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return R::Error(Errno("socket(AF_PACKET)"));

  sockaddr_ll sll;
  std::memset(&sll, 0, sizeof(sll));
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ethertype);
  sll.sll_ifindex = static_cast<int>(ifindex);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) < 0) {
    return R::Error(Errno("bind AF_PACKET " + ifname));
  }
#ifdef PACKET_IGNORE_OUTGOING
  int one = 1;
  (void)::setsockopt(fd.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
#endif
  int rcvbuf = 4 << 20;
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

  ifreq ifr;
  std::memset(&ifr, 0, sizeof(ifr));
  std::memcpy(ifr.ifr_name, ifname.data(), ifname.size());
  if (::ioctl(fd.get(), SIOCGIFHWADDR, &ifr) < 0) {
    return R::Error(Errno("SIOCGIFHWADDR " + ifname));
  }
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    return R::Error("not an Ethernet interface: " + ifname);
  }
  MacAddr mac;
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  int mtu = 1500;
  if (::ioctl(fd.get(), SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0) mtu = ifr.ifr_mtu;
  // Room for the MTU, the Ethernet header and a VLAN tag left in place.
  size_t frame_size = static_cast<size_t>(std::max(mtu, 1500)) + kEtherHeader + 4;

  auto sock = std::make_unique<PacketSocket>(io, ifname, ethertype, mac, frame_size);
  if (Status st = sock->Assign(std::move(fd)); !st.ok()) return st;
  return std::unique_ptr<EtherSocket>(std::move(sock));
}

}  // namespace mlppp::os
