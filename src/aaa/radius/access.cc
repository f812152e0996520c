#include "aaa/radius/access.h"

#include <fmt/format.h>

#include <algorithm>

#include "aaa/mschap.h"

namespace mlppp::aaa::radius {
namespace {

// NAS-Port-Type values, RFC 2865 §5.41 (mpd5: Ethernet for PPPoE, Async
// for modems, Virtual for the tunnels).
uint32_t PortTypeOf(std::string_view link_type) {
  if (link_type == "pppoe") return 15;  // Ethernet
  if (link_type == "modem") return 0;   // Async
  return 5;                             // Virtual
}

std::string AsString(std::span<const uint8_t> v) { return std::string(v.begin(), v.end()); }

// MS-CHAP-Error and MS-CHAP2-Success start with the MS-CHAP Ident octet
// (RFC 2548 §2.1.5, §2.3.3); the text follows.
std::string SkipIdent(std::span<const uint8_t> v) {
  return v.empty() ? std::string() : AsString(v.subspan(1));
}

}  // namespace

std::optional<RadiusPacket> BuildAccessRequest(const AuthRequest& req, const NasIdentity& nas) {
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccessRequest);
  if (!p.AddString(Attr::kUserName, req.user)) return std::nullopt;
  // RFC 2865 §5.6, §5.7: a framed PPP service.
  p.AddU32(Attr::kServiceType, static_cast<uint32_t>(ServiceType::kFramed));
  p.AddU32(Attr::kFramedProtocol, static_cast<uint32_t>(FramedProtocol::kPpp));
  if (!nas.identifier.empty()) p.AddString(Attr::kNasIdentifier, nas.identifier);
  if (nas.ip) p.AddIpv4(Attr::kNasIpAddress, *nas.ip);
  p.AddU32(Attr::kNasPort, req.ctx.nas_port);
  p.AddU32(Attr::kNasPortType, PortTypeOf(req.ctx.link_type));
  if (!req.ctx.iface.empty()) p.AddString(Attr::kNasPortId, req.ctx.iface);
  if (!req.ctx.session_id.empty()) p.AddString(Attr::kAcctSessionId, req.ctx.session_id);
  if (!req.ctx.calling_station.empty())
    p.AddString(Attr::kCallingStationId, req.ctx.calling_station);
  if (!req.ctx.called_station.empty()) p.AddString(Attr::kCalledStationId, req.ctx.called_station);
  if (!req.ctx.link.empty())
    p.AddVendorString(kVendorMpd, static_cast<uint8_t>(MpdAttr::kLink), req.ctx.link);

  const auto ms = [](MsAttr a) { return static_cast<uint8_t>(a); };
  switch (req.proto) {
    case AuthProto::kPap:  // RFC 2865 §5.2: hidden by EncodeRequest
      if (req.pap_password.size() > kMaxPasswordLength) return std::nullopt;
      p.AddString(Attr::kUserPassword, req.pap_password);
      break;
    case AuthProto::kChapMd5: {  // RFC 2865 §5.3, §5.40: CHAP Ident + Response
      if (req.chap_response.size() != 16) return std::nullopt;
      std::vector<uint8_t> v{req.chap_id};
      v.insert(v.end(), req.chap_response.begin(), req.chap_response.end());
      p.AddBytes(Attr::kChapPassword, v);
      if (!p.AddBytes(Attr::kChapChallenge, req.chap_challenge)) return std::nullopt;
      break;
    }
    case AuthProto::kChapMsV1: {  // RFC 2548 §2.3.1: Ident, Flags, LM-Response, NT-Response
      auto r = ParseMsChapV1Response(req.chap_response);
      if (!r || req.chap_challenge.size() != kMsChapV1ChallengeSize) return std::nullopt;
      std::vector<uint8_t> v{req.chap_id, r->flags};
      v.insert(v.end(), r->lm_response.begin(), r->lm_response.end());
      v.insert(v.end(), r->nt_response.begin(), r->nt_response.end());
      p.AddVendor(kVendorMicrosoft, ms(MsAttr::kChapChallenge), req.chap_challenge);
      p.AddVendor(kVendorMicrosoft, ms(MsAttr::kChapResponse), v);
      break;
    }
    case AuthProto::kChapMsV2: {  // RFC 2548 §2.3.2: Ident, Flags, Peer-Challenge, Reserved, NT
      auto r = ParseMsChapV2Response(req.chap_response);
      if (!r || req.chap_challenge.size() != kMsChapV2ChallengeSize) return std::nullopt;
      std::vector<uint8_t> v{req.chap_id, r->flags};
      v.insert(v.end(), r->peer_challenge.begin(), r->peer_challenge.end());
      v.insert(v.end(), r->reserved.begin(), r->reserved.end());
      v.insert(v.end(), r->nt_response.begin(), r->nt_response.end());
      p.AddVendor(kVendorMicrosoft, ms(MsAttr::kChapChallenge), req.chap_challenge);
      p.AddVendor(kVendorMicrosoft, ms(MsAttr::kChap2Response), v);
      break;
    }
    case AuthProto::kEap:  // RFC 3579 §3.1: split over EAP-Message attributes
      if (req.eap_message.empty()) return std::nullopt;
      p.AddSplit(Attr::kEapMessage, req.eap_message);
      if (!req.state.empty() && !p.AddBytes(Attr::kState, req.state)) return std::nullopt;
      break;
  }
  return p;
}

