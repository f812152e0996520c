// The asynchronous RADIUS client (RFC 2865 §2.5, §3; RFC 2866 §2; RFC 3579
// §3.2): identifier assignment, authenticators, retransmission, failover
// between servers and reply validation. It knows nothing of users or
// sessions: the auth and accounting back ends build the request packets
// and read the replies.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aaa/radius/packet.h"
#include "aaa/radius/transport.h"
#include "core/log.h"
#include "event/loop.h"

namespace mlppp::aaa::radius {

struct RadiusServer {
  std::string host;           // IPv4 or IPv6 address literal
  uint16_t auth_port = 1812;  // 0: not an authentication server (mpd5)
  uint16_t acct_port = 1813;  // 0: not an accounting server
  std::string secret;
};

struct RadiusClientConfig {
  std::vector<RadiusServer> servers;  // tried in order, from the last one that answered
  event::Duration timeout = std::chrono::seconds(5);
  int retries = 3;  // sends to one server before failing over (libradius max_tries)
  // Added as NAS-Identifier to requests that carry none of NAS-IP-Address,
  // NAS-IPv6-Address, NAS-Identifier (RFC 2865 §4.1 requires one).
  std::string nas_identifier;
  // RFC 5080 §2.2.2: an Identifier is not reused on a source port until
  // the server has forgotten the earlier request; FreeRADIUS keeps it for
  // duplicate detection for cleanup_delay (5 s by default) and silently
  // ignores a new request that reuses it. So a freed Identifier rests this
  // long before it is used again.
  event::Duration id_hold = std::chrono::seconds(6);
  // Source sockets (ports) per server and kind. Each carries 256
  // Identifiers, so the ceiling is about max_sockets * 256 / id_hold
  // requests per second per server (64 sockets: ~2,700/s).
  size_t max_sockets = 64;
};

enum class RequestKind : uint8_t { kAuth, kAcct };
std::string_view RequestKindName(RequestKind k);

enum class ReplyStatus : uint8_t {
  kOk,          // `packet` is a verified reply
  kTimeout,     // every server was tried `retries` times
  kNoServer,    // no server is configured for this kind
  kBadRequest,  // the request could not be encoded (see `error`)
};
std::string_view ReplyStatusName(ReplyStatus s);

struct RadiusReply {
  ReplyStatus status = ReplyStatus::kTimeout;
  RadiusPacket packet;  // kOk: Access-Accept/Reject/Challenge or Accounting-Response
  size_t server = 0;    // kOk: index in config.servers of the server that answered
  // The Request Authenticator sent to that server, with its secret needed
  // to decrypt MS-MPPE-Send/Recv-Key (DecryptMppeKey) and MS-CHAP-MPPE-Keys.
  Authenticator request_authenticator{};
  std::string error;  // kBadRequest: why
};

// Replies dropped, by reason (RFC 2865 §3: silently discarded), and the
// request life cycle.
struct RadiusCounters {
  uint64_t requests = 0;
  uint64_t sent = 0;  // datagrams, retransmissions included
  uint64_t retransmits = 0;
  uint64_t failovers = 0;
  uint64_t timeouts = 0;
  uint64_t replies = 0;  // accepted replies
  uint64_t queued = 0;   // requests that waited for a free identifier
  uint64_t sockets = 0;  // source sockets opened
  uint64_t socket_errors = 0;
  uint64_t malformed = 0;   // Parse() failed: bad length, bad attribute
  uint64_t unknown_id = 0;  // no request in flight with that identifier
  uint64_t wrong_code = 0;  // e.g. Accounting-Response to an Access-Request
  uint64_t bad_authenticator = 0;
  uint64_t missing_message_authenticator = 0;  // Access-* reply without one (BlastRADIUS)
  uint64_t bad_message_authenticator = 0;
};

// One client for all sessions. Replies are matched through a per-socket
// table indexed by identifier. Each (server, kind) has up to max_sockets
// source sockets of 256 identifiers; a freed identifier rests for id_hold
// before reuse; requests wait in a queue only when every identifier of
// every socket is in flight or resting. Each server gets `retries` sends, `timeout` apart,
// with the same identifier and authenticator (RFC 2865 §2.5); then the
// next server gets a fresh identifier and authenticator. The last server
// that answered is tried first next time.
//
// Access-Requests always carry a Message-Authenticator and every
// Access-Accept/Reject/Challenge must carry a valid one (RFC 3579 §3.2;
// the BlastRADIUS / CVE-2024-3596 defence). Accounting requests carry none
// (mpd5 does the same).
class RadiusClient {
 public:
  using RandomFill = std::function<void(std::span<uint8_t>)>;
  using RequestId = uint64_t;

  RadiusClient(event::Loop& loop, DatagramSocketFactory transport, RandomFill random,
               RadiusClientConfig config);
  // Cancels every request; no callback runs afterwards.
  ~RadiusClient();
  RadiusClient(const RadiusClient&) = delete;
  RadiusClient& operator=(const RadiusClient&) = delete;

  // Sends an Access-Request (kAuth) or Accounting-Request (kAcct). The
  // client sets the identifier and authenticator; a User-Password attribute
  // holds the plaintext and is hidden per server (RFC 2865 §5.2). `done`
  // runs exactly once, through the loop (never inside Send), unless the
  // request is cancelled or the client destroyed first.
  RequestId Send(RadiusPacket request, RequestKind kind, std::function<void(RadiusReply)> done);
  // Forgets a request; its callback never runs. Unknown ids are ignored.
  void Cancel(RequestId id);

  const RadiusCounters& counters() const { return counters_; }
  const RadiusClientConfig& config() const { return config_; }
  // Requests not yet completed (in flight or queued).
  size_t pending() const { return requests_.size(); }

 private:
  struct Channel;
  struct Socket;
  struct Request;

  bool Eligible(size_t server, RequestKind kind) const;
  size_t EligibleCount(RequestKind kind) const;
  size_t NextServer(size_t server, RequestKind kind) const;
  Channel& ChannelFor(size_t server, RequestKind kind);
  Socket* OpenSocket(Channel& ch);
  bool Acquire(Channel& ch, Socket** sock, uint8_t* id);
  void ArmRelease(Channel& ch);
  void Dispatch(Request* r);
  void AssignAndSend(Socket& sock, uint8_t id, Request* r);
  void Transmit(Request* r);
  void OnTimeout(Request* r);
  void Failover(Request* r);
  void Detach(Request* r);
  void Pump(Channel& ch);
  void Complete(Request* r, ReplyStatus status, RadiusPacket packet, std::string error = {});
  void Finish(RequestId id, std::function<void(RadiusReply)> done, RadiusReply reply);
  void OnReceive(Socket& sock, std::span<const uint8_t> datagram);
  void Drop(const Channel& ch, uint64_t& counter, std::string_view why, uint8_t code, uint8_t id);

  event::Loop& loop_;
  DatagramSocketFactory transport_;
  RandomFill random_;
  RadiusClientConfig config_;
  RadiusCounters counters_;
  std::vector<std::unique_ptr<Channel>> channels_;  // [server * 2 + kind]
  std::map<RequestId, std::unique_ptr<Request>> requests_;
  RequestId next_request_ = 1;
  std::array<size_t, 2> last_good_{};  // per kind
  log::RateLimit drop_log_;            // replies dropped
  log::RateLimit server_log_;          // servers not answering
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);
};

}  // namespace mlppp::aaa::radius
