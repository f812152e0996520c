#include "link/pppoe/server.h"

#include <algorithm>
#include <chrono>

#include "core/log.h"

namespace mlppp::link::pppoe {

PppoeServer::PppoeServer(PppoePort& port,
                         const std::array<uint8_t, CookieSigner::kSecretSize>& secret)
    : port_(port), signer_(secret) {}

std::optional<uint16_t> PppoeServer::TakeId() {
  if (next_fresh_id_ < 0xffff) return static_cast<uint16_t>(next_fresh_id_++);
  if (released_ids_.empty()) return std::nullopt;
  uint16_t id = released_ids_.front();
  released_ids_.pop_front();
  return id;
}

void PppoeServer::Configure(PppoeServerConfig config, PppoePort::IncomingFn on_incoming) {
  config_ = std::move(config);
  on_incoming_ = std::move(on_incoming);
}

bool PppoeServer::Offers(std::string_view service) const {
  // RFC 2516 §5.1: a zero-length Service-Name means any service.
  return service.empty() || config_.service == "*" || service == config_.service;
}

uint64_t PppoeServer::Slot() const {
  auto since = port_.loop().Now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(since).count()) /
         kCookieSlotSeconds;
}

std::string PppoeServer::AcName() const {
  return config_.ac_name.empty() ? std::string("mlpppd") : config_.ac_name;
}

std::optional<uint16_t> PppoeServer::NegotiateMaxPayload(const Discovery& d) const {
  // RFC 4638 §4-§5: only when the client asks for more than 1492 and we are
  // configured to carry more; we answer with what both sides can do.
  if (!d.ppp_max_payload || *d.ppp_max_payload <= kDefaultMaxPayload) return std::nullopt;
  if (config_.max_payload <= kDefaultMaxPayload) return std::nullopt;
  return std::min(*d.ppp_max_payload, config_.max_payload);
}

std::string PppoeServer::PeerKey(const os::MacAddr& mac, const Bytes& host_uniq) {
  std::string k(mac.begin(), mac.end());
  k.append(host_uniq.begin(), host_uniq.end());
  return k;
}

void PppoeServer::OnPadi(const os::MacAddr& src, const Discovery& d) {
  auto& c = port_.counters_;
  // RFC 2516 §5.1: SESSION_ID MUST be 0x0000 in a PADI.
  if (d.session_id != 0) {
    ++c.disc_malformed;
    return;
  }
  const std::string service = d.service_name.value_or("");
  // RFC 2516 §5.2: an AC that cannot serve the PADI MUST NOT answer.
  if (!Offers(service)) {
    ++c.service_refused;
    MLOG_DEBUG(kPhys, "pppoe: PADI from {} for service '{}' not offered", os::MacToString(src),
               service);
    return;
  }
  if (live_ >= config_.max_sessions) {
    ++c.session_limit;
    return;
  }
  const Bytes host_uniq = d.host_uniq.value_or(Bytes{});
  Discovery pado;
  pado.code = Code::kPADO;
  pado.ac_name = AcName();
  pado.service_name = service;
  // RFC 2516 §5.2 / Appendix A: Host-Uniq and Relay-Session-Id are echoed
  // unmodified.
  pado.host_uniq = d.host_uniq;
  pado.relay_session_id = d.relay_session_id;
  auto cookie = signer_.Make(src, service, host_uniq, Slot());
  pado.ac_cookie = Bytes(cookie.begin(), cookie.end());
  pado.ppp_max_payload = NegotiateMaxPayload(d);
  port_.SendDiscovery(src, pado);
}

void PppoeServer::SendPadsError(const os::MacAddr& dst, const Discovery& req, Tag tag,
                                std::string text) {
  // RFC 2516 §5.4: a refusing PADS carries SESSION_ID 0 and an error TAG.
  Discovery pads;
  pads.code = Code::kPADS;
  pads.session_id = 0;
  pads.service_name = req.service_name.value_or("");
  pads.host_uniq = req.host_uniq;
  pads.relay_session_id = req.relay_session_id;
  if (tag == Tag::kServiceNameError) {
    pads.service_name_error = std::move(text);
  } else {
    pads.ac_system_error = std::move(text);
  }
  port_.SendDiscovery(dst, pads);
}

