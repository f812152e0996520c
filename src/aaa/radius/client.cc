#include "aaa/radius/client.h"

#include <algorithm>
#include <utility>

namespace mlppp::aaa::radius {

namespace {
constexpr int kIdSpace = 256;  // RFC 2865 §3: the Identifier is one octet
}  // namespace

struct RadiusClient::Channel {
  size_t server = 0;
  RequestKind kind = RequestKind::kAuth;
  std::unique_ptr<DatagramSocket> socket;
  std::array<Request*, kIdSpace> by_id{};
  int used = 0;
  uint8_t next_id = 0;  // round robin, so a late reply rarely meets a reused id
  std::deque<Request*> waiting;
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
  for (size_t s = 0; s < config_.servers.size(); ++s) {
    for (RequestKind k : {RequestKind::kAuth, RequestKind::kAcct}) {
      auto ch = std::make_unique<Channel>();
      ch->server = s;
      ch->kind = k;
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

bool RadiusClient::EnsureSocket(Channel& ch) {
  if (ch.socket) return true;
  const auto& s = config_.servers[ch.server];
  uint16_t port = ch.kind == RequestKind::kAuth ? s.auth_port : s.acct_port;
  Channel* chp = &ch;
  ch.socket =
      transport_(s.host, port, [this, chp](std::span<const uint8_t> d) { OnReceive(*chp, d); });
  return ch.socket != nullptr;
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
  if (!EnsureSocket(ch)) {
    ++counters_.socket_errors;
    MLOG_PEER_ERROR(drop_log_, kRadius, "radius: no socket to {} server {}",
                    RequestKindName(r->kind), config_.servers[r->server].host);
    Failover(r);
    return;
  }
  if (ch.used == kIdSpace) {
    // All 256 identifiers of this socket are in flight: wait for one.
    ++counters_.queued;
    r->channel = &ch;
    r->waiting = true;
    ch.waiting.push_back(r);
    return;
  }
  AssignAndSend(ch, r);
}

void RadiusClient::AssignAndSend(Channel& ch, Request* r) {
  uint8_t id = ch.next_id;
  while (ch.by_id[id] != nullptr) ++id;  // terminates: used < 256
  ch.next_id = static_cast<uint8_t>(id + 1);
  ch.by_id[id] = r;
  ++ch.used;
  r->channel = &ch;
  r->waiting = false;
  r->packet.id = id;
  // A fresh Request Authenticator per server (RFC 2865 §3: unpredictable,
  // unique per secret); the accounting one is computed by EncodeRequest.
  if (r->kind == RequestKind::kAuth) random_(r->packet.authenticator);
  auto wire = EncodeRequest(r->packet, config_.servers[ch.server].secret);
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
  r->channel->socket->Send(r->wire);
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

// Gives back the request's identifier (or its place in the queue).
void RadiusClient::Detach(Request* r) {
  Channel* ch = r->channel;
  if (!ch) return;
  r->channel = nullptr;
  if (r->waiting) {
    r->waiting = false;
    std::erase(ch->waiting, r);
    return;
  }
  if (ch->by_id[r->packet.id] == r) {
    ch->by_id[r->packet.id] = nullptr;
    --ch->used;
  }
  Pump(*ch);
}

void RadiusClient::Pump(Channel& ch) {
  while (!ch.waiting.empty() && ch.used < kIdSpace) {
    Request* next = ch.waiting.front();
    ch.waiting.pop_front();
    AssignAndSend(ch, next);
  }
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

void RadiusClient::OnReceive(Channel& ch, std::span<const uint8_t> datagram) {
  ParseError why = ParseError::kNone;
  auto parsed = Parse(datagram, &why);
  if (!parsed) {
    ++counters_.malformed;
    MLOG_PEER_ERROR(drop_log_, kRadius, "radius: dropped datagram from {} server {}: {}",
                    RequestKindName(ch.kind), config_.servers[ch.server].host, ParseErrorName(why));
    return;
  }
  RadiusPacket& p = *parsed;
  Request* r = ch.by_id[p.id];
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
