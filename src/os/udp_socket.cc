#include "os/udp_socket.h"

#include <asio/ip/udp.hpp>
#include <vector>

#include "core/log.h"

namespace mlppp::os {
namespace {

// Largest UDP payload; RADIUS packets are at most 4096 octets (RFC 2865
// §3) but padding past Length is legal, so the whole datagram is read.
constexpr size_t kMaxDatagram = 65535;

class UdpSocket : public aaa::radius::DatagramSocket {
 public:
  UdpSocket(asio::io_context& io, std::string peer, aaa::radius::DatagramReceiver rx)
      : socket_(io), peer_(std::move(peer)), rx_(std::move(rx)), buf_(kMaxDatagram) {}

  ~UdpSocket() override {
    alive_.reset();
    std::error_code ec;
    socket_.close(ec);
  }

  Status Open(const asio::ip::udp::endpoint& to, const std::string& source) {
    std::error_code ec;
    socket_.open(to.protocol(), ec);
    if (ec) return Status::Error("udp socket: open: " + ec.message());
    socket_.non_blocking(true, ec);
    if (ec) return Status::Error("udp socket: non-blocking: " + ec.message());
    if (!source.empty()) {
      auto src = asio::ip::make_address(source, ec);
      if (ec) return Status::Error("udp socket: bad source address " + source);
      if (src.is_v4() != to.address().is_v4()) {
        return Status::Error("udp socket: source " + source + " and peer " + peer_ +
                             " are of different families");
      }
      socket_.bind(asio::ip::udp::endpoint(src, 0), ec);
      if (ec) return Status::Error("udp socket: bind " + source + ": " + ec.message());
    }
    socket_.connect(to, ec);
    if (ec) return Status::Error("udp socket: connect " + peer_ + ": " + ec.message());
    Arm();
    return Status::Ok();
  }

  void Send(std::span<const uint8_t> datagram) override {
    std::error_code ec;
    socket_.send(asio::buffer(datagram.data(), datagram.size()), 0, ec);
    if (ec) {
      // UDP is best effort; the RADIUS client retransmits.
      MLOG_PEER_ERROR(errors_, kRadius, "udp socket {}: send: {}", peer_, ec.message());
    }
  }

 private:
  void Arm() {
    socket_.async_receive(asio::buffer(buf_), [this, alive = std::weak_ptr<char>(alive_)](
                                                  const std::error_code& ec, size_t n) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      if (ec) {
        // ICMP errors (port or host unreachable) surface on a connected
        // socket as receive errors; they are transient, keep reading.
        MLOG_PEER_ERROR(errors_, kRadius, "udp socket {}: receive: {}", peer_, ec.message());
        if (ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
            ec == asio::error::network_unreachable || ec == asio::error::connection_reset) {
          Arm();
        }
        return;
      }
      rx_(std::span<const uint8_t>(buf_.data(), n));
      if (alive.expired()) return;  // the receiver destroyed us
      Arm();
    });
  }

  asio::ip::udp::socket socket_;
  std::string peer_;
  aaa::radius::DatagramReceiver rx_;
  std::vector<uint8_t> buf_;
  log::RateLimit errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<aaa::radius::DatagramSocket>> OpenUdpSocket(
    asio::io_context& io, const std::string& host, uint16_t port, const std::string& source,
    aaa::radius::DatagramReceiver on_receive) {
  std::error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) return Status::Error("udp socket: not an IP address: " + host);
  std::string peer =
      addr.is_v6() ? "[" + host + "]:" + std::to_string(port) : host + ":" + std::to_string(port);
  auto sock = std::make_unique<UdpSocket>(io, peer, std::move(on_receive));
  if (Status st = sock->Open(asio::ip::udp::endpoint(addr, port), source); !st.ok()) return st;
  return std::unique_ptr<aaa::radius::DatagramSocket>(std::move(sock));
}

aaa::radius::DatagramSocketFactory UdpSocketFactory(asio::io_context& io, std::string source) {
  return [&io, source = std::move(source)](
             const std::string& host, uint16_t port,
             aaa::radius::DatagramReceiver rx) -> std::unique_ptr<aaa::radius::DatagramSocket> {
    auto s = OpenUdpSocket(io, host, port, source, std::move(rx));
    if (!s) {
      MLOG_ERROR(kRadius, "{}", s.error());
      return nullptr;
    }
    return std::move(*s);
  };
}

}  // namespace mlppp::os
