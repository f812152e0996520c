// A fake Ethernet segment for PPPoE tests: sockets opened on a FakeLan see
// each other's frames (unicast by MAC, broadcast to all but the sender),
// delivered through the loop like a real socket's readiness would be.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "event/loop.h"
#include "os/ether.h"

namespace mlppp::testing {

class FakeLan {
 public:
  struct Frame {
    os::MacAddr src{};
    os::MacAddr dst{};
    uint16_t ethertype = 0;
    std::vector<uint8_t> payload;
  };

  explicit FakeLan(event::Loop& loop) : loop_(loop) {}

  class Socket : public os::EtherSocket {
   public:
    Socket(FakeLan* lan, os::MacAddr mac, uint16_t ethertype)
        : lan_(lan), mac_(mac), ethertype_(ethertype) {
      lan_->sockets_.push_back(this);
    }
    ~Socket() override {
      auto& v = lan_->sockets_;
      v.erase(std::remove(v.begin(), v.end(), this), v.end());
    }
    const os::MacAddr& local_mac() const override { return mac_; }
    void SetReceiver(Receiver rx) override { rx_ = std::move(rx); }
    void Send(const os::MacAddr& dst, Packet&& payload) override {
      Frame f{mac_, dst, ethertype_, {payload.span().begin(), payload.span().end()}};
      lan_->Transmit(std::move(f));
    }

   private:
    friend class FakeLan;
    FakeLan* lan_;
    os::MacAddr mac_;
    uint16_t ethertype_;
    Receiver rx_;
  };

  std::unique_ptr<os::EtherSocket> Open(os::MacAddr mac, uint16_t ethertype) {
    return std::make_unique<Socket>(this, mac, ethertype);
  }

  // Puts a frame on the wire as if a station with MAC `src` sent it.
  void Inject(const os::MacAddr& src, const os::MacAddr& dst, uint16_t ethertype,
              std::vector<uint8_t> payload) {
    Transmit(Frame{src, dst, ethertype, std::move(payload)});
  }

  // Every frame transmitted (by sockets or Inject), oldest first.
  std::vector<Frame> sent;
  // Frames for which drop returns true are recorded but not delivered.
  std::function<bool(const Frame&)> drop;

  std::vector<Frame> SentBy(const os::MacAddr& src, uint16_t ethertype) const {
    std::vector<Frame> out;
    for (const auto& f : sent) {
      if (f.src == src && f.ethertype == ethertype) out.push_back(f);
    }
    return out;
  }

 private:
  void Transmit(Frame f) {
    sent.push_back(f);
    if (drop && drop(f)) return;
    // Delivery is posted, as a real socket's is: never re-entrant.
    loop_.Post([this, f = std::move(f)] {
      auto targets = sockets_;
      for (Socket* s : targets) {
        if (std::find(sockets_.begin(), sockets_.end(), s) == sockets_.end()) continue;
        if (s->ethertype_ != f.ethertype || s->mac_ == f.src || !s->rx_) continue;
        if (f.dst != s->mac_ && !os::IsGroupMac(f.dst)) continue;
        s->rx_(f.src, f.dst, Packet::Copy(f.payload));
      }
    });
  }

  event::Loop& loop_;
  std::vector<Socket*> sockets_;
};

}  // namespace mlppp::testing
