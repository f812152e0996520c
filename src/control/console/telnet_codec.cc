#include "control/console/telnet_codec.h"

#include <libtelnet.h>

#include <vector>

#include "core/log.h"

namespace mlppp::control::console {
namespace {

// The options we implement (libtelnet refuses every other one for us, with
// WONT/DONT, as RFC 854 asks): we echo (RFC 857) and both sides suppress
// go-ahead (RFC 858). We never ask the peer to echo.
const telnet_telopt_t kTelopts[] = {
    {TELNET_TELOPT_ECHO, TELNET_WILL, TELNET_DONT},
    {TELNET_TELOPT_SGA, TELNET_WILL, TELNET_DO},
    {-1, 0, 0},
};

// One limiter for every console connection, so a peer opening many
// connections cannot flood the log either.
log::RateLimit& Limiter() {
  static log::RateLimit limiter;
  return limiter;
}

}  // namespace

std::string_view TelnetVerbName(TelnetVerb v) {
  switch (v) {
    case TelnetVerb::kWill:
      return "WILL";
    case TelnetVerb::kWont:
      return "WONT";
    case TelnetVerb::kDo:
      return "DO";
    case TelnetVerb::kDont:
      return "DONT";
  }
  return "?";
}

std::string_view TelnetCommandName(uint8_t cmd) {
  static const char* const kNames[] = {"SE", "NOP", "DM", "BRK",  "IP",   "AO", "AYT",  "EC",
                                       "EL", "GA",  "SB", "WILL", "WONT", "DO", "DONT", "IAC"};
  if (cmd >= telnet::kSe) return kNames[cmd - telnet::kSe];
  return "not-a-command";
}

std::string_view TelnetOptionName(uint8_t opt) {
  switch (opt) {
    case 0:
      return "BINARY";
    case 1:
      return "ECHO";
    case 3:
      return "SGA";
    case 5:
      return "STATUS";
    case 6:
      return "TM";
    case 24:
      return "TTYPE";
    case 31:
      return "NAWS";
    case 32:
      return "TSPEED";
    case 33:
      return "LFLOW";
    case 34:
      return "LINEMODE";
    case 36:
      return "ENVIRON";
    case 39:
      return "NEW-ENVIRON";
    case 86:
      return "COMPRESS2";
    default:
      break;
  }
  return "other";
}

// Input is screened before libtelnet sees it: subnegotiations (IAC SB ...
// IAC SE) are dropped here, unread. We implement none, and libtelnet 0.21
// parses some whether or not they were negotiated: its TTYPE, ENVIRON and
// MSSP parsers write a byte past their buffers, and COMPRESS2 switches
// on zlib inflation of the rest of the stream. So libtelnet only ever sees
// data, IAC IAC, IAC <command> and option negotiation. The screen follows
// RFC 854's framing exactly as libtelnet's parser does, including
// "IAC <other> inside SB ends the SB and is a command".
struct TelnetCodec::Impl {
  enum class In : uint8_t { kData, kIac, kNeg, kSbOpt, kSbData, kSbIac };

  Handler* handler;
  telnet_t* tn = nullptr;
  In in = In::kData;
  size_t sb_len = 0;
  bool failed = false;
  bool echo_accepted = false;
  uint64_t errors = 0;
  uint64_t sb_ignored = 0;
  std::vector<char> pass;  // screened bytes for libtelnet, reused

  static void OnEvent(telnet_t*, telnet_event_t* ev, void* user) {
    static_cast<Impl*>(user)->Event(*ev);
  }

  void Fail(std::string_view what) {
    if (failed) return;
    failed = true;
    handler->OnTelnetError(what);
  }

