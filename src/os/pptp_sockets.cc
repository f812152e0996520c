#include "os/pptp_sockets.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <asio/generic/raw_protocol.hpp>
#include <asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/log.h"
#include "core/wire.h"

namespace mlppp::os {
namespace {

class AsioGreSocket : public GreSocket {
 public:
  AsioGreSocket(asio::io_context& io, PacketFn fn) : socket_(io), fn_(std::move(fn)) {}
  ~AsioGreSocket() override {
    alive_.reset();
    std::error_code ec;
    socket_.close(ec);
  }

  Status Open(const std::string& addr) {
    int fd = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_GRE);
    if (fd < 0) return Status::Error(std::string("pptp: raw GRE socket: ") + std::strerror(errno));
    if (!addr.empty()) {
      sockaddr_in sin{};
      sin.sin_family = AF_INET;
      if (inet_pton(AF_INET, addr.c_str(), &sin.sin_addr) != 1) {
        ::close(fd);
        return Status::Error("pptp: not an IPv4 address: " + addr);
      }
      if (::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0) {
        int e = errno;
        ::close(fd);
        return Status::Error("pptp: bind GRE to " + addr + ": " + std::strerror(e));
      }
    }
    std::error_code ec;
    socket_.assign(asio::generic::raw_protocol(AF_INET, IPPROTO_GRE), fd, ec);
    if (ec) {
      ::close(fd);
      return Status::Error("pptp: GRE socket: " + ec.message());
    }
    Arm();
    return Status::Ok();
  }

  void SendTo(const std::string& peer_ip, std::span<const uint8_t> gre) override {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    if (inet_pton(AF_INET, peer_ip.c_str(), &sin.sin_addr) != 1) {
      MLOG_PEER_ERROR(errors_, kPhys, "pptp: GRE to a non-IPv4 address {}", peer_ip);
      return;
    }
    // The kernel adds the IPv4 header (no IP_HDRINCL).
    if (::sendto(socket_.native_handle(), gre.data(), gre.size(), MSG_DONTWAIT,
                 reinterpret_cast<sockaddr*>(&sin), sizeof sin) < 0) {
      MLOG_PEER_ERROR(errors_, kPhys, "pptp: GRE send to {}: {}", peer_ip, std::strerror(errno));
    }
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

  void Drain() {
    for (int budget = 64; budget > 0; --budget) {
      ssize_t n = ::recv(socket_.native_handle(), buf_.data(), buf_.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
          MLOG_PEER_ERROR(errors_, kPhys, "pptp: GRE receive: {}", std::strerror(errno));
        return;
      }
      // A raw IPv4 socket hands over the IP header (RFC 791 §3.1): take the
      // source address (octets 12-15), skip the IHL words.
      WireReader r(std::span<const uint8_t>(buf_.data(), static_cast<size_t>(n)));
      uint8_t vihl = r.U8();
      size_t ihl = static_cast<size_t>(vihl & 0x0f) * 4;
      r.Skip(11);
      auto src = r.Bytes(4);
      if (!r.ok() || (vihl >> 4) != 4 || ihl < 20 || static_cast<size_t>(n) < ihl) continue;
      r.Skip(ihl - 16);  // the destination address and any IP options
      char addr[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, src.data(), addr, sizeof addr);
      fn_(addr, Packet::Copy(r.Rest()));
    }
  }

  asio::generic::raw_protocol::socket socket_;
  PacketFn fn_;
  std::array<uint8_t, 65535> buf_{};
  log::RateLimit errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<GreSocket>> GreSocket::Open(asio::io_context& io, const std::string& addr,
                                                   PacketFn on_packet) {
  auto s = std::make_unique<AsioGreSocket>(io, std::move(on_packet));
  if (Status st = s->Open(addr); !st.ok()) return st;
  return std::unique_ptr<GreSocket>(std::move(s));
}

}  // namespace mlppp::os
