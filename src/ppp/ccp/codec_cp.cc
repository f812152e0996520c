#include "ppp/ccp/codec_cp.h"

#include <utility>

#include "ppp/protocol.h"

namespace mlppp::ppp {

CodecCp::CodecCp(event::Loop& loop, uint16_t protocol, std::string name, log::Cat cat,
                 ControlSender send, CodecCpEvents& events, FsmConfig fsm)
    : loop_(loop),
      cat_(cat),
      events_(events),
      reset_timer_(loop.CreateTimer()),
      fsm_(loop, protocol, std::move(name), *this, std::move(send), fsm) {}

CodecCp::~CodecCp() { *alive_ = false; }

template <class... A>
void CodecCp::PeerError(fmt::format_string<A...> f, A&&... args) {
  uint64_t suppressed = 0;
  if (!limit_.Allow(&suppressed)) return;
  if (suppressed)
    log::Logf(log::Level::kWarn, cat_, "({} similar messages suppressed)", suppressed);
  log::Logf(log::Level::kWarn, cat_, f, std::forward<A>(args)...);
}

void CodecCp::ThisLayerUp() {
  auto codecs = MakeCodecs();
  if (!codecs.ok()) {
    log::Logf(log::Level::kWarn, cat_, "{}: cannot start what was agreed: {}", fsm_.name(),
              codecs.error());
    close_reason_ = codecs.error();
    fsm_.Close(close_reason_);  // queued by the Fsm: runs after this action
    return;
  }
  encoder_ = std::move(codecs->encoder);
  decoder_ = std::move(codecs->decoder);
  summary_ = std::move(codecs->summary);
  reset_pending_ = out_of_step_ = false;
  log::Logf(log::Level::kInfo, cat_, "{}: up, {}", fsm_.name(), summary_);
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive] {
    auto a = alive.lock();
    if (a && *a && opened()) events_.OnCodecCpUp(*this);
  });
}

void CodecCp::ThisLayerDown() {
  // RFC 1962 §2: leaving Opened ends the methods; data that still arrives
  // compressed is dropped by the bundle.
  encoder_.reset();
  decoder_.reset();
  reset_timer_->Stop();
  reset_pending_ = out_of_step_ = false;
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive] {
    auto a = alive.lock();
    if (a && *a) events_.OnCodecCpDown(*this);
  });
}

void CodecCp::ThisLayerFinished() {
  std::string reason = !close_reason_.empty()           ? close_reason_
                       : !fsm_.failure_reason().empty() ? fsm_.failure_reason()
                                                        : "finished";
  std::weak_ptr<bool> alive = alive_;
  loop_.Post([this, alive, reason = std::move(reason)] {
    auto a = alive.lock();
    if (a && *a) events_.OnCodecCpFinished(*this, reason);
  });
}

ccp::DecodeResult CodecCp::Decode(Packet& pkt) {
  ccp::Decoder* d = decoder();
  if (!d) return {ccp::DecodeResult::Kind::kDrop, 0, "no method agreed for this direction"};
  return Account(d->Decode(pkt));
}

ccp::DecodeResult CodecCp::DecodeDeferred(Packet& pkt, ccp::CryptRunner& runner,
                                          ccp::CryptJob& job) {
  job = {};
  ccp::Decoder* d = decoder();
  if (!d) return {ccp::DecodeResult::Kind::kDrop, 0, "no method agreed for this direction"};
  return Account(d->DecodeDeferred(pkt, runner, job));
}

ccp::DecodeResult CodecCp::Account(ccp::DecodeResult r) {
  switch (r.kind) {
    case ccp::DecodeResult::Kind::kOk:
      // A method whose resync needs no Reset-Ack (MPPE's flushed packet)
      // is back in step once a packet decodes.
      reset_pending_ = out_of_step_ = false;
      break;
    case ccp::DecodeResult::Kind::kDrop:
      ++counters_.decode_errors;
      PeerError("{}: packet dropped: {}", fsm_.name(), r.why);
      // Still waiting for the peer to reset (MPPE discards everything until
      // a flushed packet): our Reset-Request may have been lost, so it is
      // repeated, at most once per kResetInterval.
      if (out_of_step_) SendResetRequest();
      break;
    case ccp::DecodeResult::Kind::kResetNeeded:
      out_of_step_ = true;
      ++counters_.decode_errors;
      PeerError("{}: packet dropped, asking for a reset: {}", fsm_.name(), r.why);
      SendResetRequest();
      break;
  }
  return r;
}

void CodecCp::SendResetRequest() {
  // RFC 1962 §3.1: one Reset-Request is enough until it is answered; a lost
  // one is repeated after kResetInterval if packets still fail.
  if (reset_pending_) return;
  reset_pending_ = true;
  ++counters_.reset_requests_sent;
  fsm_.SendPacket(static_cast<uint8_t>(CpCode::kResetReq), fsm_.NextId(), {});
  std::weak_ptr<bool> alive = alive_;
  reset_timer_->Start(kResetInterval, [this, alive] {
    auto a = alive.lock();
    if (a && *a) reset_pending_ = false;
  });
}

bool CodecCp::OnOtherCode(const CpPacket& pkt) {
  switch (static_cast<CpCode>(pkt.code)) {
    case CpCode::kResetReq:
      // RFC 1962 §3.1 / RFC 1968 §3.1: only meaningful while Opened.
      ++counters_.reset_requests_rcvd;
      if (encoder_ && opened()) {
        log::Logf(log::Level::kDebug, cat_, "{}: Reset-Request #{}", fsm_.name(), pkt.id);
        if (encoder_->ResetRequested()) {
          ++counters_.reset_acks_sent;
          fsm_.SendPacket(static_cast<uint8_t>(CpCode::kResetAck), pkt.id, pkt.data);
        }
      }
      return true;
    case CpCode::kResetAck:
      // RFC 1962 §3.2: the peer's compressor has reset; so does our decompressor.
      ++counters_.reset_acks_rcvd;
      if (decoder_ && opened()) {
        decoder_->ResetAcked();
        reset_pending_ = false;
        reset_timer_->Stop();
      }
      return true;
    default:
      return false;
  }
}

}  // namespace mlppp::ppp
