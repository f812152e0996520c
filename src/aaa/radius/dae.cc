#include "aaa/radius/dae.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "core/wire.h"

namespace mlppp::aaa::radius {
namespace {

const Authenticator kZero{};

std::string AsString(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

std::optional<uint32_t> AsU32(const std::vector<uint8_t>& v) {
  if (v.size() != 4) return std::nullopt;
  WireReader r(v);
  return r.U32();
}

// What the attribute scan found wrong, checked afterwards in a fixed order
// so one request always gets the same Error-Cause.
struct Problems {
  bool nas_mismatch = false;
  bool unsupported = false;      // 401
  bool invalid_value = false;    // 407
  bool invalid_request = false;  // 404: a single-valued attribute repeated
  bool authorize_only = false;   // Service-Type Authorize-Only: we do not re-authorize
  std::string what;              // the first offending attribute, for the log

  void Flag(bool& which, std::string_view name) {
    if (what.empty()) what = std::string(name);
    which = true;
  }
};

template <class T>
void SetOnce(std::optional<T>& field, T value, Problems& pr, std::string_view name) {
  if (field) {
    pr.Flag(pr.invalid_request, name);
    return;
  }
  field = std::move(value);
}

void SetU32Once(std::optional<uint32_t>& field, const std::vector<uint8_t>& v, Problems& pr,
                std::string_view name) {
  auto x = AsU32(v);
  if (!x) {
    pr.Flag(pr.invalid_value, name);
    return;
  }
  SetOnce(field, *x, pr, name);
}

bool IsMpdAcl(MpdAttr a) {
  switch (a) {
    case MpdAttr::kRule:
    case MpdAttr::kPipe:
    case MpdAttr::kQueue:
    case MpdAttr::kTable:
    case MpdAttr::kTableStatic:
    case MpdAttr::kFilter:
    case MpdAttr::kLimit:
    case MpdAttr::kInputAcct:
    case MpdAttr::kOutputAcct:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string CanonicalAddress(const std::string& addr) {
  // inet_pton/inet_ntop are pure conversions (no syscall): they let
  // "2001:DB8::0:1" in the configuration match the "2001:db8::1" the
  // socket reports, and an IPv4-mapped source match an IPv4 peer.
  in_addr v4{};
  in6_addr v6{};
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, addr.c_str(), &v4) == 1) {
    return inet_ntop(AF_INET, &v4, buf, sizeof(buf)) ? std::string(buf) : addr;
  }
  if (inet_pton(AF_INET6, addr.c_str(), &v6) != 1) return addr;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], 4);
    return inet_ntop(AF_INET, &v4, buf, sizeof(buf)) ? std::string(buf) : addr;
  }
  return inet_ntop(AF_INET6, &v6, buf, sizeof(buf)) ? std::string(buf) : addr;
}

bool SessionSelector::Empty() const {
  return !user_name && !acct_session_id && !acct_multi_session_id && !framed_ip && !nas_port &&
         !nas_port_id && !calling_station_id && !called_station_id && !mpd_link && !mpd_bundle &&
         !mpd_iface && !mpd_iface_index;
}

DaeServer::DaeServer(event::Loop& loop, DaeTarget& target, DaeConfig config)
    : loop_(loop), target_(target) {
  Reconfigure(std::move(config));
}

void DaeServer::Reconfigure(DaeConfig config) {
  config_ = std::move(config);
  peer_addrs_.clear();
  for (const auto& p : config_.peers) peer_addrs_.push_back(CanonicalAddress(p.addr));
  cache_.clear();
}

const DaePeer* DaeServer::FindPeer(const std::string& addr) const {
  std::string canonical = CanonicalAddress(addr);
  for (size_t i = 0; i < peer_addrs_.size(); ++i) {
    if (peer_addrs_[i] == canonical) return &config_.peers[i];
  }
  return nullptr;
}

void DaeServer::PruneCache() {
  auto now = loop_.Now();
  std::erase_if(cache_, [&](const auto& kv) { return now - kv.second.at > kDuplicateWindow; });
  if (cache_.size() < kMaxCachedReplies) return;
  auto oldest = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
    return a.second.at < b.second.at;
  });
  cache_.erase(oldest);
}

