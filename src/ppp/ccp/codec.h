// ppp/ccp/: the data transforms CCP (RFC 1962) and ECP (RFC 1968) agree on,
// one direction each: MPPC/MPPE (RFC 2118, RFC 3078), Deflate (RFC 1979),
// Predictor-1 (RFC 1978) here, DESE/DESE-bis (RFC 1969, RFC 2419) in
// ppp/ecp/. Pure byte work: no I/O, no clock, no logging of packet data.
// The bundle owns one Encoder and one Decoder per agreed method and runs
// them on its data path; CCP/ECP create them when the FSM opens and destroy
// them when it leaves Opened.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/packet.h"

namespace mlppp::ppp::ccp {

// What an Encoder did with one packet.
enum class EncodeResult : uint8_t {
  // `info` now holds the information field of a Compressed (0x00FD) or
  // Encrypted (0x0053) datagram, ready to send with that protocol.
  kDatagram,
  // Sent as it was, with its own protocol (RFC 1979 §2.1: Deflate sends an
  // incompressible packet uncompressed; the peer's Decoder sees it through
  // Incompressible()).
  kUncompressed,
  // Could not be sent (e.g. larger than the method allows): drop it.
  kDrop,
};
std::string_view EncodeResultName(EncodeResult r);

// The PPP protocol field at the start of recovered data (RFC 1661 §2,
// §6.5): one octet when its low bit is set (the sender compressed it, as
// Linux's Deflate does), else two. nullopt when `data` is too short.
struct ProtocolField {
  uint16_t protocol = 0;
  size_t length = 0;  // 1 or 2
};
std::optional<ProtocolField> ReadProtocolField(std::span<const uint8_t> data);

class MppeCipher;

// Deferred ciphering, the batched data path: a codec that can does all of
// a packet's work except its RC4 keystream pass and hands that pass back as
// a CryptJob; the caller runs the passes of many sessions together
// (CryptQueue, Rc4ProcessMulti: the streams' serial dependency chains
// overlap) before the packets go on. The job holds the cipher, so it stays
// valid when the codec is destroyed before the pass runs.
struct CryptJob {
  std::shared_ptr<MppeCipher> cipher;  // null: nothing deferred
  std::span<uint8_t> data;             // in place, inside the packet's buffer
  // Key changes (MppeCipher::Rekey) to make just before the pass: stateless
  // MPPE changes the key for every packet (RFC 3078 §7.2), and the queue
  // runs those of several sessions in lockstep (MppeCipher::RekeyMulti).
  uint16_t rekeys = 0;
  explicit operator bool() const { return cipher != nullptr; }
};

// What a deferring codec needs from the queue its jobs go to: before it
// changes a cipher's key itself it has every queued pass run, since those
// passes belong to the old key (RFC 3078 §7: packets are enciphered in
// order on one keystream). Key changes it leaves in a job (`rekeys`) are
// made by the queue in order, so they need no such run.
class CryptRunner {
 public:
  virtual ~CryptRunner() = default;
  virtual void RunQueued() = 0;
};

// The sending half of one method.
class Encoder {
 public:
  virtual ~Encoder() = default;
  // `protocol` is the PPP protocol of `info` (0x0021 IPv4, 0x0057 IPv6, ...).
  // The method covers the protocol field as its RFC and its reference peer
  // do: MPPC/MPPE, Predictor-1 and DESE put the two-octet form inside;
  // Deflate puts one octet for protocols up to 0xFF, as Linux does.
  virtual EncodeResult Encode(uint16_t protocol, Packet& info) = 0;
  // The peer sent a Reset-Request (RFC 1962 §3.1 / RFC 1968 §3.1): the next
  // packet starts from an empty history (and, for MPPE, is flagged flushed).
  // Returns true when a Reset-Ack must answer it (Deflate, Predictor-1,
  // DESE); MPPC/MPPE return false: the flushed bit on the next packet is
  // the answer (RFC 2118 §3.1, RFC 3078 §8).
  virtual bool ResetRequested() = 0;
  // Like Encode, but may leave the keystream pass to the caller: then `job`
  // is set, the result is kDatagram, and `info` may go on only after the
  // job ran. REQUIRES: the caller runs the job before the next call to this
  // Encoder that is not EncodeDeferred with the same runner, and does not
  // touch `info`'s buffer until then. The default defers nothing.
  virtual EncodeResult EncodeDeferred(uint16_t protocol, Packet& info, CryptRunner& /*runner*/,
                                      CryptJob& job) {
    job = {};
    return Encode(protocol, info);
  }
};

struct DecodeResult {
  enum class Kind : uint8_t {
    kOk,           // `pkt` now holds the information field of `protocol`
    kDrop,         // discard this packet, nothing else to do
    kResetNeeded,  // discard and send a Reset-Request (history out of step)
  };
  Kind kind = Kind::kDrop;
  uint16_t protocol = 0;
  // For kDrop/kResetNeeded: a short constant description for counters and
  // rate-limited logs ("bad coherency count", "corrupt data", ...).
  std::string_view why;
};

// The receiving half of one method.
class Decoder {
 public:
  virtual ~Decoder() = default;
  // `pkt` is the information field of a Compressed/Encrypted datagram. On
  // kOk it is replaced by the recovered information field. A hostile `pkt`
  // never makes a Decoder read or write outside its buffers.
  virtual DecodeResult Decode(Packet& pkt) = 0;
  // A packet of `protocol` arrived uncompressed while this method is in use
  // (RFC 1979 §2.1: Deflate adds it to its history).
  virtual void Incompressible(uint16_t /*protocol*/, std::span<const uint8_t> /*info*/) {}
  // The peer answered our Reset-Request with Reset-Ack (RFC 1962 §3.2).
  virtual void ResetAcked() {}
  // Like Decode, but may leave the keystream pass to the caller: then `job`
  // is set, the result is kOk with protocol 0, and once the job ran,
  // FinishDeferred(pkt) gives the real result. Same REQUIRES as
  // Encoder::EncodeDeferred. The default defers nothing.
  virtual DecodeResult DecodeDeferred(Packet& pkt, CryptRunner& /*runner*/, CryptJob& job) {
    job = {};
    return Decode(pkt);
  }
};

// The end of a deferred decode, after its job ran: takes the protocol field
// off the recovered data (`pkt` then holds the information field).
DecodeResult FinishDeferred(Packet& pkt);

}  // namespace mlppp::ppp::ccp
