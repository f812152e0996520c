#include "link/pppoe/cookie.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

#include "core/wire.h"

namespace mlppp::link::pppoe {

CookieSigner::Cookie CookieSigner::Make(const os::MacAddr& peer, std::string_view service,
                                        std::span<const uint8_t> host_uniq, uint64_t slot) const {
  std::vector<uint8_t> msg;
  msg.reserve(6 + 2 + service.size() + 2 + host_uniq.size() + 8);
  WireWriter w(msg);
  w.Bytes(peer);
  w.U16(static_cast<uint16_t>(service.size()));
  w.String(service);
  w.U16(static_cast<uint16_t>(host_uniq.size()));
  w.Bytes(host_uniq);
  w.U64(slot);
  uint8_t md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), msg.data(), msg.size(), md,
       &md_len);
  Cookie out{};
  std::copy(md, md + out.size(), out.begin());
  return out;
}

bool CookieSigner::Verify(std::span<const uint8_t> cookie, const os::MacAddr& peer,
                          std::string_view service, std::span<const uint8_t> host_uniq,
                          uint64_t slot) const {
  if (cookie.size() != kCookieSize) return false;
  for (uint64_t s : {slot, slot - 1}) {
    Cookie want = Make(peer, service, host_uniq, s);
    if (CRYPTO_memcmp(want.data(), cookie.data(), kCookieSize) == 0) return true;
  }
  return false;
}

}  // namespace mlppp::link::pppoe
