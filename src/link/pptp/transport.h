// The transports a PPTP node runs over, as abstract interfaces so the
// protocol code (control_conn, call, node) stays passive and testable
// (ARCHITECTURE.md rule 6): the TCP control connection (RFC 2637 §1.4, port
// 1723) as a StreamConn, and raw IP protocol 47 (§4.1) as a GreTransport.
// The os/ layer implements both over real sockets; tests use fakes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace mlppp::link::pptp {

// Receives what arrives on a StreamConn. Set by the ControlConn that owns
// the stream.
class StreamReceiver {
 public:
  virtual ~StreamReceiver() = default;
  // Bytes in stream order, cut anywhere (the Framer reassembles messages).
  virtual void OnStreamData(std::span<const uint8_t> bytes) = 0;
  // The peer closed the connection, or it failed (reset, timeout).
  virtual void OnStreamClosed() = 0;
};

// One TCP connection. The owner of the socket (os/ code, or a test fake)
// pushes received bytes and the closure in through DeliverData() and
// DeliverClosed(), always from a loop callback of its own (never from inside
// Write or Close).
class StreamConn {
 public:
  virtual ~StreamConn() = default;
  // Queues bytes for sending. Never blocks, never calls back.
  virtual void Write(std::span<const uint8_t> bytes) = 0;
  // Sends what was written, then closes. After Close() the receiver is
  // called no more. Idempotent.
  virtual void Close() = 0;

  // REQUIRES: r outlives the stream or is reset (nullptr) before it dies.
  void SetReceiver(StreamReceiver* r) { receiver_ = r; }
  void DeliverData(std::span<const uint8_t> bytes) {
    if (receiver_) receiver_->OnStreamData(bytes);
  }
  void DeliverClosed() {
    if (receiver_) receiver_->OnStreamClosed();
  }

 private:
  StreamReceiver* receiver_ = nullptr;
};

// Sends one Enhanced GRE packet (§4.1: GRE header + PPP frame, no IP
// header) to the peer's address, from the node's own address. The other
// direction is Node::OnGre().
class GreTransport {
 public:
  virtual ~GreTransport() = default;
  virtual void SendTo(const std::string& peer_ip, std::span<const uint8_t> gre_packet) = 0;
};

// Result of a connect: the connected stream, or nullptr when it failed.
using ConnectDone = std::function<void(std::unique_ptr<StreamConn>)>;
// Opens a TCP connection from self_ip to peer_ip:port. `done` is called
// exactly once, later, from a loop callback (never inside the Connector
// call itself).
using Connector = std::function<void(const std::string& self_ip, const std::string& peer_ip,
                                     uint16_t port, ConnectDone done)>;

}  // namespace mlppp::link::pptp
