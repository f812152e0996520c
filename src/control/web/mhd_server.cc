#include "control/web/mhd_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "core/ip_literal.h"
#include "core/log.h"

namespace mlppp::control::web {

// One request being received: made by the URI callback (where the raw
// query string is still there), freed when MHD reports it complete.
struct PendingRequest {
  std::string raw_uri;
  std::string body;
  bool headers_seen = false;
};

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Handler h, size_t max_body)
      : io(io), handler(std::move(h)), max_body(max_body), epoll_sd(io), timer(io) {}

  void Arm();
  void Run();

  asio::io_context& io;
  Handler handler;
  size_t max_body;
  MHD_Daemon* daemon = nullptr;
  asio::posix::stream_descriptor epoll_sd;
  asio::steady_timer timer;
  int epoll_fd = -1;
  bool waiting = false;
  uint16_t port = 0;
  log::RateLimit errors;
};

namespace {

std::string Lower(const char* s) {
  std::string out(s ? s : "");
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string PeerAddress(MHD_Connection* c) {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "";
  char buf[INET6_ADDRSTRLEN] = {};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof(sin));
    inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
  } else if (sa->sa_family == AF_INET6) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof(sin6));
    inet_ntop(AF_INET6, &sin6.sin6_addr, buf, sizeof(buf));
  }
  return buf;
}

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<HttpRequest*>(cls)->headers.emplace_back(Lower(key), value ? value : "");
  return MHD_YES;
}

MHD_Result Send(MHD_Connection* c, const HttpResponse& r) {
  MHD_Response* resp = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (resp == nullptr) return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(resp, name.c_str(), value.c_str());
  }
  MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), resp);
  MHD_destroy_response(resp);
  return ok;
}

HttpResponse PlainError(int status, std::string_view text) {
  HttpResponse r;
  r.status = status;
  r.body = std::string(text) + "\n";
  return r;
}

void* OnUri(void*, const char* uri, MHD_Connection*) {
  auto* p = new PendingRequest;
  p->raw_uri = uri ? uri : "";
  return p;
}

void OnCompleted(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<PendingRequest*>(*con_cls);
  *con_cls = nullptr;
}

MHD_Result OnRequest(void* cls, MHD_Connection* c, const char* url, const char* method, const char*,
                     const char* upload_data, size_t* upload_data_size, void** con_cls) {
  auto* self = static_cast<HttpServer::Impl*>(cls);
  auto* p = static_cast<PendingRequest*>(*con_cls);
  if (p == nullptr) return MHD_NO;  // OnUri always sets it
  if (!p->headers_seen) {
    // First call: headers only. Refuse a declared body over the cap now.
    p->headers_seen = true;
    const char* cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl != nullptr) {
      uint64_t n = 0;
      auto [end, ec] = std::from_chars(cl, cl + std::strlen(cl), n);
      if (ec != std::errc() || n > self->max_body) {
        return Send(c, PlainError(413, "request body too large"));
      }
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    // A chunked body that grows past the cap: drop the connection.
    if (p->body.size() + *upload_data_size > self->max_body) return MHD_NO;
    p->body.append(upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }

  HttpRequest req;
  req.method = method ? method : "";
  req.path = url ? url : "";
  if (size_t q = p->raw_uri.find('?'); q != std::string::npos) {
    req.query = p->raw_uri.substr(q + 1);
    if (size_t hash = req.query.find('#'); hash != std::string::npos) req.query.resize(hash);
  }
  MHD_get_connection_values(c, MHD_HEADER_KIND, &CollectHeader, &req);
  req.body = std::move(p->body);
  req.peer = PeerAddress(c);
  HttpResponse resp;
  try {
    resp = self->handler(req);
  } catch (const std::exception& e) {
    // Nothing may unwind through libmicrohttpd's C frames.
    MLOG_PEER_ERROR(self->errors, kConsole, "web: {} {} failed: {}", req.method, req.path,
                    e.what());
    resp = PlainError(500, "internal error");
  }
  return Send(c, resp);
}

void OnMhdLog(void* cls, const char* fmt, va_list ap) {
  auto* self = static_cast<HttpServer::Impl*>(cls);
  char buf[256];
  std::vsnprintf(buf, sizeof(buf), fmt, ap);
  std::string_view msg(buf);
  while (!msg.empty() && msg.back() == '\n') msg.remove_suffix(1);
  MLOG_PEER_ERROR(self->errors, kConsole, "web: {}", msg);
}

bool EpollReadable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

}  // namespace

