// aaa/: authentication and accounting back ends. The PPP authenticators
// build an AuthRequest from the wire and ask an AuthBackend; back ends answer
// asynchronously (through the loop), so PAM, RADIUS or scripts never block.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlppp::aaa {

enum class AuthProto : uint8_t { kPap, kChapMd5 };

// What the peer sent, as the authenticator saw it.
struct AuthRequest {
  AuthProto proto = AuthProto::kPap;
  std::string user;
  std::string pap_password;            // PAP (RFC 1334 §2.2.1)
  uint8_t chap_id = 0;                 // CHAP (RFC 1994 §4.1)
  std::vector<uint8_t> chap_challenge;
  std::vector<uint8_t> chap_response;
};

struct AuthResult {
  bool ok = false;
  std::string message;                // reason for logs/Failure packet; never a secret
  std::optional<uint32_t> framed_ip;  // address the back end assigns the peer (host order)
  uint8_t framed_ip_width = 32;
};

class AuthBackend {
 public:
  virtual ~AuthBackend() = default;
  // Calls done exactly once, on the loop thread, possibly before returning.
  virtual void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) = 0;
};

}  // namespace mlppp::aaa
