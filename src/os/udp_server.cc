#include "os/udp_server.h"

#include <asio/ip/udp.hpp>
#include <vector>

#include "core/log.h"
#include "os/udp_bind.h"

namespace mlppp::os {
namespace {

// The whole datagram is read: RADIUS allows padding past Length
// (RFC 2865 §3), and a short buffer would truncate silently.
constexpr size_t kMaxDatagram = 65535;

std::string AddrString(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

class AsioUdpServer : public UdpServer {
 public:
  AsioUdpServer(asio::io_context& io, DatagramFn fn)
      : socket_(io), fn_(std::move(fn)), buf_(kMaxDatagram) {}

  ~AsioUdpServer() override {
    alive_.reset();
    std::error_code ec;
    socket_.close(ec);
  }

  Status Bind(const asio::ip::udp::endpoint& at, const std::string& name) {
    name_ = name;
    if (Status st = BindUdp(socket_, at, "udp server", name, &port_); !st.ok()) return st;
    Arm();
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

 private:
  void Arm() {
    socket_.async_receive_from(
        asio::buffer(buf_), from_,
        [this, alive = std::weak_ptr<char>(alive_)](const std::error_code& ec, size_t n) {
          if (alive.expired() || ec == asio::error::operation_aborted) return;
          if (ec) {
            // Errors on an unconnected socket (ICMP errors reported late,
            // ENOBUFS) are transient: log and keep reading.
            MLOG_PEER_ERROR(errors_, kRadius, "udp server {}: receive: {}", name_, ec.message());
            Arm();
            return;
          }
          asio::ip::udp::endpoint from = from_;
          ReplyFn reply = [this, from](std::span<const uint8_t> d) {
            std::error_code sec;
            socket_.send_to(asio::buffer(d.data(), d.size()), from, 0, sec);
            if (sec) {
              // UDP is best effort; the client retransmits.
              MLOG_PEER_ERROR(errors_, kRadius, "udp server {}: send to {}: {}", name_,
                              AddrString(from.address()), sec.message());
            }
          };
          fn_(std::span<const uint8_t>(buf_.data(), n), AddrString(from.address()), reply);
          if (alive.expired()) return;  // the callback destroyed us
          Arm();
        });
  }

  asio::ip::udp::socket socket_;
  DatagramFn fn_;
  std::vector<uint8_t> buf_;
  asio::ip::udp::endpoint from_;
  std::string name_;
  uint16_t port_ = 0;
  log::RateLimit errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<UdpServer>> UdpServer::Open(asio::io_context& io, const std::string& addr,
                                                   uint16_t port, DatagramFn on_datagram) {
  std::error_code ec;
  auto a = asio::ip::make_address(addr, ec);
  if (ec) return Status::Error("udp server: not an IP address: " + addr);
  std::string name =
      a.is_v6() ? "[" + addr + "]:" + std::to_string(port) : addr + ":" + std::to_string(port);
  auto server = std::make_unique<AsioUdpServer>(io, std::move(on_datagram));
  if (Status st = server->Bind(asio::ip::udp::endpoint(a, port), name); !st.ok()) return st;
  return std::unique_ptr<UdpServer>(std::move(server));
}

}  // namespace mlppp::os
