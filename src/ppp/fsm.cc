#include "ppp/fsm.h"

#include <algorithm>
#include <deque>
#include <string>

#include "core/log.h"
#include "core/wire.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {

namespace {

// RFC 1661 §4.4 actions, with the RFC's names.
enum Action : uint8_t {
  kNone,
  kTlu,
  kTld,
  kTls,
  kTlf,
  kIrc,
  kZrc,
  kScr,
  kSca,
  kScn,
  kStr,
  kSta,
  kScj,
  kSer
};
constexpr std::string_view kActionNames[] = {"",    "tlu", "tld", "tls", "tlf", "irc", "zrc",
                                             "scr", "sca", "scn", "str", "sta", "scj", "ser"};

constexpr int kNumStates = 10;
constexpr int kNumEvents = 16;
constexpr int kMaxActions = 3;  // the longest cells: irc,scr,sca and tld,irc,str

struct Cell {
  Action actions[kMaxActions];
  int8_t next;  // FsmState, or -1: "-" in the RFC, an illegal event
};

// One cell: actions in the RFC's order, then the next state.
constexpr Cell A(int next, Action a = kNone, Action b = kNone, Action c = kNone) {
  return Cell{{a, b, c}, static_cast<int8_t>(next)};
}
constexpr Cell X = Cell{{kNone, kNone, kNone}, -1};

// RFC 1661 §4.1 state transition table, transcribed cell by cell.
// Columns: 0 Initial, 1 Starting, 2 Closed, 3 Stopped, 4 Closing, 5 Stopping,
// 6 Req-Sent, 7 Ack-Rcvd, 8 Ack-Sent, 9 Opened.
// The [r] restart option is not implemented (the RFC leaves it optional), so
// those cells are plain next states; [x] crossed connections need nothing
// special; [p] passive is applied in Dispatch().
// clang-format off
constexpr Cell kTransitions[kNumEvents][kNumStates] = {
  /* Up   */ {A(2), A(6, kIrc, kScr), X, X, X, X, X, X, X, X},
  /* Down */ {X, X, A(0), A(1, kTls), A(0), A(1), A(1), A(1), A(1), A(1, kTld)},
  /* Open */ {A(1, kTls), A(1), A(6, kIrc, kScr), A(3), A(5), A(5), A(6), A(7), A(8), A(9)},
  /* Close*/ {A(0), A(0, kTlf), A(2), A(2), A(4), A(4), A(4, kIrc, kStr), A(4, kIrc, kStr),
              A(4, kIrc, kStr), A(4, kTld, kIrc, kStr)},
  /* TO+  */ {X, X, X, X, A(4, kStr), A(5, kStr), A(6, kScr), A(6, kScr), A(8, kScr), X},
  /* TO-  */ {X, X, X, X, A(2, kTlf), A(3, kTlf), A(3, kTlf), A(3, kTlf), A(3, kTlf), X},
  /* RCR+ */ {X, X, A(2, kSta), A(8, kIrc, kScr, kSca), A(4), A(5), A(8, kSca), A(9, kSca, kTlu),
              A(8, kSca), A(8, kTld, kScr, kSca)},
  /* RCR- */ {X, X, A(2, kSta), A(6, kIrc, kScr, kScn), A(4), A(5), A(6, kScn), A(7, kScn),
              A(6, kScn), A(6, kTld, kScr, kScn)},
  /* RCA  */ {X, X, A(2, kSta), A(3, kSta), A(4), A(5), A(7, kIrc), A(6, kScr), A(9, kIrc, kTlu),
              A(6, kTld, kScr)},
  /* RCN  */ {X, X, A(2, kSta), A(3, kSta), A(4), A(5), A(6, kIrc, kScr), A(6, kScr),
              A(8, kIrc, kScr), A(6, kTld, kScr)},
  /* RTR  */ {X, X, A(2, kSta), A(3, kSta), A(4, kSta), A(5, kSta), A(6, kSta), A(6, kSta),
              A(6, kSta), A(5, kTld, kZrc, kSta)},
  /* RTA  */ {X, X, A(2), A(3), A(2, kTlf), A(3, kTlf), A(6), A(6), A(8), A(6, kTld, kScr)},
  /* RUC  */ {X, X, A(2, kScj), A(3, kScj), A(4, kScj), A(5, kScj), A(6, kScj), A(7, kScj),
              A(8, kScj), A(9, kScj)},
  /* RXJ+ */ {X, X, A(2), A(3), A(4), A(5), A(6), A(6), A(8), A(9)},
  /* RXJ- */ {X, X, A(2, kTlf), A(3, kTlf), A(2, kTlf), A(3, kTlf), A(3, kTlf), A(3, kTlf),
              A(3, kTlf), A(5, kTld, kIrc, kStr)},
  /* RXR  */ {X, X, A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9, kSer)},
};
// clang-format on

