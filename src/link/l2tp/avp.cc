#include "link/l2tp/avp.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "core/wire.h"

namespace mlppp::link::l2tp {

namespace {

constexpr uint16_t kAny = kMaxAvpValue;

// §4.4, one row per attribute: M bit sent, may be hidden, value length.
// Lengths follow the RFC's value formats; strings accept empty values as
// deployed LACs send them (mpd5 does the same).
constexpr AvpInfo kAvpTable[] = {
    {AvpType::kMessageType, "Message Type", true, false, 2, 2},
    {AvpType::kResultCode, "Result Code", true, false, 2, kAny},
    {AvpType::kProtocolVersion, "Protocol Version", true, false, 2, 2},
    {AvpType::kFramingCapabilities, "Framing Capabilities", true, true, 4, 4},
    {AvpType::kBearerCapabilities, "Bearer Capabilities", true, true, 4, 4},
    {AvpType::kTieBreaker, "Tie Breaker", false, false, 8, 8},
    {AvpType::kFirmwareRevision, "Firmware Revision", false, true, 2, 2},
    {AvpType::kHostName, "Host Name", true, false, 0, kAny},
    {AvpType::kVendorName, "Vendor Name", false, true, 0, kAny},
    {AvpType::kAssignedTunnelId, "Assigned Tunnel ID", true, true, 2, 2},
    {AvpType::kReceiveWindowSize, "Receive Window Size", true, false, 2, 2},
    {AvpType::kChallenge, "Challenge", true, true, 1, kAny},
    {AvpType::kQ931CauseCode, "Q.931 Cause Code", true, false, 3, kAny},
    {AvpType::kChallengeResponse, "Challenge Response", true, true, 16, 16},
    {AvpType::kAssignedSessionId, "Assigned Session ID", true, true, 2, 2},
    {AvpType::kCallSerialNumber, "Call Serial Number", true, true, 4, 4},
    {AvpType::kMinimumBps, "Minimum BPS", true, true, 4, 4},
    {AvpType::kMaximumBps, "Maximum BPS", true, true, 4, 4},
    {AvpType::kBearerType, "Bearer Type", true, true, 4, 4},
    {AvpType::kFramingType, "Framing Type", true, true, 4, 4},
    {AvpType::kPacketProcessingDelay, "Packet Processing Delay", false, false, 0, kAny},
    {AvpType::kCalledNumber, "Called Number", true, true, 0, kAny},
    {AvpType::kCallingNumber, "Calling Number", true, true, 0, kAny},
    {AvpType::kSubAddress, "Sub-Address", true, true, 0, kAny},
    {AvpType::kTxConnectSpeed, "(Tx) Connect Speed", true, true, 4, 4},
    {AvpType::kPhysicalChannelId, "Physical Channel ID", false, true, 4, 4},
    {AvpType::kInitialReceivedLcpConfReq, "Initial Received LCP CONFREQ", false, true, 0, kAny},
    {AvpType::kLastSentLcpConfReq, "Last Sent LCP CONFREQ", false, true, 0, kAny},
    {AvpType::kLastReceivedLcpConfReq, "Last Received LCP CONFREQ", false, true, 0, kAny},
    {AvpType::kProxyAuthenType, "Proxy Authen Type", false, true, 2, 2},
    {AvpType::kProxyAuthenName, "Proxy Authen Name", false, true, 0, kAny},
    {AvpType::kProxyAuthenChallenge, "Proxy Authen Challenge", false, true, 0, kAny},
    {AvpType::kProxyAuthenId, "Proxy Authen ID", false, true, 2, 2},
    {AvpType::kProxyAuthenResponse, "Proxy Authen Response", false, true, 0, kAny},
    {AvpType::kCallErrors, "Call Errors", true, true, 26, 26},
    {AvpType::kAccm, "ACCM", true, true, 10, 10},
    {AvpType::kRandomVector, "Random Vector", true, false, 0, kAny},
    {AvpType::kPrivateGroupId, "Private Group ID", false, true, 0, kAny},
    {AvpType::kRxConnectSpeed, "Rx Connect Speed", false, true, 4, 4},
    {AvpType::kSequencingRequired, "Sequencing Required", true, false, 0, 0},
};

const AvpInfo* FindIetf(uint16_t type) {
  for (const AvpInfo& i : kAvpTable) {
    if (static_cast<uint16_t>(i.type) == type) return &i;
  }
  return nullptr;
}

}  // namespace

std::string_view AvpTypeName(uint16_t type) {
  const AvpInfo* i = FindIetf(type);
  return i ? i->name : "unknown-avp";
}

const AvpInfo* FindAvpInfo(uint16_t vendor_id, uint16_t type) {
  return vendor_id == kVendorIetf ? FindIetf(type) : nullptr;
}

std::string_view AvpErrorName(AvpError e) {
  switch (e) {
    case AvpError::kOk:
      return "ok";
    case AvpError::kShortHeader:
      return "avp-short-header";
    case AvpError::kBadLength:
      return "avp-length-below-6";
    case AvpError::kOverrun:
      return "avp-overrun";
    case AvpError::kTooLong:
      return "avp-too-long";
    case AvpError::kHiddenTooShort:
      return "hidden-avp-too-short";
    case AvpError::kHiddenBadLength:
      return "hidden-avp-bad-length";
  }
  return "unknown-error";
}

AvpError ParseAvps(std::span<const uint8_t> body, std::vector<Avp>* out) {
  out->clear();
  WireReader r(body);
  while (!r.AtEnd()) {
    uint16_t bits = r.U16();
    uint16_t vendor = r.U16();
    uint16_t type = r.U16();
    if (!r.ok()) return AvpError::kShortHeader;
    // §4.1: Length counts the 6-octet header too.
    const size_t length = bits & kAvpLengthMask;
    if (length < kAvpHeaderSize) return AvpError::kBadLength;
    auto value = r.Bytes(length - kAvpHeaderSize);
    if (!r.ok()) return AvpError::kOverrun;
    Avp a;
    a.mandatory = bits & kAvpMandatory;
    a.hidden = bits & kAvpHidden;
    a.reserved_bits = bits & kAvpReserved;
    a.vendor_id = vendor;
    a.type = type;
    a.value.assign(value.begin(), value.end());
    out->push_back(std::move(a));
  }
  return AvpError::kOk;
}

AvpError EncodeAvp(const Avp& avp, Bytes* out) {
  if (avp.value.size() > kMaxAvpValue) return AvpError::kTooLong;
  WireWriter w(*out);
  uint16_t bits = static_cast<uint16_t>(kAvpHeaderSize + avp.value.size());
  if (avp.mandatory) bits |= kAvpMandatory;
  if (avp.hidden) bits |= kAvpHidden;
  bits |= avp.reserved_bits & kAvpReserved;
  w.U16(bits);
  w.U16(avp.vendor_id);
  w.U16(avp.type);
  w.Bytes(avp.value);
  return AvpError::kOk;
}

std::array<uint8_t, 16> Md5(std::initializer_list<std::span<const uint8_t>> parts) {
  std::array<uint8_t, 16> digest{};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) == 1;
  for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), digest.data(), &len) == 1;
  if (!ok || len != digest.size()) digest.fill(0);
  return digest;
}

