// RADIUS packets (RFC 2865 §3, §5) as value types, their bounds-checked
// parser and serializer, and the packet cryptography: User-Password hiding
// (RFC 2865 §5.2), request and response authenticators (RFC 2865 §3,
// RFC 2866 §3, RFC 5176 §2.3), Message-Authenticator (RFC 3579 §3.2) and
// the MS-MPPE key encryption (RFC 2548 §2.4.2).
//
// Wire helpers work on serialized bytes because every authenticator covers
// the exact octets sent. Comparisons of secrets-derived values are
// constant-time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aaa/radius/dictionary.h"
#include "core/result.h"

namespace mlppp::aaa::radius {

inline constexpr size_t kHeaderSize = 20;       // Code, Identifier, Length, Authenticator
inline constexpr size_t kMaxPacketSize = 4096;  // RFC 2865 §3
inline constexpr size_t kMaxAttrValue = 253;    // 255 - Type - Length
inline constexpr size_t kMaxVendorValue =
    247;  // RFC 2865 §5.26 layout: 253 - Vendor-Id - type - len
inline constexpr size_t kMaxPasswordLength = 128;  // RFC 2865 §5.2

using Authenticator = std::array<uint8_t, 16>;

// One attribute. Vendor-Specific attributes (type 26, RFC 2865 §5.26) are
// stored one per vendor sub-attribute, with vendor != 0; a VSA carrying
// several sub-attributes parses into several Attributes.
struct Attribute {
  uint8_t type = 0;
  uint32_t vendor = 0;  // 0: a standard attribute
  uint8_t vendor_type = 0;
  std::vector<uint8_t> value;

  bool operator==(const Attribute&) const = default;
};

// Why Parse() refused a datagram (RFC 2865 §3, §5: silently discarded,
// counted by the caller).
enum class ParseError : uint8_t {
  kNone,
  kTooShort,           // fewer than 20 octets
  kLengthMismatch,     // Length < 20, > 4096 or more than was received
  kAttributeTooShort,  // attribute Length < 2
  kAttributeOverrun,   // attribute runs past the packet's Length
  kVsaMalformed,       // Vendor-Specific without Vendor-Id or with bad sub-attributes
};
std::string_view ParseErrorName(ParseError e);

struct RadiusPacket {
  uint8_t code = 0;
  uint8_t id = 0;
  Authenticator authenticator{};
  std::vector<Attribute> attributes;

  Code code_enum() const { return static_cast<Code>(code); }

  // Builders: each returns false (and adds nothing) when the value does not
  // fit one attribute (253 octets; 247 for vendor attributes).
  bool AddBytes(Attr type, std::span<const uint8_t> value);
  bool AddString(Attr type, std::string_view value);
  bool AddU32(Attr type, uint32_t value);
  bool AddIpv4(Attr type, uint32_t host_order);
  bool AddVendor(uint32_t vendor, uint8_t vendor_type, std::span<const uint8_t> value);
  bool AddVendorString(uint32_t vendor, uint8_t vendor_type, std::string_view value);
  bool AddVendorU32(uint32_t vendor, uint8_t vendor_type, uint32_t value);
  // Splits a long value over consecutive attributes of 253 octets, as
  // EAP-Message requires (RFC 3579 §3.1).
  void AddSplit(Attr type, std::span<const uint8_t> value);
  // Removes every attribute of this standard type.
  void Remove(Attr type);

