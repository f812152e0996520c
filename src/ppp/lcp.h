// LCP (RFC 1661 §6): the link's option handler for the shared automaton, plus
// the LCP-only codes (Protocol-Reject, Echo, Discard, RFC 1661 §5.7-5.9) and
// mpd5-style keep-alive.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/latency_histogram.h"
#include "core/log.h"
#include "event/loop.h"
#include "ppp/auth/auth.h"
#include "ppp/fsm.h"

namespace mlppp::ppp {

// LCP Configuration Option types we know (RFC 1661 §6, IANA "LCP Option").
enum class LcpOpt : uint8_t {
  kMru = 1,
  kAccm = 2,
  kAuthProto = 3,
  kQualityProto = 4,
  kMagic = 5,
  kPfc = 7,
  kAcfc = 8,
  kCallback = 13,
  kMrru = 17,
  kShortSeq = 18,
  kEndpointDisc = 19,
};
std::string_view LcpOptName(uint8_t type);

struct LcpConfig {
  uint16_t mru = 1492;  // MRU we request (RFC 1661 §6.1); not sent if == 1500
  uint16_t max_peer_mru =
      1492;  // largest MRU the link can carry for the peer: Nak peer MRU above this
  bool acfc_enable = true, acfc_accept = true;  // RFC 1661 §6.6
  bool pfc_enable = true, pfc_accept = true;    // RFC 1661 §6.5
  bool magic_enable = true;                     // RFC 1661 §6.4
  // RFC 1662 §7.1 ACCM is for async HDLC links; RFC 2516 §7 says it MUST NOT
  // be used on PPPoE, so PPPoE links reject it instead of acking it.
  bool accm_accept = true;
  std::vector<AuthType> require_auth;  // protocols we ask the peer to authenticate with, preferred
                                       // first; empty = none
  std::vector<AuthType> accept_auth;   // protocols we agree to authenticate ourselves with
  event::Duration echo_interval =
      std::chrono::seconds(5);  // 0 = keep-alive off (mpd5 `set link keep-alive SECS MAX`)
  event::Duration echo_max = std::chrono::seconds(40);  // no reply for this long → dead peer
  FsmConfig fsm;
};

struct LcpResult {
  // What we may send: the peer's MRU, never above LcpConfig::max_peer_mru
  // (a peer that asks nothing gets min(1500, max_peer_mru)).
  uint16_t peer_mru = 1500;
  uint16_t our_mru = 1500;  // what the peer acked for us
  AuthType peer_must_auth =
      AuthType::kNone;  // we authenticate the peer with this (our Auth-Protocol acked)
  AuthType we_must_auth = AuthType::kNone;  // peer requested this and we acked it
  bool send_acfc = false,
       send_pfc = false;  // peer asked to receive compressed headers and we acked
  uint32_t our_magic = 0, peer_magic = 0;
};

class LcpEvents {
 public:
  virtual ~LcpEvents() = default;
  virtual void OnLcpUp(const LcpResult& r) = 0;             // tlu
  virtual void OnLcpDown() = 0;                             // tld
  virtual void OnLcpStarted() = 0;                          // tls
  virtual void OnLcpFinished(std::string_view reason) = 0;  // tlf
  virtual void OnEchoTimeout() = 0;  // dead peer: no Echo-Reply within echo_max
  virtual void OnProtocolRejected(
      uint16_t protocol) = 0;  // peer sent Protocol-Reject (RFC 1661 §5.7)
};

// One per link. Drive it through fsm() (Up/Down/Open/Close/Input). Callbacks
// to LcpEvents run synchronously from inside FSM actions; they must not
// destroy the Lcp (use Loop::DeferDelete), and may call fsm().Close().
class Lcp : public FsmHandler {
 public:
  // `random` supplies Magic-Numbers (RFC 1661 §6.4); zero values are skipped.
  Lcp(event::Loop& loop, LcpConfig config, ControlSender send, LcpEvents& events,
      std::function<uint32_t()> random);
  ~Lcp() override;

  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  const LcpResult& result() const { return result_; }
  const LcpConfig& config() const { return config_; }
  // Sends Protocol-Reject for a frame of an unknown/unsupported protocol; `rejected` starts at the
  // 2-octet protocol field (RFC 1661 §5.7), truncated to the peer MRU. Only in Opened.
  void SendProtocolReject(uint16_t protocol, std::span<const uint8_t> info);
  // Any frame received from the peer counts as liveness for the dead-peer
  // clock; a good Echo-Reply does too.
  void NoteFrameReceived();

  struct Counters {
    uint64_t echo_sent = 0, echo_replies = 0, bad_magic = 0, discard = 0, bad_packets = 0;
  };
  const Counters& counters() const { return counters_; }
  // Round-trip times of our keep-alive Echo-Requests (the reply to the
  // latest one only: an older reply has no single send time).
  const LatencyHistogram& echo_rtt() const { return echo_rtt_; }
  // Hands over the samples so far and starts afresh, so a report can cover
  // one period (e.g. a login storm).
  LatencyHistogram TakeEchoRtt() { return std::exchange(echo_rtt_, {}); }

  // FsmHandler (RFC 1661 §6 options, §4.4 layer actions, §5.7-5.9 codes).
  std::vector<CpOption> BuildConfReq() override;
  ConfReqVerdict CheckConfReq(std::span<const CpOption> opts) override;
  void OnConfAck(std::span<const CpOption> opts) override;
  void OnConfNak(std::span<const CpOption> opts) override;
  void OnConfRej(std::span<const CpOption> opts) override;
  void ThisLayerUp() override;
  void ThisLayerDown() override;
  void ThisLayerStarted() override;
  void ThisLayerFinished() override;
  bool OnOtherCode(const CpPacket& pkt) override;
  void ResetOptions() override;

 private:
  // What we put in our next Configure-Request.
  struct Want {
    std::optional<uint16_t> mru;
    AuthType auth = AuthType::kNone;
    std::vector<AuthType> auth_tried;
    std::optional<uint32_t> magic;
    bool pfc = false, acfc = false;
  };
  uint32_t NewMagic();
  void EchoTick();
  void HandleEchoRequest(const CpPacket& pkt);
  void HandleEchoReply(const CpPacket& pkt);

  event::Loop& loop_;
  LcpConfig config_;
  LcpEvents& events_;
  std::function<uint32_t()> random_;
  Fsm fsm_;
  std::unique_ptr<event::Timer> echo_timer_;
  Want want_;
  LcpResult result_;
  int loop_detections_ = 0;  // consecutive ConfReqs carrying our own magic
  event::TimePoint last_heard_{};
  bool echo_timeout_reported_ = false;
  std::optional<uint8_t> echo_outstanding_;  // id of our unanswered Echo-Request
  event::TimePoint echo_sent_at_{};
  LatencyHistogram echo_rtt_;
  Counters counters_;
  log::RateLimit limiter_;
};

}  // namespace mlppp::ppp
