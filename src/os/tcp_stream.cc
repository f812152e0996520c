#include "os/tcp_stream.h"

#include <algorithm>
#include <array>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <deque>
#include <vector>

#include "core/log.h"

namespace mlppp::os {
namespace {

std::string AddrString(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

// One TCP connection. Reads are pushed to the receiver from asio's
// callbacks (never from inside Write or Close, as StreamConn requires).
// The socket and its queue live in a shared Impl that the pending
// operations hold: when the owner destroys a stream right after Close()
// (the console after "Login failed", a refused connection), what was
// queued is still sent — within kDrainTimeout — before the socket closes.
class TcpStream : public event::StreamConn {
 public:
  static constexpr auto kDrainTimeout = std::chrono::seconds(5);

  explicit TcpStream(asio::ip::tcp::socket socket)
      : impl_(std::make_shared<Impl>(std::move(socket))) {
    impl_->owner = this;
  }
  ~TcpStream() override {
    impl_->owner = nullptr;
    if (impl_->closing && (impl_->writing || !impl_->out.empty())) {
      // Orphaned with output queued: the write handler finishes and shuts.
      impl_->drain_timer.expires_after(kDrainTimeout);
      impl_->drain_timer.async_wait([self = impl_](const std::error_code& ec) {
        if (!ec) self->Shut();
      });
      return;
    }
    impl_->Shut();
  }

  void Start() {
    std::error_code ec;
    impl_->socket.set_option(asio::ip::tcp::no_delay(true), ec);  // small control messages
    Impl::Read(impl_);
  }

  void Write(std::span<const uint8_t> bytes) override {
    if (impl_->closing) return;
    impl_->out.emplace_back(bytes.begin(), bytes.end());
    impl_->pending += bytes.size();
    if (!impl_->writing) Impl::Flush(impl_);
  }

  size_t pending_bytes() const override { return impl_->pending; }

  void Close() override {
    if (impl_->closing) return;
    impl_->closing = true;
    SetReceiver(nullptr);
    if (!impl_->writing) impl_->Shut();
  }

 private:
  struct Impl {
    explicit Impl(asio::ip::tcp::socket s)
        : socket(std::move(s)), drain_timer(socket.get_executor()) {}

    static void Read(const std::shared_ptr<Impl>& self) {
      self->socket.async_read_some(
          asio::buffer(self->in), [self](const std::error_code& ec, size_t n) {
            if (!self->owner || ec == asio::error::operation_aborted || self->closing) return;
            if (ec) {
              self->closing = true;
              self->owner->DeliverClosed();  // may destroy the owner
              return;
            }
            self->owner->DeliverData(std::span<const uint8_t>(self->in.data(), n));
            if (self->owner && !self->closing) Read(self);
          });
    }

    static void Flush(const std::shared_ptr<Impl>& self) {
      self->writing = true;
      asio::async_write(self->socket, asio::buffer(self->out.front()),
                        [self](const std::error_code& ec, size_t) {
                          self->writing = false;
                          self->pending -= std::min(self->pending, self->out.front().size());
                          self->out.pop_front();
                          if (ec) {
                            self->out.clear();
                            // The read side reports the failure.
                            if (self->closing) self->Shut();
                            return;
                          }
                          if (!self->out.empty()) return Flush(self);
                          if (self->closing) self->Shut();
                        });
    }

    void Shut() {
      std::error_code ec;
      drain_timer.cancel();
      if (!writing) {  // an op in flight still refers to out.front()
        out.clear();
        pending = 0;
      }
      socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
      socket.close(ec);
    }

    asio::ip::tcp::socket socket;
    asio::steady_timer drain_timer;
    TcpStream* owner = nullptr;  // nullptr once the stream object is gone
    std::array<uint8_t, 4096> in{};
    std::deque<std::vector<uint8_t>> out;
    size_t pending = 0;  // octets in out
    bool writing = false;
    bool closing = false;
  };

  std::shared_ptr<Impl> impl_;
};

class AsioTcpListener : public TcpListener {
 public:
  AsioTcpListener(asio::io_context& io, AcceptFn fn) : acceptor_(io), fn_(std::move(fn)) {}
  ~AsioTcpListener() override {
    alive_.reset();
    std::error_code ec;
    acceptor_.close(ec);
  }

  Status Listen(const asio::ip::tcp::endpoint& at) {
    std::error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (ec) return Status::Error("tcp: tcp open: " + ec.message());
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    acceptor_.bind(at, ec);
    if (ec)
      return Status::Error("tcp: bind port " + std::to_string(at.port()) + ": " + ec.message());
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::Error("tcp: listen: " + ec.message());
    port_ = acceptor_.local_endpoint(ec).port();
    Accept();
    return Status::Ok();
  }
  uint16_t port() const override { return port_; }

 private:
  void Accept() {
    acceptor_.async_accept([this, alive = std::weak_ptr<char>(alive_)](const std::error_code& ec,
                                                                       asio::ip::tcp::socket sock) {
      if (alive.expired() || ec == asio::error::operation_aborted) return;
      if (!ec) {
        std::error_code pec;
        auto peer = sock.remote_endpoint(pec);
        if (!pec) {
          auto s = std::make_unique<TcpStream>(std::move(sock));
          s->Start();
          fn_(std::move(s), AddrString(peer.address()));
          if (alive.expired()) return;
        }
      } else {
        // EMFILE and friends: keep listening; the peer retries.
        MLOG_PEER_ERROR(errors_, kPhys, "tcp: accept: {}", ec.message());
      }
      Accept();
    });
  }

  asio::ip::tcp::acceptor acceptor_;
  AcceptFn fn_;
  uint16_t port_ = 0;
  log::RateLimit errors_;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace

Result<std::unique_ptr<TcpListener>> TcpListener::Open(asio::io_context& io,
                                                       const std::string& addr, uint16_t port,
                                                       AcceptFn on_accept) {
  std::error_code ec;
  auto a = asio::ip::make_address(addr.empty() ? "0.0.0.0" : addr, ec);
  if (ec) return Status::Error("tcp: not an IP address: " + addr);
  auto l = std::make_unique<AsioTcpListener>(io, std::move(on_accept));
  if (Status st = l->Listen(asio::ip::tcp::endpoint(a, port)); !st.ok()) return st;
  return std::unique_ptr<TcpListener>(std::move(l));
}

event::Connector TcpConnector(asio::io_context& io) {
  return [&io](const std::string& self_ip, const std::string& peer_ip, uint16_t port,
               event::ConnectDone done) {
    std::error_code ec;
    auto peer = asio::ip::make_address(peer_ip, ec);
    if (ec) {
      asio::post(io, [done = std::move(done)] { done(nullptr); });
      return;
    }
    auto sock = std::make_shared<asio::ip::tcp::socket>(io);
    sock->open(peer.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), ec);
    if (!ec && !self_ip.empty()) {
      auto self = asio::ip::make_address(self_ip, ec);
      if (!ec) sock->bind(asio::ip::tcp::endpoint(self, 0), ec);
    }
    if (ec) {
      MLOG_WARN(kPhys, "tcp: connect to {}: {}", peer_ip, ec.message());
      asio::post(io, [done = std::move(done)] { done(nullptr); });
      return;
    }
    sock->async_connect(asio::ip::tcp::endpoint(peer, port),
                        [sock, peer_ip, done = std::move(done)](const std::error_code& cec) {
                          if (cec) {
                            MLOG_WARN(kPhys, "tcp: connect to {}: {}", peer_ip, cec.message());
                            done(nullptr);
                            return;
                          }
                          auto s = std::make_unique<TcpStream>(std::move(*sock));
                          s->Start();
                          done(std::move(s));
                        });
  };
}

}  // namespace mlppp::os