AuthResult ReadAccessReply(const RadiusPacket& reply, const RadiusPacket& request,
                           const AuthRequest& req, std::string_view secret) {
  AuthResult r;
  if (auto m = reply.FindString(Attr::kReplyMessage)) r.message = *m;
  const auto ms = [](MsAttr a) { return static_cast<uint8_t>(a); };
  switch (reply.code_enum()) {
    case Code::kAccessChallenge:  // RFC 3579 §2.6.1: more EAP to come
      r.challenge = true;
      r.eap_message = reply.Concat(Attr::kEapMessage);
      if (auto s = reply.Find(Attr::kState)) r.state.assign(s->begin(), s->end());
      if (r.eap_message.empty()) {
        r.challenge = false;
        r.message = "RADIUS Access-Challenge without EAP-Message";
      }
      return r;
    case Code::kAccessReject:
      if (auto e = reply.Find(kVendorMicrosoft, ms(MsAttr::kChapError)))
        r.mschap_error = SkipIdent(*e);
      r.eap_message = reply.Concat(Attr::kEapMessage);
      if (r.message.empty()) r.message = "RADIUS: Access-Reject";
      return r;
    case Code::kAccessAccept:
      break;
    default:
      r.undecided = true;
      r.message = fmt::format("RADIUS: unexpected reply {}", CodeName(reply.code));
      return r;
  }

  r.ok = true;
  if (r.message.empty()) r.message = "RADIUS: Access-Accept";
  // RFC 2865 §5.8: 0xFFFFFFFF lets the user choose, 0xFFFFFFFE asks the NAS
  // to pick; both mean "no fixed address" here.
  if (auto ip = reply.FindU32(Attr::kFramedIpAddress); ip && *ip != 0xFFFFFFFF && *ip != 0xFFFFFFFE)
    r.framed_ip = *ip;
  r.framed_netmask = reply.FindU32(Attr::kFramedIpNetmask);
  if (auto pool = reply.FindString(Attr::kFramedPool)) r.framed_pool = *pool;
  for (auto route : reply.FindAll(Attr::kFramedRoute)) r.framed_routes.push_back(AsString(route));
  if (auto mtu = reply.FindU32(Attr::kFramedMtu); mtu && *mtu >= 64 && *mtu <= 65535)
    r.framed_mtu = static_cast<uint16_t>(*mtu);
  r.session_timeout = reply.FindU32(Attr::kSessionTimeout);
  r.idle_timeout = reply.FindU32(Attr::kIdleTimeout);
  r.acct_interim = reply.FindU32(Attr::kAcctInterimInterval);
  for (auto c : reply.FindAll(Attr::kClass)) r.radius_class.emplace_back(c.begin(), c.end());
  r.dns[0] = reply.FindVendorU32(kVendorMicrosoft, ms(MsAttr::kPrimaryDnsServer));
  r.dns[1] = reply.FindVendorU32(kVendorMicrosoft, ms(MsAttr::kSecondaryDnsServer));
  r.eap_message = reply.Concat(Attr::kEapMessage);
  r.mppe_policy = reply.FindVendorU32(kVendorMicrosoft, ms(MsAttr::kMppeEncryptionPolicy));
  r.mppe_types = reply.FindVendorU32(kVendorMicrosoft, ms(MsAttr::kMppeEncryptionTypes));

  if (req.proto == AuthProto::kChapMsV2) {
    // RFC 2548 §2.3.3: Ident + "S=<40 hex>"; without it the peer cannot
    // check us (mutual authentication, RFC 2759 §5), so it is a failure.
    auto s = reply.Find(kVendorMicrosoft, ms(MsAttr::kChap2Success));
    std::string text = s ? SkipIdent(*s) : std::string();
    if (text.size() < kMsChapAuthResponseSize || !text.starts_with("S=")) {
      r.ok = false;
      r.message = "RADIUS Access-Accept without a valid MS-CHAP2-Success";
      return r;
    }
    r.mschap_success = text.substr(0, kMsChapAuthResponseSize);
  }
  // RFC 2548 §2.4.2-2.4.3: MPPE keys from the server, NAS-relative.
  auto send = reply.Find(kVendorMicrosoft, ms(MsAttr::kMppeSendKey));
  auto recv = reply.Find(kVendorMicrosoft, ms(MsAttr::kMppeRecvKey));
  if (send && recv) {
    auto s = DecryptMppeKey(*send, secret, request.authenticator);
    auto v = DecryptMppeKey(*recv, secret, request.authenticator);
    if (s.ok() && v.ok() && s->size() >= 16 && v->size() >= 16) {
      MppeKeys k;
      std::copy_n(s->begin(), 16, k.send.begin());
      std::copy_n(v->begin(), 16, k.recv.begin());
      r.mppe = k;
    }
  } else if (auto keys = reply.Find(kVendorMicrosoft, ms(MsAttr::kChapMppeKeys));
             keys && req.proto == AuthProto::kChapMsV1 &&
             req.chap_challenge.size() == kMsChapV1ChallengeSize) {
    // RFC 2548 §2.4.1: LM-Key(8) + NT-Key(16) (+ padding), hidden like
    // User-Password. The NT-Key is the password hash hash; RFC 3079 §2.4
    // derives the (symmetric) MS-CHAPv1 start key from it.
    auto plain = Demangle(*keys, secret, request.authenticator);
    if (plain.ok() && plain->size() >= 24) {
      NtHash hh;
      std::copy_n(plain->begin() + 8, 16, hh.begin());
      auto k = GetStartKey(std::span<const uint8_t, 8>(req.chap_challenge.data(), 8), hh);
      r.mppe = MppeKeys{k, k};
    }
  }
  return r;
}

}  // namespace mlppp::aaa::radius