  void Event(const telnet_event_t& ev) {
    switch (ev.type) {
      case TELNET_EV_SEND:
        // Replies to negotiation go out even while failing; nothing else
        // reaches here then.
        handler->OnTelnetSend(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(ev.data.buffer), ev.data.size));
        return;
      case TELNET_EV_DATA:
        if (failed) return;
        handler->OnTelnetData(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(ev.data.buffer), ev.data.size));
        return;
      case TELNET_EV_IAC:
        if (!failed) handler->OnTelnetCommand(ev.iac.cmd);
        return;
      case TELNET_EV_WILL:
      case TELNET_EV_WONT:
      case TELNET_EV_DO:
      case TELNET_EV_DONT: {
        TelnetVerb verb = ev.type == TELNET_EV_WILL   ? TelnetVerb::kWill
                          : ev.type == TELNET_EV_WONT ? TelnetVerb::kWont
                          : ev.type == TELNET_EV_DO   ? TelnetVerb::kDo
                                                      : TelnetVerb::kDont;
        if (ev.neg.telopt == telnet::kOptEcho) {
          if (verb == TelnetVerb::kDo) echo_accepted = true;
          if (verb == TelnetVerb::kDont) echo_accepted = false;
        }
        MLOG_DEBUG(kConsole, "console: telnet peer {} {} ({})", TelnetVerbName(verb),
                   TelnetOptionName(ev.neg.telopt), ev.neg.telopt);
        if (!failed) handler->OnTelnetOption(verb, ev.neg.telopt);
        return;
      }
      case TELNET_EV_WARNING:
        ++errors;
        MLOG_PEER_ERROR(Limiter(), kConsole, "console: telnet protocol error: {}",
                        ev.error.msg ? ev.error.msg : "?");
        return;
      case TELNET_EV_ERROR:
        ++errors;
        MLOG_PEER_ERROR(Limiter(), kConsole, "console: telnet error: {}",
                        ev.error.msg ? ev.error.msg : "?");
        Fail("telnet error");
        return;
      case TELNET_EV_COMPRESS:
        // Cannot happen: the screen drops every subnegotiation.
        Fail("telnet compression");
        return;
      default:
        return;  // subnegotiation events: unreachable, see the screen
    }
  }

  // IAC followed by `b`, outside a subnegotiation.
  void AfterIac(uint8_t b) {
    if (b == telnet::kSb) {
      in = In::kSbOpt;
      return;
    }
    pass.push_back(static_cast<char>(telnet::kIac));
    pass.push_back(static_cast<char>(b));
    in = (b >= static_cast<uint8_t>(TelnetVerb::kWill) &&
          b <= static_cast<uint8_t>(TelnetVerb::kDont))
             ? In::kNeg
             : In::kData;
  }

  // Screens one byte; false when the stream must stop.
  bool Screen(uint8_t b) {
    switch (in) {
      case In::kData:
        if (b == telnet::kIac) {
          in = In::kIac;  // held back until we know it is not IAC SB
        } else {
          pass.push_back(static_cast<char>(b));
        }
        return true;
      case In::kIac:
        AfterIac(b);
        return true;
      case In::kNeg:
        pass.push_back(static_cast<char>(b));
        in = In::kData;
        return true;
      case In::kSbOpt:
        MLOG_DEBUG(kConsole, "console: ignoring telnet subnegotiation {} ({})", TelnetOptionName(b),
                   b);
        sb_len = 0;
        in = In::kSbData;
        return true;
      case In::kSbData:
        if (b == telnet::kIac) {
          in = In::kSbIac;
          return true;
        }
        return CountSb();
      case In::kSbIac:
        if (b == telnet::kIac) {
          in = In::kSbData;
          return CountSb();
        }
        ++sb_ignored;
        if (b == telnet::kSe) {
          in = In::kData;
        } else {
          ++errors;
          MLOG_PEER_ERROR(Limiter(), kConsole,
                          "console: telnet IAC {} ({}) inside a subnegotiation",
                          TelnetCommandName(b), b);
          AfterIac(b);
        }
        return true;
    }
    return true;
  }

  bool CountSb() {
    if (++sb_len <= kMaxSubnegotiation) return true;
    ++errors;
    MLOG_PEER_ERROR(Limiter(), kConsole, "console: telnet subnegotiation over {} bytes",
                    kMaxSubnegotiation);
    return false;
  }
};

TelnetCodec::TelnetCodec(Handler* handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = handler;
  impl_->tn = telnet_init(kTelopts, &Impl::OnEvent, 0, impl_.get());
  if (!impl_->tn) impl_->failed = true;  // out of memory: Receive reports it
}

TelnetCodec::~TelnetCodec() {
  if (impl_->tn) telnet_free(impl_->tn);
}

void TelnetCodec::Start() {
  if (!impl_->tn) return;
  telnet_negotiate(impl_->tn, TELNET_WILL, TELNET_TELOPT_ECHO);
  telnet_negotiate(impl_->tn, TELNET_WILL, TELNET_TELOPT_SGA);
  telnet_negotiate(impl_->tn, TELNET_DO, TELNET_TELOPT_SGA);
}

void TelnetCodec::Receive(std::span<const uint8_t> bytes) {
  Impl& im = *impl_;
  if (!im.tn) {
    im.handler->OnTelnetError("telnet state allocation failed");
    return;
  }
  if (im.failed) return;
  im.pass.clear();
  bool ok = true;
  for (uint8_t b : bytes) {
    if (!(ok = im.Screen(b))) break;
  }
  // What came before an over-long subnegotiation is still delivered, so
  // the handler sees the stream in order up to the failure.
  if (!im.pass.empty()) telnet_recv(im.tn, im.pass.data(), im.pass.size());
  if (!ok) im.Fail("telnet subnegotiation too long");
}

void TelnetCodec::Send(std::span<const uint8_t> bytes) {
  if (!impl_->tn || bytes.empty()) return;
  telnet_send(impl_->tn, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void TelnetCodec::Send(std::string_view text) {
  Send(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

bool TelnetCodec::echo_accepted() const { return impl_->echo_accepted; }
bool TelnetCodec::failed() const { return impl_->failed; }
uint64_t TelnetCodec::protocol_errors() const { return impl_->errors; }
uint64_t TelnetCodec::subnegotiations_ignored() const { return impl_->sb_ignored; }

}  // namespace mlppp::control::console