std::optional<std::vector<uint8_t>> DaeServer::Handle(std::span<const uint8_t> datagram,
                                                      const std::string& from_addr) {
  // RFC 5176 §3: requests from a client we share no secret with are
  // silently discarded.
  const DaePeer* peer = FindPeer(from_addr);
  if (!peer) {
    ++counters_.unknown_client;
    MLOG_PEER_ERROR(peer_errors_, kRadius, "radsrv: datagram from unknown client {} ignored",
                    from_addr);
    return std::nullopt;
  }
  ParseError why = ParseError::kNone;
  auto parsed = Parse(datagram, &why);
  if (!parsed) {
    ++counters_.malformed;
    MLOG_PEER_ERROR(peer_errors_, kRadius, "radsrv: malformed datagram from {}: {}", from_addr,
                    ParseErrorName(why));
    return std::nullopt;
  }
  const RadiusPacket& req = *parsed;
  if (req.code_enum() != Code::kDisconnectRequest && req.code_enum() != Code::kCoaRequest) {
    ++counters_.bad_code;
    MLOG_PEER_ERROR(peer_errors_, kRadius, "radsrv: unexpected {} from {} ignored",
                    CodeName(req.code), from_addr);
    return std::nullopt;
  }
  // RFC 5176 §2.3: the Request Authenticator is computed as for an
  // Accounting-Request (RFC 2866 §3), over a zero authenticator.
  if (!VerifyRequestAuthenticator(datagram, peer->secret)) {
    ++counters_.bad_authenticator;
    MLOG_PEER_ERROR(peer_errors_, kRadius,
                    "radsrv: {} id {} from {}: bad Request Authenticator (wrong secret?), ignored",
                    CodeName(req.code), req.id, from_addr);
    return std::nullopt;
  }
  // RFC 5176 §3.1, RFC 3579 §3.2: a Message-Authenticator, when present,
  // is computed over a zero authenticator and must verify.
  const bool has_ma = req.Find(Attr::kMessageAuthenticator).has_value();
  if (has_ma && !VerifyMessageAuthenticator(datagram, kZero, peer->secret)) {
    ++counters_.bad_message_authenticator;
    MLOG_PEER_ERROR(peer_errors_, kRadius,
                    "radsrv: {} id {} from {}: bad Message-Authenticator, ignored",
                    CodeName(req.code), req.id, from_addr);
    return std::nullopt;
  }
  // RFC 5176 (Event-Timestamp): replay protection when we have a clock.
  if (config_.wall_clock && req.Find(Attr::kEventTimestamp)) {
    auto ts = req.FindU32(Attr::kEventTimestamp);
    int64_t now = config_.wall_clock();
    if (!ts || std::max<int64_t>(now, *ts) - std::min<int64_t>(now, *ts) > config_.event_window) {
      ++counters_.stale_timestamp;
      MLOG_PEER_ERROR(peer_errors_, kRadius,
                      "radsrv: {} id {} from {}: Event-Timestamp outside the {} s window, ignored",
                      CodeName(req.code), req.id, from_addr, config_.event_window);
      return std::nullopt;
    }
  }

  // RFC 5080 §2.2.2: a retransmission gets the reply we already sent,
  // without acting on it again.
  PruneCache();
  CacheKey key{from_addr, req.id};
  if (auto it = cache_.find(key); it != cache_.end()) {
    if (it->second.request_auth == req.authenticator) {
      ++counters_.duplicates;
      MLOG_DEBUG(kRadius2, "radsrv: duplicate {} id {} from {}, reply resent", CodeName(req.code),
                 req.id, from_addr);
      return it->second.reply;
    }
    cache_.erase(it);  // a new request reusing the Identifier
  }

  ++counters_.requests;
  if (req.code_enum() == Code::kCoaRequest) {
    ++counters_.coa_requests;
  } else {
    ++counters_.disconnect_requests;
  }
  MLOG_INFO(kRadius, "radsrv: {} id {} from {}", CodeName(req.code), req.id, from_addr);

  RadiusPacket reply = Process(req, from_addr);
  reply.id = req.id;
  // RFC 2865 §5.33 (RFC 5176 §3): Proxy-State is echoed in order.
  for (auto ps : req.FindAll(Attr::kProxyState)) reply.AddBytes(Attr::kProxyState, ps);
  // Sign the reply when the request was signed (RFC 5176 §3.1).
  if (has_ma) AddMessageAuthenticator(reply);
  auto wire = EncodeResponse(reply, req.authenticator, peer->secret);
  if (!wire) {
    MLOG_ERROR(kRadius, "radsrv: cannot encode {} to {}: {}", CodeName(reply.code), from_addr,
               wire.error());
    return std::nullopt;
  }
  cache_[key] = Cached{req.authenticator, *wire, loop_.Now()};
  return std::move(*wire);
}

