// The Access Concentrator side of PPPoE Discovery (RFC 2516 §5.1-§5.4) on
// one port: PADI -> PADO with a stateless AC-Cookie, PADR -> PADS with a
// fresh SESSION_ID and a ServerSession driver handed to on_incoming.
// Owned by PppoePort; lives as long as the port.
#pragma once

#include <array>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "link/pppoe/cookie.h"
#include "link/pppoe/port.h"
#include "link/pppoe/session.h"

namespace mlppp::link::pppoe {

class ServerSession;

class PppoeServer {
 public:
  // Seconds per AC-Cookie time slot; a cookie is valid in its slot and the
  // next one.
  static constexpr int kCookieSlotSeconds = 60;

  PppoeServer(PppoePort& port, const std::array<uint8_t, CookieSigner::kSecretSize>& secret);

  void Configure(PppoeServerConfig config, PppoePort::IncomingFn on_incoming);
  void OnPadi(const os::MacAddr& src, const Discovery& d);
  void OnPadr(const os::MacAddr& src, const Discovery& d);

  // Called by ServerSession.
  void Forget(ServerSession* s);  // no longer findable by (MAC, Host-Uniq)
  void ReleaseId(uint16_t id) { released_ids_.push_back(id); }
  size_t live_sessions() const { return live_; }
  void SessionDied() { --live_; }

 private:
  bool Offers(std::string_view service) const;
  uint64_t Slot() const;
  std::string AcName() const;
  std::optional<uint16_t> NegotiateMaxPayload(const Discovery& d) const;
  static std::string PeerKey(const os::MacAddr& mac, const Bytes& host_uniq);
  void SendPadsError(const os::MacAddr& dst, const Discovery& req, Tag tag, std::string text);

  PppoePort& port_;
  CookieSigner signer_;
  PppoeServerConfig config_;
  PppoePort::IncomingFn on_incoming_;
  // SESSION_IDs are 1..0xfffe (RFC 2516 §4 reserves 0xffff; 0 means no
  // session yet). Never-used ids come from a counter, returned ones from a
  // FIFO: O(1) take and return with no up-front table, and the longest
  // possible time before an id is reused, so late frames of an old session
  // do not land in a new one.
  std::optional<uint16_t> TakeId();
  size_t FreeIds() const { return (0xffffu - next_fresh_id_) + released_ids_.size(); }
  uint32_t next_fresh_id_ = 1;
  std::deque<uint16_t> released_ids_;
  size_t live_ = 0;
  std::unordered_map<std::string, ServerSession*> by_peer_;  // (MAC, Host-Uniq)
};

// One session accepted by the server. Already connected when created.
class ServerSession : public SessionDriver {
 public:
  ServerSession(PppoePort* port, const PppoeServerConfig& config, std::string peer_key,
                Discovery pads);
  ~ServerSession() override;

  // Posts OnDriverUp (the session is up since the PADS).
  void Open() override;
  // Sends PADT (RFC 2516 §5.5) and posts OnDriverDown.
  void Close() override;
  void OnPadt() override;

  const std::string& peer_key() const { return peer_key_; }
  const Discovery& pads() const { return pads_; }
  // Registers the session; false on a (MAC, SESSION_ID) collision.
  bool Start(const os::MacAddr& peer, uint16_t session_id, uint16_t max_payload);

 private:
  void Finish(bool send_padt, std::string reason);

  std::string peer_key_;
  Discovery pads_;  // kept to answer a duplicate PADR (RFC 2516 §5.4)
  bool closed_ = false;
  bool id_held_ = false;
};

}  // namespace mlppp::link::pppoe
