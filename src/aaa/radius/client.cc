#include "aaa/radius/client.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace mlppp::aaa::radius {

namespace {
constexpr int kIdSpace = 256;  // RFC 2865 §3: the Identifier is one octet
}  // namespace

// One source socket: its own port, so its own 256 identifiers.
struct RadiusClient::Socket {
  Channel* channel = nullptr;
  std::unique_ptr<DatagramSocket> socket;
  std::array<Request*, kIdSpace> by_id{};
  // Free identifiers, oldest-freed first, so a late reply rarely meets a
  // reused identifier.
  std::deque<uint8_t> free_ids;
  // Freed identifiers resting until the time given (RFC 5080 §2.2.2); in
  // time order because id_hold is constant.
  std::deque<std::pair<event::TimePoint, uint8_t>> held;

  void ReleaseExpired(event::TimePoint now) {
    while (!held.empty() && held.front().first <= now) {
      free_ids.push_back(held.front().second);
      held.pop_front();
    }
  }
};

// The sockets to one server for one kind of request.
struct RadiusClient::Channel {
  size_t server = 0;
  RequestKind kind = RequestKind::kAuth;
  std::vector<std::unique_ptr<Socket>> sockets;
  size_t cursor = 0;  // the socket tried first
  std::deque<Request*> waiting;
  std::unique_ptr<event::Timer> release_timer;  // next identifier to leave its rest
};

struct RadiusClient::Request {
  RequestId handle = 0;
  RadiusPacket packet;  // User-Password in plaintext; id/authenticator per dispatch
  RequestKind kind = RequestKind::kAuth;
  std::function<void(RadiusReply)> done;
  size_t server = 0;
  size_t servers_tried = 1;
  int sends = 0;               // to the current server
  Channel* channel = nullptr;  // holding an identifier, or waiting, there
  Socket* sock = nullptr;      // holding an identifier: on this socket
  bool waiting = false;
  std::vector<uint8_t> wire;
  std::unique_ptr<event::Timer> timer;
};

std::string_view RequestKindName(RequestKind k) {
  switch (k) {
    case RequestKind::kAuth:
      return "auth";
    case RequestKind::kAcct:
      return "acct";
  }
  return "unknown";
}

std::string_view ReplyStatusName(ReplyStatus s) {
  switch (s) {
    case ReplyStatus::kOk:
      return "ok";
    case ReplyStatus::kTimeout:
      return "timeout";
    case ReplyStatus::kNoServer:
      return "no server";
    case ReplyStatus::kBadRequest:
      return "bad request";
  }
  return "unknown";
}

RadiusClient::RadiusClient(event::Loop& loop, DatagramSocketFactory transport, RandomFill random,
                           RadiusClientConfig config)
    : loop_(loop),
      transport_(std::move(transport)),
      random_(std::move(random)),
      config_(std::move(config)) {
  config_.retries = std::max(config_.retries, 1);
  config_.max_sockets = std::max<size_t>(config_.max_sockets, 1);
  for (size_t s = 0; s < config_.servers.size(); ++s) {
    for (RequestKind k : {RequestKind::kAuth, RequestKind::kAcct}) {
      auto ch = std::make_unique<Channel>();
      ch->server = s;
      ch->kind = k;
      ch->release_timer = loop_.CreateTimer();
      channels_.push_back(std::move(ch));
    }
  }
  for (RequestKind k : {RequestKind::kAuth, RequestKind::kAcct}) {
    last_good_[static_cast<size_t>(k)] = NextServer(config_.servers.size() - 1, k);
  }
}

RadiusClient::~RadiusClient() {
  alive_.reset();     // posted completions see this and do nothing
  requests_.clear();  // stops the timers
  channels_.clear();  // closes the sockets
}

bool RadiusClient::Eligible(size_t server, RequestKind kind) const {
  if (server >= config_.servers.size()) return false;
  const auto& s = config_.servers[server];
  return (kind == RequestKind::kAuth ? s.auth_port : s.acct_port) != 0;
}

size_t RadiusClient::EligibleCount(RequestKind kind) const {
  size_t n = 0;
  for (size_t s = 0; s < config_.servers.size(); ++s) n += Eligible(s, kind) ? 1 : 0;
  return n;
}

