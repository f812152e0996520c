// EAP over PPP (RFC 3748, protocol 0xc227), both roles, as mpd5's eap.c:
// Identity, MD5-Challenge checked through the back end as CHAP-MD5 (same
// digest, RFC 3748 §5.4), and pass-through of every method to the back end
// (RADIUS EAP-Message, RFC 3579) with `set eap enable radius-proxy`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/log.h"
#include "ppp/auth/auth.h"
#include "ppp/auth/auth_base.h"
#include "ppp/auth/eap_packet.h"

namespace mlppp::ppp {

inline constexpr size_t kEapMd5ChallengeSize = 16;

// Authenticator side (RFC 3748 §2, §4.1). Start() sends Request/Identity.
//
// Local mode: after the Identity Response, sends Request/MD5-Challenge (16
// random octets, empty Name) and asks the back end with
// AuthRequest{kChapMd5, user = identity, chap_id = EAP Identifier,
// chap_challenge, chap_response}, so any back end that checks CHAP-MD5
// checks EAP-MD5. A legacy Nak of MD5 (§5.3.1) ends in Failure.
//
// radius_proxy: every Response, the Identity one included, goes to the back
// end as AuthRequest{kEap, user = identity, eap_message = the whole packet,
// state = State from the last result}. A `challenge` result's eap_message
// (a complete EAP Request) is sent to the peer verbatim; `ok` sends its
// eap_message when that is an EAP Success, else a Success we build; a
// reject sends its eap_message when that is an EAP Failure, else ours.
//
// Every Request is retransmitted every timing.retry up to timing.max_tries
// (§4.1: the authenticator retransmits, the peer does not); Identifiers
// increment per new Request; a Response with another Identifier, or while
// the back end is being asked, is dropped. Success/Failure carry the
// Identifier of the last Response (§4.2) and are not retransmitted.
class EapAuthenticator : public AuthenticatorBase {
 public:
  EapAuthenticator(event::Loop& loop, ControlSender send, aaa::AuthBackend& backend,
                   RandomFill random, AuthTiming timing, EapOptions options,
                   std::function<void(AuthOutcome)> done);

  void Start() override;
  void Input(std::span<const uint8_t> info) override;

 private:
  // Sends a new Request (next Identifier unless it comes from the back end).
  void SendRequest(std::vector<uint8_t> packet, uint8_t id, uint8_t type);
  void Transmit();
  void OnIdentity(const EapPacket& p);
  void OnMd5Response(const EapPacket& p);
  void AskBackend(const aaa::AuthRequest& req, bool proxy);
  void OnVerdict(aaa::AuthResult result);
  void OnProxyResult(aaa::AuthResult result);
  void SendFinal(bool ok, std::vector<uint8_t> packet);
  void Fail(std::string message, bool send_failure);
  // Peer-supplied Identity, made printable for the verdict line.
  std::string LogName(const std::string& name) const override;

  RandomFill random_;
  EapOptions options_;
  uint8_t id_ = 0;                   // Identifier of the outstanding Request
  uint8_t request_type_ = 0;         // its Type
  std::vector<uint8_t> request_;     // its bytes, for retransmission
  std::vector<uint8_t> challenge_;   // local MD5 mode
  std::vector<uint8_t> state_attr_;  // radius-proxy: RADIUS State
};

// Peer side (RFC 3748 §2, §5): answers Request/Identity with authname,
// Request/Notification with an empty Notification, Request/MD5-Challenge
// with MD5(Identifier || password || Value) (§5.4, RFC 1994 §4.1), and any
// other method with a legacy Nak proposing MD5 (§5.3.1). A Request repeating
// the Identifier just answered gets the same Response again (§4.1). Ends on
// Success/Failure for the last answered Identifier, or when timing.overall
// passes first.
class EapPeer : public AuthPeerBase {
 public:
  EapPeer(event::Loop& loop, ControlSender send, std::string authname, std::string password,
          AuthTiming timing, std::function<void(bool ok, std::string message)> done);

  void Input(std::span<const uint8_t> info) override;

  uint64_t responses_sent() const { return responses_sent_; }

 private:
  void Respond(const EapPacket& req);

  std::string authname_;
  std::string password_;
  bool answered_ = false;
  uint8_t id_ = 0;                 // Identifier of the last Response
  std::vector<uint8_t> response_;  // the last Response, for repeats
  uint64_t responses_sent_ = 0;
};

}  // namespace mlppp::ppp
