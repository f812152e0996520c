#include "ppp/ecp/dese.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "aaa/legacy_crypto.h"
#include "core/wire.h"

namespace mlppp::ppp::ecp {
namespace {

constexpr size_t kBlock = 8;
// mpd5 ecp.h: `char key[ECP_MAX_KEY]` with ECP_MAX_KEY 32, set by snprintf.
constexpr size_t kMaxSecret = 31;
// RFC 2419 §5: at most one block of padding, so the count is 1..8.
constexpr uint8_t kMaxPad = 8;

// DES-CBC, fetched once from the legacy-provider context and kept for the
// life of the process (as aaa/mschap.cc does); nullptr when unavailable.
EVP_CIPHER* DesCbc() {
  static EVP_CIPHER* const cipher = [] {
    OSSL_LIB_CTX* ctx = aaa::LegacyCryptoContext();
    return ctx ? EVP_CIPHER_fetch(ctx, "DES-CBC", nullptr) : nullptr;
  }();
  return cipher;
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

// A DES-CBC context keyed with `key`, chained from `iv`, without OpenSSL's
// own (PKCS#5) padding: the methods pad for themselves.
CtxPtr NewCbc(const std::array<uint8_t, 8>& key, const std::array<uint8_t, 8>& iv, bool encrypt) {
  EVP_CIPHER* cipher = DesCbc();
  if (!cipher) return nullptr;
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), iv.data(), encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return nullptr;
  }
  return ctx;
}

// Runs `data` (a whole number of blocks) through the context in place. The
// context keeps the last ciphertext block as the next IV, which is the
// chaining across datagrams RFC 1969 §5 / RFC 2419 §5 ask for.
bool CbcInPlace(EVP_CIPHER_CTX* ctx, std::span<uint8_t> data) {
  int out = 0;
  return EVP_CipherUpdate(ctx, data.data(), &out, data.data(), static_cast<int>(data.size())) ==
             1 &&
         static_cast<size_t>(out) == data.size();
}

void SetOddParity(std::array<uint8_t, 8>& key) {
  for (auto& b : key) b = static_cast<uint8_t>((b & 0xfe) | (__builtin_parity(b & 0xfe) ? 0 : 1));
}

class DeseEncoder final : public ccp::Encoder {
 public:
  DeseEncoder(bool bis, CtxPtr ctx) : bis_(bis), ctx_(std::move(ctx)) {}

  ccp::EncodeResult Encode(uint16_t protocol, Packet& info) override {
    // RFC 1968 §4 / RFC 1969 §5: the protocol field is encrypted with the
    // information, always in its two-octet form here (ccp/codec.h).
    std::span<uint8_t, 2> proto(info.Prepend(2), 2);
    proto[0] = static_cast<uint8_t>(protocol >> 8);
    proto[1] = static_cast<uint8_t>(protocol);
    const size_t plen = info.size();
    size_t pad = (kBlock - plen % kBlock) % kBlock;
    if (bis_) {
      // RFC 2419 §5 (mpd5 DeseBisEncrypt): pad 1, 2, ... n so the last
      // octet says how many; a plaintext already a multiple of 8 needs a
      // block of padding only if its last octet could be read as a count.
      if (pad == 0) {
        uint8_t last = info.span().back();
        if (last >= 1 && last <= kMaxPad) pad = kBlock;
      }
      std::span<uint8_t> tail(info.Append(pad), pad);
      for (size_t i = 0; i < pad; ++i) tail[i] = static_cast<uint8_t>(i + 1);
    } else {
      // RFC 1969 §5: zero padding up to the block size; the receiver keeps
      // it (mpd5 DesEncrypt pads with the zeroed buffer it allocates).
      std::span<uint8_t> tail(info.Append(pad), pad);
      std::fill(tail.begin(), tail.end(), 0);
    }
    if (!CbcInPlace(ctx_.get(), info.span())) return ccp::EncodeResult::kDrop;
    std::span<uint8_t, 2> seq(info.Prepend(kDeseHeaderSize), kDeseHeaderSize);
    seq[0] = static_cast<uint8_t>(seq_ >> 8);
    seq[1] = static_cast<uint8_t>(seq_);
    ++seq_;
    return ccp::EncodeResult::kDatagram;
  }

  bool ResetRequested() override { return true; }

 private:
  bool bis_;
  CtxPtr ctx_;
  uint16_t seq_ = 0;  // RFC 1969 §5: the first datagram after Opened is 0
};

class DeseDecoder final : public ccp::Decoder {
 public:
  DeseDecoder(bool bis, CtxPtr ctx) : bis_(bis), ctx_(std::move(ctx)) {}

