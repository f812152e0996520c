#include "ppp/ccp/mppe.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "aaa/legacy_crypto.h"

namespace mlppp::ppp::ccp {
namespace {

// Fetched once, kept for the life of the process (as the context is).
const EVP_MD* Sha1() {
  static EVP_MD* const sha1 = [] {
    OSSL_LIB_CTX* ctx = aaa::LegacyCryptoContext();
    return ctx ? EVP_MD_fetch(ctx, "SHA1", nullptr) : nullptr;
  }();
  return sha1;
}

// RFC 3079 §7: SHApad1 is 40 octets of 0x00, SHApad2 40 octets of 0xF2.
constexpr std::array<uint8_t, 40> kShaPad1{};
constexpr auto kShaPad2 = [] {
  std::array<uint8_t, 40> p{};
  p.fill(0xF2);
  return p;
}();

// On failure: zeros, and *ok (when given) is cleared.
MppeKey NewKeyFromSha(EVP_MD_CTX* sha1, const uint8_t* start_key, const uint8_t* session_key,
                      size_t length, bool* ok_out = nullptr) {
  MppeKey out{};
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  bool ok = sha1 && length <= kMppeMaxKeyLength && EVP_DigestInit_ex2(sha1, Sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(sha1, start_key, length) == 1 &&
            EVP_DigestUpdate(sha1, kShaPad1.data(), kShaPad1.size()) == 1 &&
            EVP_DigestUpdate(sha1, session_key, length) == 1 &&
            EVP_DigestUpdate(sha1, kShaPad2.data(), kShaPad2.size()) == 1 &&
            EVP_DigestFinal_ex(sha1, digest, &len) == 1 && len >= length;
  if (ok) std::memcpy(out.data(), digest, length);
  if (!ok && ok_out) *ok_out = false;
  OPENSSL_cleanse(digest, sizeof(digest));
  return out;
}

// RFC 3078 §7.3 as RFC 3079 §7 and Linux's ppp_mppe.c mppe_rekey() do it.
MppeKey ChangeKey(EVP_MD_CTX* sha1, const MppeKey& start_key, const MppeKey& session_key,
                  int key_bits, bool* ok) {
  size_t n = MppeKeyLength(key_bits);
  MppeKey interim = NewKeyFromSha(sha1, start_key.data(), session_key.data(), n, ok);
  MppeKey next = interim;
  Rc4 rc4;  // wiped by its destructor
  if (!rc4.SetKey(std::span(interim.data(), n)) || !rc4.Process(std::span(next.data(), n))) {
    next.fill(0);
    *ok = false;
  }
  OPENSSL_cleanse(interim.data(), interim.size());
  ReduceMppeKey(next, key_bits);
  return next;
}

MppeKey StartKey(std::span<const uint8_t, 16> start_key) {
  MppeKey k{};
  std::copy(start_key.begin(), start_key.end(), k.begin());
  return k;
}

}  // namespace

bool MppeCryptoAvailable() { return Sha1() != nullptr; }

bool MppeKeyBitsValid(int key_bits) { return key_bits == 40 || key_bits == 56 || key_bits == 128; }

size_t MppeKeyLength(int key_bits) {
  switch (key_bits) {
    case 40:
    case 56:
      return 8;
    case 128:
      return 16;
    default:
      return 0;
  }
}

MppeKey GetNewKeyFromSha(std::span<const uint8_t> start_key, std::span<const uint8_t> session_key,
                         size_t length) {
  if (length > kMppeMaxKeyLength || start_key.size() < length || session_key.size() < length) {
    return MppeKey{};
  }
  EVP_MD_CTX* sha1 = EVP_MD_CTX_new();
  MppeKey k = NewKeyFromSha(sha1, start_key.data(), session_key.data(), length);
  EVP_MD_CTX_free(sha1);
  return k;
}

void ReduceMppeKey(MppeKey& key, int key_bits) {
  // RFC 3079 §3.5.1 / §3.5.2 (and §2.5 for MS-CHAPv1).
  if (key_bits == 40) {
    key[0] = 0xD1;
    key[1] = 0x26;
    key[2] = 0x9E;
  } else if (key_bits == 56) {
    key[0] = 0xD1;
  }
}

MppeKey MppeInitialSessionKey(std::span<const uint8_t, 16> start_key, int key_bits) {
  size_t n = MppeKeyLength(key_bits);
  if (n == 0) return MppeKey{};
  MppeKey k = GetNewKeyFromSha(start_key, start_key, n);
  ReduceMppeKey(k, key_bits);
  return k;
}

MppeKey MppeChangeKey(std::span<const uint8_t, 16> start_key, const MppeKey& session_key,
                      int key_bits) {
  size_t n = MppeKeyLength(key_bits);
  if (n == 0 || !MppeCryptoAvailable()) return MppeKey{};
  EVP_MD_CTX* sha1 = EVP_MD_CTX_new();
  MppeKey k{};
  bool ok = true;
  if (sha1) k = ChangeKey(sha1, StartKey(start_key), session_key, key_bits, &ok);
  if (!ok || !sha1) k.fill(0);
  EVP_MD_CTX_free(sha1);
  return k;
}

Result<std::unique_ptr<MppeCipher>> MppeCipher::Create(std::span<const uint8_t, 16> start_key,
                                                       int key_bits) {
  if (!MppeKeyBitsValid(key_bits))
    return Result<std::unique_ptr<MppeCipher>>::Error(
        "MPPE key strength must be 40, 56 or 128 bits");
  if (!MppeCryptoAvailable()) {
    return Result<std::unique_ptr<MppeCipher>>::Error("MPPE needs SHA-1 (OpenSSL not available)");
  }
  std::unique_ptr<MppeCipher> c(new MppeCipher(key_bits));
  if (!c->Init(start_key)) {
    return Result<std::unique_ptr<MppeCipher>>::Error("MPPE: cannot set up RC4");
  }
  return c;
}

MppeCipher::MppeCipher(int key_bits) : key_bits_(key_bits), key_length_(MppeKeyLength(key_bits)) {}

MppeCipher::~MppeCipher() {
  EVP_MD_CTX_free(sha1_);
  OPENSSL_cleanse(start_key_.data(), start_key_.size());
  OPENSSL_cleanse(session_key_.data(), session_key_.size());
}

bool MppeCipher::Init(std::span<const uint8_t, 16> start_key) {
  sha1_ = EVP_MD_CTX_new();
  if (!sha1_) return false;
  start_key_ = StartKey(start_key);
  // Only the first key_length_ octets of the start key take part.
  std::fill(start_key_.begin() + static_cast<ptrdiff_t>(key_length_), start_key_.end(), 0);
  bool ok = true;
  session_key_ = NewKeyFromSha(sha1_, start_key_.data(), start_key_.data(), key_length_, &ok);
  ReduceMppeKey(session_key_, key_bits_);
  return ok && SetKey(session_key_);
}

bool MppeCipher::SetKey(const MppeKey& key) {
  return rc4_.SetKey(std::span(key.data(), key_length_));
}

void MppeCipher::Rekey() {
  MppeCipher* self = this;
  RekeyMulti(std::span(&self, 1));
}

void MppeCipher::RekeyMulti(std::span<MppeCipher* const> ciphers) {
  // In chunks, so the interim keys stay on the stack.
  constexpr size_t kChunk = 16;
  while (!ciphers.empty()) {
    const size_t count = std::min(ciphers.size(), kChunk);
    std::array<MppeKey, kChunk> interim{};
    std::array<Rc4KeyJob, kChunk> jobs{};
    // InterimKey = GetNewKeyFromSHA(StartKey, SessionKey) (RFC 3079 §7).
    // Each cipher's own RC4 state serves for RC4(InterimKey, ...): the
    // final key set-up below overwrites all of it.
    for (size_t k = 0; k < count; ++k) {
      MppeCipher& c = *ciphers[k];
      bool ok = true;
      interim[k] =
          NewKeyFromSha(c.sha1_, c.start_key_.data(), c.session_key_.data(), c.key_length_, &ok);
      if (!ok) c.failed_ = true;
      jobs[k] = {&c.rc4_, std::span<const uint8_t>(interim[k].data(), c.key_length_)};
    }
    Rc4SetKeyMulti(std::span(jobs.data(), count));
    // SessionKey = RC4(InterimKey, InterimKey), reduced to the strength.
    for (size_t k = 0; k < count; ++k) {
      MppeCipher& c = *ciphers[k];
      MppeKey next = interim[k];
      if (!c.rc4_.Process(std::span(next.data(), c.key_length_))) {
        next.fill(0);
        c.failed_ = true;
      }
      ReduceMppeKey(next, c.key_bits_);
      c.session_key_ = next;
      OPENSSL_cleanse(next.data(), next.size());
      jobs[k] = {&c.rc4_, std::span<const uint8_t>(c.session_key_.data(), c.key_length_)};
    }
    OPENSSL_cleanse(interim.data(), sizeof(interim));
    Rc4SetKeyMulti(std::span(jobs.data(), count));
    for (size_t k = 0; k < count; ++k) {
      if (!ciphers[k]->rc4_.keyed()) ciphers[k]->failed_ = true;
    }
    ciphers = ciphers.subspan(count);
  }
}

void MppeCipher::Restart() {
  if (!SetKey(session_key_)) failed_ = true;
}

void MppeCipher::Crypt(std::span<uint8_t> data) {
  // Fail closed: once a key set-up has failed, nothing leaves in clear
  // text.
  if (failed_ || !rc4_.Process(data)) {
    failed_ = true;
    std::fill(data.begin(), data.end(), 0);
  }
}

}  // namespace mlppp::ppp::ccp