  // Lookups return the first match; spans point into this packet.
  std::optional<std::span<const uint8_t>> Find(Attr type) const;
  std::optional<std::span<const uint8_t>> Find(uint32_t vendor, uint8_t vendor_type) const;
  std::vector<std::span<const uint8_t>> FindAll(Attr type) const;
  std::vector<std::span<const uint8_t>> FindAll(uint32_t vendor, uint8_t vendor_type) const;
  // Typed lookups: nullopt when absent or of the wrong size.
  std::optional<uint32_t> FindU32(Attr type) const;
  std::optional<uint32_t> FindVendorU32(uint32_t vendor, uint8_t vendor_type) const;
  std::optional<std::string> FindString(Attr type) const;
  std::optional<std::string> FindVendorString(uint32_t vendor, uint8_t vendor_type) const;
  // All values of `type` joined in order (EAP-Message, RFC 3579 §3.1).
  std::vector<uint8_t> Concat(Attr type) const;
};

// Parses a datagram. Octets past the Length field are padding and ignored
// (RFC 2865 §3). Never reads out of bounds; never throws.
Result<RadiusPacket> Parse(std::span<const uint8_t> datagram, ParseError* why = nullptr);

// Serializes as is (authenticator and attribute values verbatim). Fails
// when an attribute value is too long or the packet exceeds 4096 octets.
Result<std::vector<uint8_t>> Serialize(const RadiusPacket& p);

// --- Cryptography -------------------------------------------------------

// User-Password hiding, RFC 2865 §5.2: the password padded with NULs to a
// multiple of 16 (at least 16), each block XORed with MD5(secret + previous
// block), the first previous block being the Request Authenticator.
// Fails for passwords longer than 128 octets.
Result<std::vector<uint8_t>> HidePassword(std::string_view password, std::string_view secret,
                                          const Authenticator& request_auth);
// The reverse of HidePassword (fake servers, tests): the raw blocks, with
// no padding removed (also MS-CHAP-MPPE-Keys, RFC 2548 §2.4.1).
Result<std::vector<uint8_t>> Demangle(std::span<const uint8_t> hidden, std::string_view secret,
                                      const Authenticator& request_auth);
// Demangle, with the NUL padding stripped.
Result<std::string> UnhidePassword(std::span<const uint8_t> hidden, std::string_view secret,
                                   const Authenticator& request_auth);

// MS-MPPE-Send-Key / MS-MPPE-Recv-Key, RFC 2548 §2.4.2 (and §2.4.3): the
// value is Salt(2, high bit set) + encrypted(Key-Length(1) + Key + padding),
// b(1) = MD5(secret + Request-Authenticator + Salt), b(i) = MD5(secret + c(i-1)).
Result<std::vector<uint8_t>> DecryptMppeKey(std::span<const uint8_t> value, std::string_view secret,
                                            const Authenticator& request_auth);
// For fake servers and tests. REQUIRES: key.size() <= 240.
std::vector<uint8_t> EncryptMppeKey(std::span<const uint8_t> key, uint16_t salt,
                                    std::string_view secret, const Authenticator& request_auth);

// MD5(Code + Identifier + Length + `auth` + Attributes + secret) over a
// serialized packet, with `auth` in place of its authenticator field. This
// is the Response Authenticator (RFC 2865 §3) when `auth` is the request's
// authenticator, and the Accounting/CoA/Disconnect Request Authenticator
// (RFC 2866 §3, RFC 5176 §2.3) when `auth` is 16 zero octets.
// REQUIRES: wire.size() >= 20.
Authenticator ComputeAuthenticator(std::span<const uint8_t> wire, const Authenticator& auth,
                                   std::string_view secret);
// Writes ComputeAuthenticator(wire, auth, secret) into wire[4..20].
void SignAuthenticator(std::span<uint8_t> wire, const Authenticator& auth, std::string_view secret);
// Response Authenticator check (RFC 2865 §3), constant-time.
bool VerifyResponseAuthenticator(std::span<const uint8_t> wire, const Authenticator& request_auth,
                                 std::string_view secret);
// Accounting-Request / CoA-Request / Disconnect-Request authenticator
// check (RFC 2866 §3, RFC 5176 §2.3), constant-time.
bool VerifyRequestAuthenticator(std::span<const uint8_t> wire, std::string_view secret);

// Message-Authenticator, RFC 3579 §3.2: HMAC-MD5 keyed with the secret
// over the packet with the attribute's value zeroed and `auth` in the
// authenticator field: the packet's own Request Authenticator for an
// Access-Request, the REQUEST's authenticator for Access-Accept/Reject/
// Challenge, 16 zero octets for Accounting, CoA and Disconnect requests
// (RFC 5176 §3.1). The attribute must already be in the packet (see
// AddMessageAuthenticator); Sign returns false when it is not.
bool SignMessageAuthenticator(std::span<uint8_t> wire, const Authenticator& auth,
                              std::string_view secret);
// False when absent, malformed (length != 18), duplicated, or wrong.
bool VerifyMessageAuthenticator(std::span<const uint8_t> wire, const Authenticator& auth,
                                std::string_view secret);
// Places a zeroed Message-Authenticator first among the attributes (the
// BlastRADIUS advice: first, so no attacker-chosen prefix precedes it),
// removing any other.
void AddMessageAuthenticator(RadiusPacket& p);

// Builds the datagram for a request (RFC 2865 §3, RFC 2866 §3, RFC 5176
// §2.3). Access-Request: `p.authenticator` must already be random; any
// User-Password holds the plaintext and is hidden here; a present
// Message-Authenticator is signed. Accounting/CoA/Disconnect-Request: the
// authenticator is computed (and stored back into p.authenticator).
Result<std::vector<uint8_t>> EncodeRequest(RadiusPacket& p, std::string_view secret);
// Builds the datagram for a response to a request whose authenticator was
// `request_auth`: signs a present Message-Authenticator, then the Response
// Authenticator. For fake servers and the DAE server.
Result<std::vector<uint8_t>> EncodeResponse(const RadiusPacket& p,
                                            const Authenticator& request_auth,
                                            std::string_view secret);

// Constant-time equality (CRYPTO_memcmp).
bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace mlppp::aaa::radius