size_t RadiusClient::NextServer(size_t server, RequestKind kind) const {
  size_t n = config_.servers.size();
  for (size_t i = 1; i <= n; ++i) {
    size_t s = (server + i) % n;
    if (Eligible(s, kind)) return s;
  }
  return 0;
}

RadiusClient::Channel& RadiusClient::ChannelFor(size_t server, RequestKind kind) {
  return *channels_[server * 2 + static_cast<size_t>(kind)];
}

RadiusClient::Socket* RadiusClient::OpenSocket(Channel& ch) {
  const auto& s = config_.servers[ch.server];
  uint16_t port = ch.kind == RequestKind::kAuth ? s.auth_port : s.acct_port;
  auto sock = std::make_unique<Socket>();
  Socket* sp = sock.get();
  sp->channel = &ch;
  sp->socket =
      transport_(s.host, port, [this, sp](std::span<const uint8_t> d) { OnReceive(*sp, d); });
  if (!sp->socket) return nullptr;
  for (int i = 0; i < kIdSpace; ++i) sp->free_ids.push_back(static_cast<uint8_t>(i));
  ++counters_.sockets;
  ch.sockets.push_back(std::move(sock));
  return sp;
}

// Finds a free identifier: on an open socket, else on a new one while
// max_sockets allows. False when every identifier is busy or resting.
bool RadiusClient::Acquire(Channel& ch, Socket** sock, uint8_t* id) {
  auto now = loop_.Now();
  size_t n = ch.sockets.size();
  for (size_t i = 0; i < n; ++i) {
    size_t k = (ch.cursor + i) % n;
    Socket& s = *ch.sockets[k];
    s.ReleaseExpired(now);
    if (s.free_ids.empty()) continue;
    ch.cursor = k;
    *sock = &s;
    *id = s.free_ids.front();
    s.free_ids.pop_front();
    return true;
  }
  if (n >= config_.max_sockets) return false;
  Socket* s = OpenSocket(ch);
  if (!s) return false;
  ch.cursor = ch.sockets.size() - 1;
  *sock = s;
  *id = s->free_ids.front();
  s->free_ids.pop_front();
  return true;
}

// With requests waiting, wakes Pump when the first resting identifier
// becomes free (replies wake it too).
void RadiusClient::ArmRelease(Channel& ch) {
  if (ch.waiting.empty()) {
    ch.release_timer->Stop();
    return;
  }
  std::optional<event::TimePoint> first;
  for (const auto& s : ch.sockets) {
    if (!s->held.empty() && (!first || s->held.front().first < *first)) {
      first = s->held.front().first;
    }
  }
  if (!first) {
    ch.release_timer->Stop();
    return;
  }
  auto now = loop_.Now();
  Channel* chp = &ch;
  ch.release_timer->Start(*first > now ? *first - now : event::Duration::zero(),
                          [this, chp] { Pump(*chp); });
}

RadiusClient::RequestId RadiusClient::Send(RadiusPacket request, RequestKind kind,
                                           std::function<void(RadiusReply)> done) {
  RequestId handle = next_request_++;
  ++counters_.requests;
  Code want = kind == RequestKind::kAuth ? Code::kAccessRequest : Code::kAccountingRequest;
  if (request.code_enum() != want) {
    RadiusReply reply;
    reply.status = ReplyStatus::kBadRequest;
    reply.error =
        fmt::format("{} request with code {}", RequestKindName(kind), CodeName(request.code));
    Finish(handle, std::move(done), std::move(reply));
    return handle;
  }
  if (EligibleCount(kind) == 0) {
    RadiusReply reply;
    reply.status = ReplyStatus::kNoServer;
    Finish(handle, std::move(done), std::move(reply));
    return handle;
  }
  if (!config_.nas_identifier.empty() && !request.Find(Attr::kNasIdentifier) &&
      !request.Find(Attr::kNasIpAddress) && !request.Find(Attr::kNasIpv6Address)) {
    request.AddString(Attr::kNasIdentifier, config_.nas_identifier);
  }
  // RFC 3579 §3.2; always, against BlastRADIUS (CVE-2024-3596).
  if (kind == RequestKind::kAuth) AddMessageAuthenticator(request);

  auto r = std::make_unique<Request>();
  r->handle = handle;
  r->packet = std::move(request);
  r->kind = kind;
  r->done = std::move(done);
  r->server = last_good_[static_cast<size_t>(kind)];
  r->timer = loop_.CreateTimer();
  Request* raw = r.get();
  requests_.emplace(handle, std::move(r));
  Dispatch(raw);
  return handle;
}

