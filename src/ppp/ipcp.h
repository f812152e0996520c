// IPCP, the IP Control Protocol (RFC 1332) with the DNS options of RFC 1877:
// option handlers for the shared RFC 1661 automaton. Negotiates our address,
// the peer's address and (as client or server) the DNS servers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "event/loop.h"
#include "ppp/fsm.h"

namespace mlppp::ppp {

// RFC 1332 §3, RFC 1877 §1 option types.
enum class IpcpOpt : uint8_t {
  kIpAddresses = 1,  // deprecated (RFC 1332 §A.1): rejected
  kIpCompression = 2,
  kIpAddress = 3,
  kPrimaryDns = 129,
  kPrimaryNbns = 130,
  kSecondaryDns = 131,
  kSecondaryNbns = 132,
};
std::string_view IpcpOptName(uint8_t type);

struct Ipv4Range {
  uint32_t addr = 0;  // host order
  uint8_t width = 0;  // prefix length; 0 = any address
};
bool InRange(uint32_t addr, const Ipv4Range& range);

struct IpcpConfig {
  // Our address: the address to request (0 = ask the peer to assign one,
  // RFC 1332 §3.3); width = how far a Nak'ed suggestion may differ.
  Ipv4Range self;
  // The peer's address: a request inside the range is accepted; 0 or outside
  // is Nak'ed with peer.addr. {0, 0} accepts any non-zero address (client);
  // a request for 0 with nothing to give is rejected.
  Ipv4Range peer;
  // Given to a peer asking for them (RFC 1877); 0 = reject that option.
  uint32_t dns1 = 0, dns2 = 0;
  // Client: ask for DNS servers (send 0.0.0.0, take the Nak'ed values, drop
  // the option if rejected).
  bool request_dns = false;
};

struct IpcpResult {
  uint32_t local = 0, peer = 0, dns1 = 0, dns2 = 0;  // host order
};

// Calls arrive through Loop::Post, never from inside the FSM, so a handler
// may Close or destroy (via DeferDelete) the Ipcp.
class IpcpEvents {
 public:
  virtual ~IpcpEvents() = default;
  virtual void OnIpcpUp(const IpcpResult&) = 0;
  virtual void OnIpcpDown() = 0;
  virtual void OnIpcpFinished(std::string_view reason) = 0;
};

class Ipcp : public FsmHandler {
 public:
  Ipcp(event::Loop& loop, IpcpConfig config, ControlSender send, IpcpEvents& events,
       FsmConfig fsm = {});
  ~Ipcp() override;

  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  const IpcpResult& result() const { return result_; }
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
  bool AcceptableLocal(uint32_t addr) const;

  event::Loop& loop_;
  IpcpConfig config_;
  IpcpEvents& events_;
  // What our next Configure-Request carries (RFC 1661 §5.1).
  bool send_addr_ = true;
  uint32_t want_local_ = 0;
  bool send_dns1_ = false, send_dns2_ = false;
  uint32_t want_dns1_ = 0, want_dns2_ = 0;
  // We Nak an IP-Address the peer omitted at most once (as pppd does).
  bool nak_missing_addr_ = true;
  std::string close_reason_;  // set when we give up ourselves
  IpcpResult result_;
  uint64_t peer_errors_ = 0;
  log::RateLimit limit_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  Fsm fsm_;  // last: it refers to *this
};

}  // namespace mlppp::ppp
