// What CCP (RFC 1962) and ECP (RFC 1968) share beyond the RFC 1661
// automaton: the Encoder/Decoder pair in use while the protocol is Opened,
// and the Reset-Request/Reset-Ack exchange (RFC 1962 §3, RFC 1968 §3) that
// puts a method's history back in step after a lost or corrupt packet.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/log.h"
#include "core/packet.h"
#include "core/result.h"
#include "event/loop.h"
#include "ppp/ccp/codec.h"
#include "ppp/fsm.h"

namespace mlppp::ppp {

class CodecCp;

// Calls arrive through Loop::Post, never from inside the FSM.
class CodecCpEvents {
 public:
  virtual ~CodecCpEvents() = default;
  // Opened, with the codecs of both directions in place (either may be
  // absent when that direction agreed on no method).
  virtual void OnCodecCpUp(CodecCp& cp) = 0;
  virtual void OnCodecCpDown(CodecCp& cp) = 0;
  virtual void OnCodecCpFinished(CodecCp& cp, std::string_view reason) = 0;
};

class CodecCp : public FsmHandler {
 public:
  ~CodecCp() override;

  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  bool opened() const { return fsm_.state() == FsmState::kOpened; }
  ccp::Encoder* encoder() { return opened() ? encoder_.get() : nullptr; }
  ccp::Decoder* decoder() { return opened() ? decoder_.get() : nullptr; }
  // One line for logs and `show ccp`: "send deflate(15) recv mppc(e128 stateless)".
  const std::string& summary() const { return summary_; }

  // The data path: a Compressed/Encrypted datagram from the peer. A decoder
  // that lost step gets a Reset-Request sent (at most one outstanding,
  // repeated after kResetInterval while still needed).
  ccp::DecodeResult Decode(Packet& pkt);
  // The same through Decoder::DecodeDeferred: a kOk with `job` set is
  // finished by ccp::FinishDeferred once the job ran (the keystream pass
  // itself cannot fail; the bookkeeping here is done already).
  ccp::DecodeResult DecodeDeferred(Packet& pkt, ccp::CryptRunner& runner, ccp::CryptJob& job);

  struct Counters {
    uint64_t reset_requests_sent = 0, reset_requests_rcvd = 0;
    uint64_t reset_acks_sent = 0, reset_acks_rcvd = 0;
    uint64_t decode_errors = 0;
  };
  const Counters& counters() const { return counters_; }

  static constexpr event::Duration kResetInterval = std::chrono::seconds(1);

  // FsmHandler: the layer actions and the Reset codes; options are the
  // subclass's.
  void ThisLayerUp() override;
  void ThisLayerDown() override;
  void ThisLayerStarted() override {}
  void ThisLayerFinished() override;
  bool OnOtherCode(const CpPacket& pkt) override;

 protected:
  CodecCp(event::Loop& loop, uint16_t protocol, std::string name, log::Cat cat, ControlSender send,
          CodecCpEvents& events, FsmConfig fsm);

  struct Codecs {
    std::unique_ptr<ccp::Encoder> encoder;
    std::unique_ptr<ccp::Decoder> decoder;
    std::string summary;
  };
  // Called when the automaton reaches Opened: the codecs for what was agreed.
  // An error closes the protocol (the bundle then decides, e.g. crypt-reqd).
  virtual Result<Codecs> MakeCodecs() = 0;

  // MakeCodecs for CCP and ECP alike: `factory` makes each direction that
  // agreed on a method (`has_method(d)`); `text(d)` names it in the summary.
  template <class Factory, class Direction, class HasMethod, class Text>
  static Result<Codecs> BuildCodecs(Factory& factory, const Direction& send, const Direction& recv,
                                    HasMethod has_method, Text text) {
    Codecs c;
    if (has_method(send)) {
      auto e = factory.MakeEncoder(send);
      if (!e) return Status::Error("send " + text(send) + ": " + e.error());
      c.encoder = std::move(*e);
    }
    if (has_method(recv)) {
      auto d = factory.MakeDecoder(recv);
      if (!d) return Status::Error("recv " + text(recv) + ": " + d.error());
      c.decoder = std::move(*d);
    }
    c.summary = "send " + text(send) + " recv " + text(recv);
    return c;
  }

  // Why the subclass gave up on its own (e.g. nothing acceptable left).
  void SetCloseReason(std::string reason) { close_reason_ = std::move(reason); }
  log::Cat cat() const { return cat_; }
  log::RateLimit& limit() { return limit_; }

 private:
  void SendResetRequest();
  // Counters, logs and Reset-Requests for one decode result.
  ccp::DecodeResult Account(ccp::DecodeResult r);
  // A rate-limited warning in this protocol's log category.
  template <class... A>
  void PeerError(fmt::format_string<A...> f, A&&... args);

  event::Loop& loop_;
  log::Cat cat_;
  CodecCpEvents& events_;
  std::unique_ptr<ccp::Encoder> encoder_;
  std::unique_ptr<ccp::Decoder> decoder_;
  std::string summary_;
  std::string close_reason_;
  bool reset_pending_ = false;  // a Reset-Request is outstanding
  bool out_of_step_ = false;    // our decoder needs the peer's reset before it decodes again
  std::unique_ptr<event::Timer> reset_timer_;
  Counters counters_;
  log::RateLimit limit_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

 protected:
  Fsm fsm_;  // last: it refers to *this
};

}  // namespace mlppp::ppp