void RadiusClient::Cancel(RequestId id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  Request* r = it->second.get();
  r->timer->Stop();
  Detach(r);
  requests_.erase(it);
}

void RadiusClient::Dispatch(Request* r) {
  Channel& ch = ChannelFor(r->server, r->kind);
  Socket* sock = nullptr;
  uint8_t id = 0;
  if (ch.waiting.empty() && Acquire(ch, &sock, &id)) {
    AssignAndSend(*sock, id, r);
    return;
  }
  if (ch.sockets.empty()) {
    ++counters_.socket_errors;
    MLOG_PEER_ERROR(drop_log_, kRadius, "radius: no socket to {} server {}",
                    RequestKindName(r->kind), config_.servers[r->server].host);
    Failover(r);
    return;
  }
  // Every identifier of every socket is in flight or resting: wait, in
  // order, behind the requests already waiting.
  ++counters_.queued;
  r->channel = &ch;
  r->waiting = true;
  ch.waiting.push_back(r);
  ArmRelease(ch);
}

void RadiusClient::AssignAndSend(Socket& sock, uint8_t id, Request* r) {
  sock.by_id[id] = r;
  r->channel = sock.channel;
  r->sock = &sock;
  r->waiting = false;
  r->packet.id = id;
  // A fresh Request Authenticator per server (RFC 2865 §3: unpredictable,
  // unique per secret); the accounting one is computed by EncodeRequest.
  if (r->kind == RequestKind::kAuth) random_(r->packet.authenticator);
  auto wire = EncodeRequest(r->packet, config_.servers[sock.channel->server].secret);
  if (!wire) {
    Complete(r, ReplyStatus::kBadRequest, {}, wire.error());
    return;
  }
  r->wire = std::move(*wire);
  r->sends = 0;
  Transmit(r);
}

void RadiusClient::Transmit(Request* r) {
  ++r->sends;
  ++counters_.sent;
  MLOG_DEBUG(kRadius2, "radius: send {} id {} to {} (try {})", CodeName(r->packet.code),
             r->packet.id, config_.servers[r->server].host, r->sends);
  r->timer->Start(config_.timeout, [this, r] { OnTimeout(r); });
  r->sock->socket->Send(r->wire);
}

void RadiusClient::OnTimeout(Request* r) {
  if (r->sends < config_.retries) {
    // RFC 2865 §2.5: a retransmission keeps identifier and authenticator.
    ++counters_.retransmits;
    Transmit(r);
    return;
  }
  Failover(r);
}

void RadiusClient::Failover(Request* r) {
  Detach(r);
  if (r->servers_tried >= EligibleCount(r->kind)) {
    ++counters_.timeouts;
    // Rate-limited too: a dead server set times out every session at once.
    MLOG_PEER_ERROR(server_log_, kRadius, "radius: {} request: no answer from any server",
                    RequestKindName(r->kind));
    Complete(r, ReplyStatus::kTimeout, {});
    return;
  }
  ++counters_.failovers;
  ++r->servers_tried;
  size_t from = r->server;
  r->server = NextServer(r->server, r->kind);
  MLOG_PEER_ERROR(server_log_, kRadius, "radius: {} server {} not answering, trying {}",
                  RequestKindName(r->kind), config_.servers[from].host,
                  config_.servers[r->server].host);
  Dispatch(r);
}

// Gives back the request's identifier, to rest for id_hold (or its place
// in the queue).
void RadiusClient::Detach(Request* r) {
  Channel* ch = r->channel;
  if (!ch) return;
  r->channel = nullptr;
  if (r->waiting) {
    r->waiting = false;
    std::erase(ch->waiting, r);
    ArmRelease(*ch);
    return;
  }
  Socket* sock = r->sock;
  r->sock = nullptr;
  if (sock && sock->by_id[r->packet.id] == r) {
    sock->by_id[r->packet.id] = nullptr;
    sock->held.emplace_back(loop_.Now() + config_.id_hold, r->packet.id);
  }
  Pump(*ch);
}

