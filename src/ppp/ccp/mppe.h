// MPPE, Microsoft Point-to-Point Encryption (RFC 3078), with the session
// key derivation of RFC 3079 §7: the key schedule and a per-direction RC4
// cipher. The start keys come from MS-CHAP (aaa/mschap.h) or RADIUS
// (MS-MPPE-Send/Recv-Key); the packet header and coherency count live in
// mppc_codec.h. RC4 is our own (rc4.h: faster than OpenSSL's EVP path,
// and a key set-up costs no context re-initialisation, which matters in
// stateless mode's key change per packet); SHA-1 comes from OpenSSL.
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/result.h"
#include "ppp/ccp/rc4.h"

namespace mlppp::ppp::ccp {

inline constexpr size_t kMppeMaxKeyLength = 16;
using MppeKey = std::array<uint8_t, kMppeMaxKeyLength>;

// True when OpenSSL can give us SHA-1.
bool MppeCryptoAvailable();

// 40, 56 or 128; anything else is not an MPPE key strength.
bool MppeKeyBitsValid(int key_bits);
// RFC 3079 §7: 40- and 56-bit keys are 8 octets (with the first 3 or 1
// octets fixed), 128-bit keys 16. 0 for an invalid key_bits.
size_t MppeKeyLength(int key_bits);

// RFC 3079 §7 GetNewKeyFromSHA: the first `length` octets of SHA-1(
// StartKey[0..length) || 40 x 0x00 || SessionKey[0..length) || 40 x 0xF2).
// REQUIRES: length <= 16, both keys at least `length` octets. Octets past
// `length` in the result are zero.
MppeKey GetNewKeyFromSha(std::span<const uint8_t> start_key, std::span<const uint8_t> session_key,
                         size_t length);

// RFC 3079 §3.5 / §7: 40-bit keys get 0xD1 0x26 0x9E as their first three
// octets, 56-bit keys 0xD1 as their first; 128-bit keys are unchanged.
void ReduceMppeKey(MppeKey& key, int key_bits);

// RFC 3079 §7 (the Step 5 of the §3.5 samples): the first session key is
// GetNewKeyFromSHA(StartKey, StartKey) reduced to the key strength, with
// no RC4 step. `start_key` is the 16-octet start key; 40/56-bit use its
// first 8 octets (what GetAsymmetricStartKey gives for SessionKeyLength 8).
MppeKey MppeInitialSessionKey(std::span<const uint8_t, 16> start_key, int key_bits);

// RFC 3078 §7.3 / RFC 3079 §7 key change: InterimKey =
// GetNewKeyFromSHA(StartKey, SessionKey); SessionKey = RC4(InterimKey,
// InterimKey); reduced to the key strength. Stand-alone form of
// MppeCipher::Rekey (allocates an OpenSSL digest context per call).
MppeKey MppeChangeKey(std::span<const uint8_t, 16> start_key, const MppeKey& session_key,
                      int key_bits);

// One direction of MPPE: the current session key and an RC4 keystream
// over it. RC4 runs on, packet after packet, until the next Rekey()
// (stateful mode, RFC 3078 §7.1) or is re-keyed before every packet
// (stateless mode, §7.2); that policy belongs to the caller.
class MppeCipher {
 public:
  // Starts from MppeInitialSessionKey. Fails when SHA-1 is
  // unavailable or key_bits is not 40, 56 or 128.
  static Result<std::unique_ptr<MppeCipher>> Create(std::span<const uint8_t, 16> start_key,
                                                    int key_bits);
  ~MppeCipher();
  MppeCipher(const MppeCipher&) = delete;
  MppeCipher& operator=(const MppeCipher&) = delete;

  // RFC 3078 §7.3: changes the session key and restarts RC4 on it.
  void Rekey();
  // Rekey() on each of `ciphers`, with their RC4 key set-ups run two at a
  // time in lockstep (Rc4SetKeyMulti): the key schedules are most of a
  // stateless packet's cost. REQUIRES: the ciphers are distinct.
  static void RekeyMulti(std::span<MppeCipher* const> ciphers);
  // Restarts RC4 on the current session key (what FreeBSD's ng_mppc does
  // for a flushed packet that is not a key change).
  void Restart();
  // Encrypts or decrypts (the same thing for RC4) `data` in place. After
  // any key set-up failure the cipher stays failed and Crypt zeroes the
  // data.
  void Crypt(std::span<uint8_t> data);
  // False once a key set-up (SHA-1) failed: the caller drops the packet.
  bool ok() const { return !failed_; }
  // The keystream itself, for a deferred pass (CryptJob, run with other
  // sessions' passes by CryptQueue). REQUIRES: ok().
  Rc4& keystream() { return rc4_; }

  // The current session key, `key_length()` octets of it significant.
  const MppeKey& session_key() const { return session_key_; }
  size_t key_length() const { return key_length_; }
  int key_bits() const { return key_bits_; }

 private:
  MppeCipher(int key_bits);
  bool Init(std::span<const uint8_t, 16> start_key);
  // Restarts RC4 with the first key_length_ octets of `key`.
  bool SetKey(const MppeKey& key);

  int key_bits_;
  size_t key_length_;
  MppeKey start_key_{};
  MppeKey session_key_{};
  Rc4 rc4_;
  EVP_MD_CTX* sha1_ = nullptr;  // reused for every key change
  bool failed_ = false;
};

}  // namespace mlppp::ppp::ccp
