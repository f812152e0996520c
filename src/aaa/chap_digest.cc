#include "aaa/chap_digest.h"

#include <openssl/evp.h>

namespace mlppp::aaa {

std::array<uint8_t, 16> ChapMd5Response(uint8_t id, std::string_view secret,
                                        std::span<const uint8_t> challenge) {
  std::array<uint8_t, 16> out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  EVP_DigestUpdate(ctx, &id, 1);
  EVP_DigestUpdate(ctx, secret.data(), secret.size());
  EVP_DigestUpdate(ctx, challenge.data(), challenge.size());
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace mlppp::aaa