void HttpServer::Impl::Run() {
  MHD_run(daemon);
  // asio watches the epoll fd edge-triggered: if MHD left events unread,
  // no new edge will come, so run again from the loop.
  if (EpollReadable(epoll_fd)) {
    std::weak_ptr<Impl> w = weak_from_this();
    asio::post(io, [w] {
      if (auto s = w.lock()) s->Run();
    });
    return;
  }
  Arm();
}

void HttpServer::Impl::Arm() {
  std::weak_ptr<Impl> w = weak_from_this();
  if (!waiting) {
    waiting = true;
    epoll_sd.async_wait(asio::posix::stream_descriptor::wait_read, [w](const asio::error_code& ec) {
      auto s = w.lock();
      if (!s || ec == asio::error::operation_aborted) return;
      s->waiting = false;
      s->Run();
    });
  }
  MHD_UNSIGNED_LONG_LONG ms = 0;
  if (MHD_get_timeout(daemon, &ms) == MHD_YES) {
    timer.expires_after(std::chrono::milliseconds(std::min<MHD_UNSIGNED_LONG_LONG>(ms, 3600000)));
    timer.async_wait([w](const asio::error_code& ec) {
      auto s = w.lock();
      if (!s || ec) return;
      s->Run();
    });
  } else {
    timer.cancel();
  }
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(asio::io_context& io, const Options& options,
                                                      Handler handler) {
  sockaddr_in sin{};
  sockaddr_in6 sin6{};
  const sockaddr* sa = nullptr;
  unsigned flags = MHD_USE_EPOLL;
  if (IsIpv4Literal(options.addr)) {
    sin.sin_family = AF_INET;
    sin.sin_port = htons(options.port);
    inet_pton(AF_INET, options.addr.c_str(), &sin.sin_addr);
    sa = reinterpret_cast<const sockaddr*>(&sin);
  } else if (IsIpv6Literal(options.addr)) {
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(options.port);
    inet_pton(AF_INET6, options.addr.c_str(), &sin6.sin6_addr);
    sa = reinterpret_cast<const sockaddr*>(&sin6);
    flags |= MHD_USE_IPv6;
  } else {
    return Result<std::unique_ptr<HttpServer>>::Error("web: not an IP address literal: " +
                                                      options.addr);
  }

  auto impl = std::make_shared<Impl>(io, std::move(handler), options.max_body);
  impl->daemon = MHD_start_daemon(
      flags | MHD_USE_ERROR_LOG, options.port, nullptr, nullptr, &OnRequest, impl.get(),
      MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_LIMIT, options.max_connections,
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(options.idle_timeout.count()),
      MHD_OPTION_URI_LOG_CALLBACK, &OnUri, nullptr, MHD_OPTION_NOTIFY_COMPLETED, &OnCompleted,
      nullptr, MHD_OPTION_EXTERNAL_LOGGER, &OnMhdLog, impl.get(), MHD_OPTION_END);
  if (impl->daemon == nullptr) {
    return Result<std::unique_ptr<HttpServer>>::Error(
        fmt::format("web: cannot listen on {} port {}", options.addr, options.port));
  }
  const MHD_DaemonInfo* pi = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
  impl->port = pi ? pi->port : options.port;
  const MHD_DaemonInfo* ei = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_EPOLL_FD);
  asio::error_code ec;
  if (ei != nullptr) impl->epoll_sd.assign(ei->epoll_fd, ec);
  if (ei == nullptr || ec) {
    MHD_stop_daemon(impl->daemon);
    impl->daemon = nullptr;
    return Result<std::unique_ptr<HttpServer>>::Error("web: cannot watch libmicrohttpd's epoll fd");
  }
  impl->epoll_fd = ei->epoll_fd;
  impl->Arm();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  impl_->timer.cancel();
  // The epoll fd is MHD's: let asio forget it without closing it.
  impl_->epoll_sd.release();
  MHD_stop_daemon(impl_->daemon);
  impl_->daemon = nullptr;
}

uint16_t HttpServer::port() const { return impl_->port; }

}  // namespace mlppp::control::web
