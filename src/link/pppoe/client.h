// The Host side of PPPoE Discovery (RFC 2516 §5): PADI (broadcast, with
// retransmission) -> first acceptable PADO -> PADR -> PADS -> up.
#pragma once

#include <memory>
#include <string>

#include "event/loop.h"
#include "link/pppoe/port.h"
#include "link/pppoe/session.h"

namespace mlppp::link::pppoe {

class PppoeClient : public SessionDriver {
 public:
  // RFC 2516 §8: resend PADI/PADR, doubling the wait, starting at 1 s.
  static constexpr std::chrono::seconds kInitialTimeout{1};
  static constexpr int kMaxSends = 5;   // per phase: waits 1+2+4+8+16 s
  static constexpr int kMaxRounds = 2;  // §8: after PADR retries, PADI again

  enum class State : uint8_t { kIdle, kDiscovering, kRequesting, kUp, kDown };
  static std::string_view StateName(State s);

  PppoeClient(PppoePort* port, PppoeClientConfig config);
  ~PppoeClient() override;

  void Open() override;
  void Close() override;
  void OnPadt() override;
  void Detach() override;

  // PADO or PADS carrying our Host-Uniq (demultiplexed by the port).
  void OnDiscovery(const os::MacAddr& src, const Discovery& d);
  State state() const { return state_; }

 private:
  void SetState(State s, std::string_view why);
  void StartDiscovery();
  void SendPadi();
  void SendPadr();
  void OnTimeout();
  void ArmTimer();
  void OnPado(const os::MacAddr& src, const Discovery& d);
  void OnPads(const os::MacAddr& src, const Discovery& d);
  bool AcceptsPado(const Discovery& d) const;
  void Fail(std::string reason);
  void Cleanup(bool send_padt);

  PppoeClientConfig config_;
  std::string want_service_;  // "" = any
  std::string want_ac_;       // "" = any
  State state_ = State::kIdle;
  Bytes host_uniq_;
  bool client_registered_ = false;
  std::unique_ptr<event::Timer> timer_;
  event::Duration timeout_{};
  int sends_ = 0;
  int rounds_ = 0;
  // From the chosen PADO.
  os::MacAddr ac_mac_{};
  std::optional<Bytes> ac_cookie_;
  std::optional<Bytes> relay_session_id_;
};

}  // namespace mlppp::link::pppoe
