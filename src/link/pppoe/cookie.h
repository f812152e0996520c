// Stateless AC-Cookie (RFC 2516 §8: "the Access Concentrator can employ the
// AC-Cookie TAG" against PADR floods): the AC keeps no state between PADO
// and PADR; the cookie proves the PADR comes from the MAC that got the PADO.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "os/ether.h"

namespace mlppp::link::pppoe {

class CookieSigner {
 public:
  static constexpr size_t kSecretSize = 32;
  static constexpr size_t kCookieSize = 16;
  using Cookie = std::array<uint8_t, kCookieSize>;

  explicit CookieSigner(const std::array<uint8_t, kSecretSize>& secret) : secret_(secret) {}

  // HMAC-SHA256(secret, mac || len16 || service || len16 || host_uniq ||
  // slot64), truncated to 16 bytes. The length prefixes keep the input
  // unambiguous.
  Cookie Make(const os::MacAddr& peer, std::string_view service, std::span<const uint8_t> host_uniq,
              uint64_t slot) const;
  // Accepts a cookie made in `slot` or `slot - 1` (so a cookie lives 60-120 s
  // with 60 s slots). Constant-time compare.
  bool Verify(std::span<const uint8_t> cookie, const os::MacAddr& peer, std::string_view service,
              std::span<const uint8_t> host_uniq, uint64_t slot) const;

 private:
  std::array<uint8_t, kSecretSize> secret_;
};

}  // namespace mlppp::link::pppoe
