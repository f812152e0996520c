// HTTP/1.1 for the web interface: libmicrohttpd driven from our one asio
// event loop. MHD runs with its own epoll set and no thread; the loop
// watches that epoll fd and MHD's next timeout, and calls MHD_run() when
// either fires. Each complete request is handed to the handler as an
// HttpRequest value and answered synchronously.
//
// It lives here rather than in os/ because mlppp_control is the library
// that links libmicrohttpd; like os/, it is the one file of its folder that
// touches sockets.
#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "control/web/http_types.h"
#include "core/result.h"

namespace mlppp::control::web {

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  struct Options {
    std::string addr = "127.0.0.1";  // an IPv4 or IPv6 literal (mpd5 `set web self`)
    uint16_t port = 5006;            // 0: an ephemeral port, see port()
    unsigned max_connections = 64;
    std::chrono::seconds idle_timeout{30};  // per connection
    size_t max_body = 64 * 1024;            // larger request bodies get 413 or a close
  };

  // Listens and starts serving on `io`. Errors: a bad address literal, a
  // port in use. REQUIRES: `io` outlives the server, which is created and
  // destroyed on the io_context's thread. The handler runs on that thread
  // inside the server: it must not destroy the server (defer that through
  // the loop's Post).
  static Result<std::unique_ptr<HttpServer>> Start(asio::io_context& io, const Options& options,
                                                   Handler handler);
  // Closes the listener and every connection.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the ephemeral one when Options::port was 0).
  uint16_t port() const;

  struct Impl;

 private:
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace mlppp::control::web