// States in which the restart timer runs (RFC 1661 §4.2).
bool TimerRuns(FsmState s) {
  return s == FsmState::kClosing || s == FsmState::kStopping || s == FsmState::kReqSent ||
         s == FsmState::kAckRcvd || s == FsmState::kAckSent;
}
bool Negotiating(FsmState s) {
  return s == FsmState::kReqSent || s == FsmState::kAckRcvd || s == FsmState::kAckSent;
}

constexpr size_t kCodeRejMax = 1500 - 4;  // RFC 1661 §5.6: fit the peer's default MRU

}  // namespace

std::string_view FsmStateName(FsmState s) {
  switch (s) {
    case FsmState::kInitial:
      return "Initial";
    case FsmState::kStarting:
      return "Starting";
    case FsmState::kClosed:
      return "Closed";
    case FsmState::kStopped:
      return "Stopped";
    case FsmState::kClosing:
      return "Closing";
    case FsmState::kStopping:
      return "Stopping";
    case FsmState::kReqSent:
      return "Req-Sent";
    case FsmState::kAckRcvd:
      return "Ack-Rcvd";
    case FsmState::kAckSent:
      return "Ack-Sent";
    case FsmState::kOpened:
      return "Opened";
  }
  return "unknown";
}

std::string_view FsmEventName(FsmEvent e) {
  switch (e) {
    case FsmEvent::kUp:
      return "Up";
    case FsmEvent::kDown:
      return "Down";
    case FsmEvent::kOpen:
      return "Open";
    case FsmEvent::kClose:
      return "Close";
    case FsmEvent::kTOPlus:
      return "TO+";
    case FsmEvent::kTOMinus:
      return "TO-";
    case FsmEvent::kRCRPlus:
      return "RCR+";
    case FsmEvent::kRCRMinus:
      return "RCR-";
    case FsmEvent::kRCA:
      return "RCA";
    case FsmEvent::kRCN:
      return "RCN";
    case FsmEvent::kRTR:
      return "RTR";
    case FsmEvent::kRTA:
      return "RTA";
    case FsmEvent::kRUC:
      return "RUC";
    case FsmEvent::kRXJPlus:
      return "RXJ+";
    case FsmEvent::kRXJMinus:
      return "RXJ-";
    case FsmEvent::kRXR:
      return "RXR";
  }
  return "unknown";
}

struct Fsm::Impl {
  std::unique_ptr<event::Timer> timer;
  int restart_count = 0;  // RFC 1661 §4.6 Restart counter
  int naks_sent = 0;      // consecutive Naks sent, for Max-Failure
  // Our last Configure-Request: replies must carry its id (RFC 1661 §5.2).
  uint8_t req_id = 0;
  bool req_outstanding = false;  // sent, no valid reply yet
  bool req_valid = false;        // req_* hold a request (for retransmission)
  std::vector<CpOption> req_opts;
  std::vector<uint8_t> req_data;
  // The packet behind the event being applied, for sca/scn/sta/scj/ser.
  const CpPacket* cur = nullptr;
  ConfReqVerdict verdict;
  bool busy = false;
  std::deque<std::function<void()>> deferred;
  Counters counters;
  log::RateLimit limiter;
  std::string tag;  // "[LCP]" or "[name LCP]": every log line names the protocol
};

