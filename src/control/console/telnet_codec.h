// control/console: mlpppd's telnet console (mpd5 console.c), one
// ConsoleSession per TCP connection, owned by a ConsoleServer.
//
// TelnetCodec: the telnet layer of one connection (RFC 854), a thin
// wrapper over libtelnet kept behind a pimpl so no libtelnet type leaks
// out. Bytes from the peer go in through Receive(); the user's data bytes,
// IAC commands and option negotiations come out through the Handler, and
// every byte to put on the wire (our data with IAC doubled, negotiation
// replies) goes out through Handler::OnTelnetSend.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace mlppp::control::console {

// RFC 854 option negotiation verbs (wire codes 251..254).
enum class TelnetVerb : uint8_t { kWill = 251, kWont = 252, kDo = 253, kDont = 254 };
std::string_view TelnetVerbName(TelnetVerb v);

// RFC 854 commands (IAC x) and the options we name in logs.
namespace telnet {
inline constexpr uint8_t kSe = 240;
inline constexpr uint8_t kNop = 241;
inline constexpr uint8_t kDataMark = 242;
inline constexpr uint8_t kBreak = 243;
inline constexpr uint8_t kInterruptProcess = 244;
inline constexpr uint8_t kAbortOutput = 245;
inline constexpr uint8_t kAreYouThere = 246;
inline constexpr uint8_t kEraseChar = 247;
inline constexpr uint8_t kEraseLine = 248;
inline constexpr uint8_t kGoAhead = 249;
inline constexpr uint8_t kSb = 250;
inline constexpr uint8_t kIac = 255;

inline constexpr uint8_t kOptEcho = 1;  // RFC 857
inline constexpr uint8_t kOptSga = 3;   // RFC 858, suppress go-ahead
}  // namespace telnet
// "NOP", "IP", ... ("not-a-command" below SE).
std::string_view TelnetCommandName(uint8_t cmd);
// "ECHO", "SGA", "NAWS", ... ("other" for the rest; logs add the number).
std::string_view TelnetOptionName(uint8_t opt);

class TelnetCodec {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // The user's bytes, IAC IAC already turned into one 0xff.
    virtual void OnTelnetData(std::span<const uint8_t> bytes) = 0;
    // Bytes for the wire. May be called from inside any codec call.
    virtual void OnTelnetSend(std::span<const uint8_t> bytes) = 0;
    // IAC <cmd> (IP, EC, EL, AYT, ...).
    virtual void OnTelnetCommand(uint8_t /*cmd*/) {}
    // An option the peer enabled or disabled, after the RFC 1143 Q-method
    // negotiation libtelnet runs (refusals of options we do not implement
    // are sent without reaching here).
    virtual void OnTelnetOption(TelnetVerb /*verb*/, uint8_t /*opt*/) {}
    // The stream cannot go on (hostile or broken input): close it. The
    // codec ignores further input after this.
    virtual void OnTelnetError(std::string_view what) = 0;
  };

  // Longest subnegotiation we sit through (we implement none; a peer that
  // sends a longer one is not a telnet client worth talking to).
  static constexpr size_t kMaxSubnegotiation = 1024;

  // REQUIRES: handler outlives the codec.
  explicit TelnetCodec(Handler* handler);
  ~TelnetCodec();
  TelnetCodec(const TelnetCodec&) = delete;
  TelnetCodec& operator=(const TelnetCodec&) = delete;

  // What mpd5 sends on connect: WILL ECHO, WILL SGA, DO SGA, so the client
  // sends characters as typed and we echo and edit the line (RFC 857/858).
  void Start();
  // Bytes from the peer, cut anywhere.
  void Receive(std::span<const uint8_t> bytes);
  // Our data for the peer; IAC bytes are doubled. No newline translation.
  void Send(std::span<const uint8_t> bytes);
  void Send(std::string_view text);

  // Whether the peer agreed to let us echo (DO ECHO after our WILL ECHO).
  bool echo_accepted() const;
  bool failed() const;
  // Telnet protocol errors and warnings seen (counted, rate-limited logs).
  uint64_t protocol_errors() const;
  // Subnegotiations dropped unread.
  uint64_t subnegotiations_ignored() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlppp::control::console
