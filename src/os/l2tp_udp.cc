#include "os/l2tp_udp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <asio/ip/udp.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/log.h"
#include "os/udp_bind.h"

namespace mlppp::os {
namespace {

// Datagrams read per recvmmsg call.
constexpr size_t kBatch = 32;
// Largest L2TP datagram we take: a 1500-byte path carries less, and jumbo
// frames are not expected on L2TP access networks.
constexpr size_t kMaxDatagram = 4096;

link::l2tp::Endpoint FromSockaddr(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  link::l2tp::Endpoint ep;
  if (ss.ss_family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(ss);
    inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof buf);
    ep.port = ntohs(sin.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
    if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
      inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], buf, sizeof buf);
    } else {
      inet_ntop(AF_INET6, &sin6.sin6_addr, buf, sizeof buf);
    }
    ep.port = ntohs(sin6.sin6_port);
  }
  ep.addr = buf;
  return ep;
}

class AsioL2tpUdpSocket : public L2tpUdpSocket {
 public:
  AsioL2tpUdpSocket(asio::io_context& io, DatagramFn fn)
      : socket_(io), fn_(std::move(fn)), bufs_(kBatch * kMaxDatagram) {}

  ~AsioL2tpUdpSocket() override {
    alive_.reset();
    std::error_code ec;
    socket_.close(ec);
  }

  Status Bind(const asio::ip::udp::endpoint& at, const std::string& name) {
    name_ = name;
    if (Status st = BindUdp(socket_, at, "l2tp", name, &port_); !st.ok()) return st;
    v6_ = at.address().is_v6();
    Arm();
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

  void SendTo(const link::l2tp::Endpoint& to, std::span<const uint8_t> d) override {
    std::error_code ec;
    auto a = asio::ip::make_address(to.addr, ec);
    if (ec) {
      MLOG_PEER_ERROR(errors_, kPhys, "l2tp {}: bad destination {}", name_, to.addr);
      return;
    }
    if (v6_ && a.is_v4()) a = asio::ip::make_address_v6(asio::ip::v4_mapped, a.to_v4());
    socket_.send_to(asio::buffer(d.data(), d.size()), asio::ip::udp::endpoint(a, to.port), 0, ec);
    // UDP is best effort: the control channel retransmits, PPP copes.
    if (ec)
      MLOG_PEER_ERROR(errors_, kPhys, "l2tp {}: send to {}: {}", name_, to.ToString(),
                      ec.message());
  }

 private:
  void Arm() {
    socket_.async_wait(asio::socket_base::wait_read,
                       [this, alive = std::weak_ptr<char>(alive_)](const std::error_code& ec) {
                         if (alive.expired() || ec == asio::error::operation_aborted) return;
                         Drain();
                         if (!alive.expired()) Arm();
                       });
  }

  // Reads until the socket is empty, kBatch datagrams per system call.
  void Drain() {
    std::array<mmsghdr, kBatch> msgs{};
    std::array<iovec, kBatch> iovs{};
    std::array<sockaddr_storage, kBatch> from{};
    for (;;) {
      for (size_t i = 0; i < kBatch; ++i) {
        iovs[i] = {bufs_.data() + i * kMaxDatagram, kMaxDatagram};
        msgs[i].msg_hdr = {};
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int n = recvmmsg(socket_.native_handle(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          // Late ICMP errors and ENOBUFS are transient on an unconnected socket.
          MLOG_PEER_ERROR(errors_, kPhys, "l2tp {}: receive: {}", name_, std::strerror(errno));
        }
        return;
      }
      for (int i = 0; i < n; ++i) {
        if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) continue;  // oversized: not ours
        fn_(FromSockaddr(from[i]),
            std::span<const uint8_t>(bufs_.data() + i * kMaxDatagram, msgs[i].msg_len));
      }
      if (static_cast<size_t>(n) < kBatch) return;
    }
  }

  asio::ip::udp::socket socket_;
  DatagramFn fn_;
  std::vector<uint8_t> bufs_;
  std::string name_;
  uint16_t port_ = 0;
  bool v6_ = false;
  log::RateLimit errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<L2tpUdpSocket>> L2tpUdpSocket::Open(asio::io_context& io,
                                                           const std::string& addr, uint16_t port,
                                                           DatagramFn on_datagram) {
  std::error_code ec;
  auto a = asio::ip::make_address(addr.empty() ? "0.0.0.0" : addr, ec);
  if (ec) return Status::Error("l2tp: not an IP address: " + addr);
  std::string name = a.is_v6() ? "[" + a.to_string() + "]:" + std::to_string(port)
                               : a.to_string() + ":" + std::to_string(port);
  auto s = std::make_unique<AsioL2tpUdpSocket>(io, std::move(on_datagram));
  if (Status st = s->Bind(asio::ip::udp::endpoint(a, port), name); !st.ok()) return st;
  return std::unique_ptr<L2tpUdpSocket>(std::move(s));
}

}  // namespace mlppp::os
