#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aaa/auth_backend.h"
#include "core/log.h"
#include "core/packet.h"
#include "event/loop.h"
#include "link/driver.h"
#include "ppp/auth/auth.h"
#include "ppp/lcp.h"

namespace mlppp::ppp {

// RFC 1661 §3.2 link phases.
enum class Phase : uint8_t { kDead, kEstablish, kAuthenticate, kNetwork, kTerminate };
std::string_view PhaseName(Phase p);

struct LinkConfig {
  LcpConfig lcp;
  std::string authname;  // `set auth authname` — who we are when the peer authenticates us
  std::string password;  // `set auth password`; never logged
  AuthTiming auth_timing;
  EapOptions eap;  // `set eap ...`, when we authenticate the peer with EAP
  // Acct-Session-Id and NAS-Port for the back ends; the rest of the
  // session context (link name, peer address...) the link fills in.
  std::string session_id;
  uint32_t nas_port = 0;
};

class Link;

// The owner of a Link (the daemon) hears about its life through this.
class LinkEvents {
 public:
  virtual ~LinkEvents() = default;
  // LCP is up and authentication passed: the link may join a bundle.
  virtual void OnLinkNetwork(Link& link) = 0;
  // The link has left the network phase (LCP down): the bundle must detach it.
  virtual void OnLinkLeftNetwork(Link& link) = 0;
  // The link is dead (driver down, LCP finished). The owner destroys it with
  // Loop::DeferDelete.
  virtual void OnLinkDead(Link& link, std::string_view reason) = 0;
  // A network-phase frame (NCP or data) for the bundle.
  virtual void OnNetworkFrame(Link& link, uint16_t protocol, Packet&& info) = 0;
  // The peer sent Protocol-Reject for a network protocol (RFC 1661 §5.7).
  virtual void OnProtocolRejected(Link& link, uint16_t protocol) = 0;
};

struct Randomness {
  std::function<uint32_t()> u32;
  RandomFill fill;
};

// One PPP link (RFC 1661 §3): the driver below, LCP and authentication on
// it, and network-phase frames handed to whoever owns the link. Knows
// nothing of sockets (the driver) or of bundles (the owner joins it to one).
class Link : public link::DriverEvents, public LcpEvents {
 public:
  Link(event::Loop& loop, std::string name, std::unique_ptr<link::Driver> driver, LinkConfig config,
       aaa::AuthBackend& backend, LinkEvents& events, Randomness random);
  ~Link() override;

  // Administrative open: dials (client) or starts LCP on a call already up.
  void Open();
  // Administrative close: LCP Terminate, then the driver hangs up.
  void Close(std::string_view reason);
  // Sends a network-phase frame (REQUIRES: phase() == kNetwork; dropped otherwise).
  void SendNetwork(uint16_t protocol, Packet&& info);
  // A frame of a protocol nobody above understands (RFC 1661 §5.7).
  void RejectProtocol(uint16_t protocol, std::span<const uint8_t> info);

  const std::string& name() const { return name_; }
  const std::string& session_id() const { return config_.session_id; }
  uint32_t nas_port() const { return config_.nas_port; }
  // Why we closed the link (Close() or keep-alive); empty when the peer did.
  const std::string& close_reason() const { return close_reason_; }
  Phase phase() const { return phase_; }
  const LcpResult& lcp_result() const { return lcp_.result(); }
  const std::string& peer_authname() const { return peer_authname_; }
  const aaa::AuthResult& auth_result() const { return auth_result_; }
  // MPPE keys from the authentication phase (RFC 3079): from the peer's
  // authentication as the back end reported it, else from our own.
  std::optional<aaa::MppeKeys> mppe_keys() const {
    return auth_result_.mppe ? auth_result_.mppe : peer_mppe_;
  }
  link::PeerInfo peer_info() const { return driver_->Info(); }
  FsmState lcp_state() const { return lcp_.fsm().state(); }
  const Lcp& lcp() const { return lcp_; }
  // The keep-alive round trips since the last call (see Lcp::TakeEchoRtt).
  LatencyHistogram TakeEchoRtt() { return lcp_.TakeEchoRtt(); }

  struct Counters {
    uint64_t rx_frames = 0, tx_frames = 0, rx_octets = 0, tx_octets = 0;
    uint64_t bad_frames = 0, discarded = 0;
  };
  const Counters& counters() const { return counters_; }

  // link::DriverEvents
  void OnDriverUp() override;
  void OnDriverDown(std::string_view reason) override;
  void OnFrame(Packet&& frame) override;
  // LcpEvents
  void OnLcpUp(const LcpResult& r) override;
  void OnLcpDown() override;
  void OnLcpStarted() override;
  void OnLcpFinished(std::string_view reason) override;
  void OnEchoTimeout() override;
  void OnProtocolRejected(uint16_t protocol) override;

 private:
  void SetPhase(Phase p);
  void SendControl(uint16_t protocol, Packet&& info);
  void AuthStep();
  void Die(std::string_view reason);

  // Hands every request to the link's back end with the session context
  // filled in (RADIUS NAS attributes, ext-auth request lines).
  class ContextBackend : public aaa::AuthBackend {
   public:
    ContextBackend(Link& link, aaa::AuthBackend& inner) : link_(link), inner_(inner) {}
    void Authenticate(const aaa::AuthRequest& req,
                      std::function<void(aaa::AuthResult)> done) override;

   private:
    Link& link_;
    aaa::AuthBackend& inner_;
  };

  event::Loop& loop_;
  std::string name_;
  std::unique_ptr<link::Driver> driver_;
  LinkConfig config_;
  ContextBackend backend_;
  LinkEvents& events_;
  Randomness random_;
  Lcp lcp_;
  Phase phase_ = Phase::kDead;
  bool driver_up_ = false;
  bool dead_ = false;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<AuthPeer> auth_peer_;
  bool need_auth_peer_ = false, need_auth_us_ = false;  // outstanding directions
  std::string peer_authname_;
  aaa::AuthResult auth_result_;
  std::optional<aaa::MppeKeys> peer_mppe_;  // keys from authenticating ourselves (MS-CHAP)
  std::string close_reason_;
  Counters counters_;
  log::RateLimit bad_frame_log_;
};

}  // namespace mlppp::ppp