RadiusPacket DaeServer::Nak(const RadiusPacket& req, ErrorCause cause, std::string_view peer,
                            std::string_view why) {
  ++counters_.naks;
  RadiusPacket nak;
  nak.code = static_cast<uint8_t>(req.code_enum() == Code::kCoaRequest ? Code::kCoaNak
                                                                       : Code::kDisconnectNak);
  nak.AddU32(Attr::kErrorCause, static_cast<uint32_t>(cause));
  MLOG_PEER_ERROR(peer_errors_, kRadius, "radsrv: {} id {} from {}: {} ({}): {}",
                  CodeName(nak.code), req.id, peer, ErrorCauseName(static_cast<uint32_t>(cause)),
                  static_cast<uint32_t>(cause), why);
  return nak;
}

RadiusPacket DaeServer::Process(const RadiusPacket& req, std::string_view peer) {
  const bool is_coa = req.code_enum() == Code::kCoaRequest;
  if (is_coa ? !config_.coa : !config_.disconnect) {
    return Nak(req, ErrorCause::kAdministrativelyProhibited, peer, "disabled by configuration");
  }

  SessionSelector sel;
  CoaChanges changes;
  Problems pr;
  for (const Attribute& a : req.attributes) {
    if (a.vendor == kVendorMpd) {
      auto t = static_cast<MpdAttr>(a.vendor_type);
      std::string_view name = MpdAttrName(a.vendor_type);
      switch (t) {
        case MpdAttr::kLink:
          SetOnce(sel.mpd_link, AsString(a.value), pr, name);
          break;
        case MpdAttr::kBundle:
          SetOnce(sel.mpd_bundle, AsString(a.value), pr, name);
          break;
        case MpdAttr::kIface:
          SetOnce(sel.mpd_iface, AsString(a.value), pr, name);
          break;
        case MpdAttr::kIfaceIndex:
          SetU32Once(sel.mpd_iface_index, a.value, pr, name);
          break;
        default:
          if (is_coa && IsMpdAcl(t)) {
            changes.mpd_acl.emplace_back(t, AsString(a.value));
          } else {
            pr.Flag(pr.unsupported, name);
          }
      }
      continue;
    }
    if (a.vendor != 0) {
      // RFC 5176 §3.2: attributes we do not act on are refused, not
      // silently ignored, so the client knows the change did not happen.
      pr.Flag(pr.unsupported,
              fmt::format("Vendor-Specific ({} {})", VendorName(a.vendor), a.vendor));
      continue;
    }
    std::string_view name = AttrName(a.type);
    switch (static_cast<Attr>(a.type)) {
      // NAS identification (RFC 5176 §3).
      case Attr::kNasIpAddress: {
        auto ip = AsU32(a.value);
        if (!ip) {
          pr.Flag(pr.invalid_value, name);
        } else if (config_.nas_ip && *config_.nas_ip != *ip) {
          pr.Flag(pr.nas_mismatch, name);
        }
        break;
      }
      case Attr::kNasIpv6Address:
        if (a.value.size() != 16) {
          pr.Flag(pr.invalid_value, name);
        } else if (config_.nas_ipv6 &&
                   !std::equal(a.value.begin(), a.value.end(), config_.nas_ipv6->begin())) {
          pr.Flag(pr.nas_mismatch, name);
        }
        break;
      case Attr::kNasIdentifier:
        if (config_.nas_identifier && *config_.nas_identifier != AsString(a.value)) {
          pr.Flag(pr.nas_mismatch, name);
        }
        break;
      // Session identification (RFC 5176 §3; mpd5 radsrv.c).
      case Attr::kUserName:
        SetOnce(sel.user_name, AsString(a.value), pr, name);
        break;
      case Attr::kAcctSessionId:
        SetOnce(sel.acct_session_id, AsString(a.value), pr, name);
        break;
      case Attr::kAcctMultiSessionId:
        SetOnce(sel.acct_multi_session_id, AsString(a.value), pr, name);
        break;
      case Attr::kFramedIpAddress:
        SetU32Once(sel.framed_ip, a.value, pr, name);
        break;
      case Attr::kNasPort:
        SetU32Once(sel.nas_port, a.value, pr, name);
        break;
      case Attr::kNasPortId:
        SetOnce(sel.nas_port_id, AsString(a.value), pr, name);
        break;
      case Attr::kCallingStationId:
        SetOnce(sel.calling_station_id, AsString(a.value), pr, name);
        break;
      case Attr::kCalledStationId:
        SetOnce(sel.called_station_id, AsString(a.value), pr, name);
        break;
      // Carried by every request type, nothing to act on: checked
      // (Message-Authenticator, Event-Timestamp), echoed (Proxy-State),
      // or informational (Reply-Message, Acct-Terminate-Cause, Class in a
      // Disconnect-Request).
      case Attr::kMessageAuthenticator:
      case Attr::kEventTimestamp:
      case Attr::kProxyState:
      case Attr::kReplyMessage:
        break;
      case Attr::kAcctTerminateCause:
        if (is_coa) pr.Flag(pr.unsupported, name);
        break;
      // RFC 5176 §3.2: Service-Type Authorize-Only asks the NAS to
      // re-authorize the session; we do not (nor does mpd5).
      case Attr::kServiceType: {
        auto st = AsU32(a.value);
        if (st && *st == static_cast<uint32_t>(ServiceType::kAuthenticateOnly)) {
          pr.Flag(pr.authorize_only, name);
        } else {
          pr.Flag(pr.unsupported, name);
        }
        break;
      }
      // The authorization changes a CoA-Request may carry (mpd5 radsrv.c).
      case Attr::kSessionTimeout:
      case Attr::kIdleTimeout:
      case Attr::kAcctInterimInterval: {
        if (!is_coa) {
          pr.Flag(pr.unsupported, name);
          break;
        }
        auto& field = a.type == static_cast<uint8_t>(Attr::kSessionTimeout)
                          ? changes.session_timeout
                      : a.type == static_cast<uint8_t>(Attr::kIdleTimeout) ? changes.idle_timeout
                                                                           : changes.acct_interim;
        SetU32Once(field, a.value, pr, name);
        break;
      }
      case Attr::kState:
        if (is_coa) {
          SetOnce(changes.state, a.value, pr, name);
        } else {
          pr.Flag(pr.unsupported, name);
        }
        break;
      case Attr::kClass:
        if (is_coa) changes.classes.push_back(a.value);
        break;
      default:
        pr.Flag(pr.unsupported, name);
    }
  }

  if (pr.nas_mismatch) {
    return Nak(req, ErrorCause::kNasIdentificationMismatch, peer, pr.what + " is not ours");
  }
  if (pr.unsupported) return Nak(req, ErrorCause::kUnsupportedAttribute, peer, pr.what);
  if (pr.invalid_value) return Nak(req, ErrorCause::kInvalidAttributeValue, peer, pr.what);
  if (pr.invalid_request) {
    return Nak(req, ErrorCause::kInvalidRequest, peer, pr.what + " repeated");
  }
  if (pr.authorize_only) {
    return Nak(req, ErrorCause::kUnsupportedService, peer, "Authorize-Only");
  }
  if (sel.Empty()) {
    return Nak(req, ErrorCause::kMissingAttribute, peer, "no session identification attribute");
  }
  std::vector<std::string> sessions = target_.FindSessions(sel);
  if (sessions.empty()) {
    return Nak(req, ErrorCause::kSessionContextNotFound, peer, "no matching session");
  }

  RadiusPacket ack;
  if (is_coa) {
    bool all = true;
    for (const auto& s : sessions) {
      if (target_.ApplyCoa(s, changes)) {
        ++counters_.sessions_changed;
        MLOG_INFO(kRadius, "radsrv: CoA applied to session {}", s);
      } else {
        all = false;
      }
    }
    if (!all) {
      return Nak(req, ErrorCause::kResourcesUnavailable, peer, "a session refused the change");
    }
    ack.code = static_cast<uint8_t>(Code::kCoaAck);
  } else {
    for (const auto& s : sessions) {
      MLOG_INFO(kRadius, "radsrv: disconnecting session {}", s);
      target_.Disconnect(s);
      ++counters_.sessions_disconnected;
    }
    ack.code = static_cast<uint8_t>(Code::kDisconnectAck);
  }
  ++counters_.acks;
  return ack;
}

}  // namespace mlppp::aaa::radius