Fsm::Fsm(event::Loop& loop, uint16_t protocol, std::string name, FsmHandler& handler,
         ControlSender send, FsmConfig config)
    : impl_(std::make_unique<Impl>()),
      loop_(loop),
      protocol_(protocol),
      name_(std::move(name)),
      handler_(handler),
      send_(std::move(send)),
      config_(config) {
  impl_->timer = loop_.CreateTimer();
  std::string_view proto = ProtoName(protocol_);
  impl_->tag = name_ == proto ? fmt::format("[{}]", proto) : fmt::format("[{} {}]", name_, proto);
}

Fsm::~Fsm() = default;

const Fsm::Counters& Fsm::counters() const { return impl_->counters; }

void Fsm::Up() {
  Serialized([this] { Dispatch(FsmEvent::kUp); });
}
void Fsm::Down() {
  Serialized([this] { Dispatch(FsmEvent::kDown); });
}
void Fsm::Open() {
  Serialized([this] { Dispatch(FsmEvent::kOpen); });
}
void Fsm::Close(std::string_view reason) {
  Serialized([this, r = std::string(reason)] {
    MLOG_INFO(kFsm, "{} close: {}", impl_->tag, r);
    Dispatch(FsmEvent::kClose, r);
  });
}
void Fsm::ProtocolRejected() {
  Serialized([this] { Dispatch(FsmEvent::kRXJMinus, "peer rejected protocol"); });
}
void Fsm::Inject(FsmEvent ev) {
  Serialized([this, ev] { Dispatch(ev); });
}
void Fsm::Input(std::span<const uint8_t> info) {
  if (!impl_->busy) {
    Serialized([this, info] { HandleInput(info); });
    return;
  }
  // Called from inside an event: keep a copy, the span may not outlive it.
  Serialized(
      [this, bytes = std::vector<uint8_t>(info.begin(), info.end())] { HandleInput(bytes); });
}

void Fsm::Serialized(std::function<void()> fn) {
  if (impl_->busy) {
    impl_->deferred.push_back(std::move(fn));
    return;
  }
  impl_->busy = true;
  fn();
  while (!impl_->deferred.empty()) {
    auto next = std::move(impl_->deferred.front());
    impl_->deferred.pop_front();
    next();
  }
  impl_->busy = false;
}

void Fsm::Dispatch(FsmEvent ev, std::string_view reason) {
  const FsmState from = state_;
  Cell cell = kTransitions[static_cast<int>(ev)][static_cast<int>(from)];
  if (cell.next < 0) {
    ++impl_->counters.illegal_events;
    MLOG_DEBUG(kFsm, "{} illegal event {} in state {}, ignored", impl_->tag, FsmEventName(ev),
               FsmStateName(from));
    return;
  }
  // RFC 1661 §4.2 Stopped / §4.4 passive option: do not send Configure-Requests,
  // wait in Stopped for the peer's.
  if (config_.passive && ((ev == FsmEvent::kUp && from == FsmState::kStarting) ||
                          (ev == FsmEvent::kOpen && from == FsmState::kClosed))) {
    cell = A(static_cast<int>(FsmState::kStopped));
  }
  if (!reason.empty()) {
    failure_ = std::string(reason);
  } else if (ev == FsmEvent::kTOMinus && Negotiating(from)) {
    failure_ = "max-configure exceeded";
  } else if (ev == FsmEvent::kRTR && (Negotiating(from) || from == FsmState::kOpened)) {
    failure_ = "terminated by peer";
  }
  const FsmState to = static_cast<FsmState>(cell.next);
  bool terminating = false;
  std::string acts;
  for (Action a : cell.actions) {
    if (a == kNone) continue;
    if (a == kStr) terminating = true;
    if (!acts.empty()) acts += ',';
    acts += kActionNames[a];
  }
  MLOG_DEBUG(kFsm, "{} {}: {} -> {}{}{}", impl_->tag, FsmEventName(ev), FsmStateName(from),
             FsmStateName(to), acts.empty() ? "" : " ", acts);
  if (from != to)
    MLOG_INFO(kFsm, "{} state {} -> {}", impl_->tag, FsmStateName(from), FsmStateName(to));
  // The new state is visible to the layer actions (tlu sees Opened, tlf sees
  // Closed/Stopped); events they raise are queued by Serialized().
  state_ = to;
  for (Action a : cell.actions) {
    if (a != kNone) RunAction(a, from, ev, terminating);
  }
  if (!TimerRuns(state_)) impl_->timer->Stop();
}