namespace {

// §4.3: XORs `data` in place with the MD5 chain. `ciphertext_is_input`
// tells which side of the XOR feeds the chain: when hiding, the output;
// when unhiding, the input.
void HideChain(uint16_t type, std::span<uint8_t> data, std::span<const uint8_t> secret,
               std::span<const uint8_t> random_vector, bool ciphertext_is_input) {
  const uint8_t type_bytes[2] = {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type)};
  std::array<uint8_t, 16> b = Md5({type_bytes, secret, random_vector});
  std::array<uint8_t, 16> c{};
  for (size_t off = 0; off < data.size(); off += 16) {
    std::span<uint8_t> block = data.subspan(off, std::min<size_t>(16, data.size() - off));
    if (ciphertext_is_input) std::copy(block.begin(), block.end(), c.begin());
    for (size_t i = 0; i < block.size(); ++i) block[i] ^= b[i];
    if (!ciphertext_is_input) std::copy(block.begin(), block.end(), c.begin());
    // Only a full block is followed by another one.
    if (block.size() == 16) b = Md5({secret, c});
  }
}

}  // namespace

Bytes HideValue(uint16_t type, std::span<const uint8_t> value, std::span<const uint8_t> secret,
                std::span<const uint8_t> random_vector, std::span<const uint8_t> padding) {
  Bytes out;
  WireWriter w(out);
  // §4.3: the Hidden AVP Subformat: Original Length, value, padding.
  w.U16(static_cast<uint16_t>(value.size()));
  w.Bytes(value);
  w.Bytes(padding);
  HideChain(type, out, secret, random_vector, false);
  return out;
}

AvpError UnhideValue(uint16_t type, std::span<const uint8_t> hidden,
                     std::span<const uint8_t> secret, std::span<const uint8_t> random_vector,
                     Bytes* out) {
  out->clear();
  if (hidden.size() < 2) return AvpError::kHiddenTooShort;
  Bytes plain(hidden.begin(), hidden.end());
  HideChain(type, plain, secret, random_vector, true);
  WireReader r(plain);
  uint16_t original = r.U16();
  auto value = r.Bytes(original);
  if (!r.ok()) return AvpError::kHiddenBadLength;
  out->assign(value.begin(), value.end());
  return AvpError::kOk;
}

}  // namespace mlppp::link::l2tp
