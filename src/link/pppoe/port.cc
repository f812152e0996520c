#include "link/pppoe/port.h"

#include "link/pppoe/client.h"
#include "link/pppoe/server.h"
#include "link/pppoe/session.h"

namespace mlppp::link::pppoe {

PppoePort::PppoePort(event::Loop& loop, std::unique_ptr<os::EtherSocket> disc,
                     std::unique_ptr<os::EtherSocket> sess, RandomFill random)
    : loop_(loop), disc_(std::move(disc)), sess_(std::move(sess)), random_(std::move(random)) {
  disc_->SetReceiver([this](const os::MacAddr& src, const os::MacAddr& dst, Packet&& p) {
    OnDiscoveryFrame(src, dst, std::move(p));
  });
  sess_->SetReceiver([this](const os::MacAddr& src, const os::MacAddr& dst, Packet&& p) {
    OnSessionFrame(src, dst, std::move(p));
  });
}

PppoePort::~PppoePort() {
  alive_.reset();
  // Drivers should be gone already (see port.h); any left are detached so
  // they never touch this port again.
  for (SessionDriver* d : drivers_) d->Detach();
  drivers_.clear();
  sessions_.clear();
  clients_.clear();
  disc_->SetReceiver(nullptr);
  sess_->SetReceiver(nullptr);
}

Status PppoePort::Listen(PppoeServerConfig config, IncomingFn on_incoming) {
  if (!on_incoming) return Status::Error("pppoe: Listen needs an on_incoming callback");
  if (config.max_sessions == 0) return Status::Error("pppoe: max_sessions must be > 0");
  if (!server_) {
    // A new secret at each start: cookies from a previous run are invalid.
    std::array<uint8_t, CookieSigner::kSecretSize> secret{};
    random_(secret);
    server_ = std::make_unique<PppoeServer>(*this, secret);
  }
  server_->Configure(std::move(config), std::move(on_incoming));
  listening_ = true;
  return Status::Ok();
}

void PppoePort::StopListening() { listening_ = false; }

std::unique_ptr<link::Driver> PppoePort::MakeClient(PppoeClientConfig config) {
  return std::make_unique<PppoeClient>(this, std::move(config));
}

uint64_t PppoePort::SessionKey(const os::MacAddr& mac, uint16_t session_id) {
  uint64_t k = 0;
  for (uint8_t b : mac) k = k << 8 | b;
  return k << 16 | session_id;
}

void PppoePort::OnDiscoveryFrame(const os::MacAddr& src, const os::MacAddr& dst, Packet&& p) {
  ++counters_.disc_rx;
  Discovery d;
  ParseError e = ParseDiscovery(p.span(), &d);
  if (e != ParseError::kOk) {
    ++counters_.disc_malformed;
    MLOG_PEER_ERROR(peer_errors_, kPhys, "pppoe: bad Discovery frame from {}: {}",
                    os::MacToString(src), ParseErrorName(e));
    return;
  }
  // RFC 2516 §5: every Discovery packet but PADI is unicast to us, and no
  // packet comes from a group address.
  if (os::IsGroupMac(src) || (d.code != Code::kPADI && dst != local_mac())) {
    ++counters_.disc_ignored;
    return;
  }
  MLOG_DEBUG(kPhys, "pppoe: {} from {} session {}", CodeName(d.code), os::MacToString(src),
             d.session_id);
  switch (d.code) {
    case Code::kPADI:
      ++counters_.padi_rx;
      if (listening_) {
        server_->OnPadi(src, d);
      } else {
        ++counters_.disc_ignored;
      }
      return;
    case Code::kPADR:
      ++counters_.padr_rx;
      if (listening_) {
        server_->OnPadr(src, d);
      } else {
        ++counters_.disc_ignored;
      }
      return;
    case Code::kPADO:
    case Code::kPADS: {
      if (d.code == Code::kPADO) {
        ++counters_.pado_rx;
      } else {
        ++counters_.pads_rx;
      }
      auto it = d.host_uniq ? clients_.find(std::string(d.host_uniq->begin(), d.host_uniq->end()))
                            : clients_.end();
      if (it == clients_.end()) {
        ++counters_.disc_ignored;
        return;
      }
      it->second->OnDiscovery(src, d);
      return;
    }
    case Code::kPADT: {
      ++counters_.padt_rx;
      // RFC 2516 §5.5: PADT names the session by SESSION_ID (and MAC).
      auto it = sessions_.find(SessionKey(src, d.session_id));
      if (it == sessions_.end()) {
        ++counters_.disc_ignored;
        return;
      }
      it->second->OnPadt();
      return;
    }
    case Code::kSession:
      break;
  }
  ++counters_.disc_ignored;
}

void PppoePort::OnSessionFrame(const os::MacAddr& src, const os::MacAddr& dst, Packet&& p) {
  ++counters_.sess_rx;
  SessionHeader h;
  ParseError e = ParseSessionHeader(p, &h);
  if (e != ParseError::kOk) {
    ++counters_.sess_malformed;
    MLOG_PEER_ERROR(peer_errors_, kPhys, "pppoe: bad session frame from {}: {}",
                    os::MacToString(src), ParseErrorName(e));
    return;
  }
  if (dst != local_mac()) {
    ++counters_.sess_unknown;
    return;
  }
  const uint64_t key = SessionKey(src, h.session_id);
  auto it = sessions_.find(key);
  if (it == sessions_.end() && !clients_.empty()) {
    // A client of ours may be waiting for this very session's PADS: a
    // server starts LCP right after it (RFC 2516 §5.4), and Discovery and
    // Session frames come through two sockets, so the server's first
    // Configure-Request can be read before the PADS (behind a thousand
    // PADOs in a login storm). Hold it for the session instead of costing
    // the call a whole LCP restart timer.
    HoldEarly(key, std::move(p));
    return;
  }
  if (it == sessions_.end()) {
    ++counters_.sess_unknown;
    return;
  }
  it->second->DeliverFrame(std::move(p));
}

bool PppoePort::SendDiscovery(const os::MacAddr& dst, const Discovery& d) {
  auto pkt = DiscoveryToPacket(d);
  if (!pkt.ok()) {
    ++counters_.disc_tx_errors;
    MLOG_WARN(kPhys, "pppoe: cannot send {}: {}", CodeName(d.code), pkt.error());
    return false;
  }
  switch (d.code) {
    case Code::kPADI:
      ++counters_.padi_tx;
      break;
    case Code::kPADO:
      ++counters_.pado_tx;
      break;
    case Code::kPADR:
      ++counters_.padr_tx;
      break;
    case Code::kPADS:
      ++counters_.pads_tx;
      break;
    case Code::kPADT:
      ++counters_.padt_tx;
      break;
    case Code::kSession:
      break;
  }
  disc_->Send(dst, std::move(*pkt));
  return true;
}

void PppoePort::SendSession(const os::MacAddr& dst, uint16_t session_id, Packet&& frame) {
  PrependSessionHeader(frame, session_id);
  ++counters_.sess_tx;
  sess_->Send(dst, std::move(frame));
}

void PppoePort::SendPadt(const os::MacAddr& dst, uint16_t session_id) {
  // RFC 2516 §5.5: PADT carries the SESSION_ID; no TAGs are required.
  Discovery padt;
  padt.code = Code::kPADT;
  padt.session_id = session_id;
  SendDiscovery(dst, padt);
}

bool PppoePort::RegisterSession(const os::MacAddr& peer, uint16_t session_id, SessionDriver* d) {
  const uint64_t key = SessionKey(peer, session_id);
  if (!sessions_.emplace(key, d).second) return false;
  // Frames that came before the PADS, oldest first, unless stale; the
  // driver keeps them until its up is reported. Collected first: delivery
  // must not run while early_ is being walked.
  const event::TimePoint now = loop_.Now();
  std::vector<Packet> mine;
  for (auto e = early_.begin(); e != early_.end();) {
    if (e->key == key) {
      if (now - e->at <= kEarlyFrameLife) mine.push_back(std::move(e->frame));
      e = early_.erase(e);
    } else {
      ++e;
    }
  }
  for (Packet& p : mine) d->DeliverFrame(std::move(p));
  return true;
}

void PppoePort::HoldEarly(uint64_t key, Packet&& frame) {
  const event::TimePoint now = loop_.Now();
  while (!early_.empty() &&
         (early_.size() >= kMaxEarlyFrames || now - early_.front().at > kEarlyFrameLife)) {
    early_.pop_front();
    ++counters_.sess_early_dropped;
  }
  early_.push_back(EarlyFrame{key, now, std::move(frame)});
}

void PppoePort::UnregisterSession(const os::MacAddr& peer, uint16_t session_id) {
  const uint64_t key = SessionKey(peer, session_id);
  sessions_.erase(key);
  // Nothing held for a session that has ended may reach a later one.
  std::erase_if(early_, [key](const EarlyFrame& e) { return e.key == key; });
}

bool PppoePort::SessionKeyTaken(const os::MacAddr& peer, uint16_t session_id) const {
  return sessions_.count(SessionKey(peer, session_id)) != 0;
}

bool PppoePort::RegisterClient(const Bytes& host_uniq, PppoeClient* c) {
  return clients_.emplace(std::string(host_uniq.begin(), host_uniq.end()), c).second;
}

void PppoePort::UnregisterClient(const Bytes& host_uniq) {
  clients_.erase(std::string(host_uniq.begin(), host_uniq.end()));
}

}  // namespace mlppp::link::pppoe
