#include "aaa/legacy_crypto.h"

#include <openssl/crypto.h>
#include <openssl/provider.h>

namespace mlppp::aaa {

OSSL_LIB_CTX* LegacyCryptoContext() {
  static OSSL_LIB_CTX* const ctx = []() -> OSSL_LIB_CTX* {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (!c) return nullptr;
    if (!OSSL_PROVIDER_load(c, "legacy") || !OSSL_PROVIDER_load(c, "default")) return nullptr;
    return c;
  }();
  return ctx;
}

}  // namespace mlppp::aaa
