// IPV6CP, the IPv6 Control Protocol (RFC 5072 §4): option handlers for the
// shared RFC 1661 automaton. Only the Interface-Identifier is negotiated; the
// two identifiers form the link-local addresses fe80::<id>.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "event/loop.h"
#include "ppp/fsm.h"

namespace mlppp::ppp {

// RFC 5072 §4 option types.
enum class Ipv6cpOpt : uint8_t { kInterfaceId = 1, kIpv6Compression = 2 };
std::string_view Ipv6cpOptName(uint8_t type);

using InterfaceId = std::array<uint8_t, 8>;
// "0123:4567:89ab:cdef", for logs and the operator's views.
std::string InterfaceIdString(const InterfaceId& id);

struct Ipv6cpConfig {
  InterfaceId local_id{};  // all-zero = pick a random non-zero one
};

struct Ipv6cpResult {
  InterfaceId local_id{}, peer_id{};
};

// Calls arrive through Loop::Post, never from inside the FSM.
class Ipv6cpEvents {
 public:
  virtual ~Ipv6cpEvents() = default;
  virtual void OnIpv6cpUp(const Ipv6cpResult&) = 0;
  virtual void OnIpv6cpDown() = 0;
  virtual void OnIpv6cpFinished(std::string_view reason) = 0;
};

class Ipv6cp : public FsmHandler {
 public:
  // `random` supplies identifier candidates (RFC 5072 §4.1 asks for them to
  // be unique, so a good source matters); zero values are skipped.
  Ipv6cp(event::Loop& loop, Ipv6cpConfig config, ControlSender send, Ipv6cpEvents& events,
         std::function<uint64_t()> random, FsmConfig fsm = {});
  ~Ipv6cp() override;

  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  const Ipv6cpResult& result() const { return result_; }
  uint64_t peer_errors() const { return peer_errors_; }

  std::vector<CpOption> BuildConfReq() override;
  ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override;
  void OnConfAck(std::span<const CpOption> opts) override;
  void OnConfNak(std::span<const CpOption> opts) override;
  void OnConfRej(std::span<const CpOption> opts) override;
  void ThisLayerUp() override;
  void ThisLayerDown() override;
  void ThisLayerStarted() override;
  void ThisLayerFinished() override;
  void ResetOptions() override;

 private:
  // A random non-zero identifier different from `a` and `b`.
  InterfaceId NewId(const InterfaceId& a, const InterfaceId& b);

  event::Loop& loop_;
  Ipv6cpConfig config_;
  Ipv6cpEvents& events_;
  std::function<uint64_t()> random_;
  InterfaceId local_id_{};
  bool send_id_ = true;
  // The peer's identifier as last seen in its Configure-Request.
  InterfaceId seen_peer_id_{};
  int collisions_ = 0;
  bool nak_missing_id_ = true;
  Ipv6cpResult result_;
  uint64_t peer_errors_ = 0;
  log::RateLimit limit_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  Fsm fsm_;  // last: it refers to *this
};

}  // namespace mlppp::ppp
