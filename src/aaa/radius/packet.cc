#include "aaa/radius/packet.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <initializer_list>

#include "core/wire.h"

namespace mlppp::aaa::radius {
namespace {

constexpr Authenticator kZeroAuth{};
constexpr size_t kAuthOffset = 4;  // Code(1) Identifier(1) Length(2)

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Authenticator Md5(std::initializer_list<std::span<const uint8_t>> parts) {
  Authenticator out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
  for (auto p : parts) EVP_DigestUpdate(ctx, p.data(), p.size());
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

Authenticator HmacMd5(std::string_view key, std::span<const uint8_t> data) {
  Authenticator out{};
  unsigned int len = 0;
  static const uint8_t kEmptyKey = 0;
  const void* k = key.empty() ? static_cast<const void*>(&kEmptyKey) : key.data();
  HMAC(EVP_md5(), k, static_cast<int>(key.size()), data.data(), data.size(), out.data(), &len);
  return out;
}

// The packet's octets up to its Length field (RFC 2865 §3: the rest is
// padding). Callers have checked size >= 20.
std::span<const uint8_t> Framed(std::span<const uint8_t> wire) {
  WireReader r(wire);
  r.Skip(2);
  size_t len = r.U16();
  if (len < kHeaderSize || len > wire.size()) return wire;
  return wire.first(len);
}

// Where the single well-formed Message-Authenticator's value starts in
// `wire`; nullopt when absent, malformed or duplicated (RFC 3579 §3.2:
// at most one).
std::optional<size_t> FindMessageAuthenticator(std::span<const uint8_t> wire) {
  if (wire.size() < kHeaderSize) return std::nullopt;
  WireReader r(Framed(wire));
  r.Skip(kHeaderSize);
  std::optional<size_t> found;
  int count = 0;
  while (r.ok() && !r.AtEnd()) {
    size_t at = r.position();
    uint8_t type = r.U8();
    uint8_t len = r.U8();
    if (!r.ok() || len < 2) return std::nullopt;
    r.Skip(len - 2u);
    if (!r.ok()) return std::nullopt;
    if (type == static_cast<uint8_t>(Attr::kMessageAuthenticator)) {
      ++count;
      if (len != 18) return std::nullopt;
      found = at + 2;
    }
  }
  if (count != 1) return std::nullopt;
  return found;
}

// HMAC-MD5 of the packet with `auth` in the authenticator field and the
// Message-Authenticator value zeroed (RFC 3579 §3.2).
Authenticator MessageAuthenticatorOf(std::span<const uint8_t> framed, size_t value_at,
                                     const Authenticator& auth, std::string_view secret) {
  std::vector<uint8_t> tmp(framed.begin(), framed.end());
  std::copy(auth.begin(), auth.end(), tmp.begin() + kAuthOffset);
  std::fill(tmp.begin() + static_cast<ptrdiff_t>(value_at),
            tmp.begin() + static_cast<ptrdiff_t>(value_at + 16), 0);
  return HmacMd5(secret, tmp);
}

bool IsStd(const Attribute& a, Attr type) {
  return a.vendor == 0 && a.type == static_cast<uint8_t>(type);
}
bool IsVendor(const Attribute& a, uint32_t vendor, uint8_t vendor_type) {
  return a.vendor == vendor && a.vendor_type == vendor_type;
}

std::vector<uint8_t> U32Bytes(uint32_t v) {
  std::vector<uint8_t> out;
  WireWriter(out).U32(v);
  return out;
}

std::optional<uint32_t> AsU32(std::optional<std::span<const uint8_t>> v) {
  if (!v || v->size() != 4) return std::nullopt;
  WireReader r(*v);
  return r.U32();
}

std::optional<std::string> AsString(std::optional<std::span<const uint8_t>> v) {
  if (!v) return std::nullopt;
  return std::string(v->begin(), v->end());
}

}  // namespace

std::string_view ParseErrorName(ParseError e) {
  switch (e) {
    case ParseError::kNone:
      return "none";
    case ParseError::kTooShort:
      return "packet too short";
    case ParseError::kLengthMismatch:
      return "length field mismatch";
    case ParseError::kAttributeTooShort:
      return "attribute length < 2";
    case ParseError::kAttributeOverrun:
      return "attribute overruns packet";
    case ParseError::kVsaMalformed:
      return "Vendor-Specific malformed";
  }
  return "unknown";
}

bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// --- RadiusPacket builders and lookups ----------------------------------

bool RadiusPacket::AddBytes(Attr type, std::span<const uint8_t> value) {
  if (value.size() > kMaxAttrValue) return false;
  attributes.push_back(Attribute{static_cast<uint8_t>(type), 0, 0,
                                 std::vector<uint8_t>(value.begin(), value.end())});
  return true;
}
bool RadiusPacket::AddString(Attr type, std::string_view value) {
  return AddBytes(type, AsBytes(value));
}
bool RadiusPacket::AddU32(Attr type, uint32_t value) { return AddBytes(type, U32Bytes(value)); }
bool RadiusPacket::AddIpv4(Attr type, uint32_t host_order) { return AddU32(type, host_order); }

bool RadiusPacket::AddVendor(uint32_t vendor, uint8_t vendor_type, std::span<const uint8_t> value) {
  if (value.size() > kMaxVendorValue) return false;
  attributes.push_back(Attribute{static_cast<uint8_t>(Attr::kVendorSpecific), vendor, vendor_type,
                                 std::vector<uint8_t>(value.begin(), value.end())});
  return true;
}
bool RadiusPacket::AddVendorString(uint32_t vendor, uint8_t vendor_type, std::string_view value) {
  return AddVendor(vendor, vendor_type, AsBytes(value));
}
bool RadiusPacket::AddVendorU32(uint32_t vendor, uint8_t vendor_type, uint32_t value) {
  return AddVendor(vendor, vendor_type, U32Bytes(value));
}

void RadiusPacket::AddSplit(Attr type, std::span<const uint8_t> value) {
  do {
    size_t n = std::min(value.size(), kMaxAttrValue);
    AddBytes(type, value.first(n));
    value = value.subspan(n);
  } while (!value.empty());
}

void RadiusPacket::Remove(Attr type) {
  std::erase_if(attributes, [type](const Attribute& a) { return IsStd(a, type); });
}

std::optional<std::span<const uint8_t>> RadiusPacket::Find(Attr type) const {
  for (const auto& a : attributes) {
    if (IsStd(a, type)) return std::span<const uint8_t>(a.value);
  }
  return std::nullopt;
}
std::optional<std::span<const uint8_t>> RadiusPacket::Find(uint32_t vendor,
                                                           uint8_t vendor_type) const {
  for (const auto& a : attributes) {
    if (IsVendor(a, vendor, vendor_type)) return std::span<const uint8_t>(a.value);
  }
  return std::nullopt;
}
std::vector<std::span<const uint8_t>> RadiusPacket::FindAll(Attr type) const {
  std::vector<std::span<const uint8_t>> out;
  for (const auto& a : attributes) {
    if (IsStd(a, type)) out.emplace_back(a.value);
  }
  return out;
}
std::vector<std::span<const uint8_t>> RadiusPacket::FindAll(uint32_t vendor,
                                                            uint8_t vendor_type) const {
  std::vector<std::span<const uint8_t>> out;
  for (const auto& a : attributes) {
    if (IsVendor(a, vendor, vendor_type)) out.emplace_back(a.value);
  }
  return out;
}
std::optional<uint32_t> RadiusPacket::FindU32(Attr type) const { return AsU32(Find(type)); }
std::optional<uint32_t> RadiusPacket::FindVendorU32(uint32_t vendor, uint8_t vendor_type) const {
  return AsU32(Find(vendor, vendor_type));
}
std::optional<std::string> RadiusPacket::FindString(Attr type) const {
  return AsString(Find(type));
}
std::optional<std::string> RadiusPacket::FindVendorString(uint32_t vendor,
                                                          uint8_t vendor_type) const {
  return AsString(Find(vendor, vendor_type));
}
std::vector<uint8_t> RadiusPacket::Concat(Attr type) const {
  std::vector<uint8_t> out;
  for (const auto& a : attributes) {
    if (IsStd(a, type)) out.insert(out.end(), a.value.begin(), a.value.end());
  }
  return out;
}

// --- Parse / Serialize (RFC 2865 §3, §5, §5.26) -------------------------

Result<RadiusPacket> Parse(std::span<const uint8_t> datagram, ParseError* why) {
  auto fail = [why](ParseError e) {
    if (why) *why = e;
    return Result<RadiusPacket>::Error(std::string(ParseErrorName(e)));
  };
  if (why) *why = ParseError::kNone;
  if (datagram.size() < kHeaderSize) return fail(ParseError::kTooShort);
  WireReader r(datagram);
  RadiusPacket p;
  p.code = r.U8();
  p.id = r.U8();
  size_t len = r.U16();
  auto auth = r.Bytes(16);
  std::copy(auth.begin(), auth.end(), p.authenticator.begin());
  // RFC 2865 §3: shorter than Length is discarded; longer is padding.
  if (len < kHeaderSize || len > kMaxPacketSize || len > datagram.size()) {
    return fail(ParseError::kLengthMismatch);
  }
  WireReader attrs = r.Sub(len - kHeaderSize);
  while (!attrs.AtEnd()) {
    uint8_t type = attrs.U8();
    uint8_t alen = attrs.U8();
    if (!attrs.ok()) return fail(ParseError::kAttributeOverrun);
    if (alen < 2) return fail(ParseError::kAttributeTooShort);
    auto value = attrs.Bytes(alen - 2u);
    if (!attrs.ok()) return fail(ParseError::kAttributeOverrun);
    if (type != static_cast<uint8_t>(Attr::kVendorSpecific)) {
      p.attributes.push_back(
          Attribute{type, 0, 0, std::vector<uint8_t>(value.begin(), value.end())});
      continue;
    }
    // RFC 2865 §5.26: Vendor-Id(4) then the recommended sub-attributes
    // Vendor-Type(1) Vendor-Length(1) Value, as every vendor we know uses.
    WireReader v(value);
    uint32_t vendor = v.U32();
    if (!v.ok() || v.AtEnd()) return fail(ParseError::kVsaMalformed);
    while (!v.AtEnd()) {
      uint8_t vt = v.U8();
      uint8_t vl = v.U8();
      if (!v.ok() || vl < 2) return fail(ParseError::kVsaMalformed);
      auto sub = v.Bytes(vl - 2u);
      if (!v.ok()) return fail(ParseError::kVsaMalformed);
      p.attributes.push_back(
          Attribute{type, vendor, vt, std::vector<uint8_t>(sub.begin(), sub.end())});
    }
  }
  return p;
}

Result<std::vector<uint8_t>> Serialize(const RadiusPacket& p) {
  using R = Result<std::vector<uint8_t>>;
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + p.attributes.size() * 8);
  WireWriter w(out);
  w.U8(p.code);
  w.U8(p.id);
  size_t len_at = w.Reserve16();
  w.Bytes(p.authenticator);
  for (const auto& a : p.attributes) {
    if (a.vendor != 0) {
      if (a.value.size() > kMaxVendorValue) return R::Error("vendor attribute value too long");
      w.U8(static_cast<uint8_t>(Attr::kVendorSpecific));
      w.U8(static_cast<uint8_t>(2 + 4 + 2 + a.value.size()));
      w.U32(a.vendor);
      w.U8(a.vendor_type);
      w.U8(static_cast<uint8_t>(2 + a.value.size()));
    } else {
      if (a.value.size() > kMaxAttrValue) return R::Error("attribute value too long");
      w.U8(a.type);
      w.U8(static_cast<uint8_t>(2 + a.value.size()));
    }
    w.Bytes(a.value);
    if (w.size() > kMaxPacketSize) return R::Error("packet longer than 4096 octets");
  }
  w.Patch16(len_at, static_cast<uint16_t>(w.size()));
  return out;
}

// --- User-Password (RFC 2865 §5.2) --------------------------------------

Result<std::vector<uint8_t>> HidePassword(std::string_view password, std::string_view secret,
                                          const Authenticator& request_auth) {
  if (password.size() > kMaxPasswordLength) {
    return Result<std::vector<uint8_t>>::Error("password longer than 128 octets");
  }
  size_t padded = std::max<size_t>(16, (password.size() + 15) / 16 * 16);
  std::vector<uint8_t> out(padded, 0);
  std::copy(password.begin(), password.end(), out.begin());
  std::span<const uint8_t> prev = request_auth;
  for (size_t i = 0; i < padded; i += 16) {
    Authenticator b = Md5({AsBytes(secret), prev});
    for (size_t j = 0; j < 16; ++j) out[i + j] ^= b[j];
    prev = std::span<const uint8_t>(out).subspan(i, 16);
  }
  return out;
}

Result<std::vector<uint8_t>> Demangle(std::span<const uint8_t> hidden, std::string_view secret,
                                      const Authenticator& request_auth) {
  if (hidden.empty() || hidden.size() % 16 != 0 || hidden.size() > kMaxPasswordLength) {
    return Result<std::vector<uint8_t>>::Error("hidden value length not 16..128 in 16s");
  }
  std::vector<uint8_t> out(hidden.begin(), hidden.end());
  std::span<const uint8_t> prev = request_auth;
  for (size_t i = 0; i < hidden.size(); i += 16) {
    Authenticator b = Md5({AsBytes(secret), prev});
    for (size_t j = 0; j < 16; ++j) out[i + j] ^= b[j];
    prev = hidden.subspan(i, 16);
  }
  return out;
}

Result<std::string> UnhidePassword(std::span<const uint8_t> hidden, std::string_view secret,
                                   const Authenticator& request_auth) {
  auto raw = Demangle(hidden, secret, request_auth);
  if (!raw) return raw.status();
  auto& v = *raw;
  while (!v.empty() && v.back() == 0) v.pop_back();
  return std::string(v.begin(), v.end());
}

// --- MS-MPPE keys (RFC 2548 §2.4.2) -------------------------------------

Result<std::vector<uint8_t>> DecryptMppeKey(std::span<const uint8_t> value, std::string_view secret,
                                            const Authenticator& request_auth) {
  using R = Result<std::vector<uint8_t>>;
  if (value.size() < 2 + 16 || (value.size() - 2) % 16 != 0) {
    return R::Error("MPPE key attribute length invalid");
  }
  auto salt = value.first(2);
  auto cipher = value.subspan(2);
  std::vector<uint8_t> plain(cipher.begin(), cipher.end());
  for (size_t i = 0; i < cipher.size(); i += 16) {
    Authenticator b = i == 0 ? Md5({AsBytes(secret), request_auth, salt})
                             : Md5({AsBytes(secret), cipher.subspan(i - 16, 16)});
    for (size_t j = 0; j < 16; ++j) plain[i + j] ^= b[j];
  }
  size_t key_len = plain[0];
  if (key_len + 1 > plain.size()) return R::Error("MPPE key length exceeds attribute");
  return std::vector<uint8_t>(plain.begin() + 1,
                              plain.begin() + 1 + static_cast<ptrdiff_t>(key_len));
}

std::vector<uint8_t> EncryptMppeKey(std::span<const uint8_t> key, uint16_t salt,
                                    std::string_view secret, const Authenticator& request_auth) {
  salt |= 0x8000;  // RFC 2548 §2.4.2: the most significant bit MUST be set
  size_t n = std::min<size_t>(key.size(), 240);
  size_t padded = (1 + n + 15) / 16 * 16;
  std::vector<uint8_t> out;
  out.reserve(2 + padded);
  WireWriter w(out);
  w.U16(salt);
  w.U8(static_cast<uint8_t>(n));
  w.Bytes(key.first(n));
  w.Zeros(2 + padded - out.size());
  auto salt_bytes = std::span<const uint8_t>(out).first(2);
  std::array<uint8_t, 2> salt_copy{salt_bytes[0], salt_bytes[1]};
  for (size_t i = 2; i < out.size(); i += 16) {
    Authenticator b =
        i == 2 ? Md5({AsBytes(secret), request_auth, salt_copy})
               : Md5({AsBytes(secret), std::span<const uint8_t>(out).subspan(i - 16, 16)});
    for (size_t j = 0; j < 16; ++j) out[i + j] ^= b[j];
  }
  return out;
}

// --- Authenticators (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3) -----------

Authenticator ComputeAuthenticator(std::span<const uint8_t> wire, const Authenticator& auth,
                                   std::string_view secret) {
  auto f = Framed(wire);
  return Md5({f.first(kAuthOffset), auth, f.subspan(kHeaderSize), AsBytes(secret)});
}

void SignAuthenticator(std::span<uint8_t> wire, const Authenticator& auth,
                       std::string_view secret) {
  Authenticator a = ComputeAuthenticator(wire, auth, secret);
  std::copy(a.begin(), a.end(), wire.begin() + kAuthOffset);
}

bool VerifyResponseAuthenticator(std::span<const uint8_t> wire, const Authenticator& request_auth,
                                 std::string_view secret) {
  if (wire.size() < kHeaderSize) return false;
  Authenticator want = ComputeAuthenticator(wire, request_auth, secret);
  return ConstantTimeEqual(want, wire.subspan(kAuthOffset, 16));
}

bool VerifyRequestAuthenticator(std::span<const uint8_t> wire, std::string_view secret) {
  return VerifyResponseAuthenticator(wire, kZeroAuth, secret);
}

// --- Message-Authenticator (RFC 3579 §3.2) ------------------------------

bool SignMessageAuthenticator(std::span<uint8_t> wire, const Authenticator& auth,
                              std::string_view secret) {
  auto at = FindMessageAuthenticator(wire);
  if (!at) return false;
  Authenticator mac = MessageAuthenticatorOf(Framed(wire), *at, auth, secret);
  std::copy(mac.begin(), mac.end(), wire.begin() + static_cast<ptrdiff_t>(*at));
  return true;
}

bool VerifyMessageAuthenticator(std::span<const uint8_t> wire, const Authenticator& auth,
                                std::string_view secret) {
  auto at = FindMessageAuthenticator(wire);
  if (!at) return false;
  Authenticator mac = MessageAuthenticatorOf(Framed(wire), *at, auth, secret);
  return ConstantTimeEqual(mac, wire.subspan(*at, 16));
}

void AddMessageAuthenticator(RadiusPacket& p) {
  p.Remove(Attr::kMessageAuthenticator);
  p.attributes.insert(p.attributes.begin(),
                      Attribute{static_cast<uint8_t>(Attr::kMessageAuthenticator), 0, 0,
                                std::vector<uint8_t>(16, 0)});
}

// --- Whole-packet encoding ----------------------------------------------

Result<std::vector<uint8_t>> EncodeRequest(RadiusPacket& p, std::string_view secret) {
  using R = Result<std::vector<uint8_t>>;
  bool has_ma = p.Find(Attr::kMessageAuthenticator).has_value();
  switch (p.code_enum()) {
    case Code::kAccessRequest: {
      RadiusPacket hidden = p;
      for (auto& a : hidden.attributes) {
        if (!IsStd(a, Attr::kUserPassword)) continue;
        std::string_view pw(reinterpret_cast<const char*>(a.value.data()), a.value.size());
        auto h = HidePassword(pw, secret, p.authenticator);
        if (!h) return h.status();
        a.value = std::move(*h);
      }
      auto wire = Serialize(hidden);
      if (!wire) return wire;
      if (has_ma && !SignMessageAuthenticator(*wire, p.authenticator, secret)) {
        return R::Error("Message-Authenticator malformed");
      }
      return wire;
    }
    case Code::kAccountingRequest:
    case Code::kDisconnectRequest:
    case Code::kCoaRequest: {
      p.authenticator = kZeroAuth;
      auto wire = Serialize(p);
      if (!wire) return wire;
      // RFC 5176 §3.1: the Message-Authenticator first, over a zero
      // authenticator; then the Request Authenticator covers it.
      if (has_ma && !SignMessageAuthenticator(*wire, kZeroAuth, secret)) {
        return R::Error("Message-Authenticator malformed");
      }
      SignAuthenticator(*wire, kZeroAuth, secret);
      std::copy_n(wire->begin() + kAuthOffset, 16, p.authenticator.begin());
      return wire;
    }
    default:
      return R::Error("not a request code: " + std::string(CodeName(p.code)));
  }
}

Result<std::vector<uint8_t>> EncodeResponse(const RadiusPacket& p,
                                            const Authenticator& request_auth,
                                            std::string_view secret) {
  auto wire = Serialize(p);
  if (!wire) return wire;
  if (p.Find(Attr::kMessageAuthenticator) &&
      !SignMessageAuthenticator(*wire, request_auth, secret)) {
    return Result<std::vector<uint8_t>>::Error("Message-Authenticator malformed");
  }
  SignAuthenticator(*wire, request_auth, secret);
  return wire;
}

}  // namespace mlppp::aaa::radius
