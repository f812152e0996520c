// A byte stream as protocol code sees it (a TCP connection: PPTP's control
// connection, a console session), and the connector that opens one. The os/
// layer implements them over sockets (os/tcp_stream.h); tests use fakes, so
// the code on top stays passive (ARCHITECTURE.md rule 6).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace mlppp::event {

// Receives what arrives on a StreamConn. Set by the owner of the stream.
class StreamReceiver {
 public:
  virtual ~StreamReceiver() = default;
  // Bytes in stream order, cut anywhere.
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
  // Bytes written and not yet handed to the network: a peer that stops
  // reading makes this grow, and owners cut such peers off.
  virtual size_t pending_bytes() const { return 0; }

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

// Result of a connect: the connected stream, or nullptr when it failed.
using ConnectDone = std::function<void(std::unique_ptr<StreamConn>)>;
// Opens a TCP connection from self_ip to peer_ip:port. `done` is called
// exactly once, later, from a loop callback (never inside the Connector
// call itself).
using Connector = std::function<void(const std::string& self_ip, const std::string& peer_ip,
                                     uint16_t port, ConnectDone done)>;

}  // namespace mlppp::event
