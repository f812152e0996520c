#include "control/console/console_server.h"

#include <algorithm>
#include <chrono>
#include <span>

#include "core/log.h"

namespace mlppp::control::console {
namespace {

log::RateLimit& RefuseLimiter() {
  static log::RateLimit limiter;
  return limiter;
}

}  // namespace

ConsoleServer::ConsoleServer(event::Loop& loop, bool auth, LoginCheck check,
                             CommandSessionFactory factory, std::string version, int pid)
    : loop_(loop) {
  auto c = std::make_shared<ConsoleConfig>();
  c->auth = auth;
  c->check = std::move(check);
  c->factory = std::move(factory);
  c->version = std::move(version);
  c->pid = pid;
  c->sessions = this;
  config_ = std::move(c);
}

ConsoleServer::~ConsoleServer() = default;  // each session closes its stream

void ConsoleServer::Accept(std::unique_ptr<event::StreamConn> conn, const std::string& peer_addr) {
  if (!conn) return;
  if (sessions_.size() >= kMaxSessions) {
    MLOG_PEER_ERROR(RefuseLimiter(), kConsole,
                    "console: refusing connection from {}: {} sessions open", peer_addr,
                    sessions_.size());
    conn->Write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kTooManyMessage.data()),
                                         kTooManyMessage.size()));
    conn->Close();
    loop_.DeferDelete(std::move(conn));
    return;
  }
  auto session = std::make_unique<ConsoleSession>(loop_, std::move(conn), peer_addr, config_,
                                                  [this](ConsoleSession* s) { Remove(s); });
  ConsoleSession* raw = session.get();
  sessions_.push_back(std::move(session));
  raw->Start();  // may close (and Remove) it already
}

void ConsoleServer::SetAuth(bool auth) {
  auto c = std::make_shared<ConsoleConfig>(*config_);
  c->auth = auth;
  config_ = std::move(c);
}

std::vector<SessionInfo> ConsoleServer::Sessions() const {
  std::vector<SessionInfo> out;
  out.reserve(sessions_.size());
  for (const auto& s : sessions_) {
    out.push_back(
        SessionInfo{s->user(), s->peer_addr(), s->privilege(), s->since(), s->logged_in()});
  }
  return out;
}

std::vector<ConsoleSessionView> ConsoleServer::ConsoleSessions() const {
  std::vector<ConsoleSessionView> out;
  out.reserve(sessions_.size());
  // Oldest first: sessions_ is in accept order.
  for (const auto& s : sessions_) {
    if (s->closed()) continue;
    auto age = std::chrono::duration_cast<std::chrono::seconds>(loop_.Now() - s->since());
    out.push_back(
        ConsoleSessionView{s->peer_addr(), s->user(), s->privilege(), s->logged_in(), age.count()});
  }
  return out;
}

void ConsoleServer::Remove(ConsoleSession* session) {
  auto it = std::find_if(sessions_.begin(), sessions_.end(),
                         [session](const auto& p) { return p.get() == session; });
  if (it == sessions_.end()) return;
  std::unique_ptr<ConsoleSession> dead = std::move(*it);
  sessions_.erase(it);
  // We are inside one of its callbacks: it dies after this one returns.
  loop_.DeferDelete(std::move(dead));
}

}  // namespace mlppp::control::console
