#include "aaa/radius/accounting.h"

#include <fmt/format.h>

#include <utility>

namespace mlppp::aaa::radius {
namespace {

// NAS-Port-Type, RFC 2865 §5.41, as BuildAccessRequest sends it (mpd5:
// Ethernet for PPPoE, Async for modems, Virtual for the tunnels).
uint32_t PortTypeOf(std::string_view link_type) {
  if (link_type == "pppoe") return static_cast<uint32_t>(NasPortType::kEthernet);
  if (link_type == "modem") return static_cast<uint32_t>(NasPortType::kAsync);
  return static_cast<uint32_t>(NasPortType::kVirtual);
}

uint32_t StatusTypeOf(AcctEvent::Status s) {
  switch (s) {
    case AcctEvent::kStart:
      return static_cast<uint32_t>(AcctStatusType::kStart);
    case AcctEvent::kUpdate:
      return static_cast<uint32_t>(AcctStatusType::kInterimUpdate);
    case AcctEvent::kStop:
      return static_cast<uint32_t>(AcctStatusType::kStop);
  }
  return static_cast<uint32_t>(AcctStatusType::kStart);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Adds a string attribute when it is non-empty; a value over 253 octets is
// left out rather than truncated (RFC 2865 §5: one attribute per value).
void AddOptionalString(RadiusPacket& p, Attr type, std::string_view v) {
  if (v.empty()) return;
  if (!p.AddString(type, v))
    MLOG_DEBUG(kRadius2, "RADIUS: {} too long ({} octets), not sent", AttrName(type), v.size());
}

void AddMpdString(RadiusPacket& p, MpdAttr type, std::string_view v) {
  if (v.empty()) return;
  if (!p.AddVendorString(kVendorMpd, static_cast<uint8_t>(type), v))
    MLOG_DEBUG(kRadius2, "RADIUS: {} too long ({} octets), not sent", MpdAttrName(type), v.size());
}

uint32_t Low32(uint64_t v) { return static_cast<uint32_t>(v & 0xFFFFFFFFu); }
uint32_t High32(uint64_t v) { return static_cast<uint32_t>(v >> 32); }

}  // namespace

uint32_t TerminateCauseFromName(std::string_view name) {
  if (name.empty()) return static_cast<uint32_t>(AcctTerminateCause::kNasRequest);
  for (uint32_t v = static_cast<uint32_t>(AcctTerminateCause::kUserRequest);
       v <= static_cast<uint32_t>(AcctTerminateCause::kHostRequest); ++v) {
    if (EqualsIgnoreCase(name, AcctTerminateCauseName(v))) return v;
  }
  return static_cast<uint32_t>(AcctTerminateCause::kPortError);
}

RadiusPacket BuildAccountingRequest(const AcctEvent& ev,
                                    const std::vector<std::vector<uint8_t>>& classes,
                                    bool radius_authenticated, const NasIdentity& nas,
                                    std::optional<uint32_t> event_timestamp) {
  const SessionInfo& s = ev.session;
  RadiusPacket p;
  p.code = static_cast<uint8_t>(Code::kAccountingRequest);
  // RFC 2866 §5.1: first, so a capture reads naturally.
  p.AddU32(Attr::kAcctStatusType, StatusTypeOf(ev.status));
  AddOptionalString(p, Attr::kUserName, ev.user);
  // RFC 2866 §4.1 (via RFC 2865 §4.1): NAS-IP-Address or NAS-Identifier.
  AddOptionalString(p, Attr::kNasIdentifier, nas.identifier);
  if (nas.ip) p.AddIpv4(Attr::kNasIpAddress, *nas.ip);
  p.AddU32(Attr::kNasPort, s.nas_port);
  p.AddU32(Attr::kNasPortType, PortTypeOf(s.nas_port_type));
  AddOptionalString(p, Attr::kNasPortId, s.peer_iface);
  p.AddU32(Attr::kServiceType, static_cast<uint32_t>(ServiceType::kFramed));
  p.AddU32(Attr::kFramedProtocol, static_cast<uint32_t>(FramedProtocol::kPpp));
  if (ev.framed_ip) p.AddIpv4(Attr::kFramedIpAddress, *ev.framed_ip);
  AddOptionalString(p, Attr::kCallingStationId, s.calling_station_id);
  AddOptionalString(p, Attr::kCalledStationId, s.called_station_id);
  // RFC 2866 §5.5, §5.11, §5.12.
  AddOptionalString(p, Attr::kAcctSessionId, s.acct_session_id);
  AddOptionalString(p, Attr::kAcctMultiSessionId, s.acct_multi_session_id);
  p.AddU32(Attr::kAcctLinkCount, ev.link_count);
  // RFC 2866 §5.6.
  p.AddU32(
      Attr::kAcctAuthentic,
      static_cast<uint32_t>(radius_authenticated ? AcctAuthentic::kRadius : AcctAuthentic::kLocal));
  // RFC 2865 §5.25: the NAS sends Class unmodified in accounting.
  for (const auto& c : classes) {
    if (!p.AddBytes(Attr::kClass, c))
      MLOG_DEBUG(kRadius2, "RADIUS: Class of {} octets not echoed", c.size());
  }
  // mpd5's own attributes (conf/dictionary.mpd), which its DAE server and
  // billing scripts key sessions on.
  AddMpdString(p, MpdAttr::kLink, s.link);
  AddMpdString(p, MpdAttr::kBundle, s.bundle);
  AddMpdString(p, MpdAttr::kIface, ev.iface);
  p.AddVendorU32(kVendorMpd, static_cast<uint8_t>(MpdAttr::kIfaceIndex),
                 static_cast<uint32_t>(ev.iface_index));
  AddMpdString(p, MpdAttr::kPeerIdent, s.peer_ident);
  // RFC 2869 §5.3; RFC 2866 §5.2: sent at once, so no delay (the client
  // keeps one authenticator over retransmissions, so it cannot grow).
  if (event_timestamp) p.AddU32(Attr::kEventTimestamp, *event_timestamp);
  p.AddU32(Attr::kAcctDelayTime, 0);

  if (ev.status == AcctEvent::kUpdate || ev.status == AcctEvent::kStop) {
    // RFC 2866 §5.7 session time; §5.3/§5.4 octets (low 32 bits) with
    // RFC 2869 §5.1/§5.2 Gigawords (how many times the 32-bit counter
    // wrapped, i.e. the high 32 bits); §5.8/§5.9 packets.
    p.AddU32(Attr::kAcctSessionTime, Low32(ev.session_time));
    p.AddU32(Attr::kAcctInputOctets, Low32(ev.in_octets));
    p.AddU32(Attr::kAcctInputGigawords, High32(ev.in_octets));
    p.AddU32(Attr::kAcctInputPackets, Low32(ev.in_packets));
    p.AddU32(Attr::kAcctOutputOctets, Low32(ev.out_octets));
    p.AddU32(Attr::kAcctOutputGigawords, High32(ev.out_octets));
    p.AddU32(Attr::kAcctOutputPackets, Low32(ev.out_packets));
  }
  if (ev.status == AcctEvent::kStop)
    p.AddU32(Attr::kAcctTerminateCause, TerminateCauseFromName(ev.terminate_cause));
  return p;
}

AcctOutcome ReadAccountingReply(const RadiusReply& reply) {
  AcctOutcome o;
  if (reply.status != ReplyStatus::kOk) {
    o.error = fmt::format("RADIUS accounting: {}{}{}", ReplyStatusName(reply.status),
                          reply.error.empty() ? "" : ": ", reply.error);
    return o;
  }
  if (reply.packet.code_enum() != Code::kAccountingResponse) {
    o.error = fmt::format("RADIUS accounting: unexpected {}", CodeName(reply.packet.code));
    return o;
  }
  o.ok = true;
  auto drop = reply.packet.FindVendorU32(kVendorMpd, static_cast<uint8_t>(MpdAttr::kDropUser));
  o.drop_user = drop && *drop != 0;
  return o;
}

RadiusAccounting::RadiusAccounting(std::unique_ptr<RadiusClient> client, NasIdentity nas,
                                   WallClock now)
    : client_(std::move(client)), nas_(std::move(nas)), now_(std::move(now)) {}

RadiusAccounting::~RadiusAccounting() = default;

void RadiusAccounting::Send(const AcctEvent& ev, const std::vector<std::vector<uint8_t>>& classes,
                            bool radius_authenticated, std::function<void(AcctOutcome)> done) {
  std::optional<uint32_t> ts;
  if (now_) ts = now_();
  RadiusPacket p = BuildAccountingRequest(ev, classes, radius_authenticated, nas_, ts);
  ++counters_.sent;
  MLOG_DEBUG(kRadius, "RADIUS: Accounting-Request {} for \"{}\" session {}",
             AcctStatusTypeName(StatusTypeOf(ev.status)), ev.user, ev.session.acct_session_id);
  // The client outlives its callbacks (it cancels them when destroyed, and
  // it is destroyed with us), so `this` is safe inside them.
  client_->Send(std::move(p), RequestKind::kAcct,
                [this, status = ev.status, user = ev.user, session = ev.session.acct_session_id,
                 done = std::move(done)](RadiusReply reply) {
                  AcctOutcome o = ReadAccountingReply(reply);
                  if (o.ok) {
                    ++counters_.responses;
                    if (o.drop_user) ++counters_.drop_user;
                    MLOG_DEBUG(kRadius, "RADIUS: Accounting-Response ({}) for \"{}\"{}",
                               AcctStatusName(status), user, o.drop_user ? ": mpd-drop-user" : "");
                  } else {
                    ++counters_.failed;
                    MLOG_PEER_ERROR(limiter_, kRadius, "RADIUS: accounting {} for \"{}\" ({}): {}",
                                    AcctStatusName(status), user, session, o.error);
                  }
                  if (done) done(std::move(o));
                });
}

}  // namespace mlppp::aaa::radius
