#include "control/users.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace mlppp::control {
namespace {

// Hashing both sides first makes the comparison independent of the
// lengths too.
std::array<uint8_t, SHA256_DIGEST_LENGTH> Digest(const std::string& s) {
  std::array<uint8_t, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}

}  // namespace

std::optional<Privilege> CheckLogin(const std::vector<config::UserConf>& users,
                                    const std::string& user, const std::string& password) {
  const auto given = Digest(password);
  const config::UserConf* found = nullptr;
  for (const config::UserConf& u : users)
    if (u.name == user) found = &u;
  // An unknown user costs the same digest as a known one, so the time taken
  // does not tell which names exist.
  const auto want = Digest(found ? found->password : std::string(password.size(), '\0'));
  const bool same = CRYPTO_memcmp(given.data(), want.data(), given.size()) == 0;
  if (!found || !same) return std::nullopt;
  Privilege p = Privilege::kUser;
  PrivilegeFromName(found->priv, &p);
  return p;
}

}  // namespace mlppp::control
