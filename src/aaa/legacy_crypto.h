// OpenSSL 3 keeps the ciphers and digests PPP still needs (MD4 for MS-CHAP,
// single DES for MS-CHAP and DESE, RC4 for MPPE) in its "legacy" provider.
// Loading that provider into the process-wide default context would change
// what every other user of OpenSSL sees, so PPP gets a library context of
// its own, with the legacy and default providers loaded.
#pragma once

#include <openssl/types.h>

namespace mlppp::aaa {

// The shared context, created once (thread-safely) on first use and kept
// for the life of the process: freeing it at exit would race OpenSSL's own
// atexit clean-up. nullptr when either provider cannot be loaded; fetches
// (EVP_MD_fetch, EVP_CIPHER_fetch) from it then fail and callers must
// refuse what needs them.
OSSL_LIB_CTX* LegacyCryptoContext();

}  // namespace mlppp::aaa
