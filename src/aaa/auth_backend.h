// aaa/: authentication and accounting back ends. The PPP authenticators
// build an AuthRequest from the wire and ask an AuthBackend; back ends answer
// asynchronously (through the loop), so PAM, RADIUS or scripts never block.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlppp::aaa {

// kEap: an EAP Response to pass through to the back end (RADIUS EAP-Message,
// RFC 3579); EAP-MD5 checked locally arrives as kChapMd5 (same digest).
enum class AuthProto : uint8_t { kPap, kChapMd5, kChapMsV1, kChapMsV2, kEap };
std::string_view AuthProtoName(AuthProto p);

// Where the login comes from, for back ends that report it (RADIUS NAS
// attributes, ext-auth request lines). Filled in by the link, not the wire.
struct SessionContext {
  std::string link;             // link name (mpd-link, ext-auth LINK)
  std::string session_id;       // Acct-Session-Id
  std::string link_type;        // "pppoe", ... (NAS-Port-Type)
  std::string calling_station;  // PPPoE: the peer's MAC (Calling-Station-Id)
  std::string called_station;   // PPPoE: our MAC (Called-Station-Id)
  std::string iface;            // the Ethernet interface (NAS-Port-Id)
  uint32_t nas_port = 0;        // link number (NAS-Port)
};

// What the peer sent, as the authenticator saw it.
struct AuthRequest {
  AuthProto proto = AuthProto::kPap;
  std::string user;
  std::string pap_password;             // PAP (RFC 1334 §2.2.1)
  uint8_t chap_id = 0;                  // CHAP (RFC 1994 §4.1), also MS-CHAP
  std::vector<uint8_t> chap_challenge;  // CHAP: ours; MS-CHAPv1: 8 bytes; MS-CHAPv2: 16 bytes
  // CHAP-MD5: the 16-byte digest. MS-CHAPv1 (RFC 2433 §3): the 49-byte
  // Response value (LM 24, NT 24, flags 1). MS-CHAPv2 (RFC 2759 §4): the
  // 49-byte Response value (Peer-Challenge 16, reserved 8, NT 24, flags 1).
  std::vector<uint8_t> chap_response;
  std::vector<uint8_t> eap_message;  // kEap: the whole EAP packet (RFC 3748 §4)
  std::vector<uint8_t> state;        // kEap: RADIUS State from the last challenge
  SessionContext ctx;
};

// MPPE start keys (RFC 3079 §3.3, §2.4), from the authenticator's side:
// `send` encrypts what we send, `recv` decrypts what we receive. 128-bit
// length; 40- and 56-bit keys are derived from them by CCP (RFC 3079 §3.5).
struct MppeKeys {
  std::array<uint8_t, 16> send{};
  std::array<uint8_t, 16> recv{};
};

struct AuthResult {
  bool ok = false;
  // EAP pass-through: neither accept nor reject yet; send eap_message to
  // the peer and call again with its answer (RADIUS Access-Challenge).
  bool challenge = false;
  // Not ok, but no verdict either: the back end could not decide (RADIUS
  // server unreachable, PAM asked about CHAP, ext-auth said UNDEF without a
  // password). mpd5 then tries the next back end (auth.c AuthAsync).
  bool undecided = false;
  std::string message;                // reason for logs/Failure packet; never a secret
  std::optional<uint32_t> framed_ip;  // address the back end assigns the peer (host order)
  uint8_t framed_ip_width = 32;
  std::optional<uint32_t> framed_netmask;  // RADIUS Framed-IP-Netmask
  std::string framed_pool;                 // RADIUS Framed-Pool / ext-auth FRAMED_POOL
  std::vector<std::string> framed_routes;  // RADIUS Framed-Route, as sent
  std::optional<uint16_t> framed_mtu;
  std::optional<uint32_t> session_timeout;         // seconds
  std::optional<uint32_t> idle_timeout;            // seconds
  std::optional<uint32_t> acct_interim;            // seconds (Acct-Interim-Interval)
  std::optional<uint32_t> dns[2];                  // host order
  std::vector<std::vector<uint8_t>> radius_class;  // RADIUS Class, echoed in accounting
  // MS-CHAPv2: the 42-character "S=..." authenticator response (RFC 2759
  // §5) to put in the Success packet; MS-CHAP failures: the "E=691 R=0 ..."
  // text (RFC 2759 §6, RFC 2433 §3) for the Failure packet.
  std::string mschap_success;
  std::string mschap_error;
  std::optional<MppeKeys> mppe;      // from MS-CHAP or RADIUS MS-MPPE-*-Key
  // RADIUS MS-MPPE-Encryption-Policy (1 allowed, 2 required) and -Types
  // (bits: 2 = 40-bit, 4 = 128-bit, 8 = 56-bit), RFC 2548 §2.4.4-2.4.5;
  // applied with mpd5's `set mppc enable policy`.
  std::optional<uint32_t> mppe_policy;
  std::optional<uint32_t> mppe_types;
  std::vector<uint8_t> eap_message;  // EAP packet for the peer (pass-through)
  std::vector<uint8_t> state;        // RADIUS State to send back with the next request
};

class AuthBackend {
 public:
  virtual ~AuthBackend() = default;
  // Calls done exactly once, on the loop thread, possibly before returning.
  virtual void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) = 0;
};

}  // namespace mlppp::aaa