void Fsm::RunAction(uint8_t action, FsmState from, FsmEvent ev, bool terminating) {
  Impl& m = *impl_;
  const uint8_t rx_id = m.cur ? m.cur->id : 0;
  switch (static_cast<Action>(action)) {
    case kNone:
      break;
    case kTlu:
      handler_.ThisLayerUp();
      break;
    case kTld:
      handler_.ThisLayerDown();
      break;
    case kTls:
      handler_.ThisLayerStarted();
      break;
    case kTlf:
      handler_.ThisLayerFinished();
      break;
    case kIrc:
      // §4.4: Max-Terminate before Terminate-Requests, else Max-Configure.
      m.restart_count = terminating ? config_.max_terminate : config_.max_configure;
      break;
    case kZrc:
      // §4.4 zrc: no retransmissions, but wait one restart period (§5.2).
      m.restart_count = 0;
      StartTimer();
      break;
    case kScr:
      SendConfReq(ev == FsmEvent::kTOPlus, !Negotiating(from));
      break;
    case kSca:
      m.naks_sent = 0;
      SendPacket(static_cast<uint8_t>(CpCode::kConfAck), rx_id,
                 m.cur ? std::span<const uint8_t>(m.cur->data) : std::span<const uint8_t>());
      break;
    case kScn: {
      bool nak = m.verdict.kind == ConfReqVerdict::Kind::kNak;
      if (nak) ++m.naks_sent;
      auto data = SerializeOptions(m.verdict.options);
      SendPacket(static_cast<uint8_t>(nak ? CpCode::kConfNak : CpCode::kConfRej), rx_id, data);
      break;
    }
    case kStr:
      SendTermReq();
      break;
    case kSta:
      SendPacket(static_cast<uint8_t>(CpCode::kTermAck), rx_id, {});
      break;
    case kScj: {
      // §5.6: the rejected packet from its Code field on, cut to fit.
      std::vector<uint8_t> rejected;
      if (m.cur) {
        Packet p = SerializeCpPacket(*m.cur);
        auto s = p.span();
        rejected.assign(s.begin(), s.begin() + std::min(s.size(), kCodeRejMax));
      }
      SendPacket(static_cast<uint8_t>(CpCode::kCodeRej), NextId(), rejected);
      break;
    }
    case kSer:
      // §5.8: Echo-Request/Reply and Discard-Request are the handler's (LCP's
      // magic number goes into the reply).
      if (m.cur) handler_.OnOtherCode(*m.cur);
      break;
  }
}

void Fsm::SendConfReq(bool retransmit, bool new_negotiation) {
  Impl& m = *impl_;
  if (new_negotiation) {
    handler_.ResetOptions();
    m.naks_sent = 0;
  }
  // §5.1: a retransmission may keep its Identifier; a new request (or one
  // after a valid reply) gets a new one.
  if (!(retransmit && m.req_outstanding && m.req_valid)) {
    m.req_opts = handler_.BuildConfReq();
    m.req_data = SerializeOptions(m.req_opts);
    m.req_id = NextId();
    m.req_valid = true;
  }
  m.req_outstanding = true;
  SendPacket(static_cast<uint8_t>(CpCode::kConfReq), m.req_id, m.req_data);
  --m.restart_count;
  StartTimer();
}

void Fsm::SendTermReq() {
  // Terminate-Request carries no data (the reason is only logged).
  SendPacket(static_cast<uint8_t>(CpCode::kTermReq), NextId(), {});
  --impl_->restart_count;
  StartTimer();
}

void Fsm::StartTimer() {
  impl_->timer->Start(config_.restart, [this] { Serialized([this] { Timeout(); }); });
}

void Fsm::Timeout() {
  // §4.6: the counter is decremented per transmission; at zero, TO-.
  Dispatch(impl_->restart_count > 0 ? FsmEvent::kTOPlus : FsmEvent::kTOMinus);
}

void Fsm::SendPacket(uint8_t code, uint8_t id, std::span<const uint8_t> data) {
  CpPacket p;
  p.code = code;
  p.id = id;
  p.data.assign(data.begin(), data.end());
  MLOG_DEBUG(kFsm, "{} send {} id={} len={}", impl_->tag, CpCodeName(code), id, data.size() + 4);
  send_(protocol_, SerializeCpPacket(p));
}