void RadiusClient::Pump(Channel& ch) {
  Socket* sock = nullptr;
  uint8_t id = 0;
  while (!ch.waiting.empty() && Acquire(ch, &sock, &id)) {
    Request* next = ch.waiting.front();
    ch.waiting.pop_front();
    AssignAndSend(*sock, id, next);
  }
  ArmRelease(ch);
}

void RadiusClient::Complete(Request* r, ReplyStatus status, RadiusPacket packet,
                            std::string error) {
  r->timer->Stop();
  Detach(r);
  RadiusReply reply;
  reply.status = status;
  reply.packet = std::move(packet);
  reply.server = r->server;
  reply.request_authenticator = r->packet.authenticator;
  reply.error = std::move(error);
  auto it = requests_.find(r->handle);
  // Deferred: we may be inside this request's timer or socket callback.
  std::unique_ptr<Request> owned = std::move(it->second);
  requests_.erase(it);
  Finish(owned->handle, std::move(owned->done), std::move(reply));
  loop_.DeferDelete(std::move(owned));
}

void RadiusClient::Finish(RequestId, std::function<void(RadiusReply)> done, RadiusReply reply) {
  if (!done) return;
  loop_.Post([alive = std::weak_ptr<char>(alive_), done = std::move(done),
              reply = std::move(reply)]() mutable {
    if (alive.expired()) return;
    done(std::move(reply));
  });
}

void RadiusClient::Drop(const Channel& ch, uint64_t& counter, std::string_view why, uint8_t code,
                        uint8_t id) {
  ++counter;
  MLOG_PEER_ERROR(drop_log_, kRadius, "radius: dropped {} id {} from {} server {}: {}",
                  CodeName(code), id, RequestKindName(ch.kind), config_.servers[ch.server].host,
                  why);
}

void RadiusClient::OnReceive(Socket& sock, std::span<const uint8_t> datagram) {
  const Channel& ch = *sock.channel;
  ParseError why = ParseError::kNone;
  auto parsed = Parse(datagram, &why);
  if (!parsed) {
    ++counters_.malformed;
    MLOG_PEER_ERROR(drop_log_, kRadius, "radius: dropped datagram from {} server {}: {}",
                    RequestKindName(ch.kind), config_.servers[ch.server].host, ParseErrorName(why));
    return;
  }
  RadiusPacket& p = *parsed;
  Request* r = sock.by_id[p.id];
  if (!r) return Drop(ch, counters_.unknown_id, "no request with this identifier", p.code, p.id);
  bool code_ok = r->kind == RequestKind::kAuth ? (p.code_enum() == Code::kAccessAccept ||
                                                  p.code_enum() == Code::kAccessReject ||
                                                  p.code_enum() == Code::kAccessChallenge)
                                               : p.code_enum() == Code::kAccountingResponse;
  if (!code_ok) return Drop(ch, counters_.wrong_code, "wrong code for the request", p.code, p.id);
  const std::string& secret = config_.servers[ch.server].secret;
  if (!VerifyResponseAuthenticator(datagram, r->packet.authenticator, secret)) {
    return Drop(ch, counters_.bad_authenticator, "bad Response Authenticator", p.code, p.id);
  }
  if (r->kind == RequestKind::kAuth) {
    if (!p.Find(Attr::kMessageAuthenticator)) {
      return Drop(ch, counters_.missing_message_authenticator, "no Message-Authenticator", p.code,
                  p.id);
    }
    if (!VerifyMessageAuthenticator(datagram, r->packet.authenticator, secret)) {
      return Drop(ch, counters_.bad_message_authenticator, "bad Message-Authenticator", p.code,
                  p.id);
    }
  }
  ++counters_.replies;
  last_good_[static_cast<size_t>(r->kind)] = ch.server;
  MLOG_DEBUG(kRadius2, "radius: got {} id {} from {}", CodeName(p.code), p.id,
             config_.servers[ch.server].host);
  Complete(r, ReplyStatus::kOk, std::move(p));
}

}  // namespace mlppp::aaa::radius
