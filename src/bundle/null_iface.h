#pragma once

#include <memory>
#include <string>

#include "bundle/iface.h"
#include "event/loop.h"

namespace mlppp::bundle {

// A host interface that is not there: configuring it succeeds (on the
// loop, as a real one would) and packets for the host are dropped. For a
// load generator (`mlpppd --no-iface`) that dials thousands of sessions to
// measure a server: it then pays no TUN device, addresses or routes per
// session, so its own kernel work does not share the CPU with the server's.
class NullIface : public Iface {
 public:
  NullIface(event::Loop& loop, std::string name) : loop_(loop), name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  void SetReceiver(std::function<void(IpFamily, Packet&&)>) override {}
  void ConfigureV4(const Ipv4Params&, std::function<void(Status)> done) override {
    Complete(std::move(done));
  }
  void ConfigureV6(const Ipv6Params&, std::function<void(Status)> done) override {
    Complete(std::move(done));
  }
  void Deliver(IpFamily, Packet&&) override {}

 private:
  // done never runs inside the call (Iface's contract) nor after we are gone.
  void Complete(std::function<void(Status)> done) {
    loop_.Post([alive = std::weak_ptr<bool>(alive_), done = std::move(done)] {
      if (alive.lock()) done(Status::Ok());
    });
  }

  event::Loop& loop_;
  std::string name_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Names its interfaces null0, null1, ... (or as the config says).
class NullIfaceFactory : public IfaceFactory {
 public:
  explicit NullIfaceFactory(event::Loop& loop) : loop_(loop) {}
  Result<std::unique_ptr<Iface>> Create(const std::string& name) override {
    std::string n = name.empty() ? "null" + std::to_string(next_++) : name;
    return std::unique_ptr<Iface>(std::make_unique<NullIface>(loop_, std::move(n)));
  }

 private:
  event::Loop& loop_;
  unsigned next_ = 0;
};

}  // namespace mlppp::bundle