void Fsm::HandleInput(std::span<const uint8_t> info) {
  Impl& m = *impl_;
  auto pkt = ParseCpPacket(info);
  if (!pkt) {
    ++m.counters.bad_packets;
    MLOG_PEER_ERROR(m.limiter, kFsm, "{} malformed packet ({} octets) dropped", m.tag, info.size());
    return;
  }
  MLOG_DEBUG(kFsm, "{} recv {} id={} len={} in {}", m.tag, CpCodeName(pkt->code), pkt->id,
             pkt->data.size() + 4, FsmStateName(state_));
  // §4.2: the lower layer is down; nothing can have been sent to us.
  if (state_ == FsmState::kInitial || state_ == FsmState::kStarting) {
    ++m.counters.illegal_events;
    MLOG_PEER_ERROR(m.limiter, kFsm, "{} {} while {}, dropped", m.tag, CpCodeName(pkt->code),
                    FsmStateName(state_));
    return;
  }
  m.cur = &*pkt;
  switch (static_cast<CpCode>(pkt->code)) {
    case CpCode::kConfReq:
      RecvConfReq(*pkt);
      break;
    case CpCode::kConfAck:
    case CpCode::kConfNak:
    case CpCode::kConfRej:
      RecvConfReply(*pkt);
      break;
    case CpCode::kTermReq:
      Dispatch(FsmEvent::kRTR);
      break;
    case CpCode::kTermAck:
      Dispatch(FsmEvent::kRTA);
      break;
    case CpCode::kCodeRej:
      RecvCodeRej(*pkt);
      break;
    default:
      RecvOther(*pkt);
      break;
  }
  m.cur = nullptr;
}

void Fsm::RecvConfReq(const CpPacket& pkt) {
  Impl& m = *impl_;
  auto opts = ParseOptions(pkt.data);
  if (!opts) {
    ++m.counters.bad_packets;
    MLOG_PEER_ERROR(m.limiter, kFsm, "{} ConfReq id={} with malformed options dropped", m.tag,
                    pkt.id);
    return;
  }
  FsmEvent ev = FsmEvent::kRCRPlus;
  // Only these states act on the verdict (§4.1 RCR+/RCR- columns differ).
  if (state_ == FsmState::kStopped || Negotiating(state_) || state_ == FsmState::kOpened) {
    m.verdict = handler_.CheckConfReq(*opts);
    if (m.verdict.kind == ConfReqVerdict::Kind::kNak && m.naks_sent >= config_.max_failure) {
      // §4.6 Max-Failure: not converging; reject the options as received.
      std::vector<CpOption> rej;
      for (const CpOption& o : *opts) {
        bool naked = std::any_of(m.verdict.options.begin(), m.verdict.options.end(),
                                 [&](const CpOption& n) { return n.type == o.type; });
        if (naked) rej.push_back(o);
      }
      if (!rej.empty()) {
        ++m.counters.naks_converted;
        MLOG_INFO(kFsm, "{} {} Naks without convergence: rejecting instead", m.tag, m.naks_sent);
        m.verdict = ConfReqVerdict{ConfReqVerdict::Kind::kRej, std::move(rej)};
      }
    }
    if (m.verdict.kind != ConfReqVerdict::Kind::kAck) ev = FsmEvent::kRCRMinus;
  }
  Dispatch(ev);
}