  ccp::DecodeResult Decode(Packet& pkt) override {
    using Kind = ccp::DecodeResult::Kind;
    WireReader r(pkt.span());
    const uint16_t seq = r.U16();
    const size_t clen = r.remaining();
    // mpd5 DesDecrypt: at least one block, whole blocks only. Nothing is
    // changed, so the next good datagram shows as a gap and resynchronizes.
    if (!r.ok() || clen < kBlock || clen % kBlock != 0) return {Kind::kDrop, 0, "bad length"};
    if (seq != expected_) {
      // A datagram was lost, and with it this one's IV: drop this one and
      // chain the next from its last block (mpd5 DesDecrypt).
      std::array<uint8_t, kBlock> iv;
      auto last = pkt.span().last(kBlock);
      std::copy(last.begin(), last.end(), iv.begin());
      expected_ = static_cast<uint16_t>(seq + 1);
      if (EVP_CipherInit_ex2(ctx_.get(), nullptr, nullptr, iv.data(), 0, nullptr) != 1) {
        return {Kind::kDrop, 0, "cipher failure"};
      }
      return {Kind::kDrop, 0, "sequence gap"};
    }
    ++expected_;
    pkt.Pull(kDeseHeaderSize);
    if (!CbcInPlace(ctx_.get(), pkt.span())) return {Kind::kDrop, 0, "cipher failure"};
    size_t len = pkt.size();
    if (bis_) {
      // RFC 2419 §5: a last octet n in 1..8 counts n octets of padding
      // 1, 2, ... n. mpd5 strips n without looking at the others; a sender
      // that follows the RFC always writes them, so we check them too and
      // drop what does not match (a wrong key, or corruption).
      std::span<const uint8_t> plain = pkt.span();
      const uint8_t n = plain.back();
      if (n >= 1 && n <= kMaxPad) {
        auto padding = plain.last(n);
        for (size_t i = 0; i < n; ++i) {
          if (padding[i] != static_cast<uint8_t>(i + 1)) return {Kind::kDrop, 0, "bad padding"};
        }
        len -= n;
      }
    }
    pkt.Resize(len);
    // The protocol field (RFC 1661 §2, §6.5): two octets, or one when the
    // peer compressed it (its first octet is then odd).
    auto field = ccp::ReadProtocolField(pkt.span());
    if (!field || (field->protocol & 1) == 0) return {Kind::kDrop, 0, "bad protocol"};
    pkt.Pull(field->length);
    return {Kind::kOk, field->protocol, {}};
  }

 private:
  bool bis_;
  CtxPtr ctx_;
  uint16_t expected_ = 0;
};

}  // namespace

std::string_view DeseName(bool bis) { return bis ? "DESE-bis" : "DESE"; }

std::array<uint8_t, 8> DeseKeyFromSecret(std::string_view secret) {
  secret = secret.substr(0, std::min(secret.find('\0'), kMaxSecret));
  std::array<uint8_t, 8> key{};
  // OpenSSL DES_string_to_key (crypto/des/str2key.c), which mpd5 calls:
  // the first 8 characters of each 16 shifted left one bit into octets 0..7,
  // the next 8 bit-reversed into octets 7..0, all XORed together.
  for (size_t i = 0; i < secret.size(); ++i) {
    auto j = static_cast<uint8_t>(secret[i]);
    if (i % 16 < 8) {
      key[i % 8] ^= static_cast<uint8_t>(j << 1);
    } else {
      j = static_cast<uint8_t>((j << 4 & 0xf0) | (j >> 4 & 0x0f));
      j = static_cast<uint8_t>((j << 2 & 0xcc) | (j >> 2 & 0x33));
      j = static_cast<uint8_t>((j << 1 & 0xaa) | (j >> 1 & 0x55));
      key[7 - i % 8] ^= j;
    }
  }
  SetOddParity(key);
  // Then DES_cbc_cksum: the last block of the DES-CBC encryption of the
  // string, zero-padded to whole blocks, under that key with that key as IV
  // (no blocks at all leaves the key as it is).
  if (!secret.empty()) {
    std::vector<uint8_t> buf((secret.size() + kBlock - 1) / kBlock * kBlock, 0);
    std::copy(secret.begin(), secret.end(), buf.begin());
    CtxPtr ctx = NewCbc(key, key, true);
    bool ok = ctx && CbcInPlace(ctx.get(), buf);
    if (ok) std::copy(buf.end() - kBlock, buf.end(), key.begin());
    OPENSSL_cleanse(buf.data(), buf.size());
    if (!ok) {
      OPENSSL_cleanse(key.data(), key.size());
      return {};
    }
  }
  SetOddParity(key);
  return key;
}

size_t DeseMaxPlaintext(size_t mtu, bool bis) {
  if (mtu < kDeseHeaderSize + kBlock) return 0;
  size_t clen = (mtu - kDeseHeaderSize) / kBlock * kBlock;
  return bis ? clen - 1 : clen;
}

Result<std::unique_ptr<ccp::Encoder>> MakeDeseEncoder(const DeseParams& params) {
  CtxPtr ctx = NewCbc(params.key, params.nonce, true);
  if (!ctx) return Result<std::unique_ptr<ccp::Encoder>>::Error("DES-CBC is unavailable");
  return std::unique_ptr<ccp::Encoder>(std::make_unique<DeseEncoder>(params.bis, std::move(ctx)));
}

Result<std::unique_ptr<ccp::Decoder>> MakeDeseDecoder(const DeseParams& params) {
  CtxPtr ctx = NewCbc(params.key, params.nonce, false);
  if (!ctx) return Result<std::unique_ptr<ccp::Decoder>>::Error("DES-CBC is unavailable");
  return std::unique_ptr<ccp::Decoder>(std::make_unique<DeseDecoder>(params.bis, std::move(ctx)));
}

}  // namespace mlppp::ppp::ecp
