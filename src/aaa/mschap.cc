#include "aaa/mschap.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "aaa/legacy_crypto.h"
#include "core/wire.h"

namespace mlppp::aaa {
namespace {

// MD4, DES-ECB and SHA-1, fetched once from the legacy-provider context
// (aaa/legacy_crypto.h) and kept for the life of the process.
struct Crypto {
  EVP_MD* md4 = nullptr;
  EVP_MD* sha1 = nullptr;
  EVP_CIPHER* des = nullptr;
  bool ok = false;
};

const Crypto& GetCrypto() {
  static const Crypto crypto = [] {
    Crypto c;
    OSSL_LIB_CTX* ctx = LegacyCryptoContext();
    if (!ctx) return c;
    c.md4 = EVP_MD_fetch(ctx, "MD4", nullptr);
    c.sha1 = EVP_MD_fetch(ctx, "SHA1", nullptr);
    c.des = EVP_CIPHER_fetch(ctx, "DES-ECB", nullptr);
    c.ok = c.md4 && c.sha1 && c.des;
    return c;
  }();
  return crypto;
}

// One digest over the concatenation of `parts`; zeros if the algorithm is
// unavailable.
template <size_t N>
std::array<uint8_t, N> Digest(EVP_MD* md, std::initializer_list<std::span<const uint8_t>> parts) {
  std::array<uint8_t, N> out{};
  if (!md) return out;
  uint8_t buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
  for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, buf, &len) == 1 && len >= N;
  EVP_MD_CTX_free(ctx);
  if (ok) std::memcpy(out.data(), buf, N);
  return out;
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// UTF-8 to UTF-16LE. A byte that does not start a valid, shortest-form
// sequence is taken as a Latin-1 character.
std::vector<uint8_t> Utf16Le(std::string_view s) {
  std::vector<uint8_t> out;
  out.reserve(s.size() * 2);
  auto put16 = [&out](uint32_t u) {
    out.push_back(static_cast<uint8_t>(u));
    out.push_back(static_cast<uint8_t>(u >> 8));
  };
  auto b = AsBytes(s);
  size_t i = 0;
  while (i < b.size()) {
    uint8_t c = b[i];
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
    if (c >= 0xf5) n = 1;
    uint32_t cp = c;
    bool valid = n == 1 ? c < 0x80 : i + n <= b.size();
    if (n > 1 && valid) {
      cp = c & (0xff >> (n + 1));
      for (size_t k = 1; k < n; ++k) {
        if ((b[i + k] & 0xc0) != 0x80) valid = false;
        cp = cp << 6 | (b[i + k] & 0x3f);
      }
      // Reject over-long forms, surrogates and values past U+10FFFF.
      if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
          (cp >= 0xd800 && cp <= 0xdfff)) {
        valid = false;
      }
    }
    if (!valid) {
      put16(c);  // Latin-1
      ++i;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put16(0xd800 | (cp >> 10));
      put16(0xdc00 | (cp & 0x3ff));
    } else {
      put16(cp);
    }
    i += n;
  }
  return out;
}

// RFC 2759 §8.6 DesEncrypt: a 7-octet key gets a parity bit after every
// seven key bits (odd parity; DES ignores it, but it keeps keys canonical).
std::array<uint8_t, 8> DesEncrypt(std::span<const uint8_t, 8> clear,
                                  std::span<const uint8_t> key7) {
  std::array<uint8_t, 8> out{};
  std::array<uint8_t, 8> k{};
  k[0] = key7[0];
  k[1] = static_cast<uint8_t>(key7[0] << 7 | key7[1] >> 1);
  k[2] = static_cast<uint8_t>(key7[1] << 6 | key7[2] >> 2);
  k[3] = static_cast<uint8_t>(key7[2] << 5 | key7[3] >> 3);
  k[4] = static_cast<uint8_t>(key7[3] << 4 | key7[4] >> 4);
  k[5] = static_cast<uint8_t>(key7[4] << 3 | key7[5] >> 5);
  k[6] = static_cast<uint8_t>(key7[5] << 2 | key7[6] >> 6);
  k[7] = static_cast<uint8_t>(key7[6] << 1);
  for (auto& b : k) {
    b &= 0xfe;
    if (__builtin_parity(b) == 0) b |= 1;
  }
  const Crypto& c = GetCrypto();
  if (!c.des) return out;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = ctx && EVP_EncryptInit_ex2(ctx, c.des, k.data(), nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
            EVP_EncryptUpdate(ctx, out.data(), &len, clear.data(), 8) == 1 && len == 8;
  EVP_CIPHER_CTX_free(ctx);
  OPENSSL_cleanse(k.data(), k.size());
  if (!ok) out.fill(0);
  return out;
}

// RFC 3079 §3.4 magic constants (ASCII, no terminating NUL).
constexpr std::string_view kMasterMagic = "This is the MPPE Master Key";
constexpr std::string_view kClientSendMagic =
    "On the client side, this is the send key; on the server side, it is the receive key.";
constexpr std::string_view kClientRecvMagic =
    "On the client side, this is the receive key; on the server side, it is the send key.";
// RFC 2759 §8.7.
constexpr std::string_view kServerSignMagic = "Magic server to client signing constant";
constexpr std::string_view kPadMagic = "Pad to make it do more than one iteration";

MsChapV2Digest AuthenticatorDigest(const NtHash& password_hash,
                                   std::span<const uint8_t, 24> nt_response,
                                   std::span<const uint8_t, 16> peer_challenge,
                                   std::span<const uint8_t, 16> authenticator_challenge,
                                   std::string_view user_name) {
  const Crypto& c = GetCrypto();
  NtHash hash_hash = HashNtPasswordHash(password_hash);
  auto d1 = Digest<20>(c.sha1, {hash_hash, nt_response, AsBytes(kServerSignMagic)});
  auto challenge = ChallengeHash(peer_challenge, authenticator_challenge, user_name);
  return Digest<20>(c.sha1, {d1, challenge, AsBytes(kPadMagic)});
}

}  // namespace

bool MsChapCryptoAvailable() { return GetCrypto().ok; }

NtHash NtPasswordHash(std::string_view password) {
  auto unicode = Utf16Le(password);
  auto out = Digest<16>(GetCrypto().md4, {unicode});
  OPENSSL_cleanse(unicode.data(), unicode.size());
  return out;
}

NtHash HashNtPasswordHash(const NtHash& password_hash) {
  return Digest<16>(GetCrypto().md4, {password_hash});
}

std::array<uint8_t, 8> ChallengeHash(std::span<const uint8_t, 16> peer_challenge,
                                     std::span<const uint8_t, 16> authenticator_challenge,
                                     std::string_view user_name) {
  if (auto slash = user_name.rfind('\\'); slash != std::string_view::npos) {
    user_name.remove_prefix(slash + 1);
  }
  return Digest<8>(GetCrypto().sha1, {peer_challenge, authenticator_challenge, AsBytes(user_name)});
}

NtResponse ChallengeResponse(std::span<const uint8_t, 8> challenge, const NtHash& password_hash) {
  std::array<uint8_t, 21> z{};
  std::copy(password_hash.begin(), password_hash.end(), z.begin());
  NtResponse out{};
  for (size_t i = 0; i < 3; ++i) {
    auto block = DesEncrypt(challenge, std::span(z).subspan(i * 7, 7));
    std::copy(block.begin(), block.end(), out.begin() + i * 8);
  }
  OPENSSL_cleanse(z.data(), z.size());
  return out;
}

NtResponse GenerateNTResponse(std::span<const uint8_t, 16> authenticator_challenge,
                              std::span<const uint8_t, 16> peer_challenge,
                              std::string_view user_name, const NtHash& password_hash) {
  auto challenge = ChallengeHash(peer_challenge, authenticator_challenge, user_name);
  return ChallengeResponse(challenge, password_hash);
}

NtResponse GenerateNTResponse(std::span<const uint8_t, 16> authenticator_challenge,
                              std::span<const uint8_t, 16> peer_challenge,
                              std::string_view user_name, std::string_view password) {
  NtHash h = NtPasswordHash(password);
  auto out = GenerateNTResponse(authenticator_challenge, peer_challenge, user_name, h);
  OPENSSL_cleanse(h.data(), h.size());
  return out;
}

std::string GenerateAuthenticatorResponse(const NtHash& password_hash,
                                          std::span<const uint8_t, 24> nt_response,
                                          std::span<const uint8_t, 16> peer_challenge,
                                          std::span<const uint8_t, 16> authenticator_challenge,
                                          std::string_view user_name) {
  auto d = AuthenticatorDigest(password_hash, nt_response, peer_challenge, authenticator_challenge,
                               user_name);
  return "S=" + HexUpper(d);
}

bool CheckAuthenticatorResponse(const NtHash& password_hash,
                                std::span<const uint8_t, 24> nt_response,
                                std::span<const uint8_t, 16> peer_challenge,
                                std::span<const uint8_t, 16> authenticator_challenge,
                                std::string_view user_name, std::string_view received) {
  if (received.size() < kMsChapAuthResponseSize || received.substr(0, 2) != "S=") return false;
  auto got = FromHex(received.substr(2, 40));
  if (!got || got->size() != 20) return false;
  auto want = AuthenticatorDigest(password_hash, nt_response, peer_challenge,
                                  authenticator_challenge, user_name);
  return CRYPTO_memcmp(got->data(), want.data(), want.size()) == 0;
}

NtResponse NtChallengeResponse(std::span<const uint8_t, 8> challenge, std::string_view password) {
  NtHash h = NtPasswordHash(password);
  auto out = ChallengeResponse(challenge, h);
  OPENSSL_cleanse(h.data(), h.size());
  return out;
}

std::array<uint8_t, 16> GetMasterKey(const NtHash& password_hash_hash,
                                     std::span<const uint8_t, 24> nt_response) {
  return Digest<16>(GetCrypto().sha1, {password_hash_hash, nt_response, AsBytes(kMasterMagic)});
}

std::array<uint8_t, 16> GetAsymmetricStartKey(const std::array<uint8_t, 16>& master_key,
                                              bool is_send, bool is_server) {
  // RFC 3079 §3.4: SHSpad1 is 40 octets of 0x00, SHSpad2 40 octets of 0xf2.
  static constexpr std::array<uint8_t, 40> kPad1{};
  static constexpr auto kPad2 = [] {
    std::array<uint8_t, 40> p{};
    p.fill(0xf2);
    return p;
  }();
  // The server's send key is the client's receive key (Magic3).
  std::string_view magic = is_send == is_server ? kClientRecvMagic : kClientSendMagic;
  return Digest<16>(GetCrypto().sha1, {master_key, kPad1, AsBytes(magic), kPad2});
}

std::array<uint8_t, 16> GetStartKey(std::span<const uint8_t, 8> challenge,
                                    const NtHash& password_hash_hash) {
  return Digest<16>(GetCrypto().sha1, {password_hash_hash, password_hash_hash, challenge});
}

MppeKeys MsChapV2MppeKeys(const NtHash& password_hash, std::span<const uint8_t, 24> nt_response,
                          bool authenticator) {
  NtHash hash_hash = HashNtPasswordHash(password_hash);
  auto master = GetMasterKey(hash_hash, nt_response);
  MppeKeys k;
  k.send = GetAsymmetricStartKey(master, true, authenticator);
  k.recv = GetAsymmetricStartKey(master, false, authenticator);
  OPENSSL_cleanse(master.data(), master.size());
  OPENSSL_cleanse(hash_hash.data(), hash_hash.size());
  return k;
}

MppeKeys MsChapV1MppeKeys(const NtHash& password_hash, std::span<const uint8_t, 8> challenge) {
  NtHash hash_hash = HashNtPasswordHash(password_hash);
  MppeKeys k;
  k.send = GetStartKey(challenge, hash_hash);
  k.recv = k.send;  // RFC 3079 §2.4: one key for both directions
  OPENSSL_cleanse(hash_hash.data(), hash_hash.size());
  return k;
}

std::optional<MsChapV1Response> ParseMsChapV1Response(std::span<const uint8_t> value) {
  if (value.size() != kMsChapResponseSize) return std::nullopt;
  WireReader r(value);
  MsChapV1Response out;
  auto lm = r.Bytes(24);
  auto nt = r.Bytes(24);
  out.flags = r.U8();
  if (!r.ok()) return std::nullopt;
  std::copy(lm.begin(), lm.end(), out.lm_response.begin());
  std::copy(nt.begin(), nt.end(), out.nt_response.begin());
  return out;
}

std::optional<MsChapV2Response> ParseMsChapV2Response(std::span<const uint8_t> value) {
  if (value.size() != kMsChapResponseSize) return std::nullopt;
  WireReader r(value);
  MsChapV2Response out;
  auto pc = r.Bytes(16);
  auto reserved = r.Bytes(8);
  auto nt = r.Bytes(24);
  out.flags = r.U8();
  if (!r.ok()) return std::nullopt;
  std::copy(pc.begin(), pc.end(), out.peer_challenge.begin());
  std::copy(reserved.begin(), reserved.end(), out.reserved.begin());
  std::copy(nt.begin(), nt.end(), out.nt_response.begin());
  return out;
}

std::vector<uint8_t> SerializeMsChapV1Response(const MsChapV1Response& r) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.Bytes(r.lm_response);
  w.Bytes(r.nt_response);
  w.U8(r.flags);
  return out;
}

