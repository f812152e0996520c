// RADIUS authentication for the PPP authenticators: what goes into an
// Access-Request for each method (RFC 2865 §5, RFC 2548 §2.3, RFC 3579 §3)
// and what an Access-Accept, -Reject or -Challenge means for the session
// (RFC 2865 §5, RFC 2548 §2.4, RFC 2869 §5). Pure functions: no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aaa/auth_backend.h"
#include "aaa/radius/packet.h"

namespace mlppp::aaa::radius {

// `set radius me|identifier` and the like: who we are to the server.
struct NasIdentity {
  std::string identifier;      // NAS-Identifier (mpd5 default: host name)
  std::optional<uint32_t> ip;  // NAS-IP-Address, host order
};

// The Access-Request for `req` (id and authenticator are the client's job).
// PAP's User-Password is left in plaintext: EncodeRequest hides it. The
// MS-CHAP Response values are re-ordered into the RFC 2548 layouts.
// Fails (nullopt) for a request that cannot be expressed (sizes wrong).
std::optional<RadiusPacket> BuildAccessRequest(const AuthRequest& req, const NasIdentity& nas);

// The session's view of a verified reply to `request`: accept (with the
// attributes applied), reject (with MS-CHAP-Error / Reply-Message), or an
// EAP challenge. MPPE keys are decrypted with `secret` and the request's
// authenticator. Any other code is a reject marked undecided.
AuthResult ReadAccessReply(const RadiusPacket& reply, const RadiusPacket& request,
                           const AuthRequest& req, std::string_view secret);

}  // namespace mlppp::aaa::radius