void PppoeServer::OnPadr(const os::MacAddr& src, const Discovery& d) {
  auto& c = port_.counters_;
  // RFC 2516 §5.3: SESSION_ID MUST be 0x0000 in a PADR.
  if (d.session_id != 0) {
    ++c.disc_malformed;
    return;
  }
  const std::string service = d.service_name.value_or("");
  const Bytes host_uniq = d.host_uniq.value_or(Bytes{});
  // RFC 2516 §8: the AC-Cookie we put in the PADO must come back. A bad one
  // gets no answer at all, so forged PADRs cost one HMAC and nothing else.
  if (!d.ac_cookie || !signer_.Verify(*d.ac_cookie, src, service, host_uniq, Slot())) {
    ++c.bad_cookie;
    MLOG_PEER_ERROR(port_.peer_errors_, kPhys, "pppoe: PADR from {} with bad or expired AC-Cookie",
                    os::MacToString(src));
    return;
  }
  // The config may have changed since the PADO.
  if (!Offers(service)) {
    ++c.service_refused;
    SendPadsError(src, d, Tag::kServiceNameError, "service not offered");
    return;
  }
  const std::string key = PeerKey(src, host_uniq);
  // A retransmitted PADR (our PADS was lost): answer with the same PADS.
  if (auto it = by_peer_.find(key); it != by_peer_.end()) {
    port_.SendDiscovery(src, it->second->pads());
    return;
  }
  if (live_ >= config_.max_sessions || FreeIds() == 0 || !on_incoming_) {
    ++c.session_limit;
    SendPadsError(src, d, Tag::kAcSystemError, "session limit reached");
    return;
  }
  // Take the first free id whose (MAC, id) is not used by a client session
  // of ours on this port (possible only if we dial the same peer).
  uint16_t id = 0;
  for (size_t tries = FreeIds(); tries > 0 && id == 0; --tries) {
    auto cand = TakeId();
    if (!cand) break;
    if (port_.SessionKeyTaken(src, *cand)) {
      ReleaseId(*cand);
    } else {
      id = *cand;
    }
  }
  if (id == 0) {
    ++c.session_limit;
    SendPadsError(src, d, Tag::kAcSystemError, "no session id available");
    return;
  }

  auto negotiated = NegotiateMaxPayload(d);
  Discovery pads;
  pads.code = Code::kPADS;
  pads.session_id = id;
  pads.service_name = service;
  pads.ac_name = AcName();
  pads.host_uniq = d.host_uniq;
  pads.relay_session_id = d.relay_session_id;
  pads.ppp_max_payload = negotiated;  // RFC 4638 §5: echoed in the PADS

  // Check the PADS fits before creating anything (echoed TAGs could make
  // it too big), so a session never exists without its PADS.
  if (Bytes probe; SerializeDiscovery(pads, &probe) != ParseError::kOk) {
    ++c.disc_tx_errors;
    ReleaseId(id);
    return;
  }
  auto session = std::make_unique<ServerSession>(&port_, config_, key, pads);
  ++live_;  // the session's destructor gives it back
  if (!session->Start(src, id, negotiated.value_or(kDefaultMaxPayload))) {
    ReleaseId(id);  // unreachable after the SessionKeyTaken check
    return;
  }
  by_peer_[key] = session.get();
  ++c.sessions_created;
  MLOG_INFO(kPhys, "pppoe: session {} for {} service '{}'", id, os::MacToString(src), service);
  port_.SendDiscovery(src, pads);

  // Hand the driver up through the loop (ARCHITECTURE.md rule 7). If the
  // port dies first, the driver is destroyed unopened.
  auto holder = std::make_shared<std::unique_ptr<link::Driver>>(std::move(session));
  port_.loop().Post([holder, fn = on_incoming_, alive = std::weak_ptr<char>(port_.alive_)] {
    if (alive.expired() || !*holder) return;
    fn(std::move(*holder));
  });
}

void PppoeServer::Forget(ServerSession* s) {
  auto it = by_peer_.find(s->peer_key());
  if (it != by_peer_.end() && it->second == s) by_peer_.erase(it);
}

ServerSession::ServerSession(PppoePort* port, const PppoeServerConfig& config, std::string peer_key,
                             Discovery pads)
    : SessionDriver(port, config.iface), peer_key_(std::move(peer_key)), pads_(std::move(pads)) {
  service_ = pads_.service_name.value_or("");
}

ServerSession::~ServerSession() {
  if (port_ == nullptr) return;
  // Destroyed while up: tell the peer (RFC 2516 §5.5) so it does not wait
  // for LCP echo timeouts.
  Terminate(/*send_padt=*/true);
  if (port_->server_) {
    port_->server_->Forget(this);
    if (id_held_) port_->server_->ReleaseId(session_id_);
    port_->server_->SessionDied();
  }
}

bool ServerSession::Start(const os::MacAddr& peer, uint16_t session_id, uint16_t max_payload) {
  max_payload_ = max_payload;
  if (!Establish(peer, session_id)) return false;
  id_held_ = true;
  return true;
}

void ServerSession::Open() {
  if (closed_) {
    PostDown("closed");
    return;
  }
  PostUp();
}

void ServerSession::Finish(bool send_padt, std::string reason) {
  if (closed_) return;
  closed_ = true;
  Terminate(send_padt);
  if (port_ != nullptr && port_->server_) port_->server_->Forget(this);
  PostDown(std::move(reason));
}

void ServerSession::Close() { Finish(/*send_padt=*/true, "closed locally (PADT sent)"); }

void ServerSession::OnPadt() { Finish(/*send_padt=*/false, "PADT received"); }

}  // namespace mlppp::link::pppoe