void Fsm::RecvConfReply(const CpPacket& pkt) {
  Impl& m = *impl_;
  const auto code = static_cast<CpCode>(pkt.code);
  const bool ours = Negotiating(state_) || state_ == FsmState::kOpened;
  if (ours && (!m.req_outstanding || pkt.id != m.req_id)) {
    // §5.2-5.4: a reply must match the Identifier of our last request.
    ++m.counters.stale_replies;
    MLOG_DEBUG(kFsm, "{} {} id={} does not answer ConfReq id={}, discarded", m.tag,
               CpCodeName(pkt.code), pkt.id, m.req_id);
    return;
  }
  auto opts = ParseOptions(pkt.data);
  if (!opts) {
    ++m.counters.bad_packets;
    MLOG_PEER_ERROR(m.limiter, kFsm, "{} {} with malformed options dropped", m.tag,
                    CpCodeName(pkt.code));
    return;
  }
  if (ours) {
    if (code == CpCode::kConfAck && pkt.data != m.req_data) {
      // §5.2: the options of an Ack must be exactly those we sent.
      ++m.counters.bad_acks;
      MLOG_PEER_ERROR(m.limiter, kFsm, "{} ConfAck id={} does not match our request, dropped",
                      m.tag, pkt.id);
      return;
    }
    if (code == CpCode::kConfRej) {
      // §5.4: rejected options are a subset of ours, unmodified.
      for (const CpOption& o : *opts) {
        if (std::find(m.req_opts.begin(), m.req_opts.end(), o) == m.req_opts.end()) {
          ++m.counters.bad_packets;
          MLOG_PEER_ERROR(m.limiter, kFsm, "{} ConfRej id={} rejects option {} we did not send",
                          m.tag, pkt.id, o.type);
          return;
        }
      }
    }
    m.req_outstanding = false;
    const size_t queued = m.deferred.size();
    if (code == CpCode::kConfAck) {
      handler_.OnConfAck(*opts);
    } else if (code == CpCode::kConfNak) {
      handler_.OnConfNak(*opts);
    } else {
      handler_.OnConfRej(*opts);
    }
    if (m.deferred.size() > queued) {
      // The handler gave up (e.g. LCP: "peer refused authentication") and
      // called Close(): do not send the new ConfReq that RCN would, which the
      // peer might ack just before our Terminate-Request.
      MLOG_DEBUG(kFsm, "{} handler raised an event; {} not applied", m.tag, CpCodeName(pkt.code));
      return;
    }
  }
  Dispatch(code == CpCode::kConfAck ? FsmEvent::kRCA : FsmEvent::kRCN);
}

void Fsm::RecvCodeRej(const CpPacket& pkt) {
  Impl& m = *impl_;
  WireReader r(pkt.data);
  uint8_t rejected = r.U8();
  if (!r.ok()) {
    ++m.counters.bad_packets;
    MLOG_PEER_ERROR(m.limiter, kFsm, "{} empty CodeRej dropped", m.tag);
    return;
  }
  MLOG_WARN(kFsm, "{} peer rejected code {} ({})", m.tag, rejected, CpCodeName(rejected));
  // §5.6: a rejected code we cannot do without (1..7) is catastrophic.
  if (rejected >= static_cast<uint8_t>(CpCode::kConfReq) &&
      rejected <= static_cast<uint8_t>(CpCode::kCodeRej)) {
    Dispatch(FsmEvent::kRXJMinus, "peer rejected mandatory code");
  } else {
    Dispatch(FsmEvent::kRXJPlus);
  }
}

void Fsm::RecvOther(const CpPacket& pkt) {
  Impl& m = *impl_;
  const auto code = static_cast<CpCode>(pkt.code);
  const bool lcp = protocol_ == static_cast<uint16_t>(Proto::kLcp);
  if (lcp && code == CpCode::kProtRej) {
    // §5.7: RXJ- if the peer rejects LCP itself, else RXJ+ (the handler tells
    // the rejected protocol's owner).
    WireReader r(pkt.data);
    uint16_t rejected = r.U16();
    if (!r.ok()) {
      ++m.counters.bad_packets;
      MLOG_PEER_ERROR(m.limiter, kFsm, "{} short ProtoRej dropped", m.tag);
      return;
    }
    handler_.OnOtherCode(pkt);
    if (rejected == protocol_) {
      Dispatch(FsmEvent::kRXJMinus, "peer rejected protocol");
    } else {
      Dispatch(FsmEvent::kRXJPlus);
    }
  } else if (lcp && (code == CpCode::kEchoReq || code == CpCode::kEchoReply ||
                     code == CpCode::kDiscardReq)) {
    Dispatch(FsmEvent::kRXR);  // ser hands it to the handler in Opened only (§5.8)
  } else if (!handler_.OnOtherCode(pkt)) {
    Dispatch(FsmEvent::kRUC);
  }
}

}  // namespace mlppp::ppp