std::vector<uint8_t> SerializeMsChapV2Response(const MsChapV2Response& r) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.Bytes(r.peer_challenge);
  w.Bytes(r.reserved);
  w.Bytes(r.nt_response);
  w.U8(r.flags);
  return out;
}

std::string_view MsChapErrorName(uint16_t code) {
  switch (static_cast<MsChapError>(code)) {
    case MsChapError::kRestrictedLogonHours:
      return "ERROR_RESTRICTED_LOGON_HOURS";
    case MsChapError::kAcctDisabled:
      return "ERROR_ACCT_DISABLED";
    case MsChapError::kPasswdExpired:
      return "ERROR_PASSWD_EXPIRED";
    case MsChapError::kNoDialinPermission:
      return "ERROR_NO_DIALIN_PERMISSION";
    case MsChapError::kAuthenticationFailure:
      return "ERROR_AUTHENTICATION_FAILURE";
    case MsChapError::kChangingPassword:
      return "ERROR_CHANGING_PASSWORD";
  }
  return "unknown";
}

std::string MsChapFailureText(AuthProto proto, std::span<const uint8_t> challenge,
                              std::string_view message, MsChapError error, bool retry) {
  auto code = static_cast<unsigned>(error);
  if (proto == AuthProto::kChapMsV2) {
    return fmt::format("E={} R={} C={} V=3 M={}", code, retry ? 1 : 0, HexUpper(challenge),
                       message);
  }
  return fmt::format("E={} R={}", code, retry ? 1 : 0);
}

MsChapFailure ParseMsChapFailure(std::string_view text) {
  // RFC 2759 §6 / RFC 2433 §3: space-separated "X=value" fields; M= runs
  // to the end of the text and may contain spaces.
  MsChapFailure f;
  while (!text.empty()) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (text.size() < 2 || text[1] != '=') break;
    char key = text[0];
    text.remove_prefix(2);
    if (key == 'M') {
      f.message = std::string(text);
      break;
    }
    size_t end = std::min(text.find(' '), text.size());
    std::string_view v = text.substr(0, end);
    text.remove_prefix(end);
    auto number = [v]() -> int {
      if (v.empty() || v.size() > 9) return -1;
      int n = 0;
      for (char ch : v) {
        if (ch < '0' || ch > '9') return -1;
        n = n * 10 + (ch - '0');
      }
      return n;
    };
    switch (key) {
      case 'E': {
        int n = number();
        f.error = n >= 0 && n <= 0xffff ? static_cast<uint16_t>(n) : 0;
        break;
      }
      case 'R':
        f.retry = v == "1";
        break;
      case 'C':
        if (auto c = FromHex(v)) f.challenge = std::move(*c);
        break;
      case 'V':
        f.version = std::max(number(), 0);
        break;
      default:
        break;
    }
  }
  return f;
}

AuthResult VerifyMsChap(const AuthRequest& req, const NtHash& password_hash) {
  AuthResult r;
  if (req.proto == AuthProto::kChapMsV2) {
    auto resp = ParseMsChapV2Response(req.chap_response);
    if (resp && req.chap_challenge.size() == kMsChapV2ChallengeSize && MsChapCryptoAvailable()) {
      std::span<const uint8_t, 16> challenge(req.chap_challenge.data(), 16);
      auto want = GenerateNTResponse(challenge, resp->peer_challenge, req.user, password_hash);
      r.ok = CRYPTO_memcmp(want.data(), resp->nt_response.data(), want.size()) == 0;
      if (r.ok) {
        r.mschap_success = GenerateAuthenticatorResponse(password_hash, resp->nt_response,
                                                         resp->peer_challenge, challenge, req.user);
        r.mppe = MsChapV2MppeKeys(password_hash, resp->nt_response, true);
      }
    }
  } else if (req.proto == AuthProto::kChapMsV1) {
    auto resp = ParseMsChapV1Response(req.chap_response);
    // Flags 0 asks us to use the LM response, which we do not support.
    if (resp && resp->flags == 1 && req.chap_challenge.size() == kMsChapV1ChallengeSize &&
        MsChapCryptoAvailable()) {
      std::span<const uint8_t, 8> challenge(req.chap_challenge.data(), 8);
      auto want = ChallengeResponse(challenge, password_hash);
      r.ok = CRYPTO_memcmp(want.data(), resp->nt_response.data(), want.size()) == 0;
      if (r.ok) r.mppe = MsChapV1MppeKeys(password_hash, challenge);
    }
  }
  if (!r.ok) {
    r.mschap_error = MsChapFailureText(req.proto, req.chap_challenge, "Authentication failed");
  }
  return r;
}

AuthResult VerifyMsChapPassword(const AuthRequest& req, std::string_view password) {
  NtHash h = NtPasswordHash(password);
  auto r = VerifyMsChap(req, h);
  OPENSSL_cleanse(h.data(), h.size());
  return r;
}

void SystemRandomFill(std::span<uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    // RAND_bytes fails only when the OS entropy source is broken; a zero
    // challenge is predictable but still never crashes the daemon.
    std::fill(out.begin(), out.end(), 0);
  }
}

std::string HexUpper(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 0xf]);
  }
  return s;
}

std::optional<std::vector<uint8_t>> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace mlppp::aaa
