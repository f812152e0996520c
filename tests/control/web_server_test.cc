// os-level test of HttpServer: a real TCP client on loopback, the asio
// io_context run in the test thread until the client has its answer.
#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <optional>

#include "control/web/mhd_server.h"
#include "control/web/router.h"
#include "control/web_fake_controller.h"

namespace mlppp::control::web {
namespace {

class WebServerTest : public ::testing::Test {
 protected:
  void StartServer(const std::string& addr) {
    HttpServer::Options opt;
    opt.addr = addr;
    opt.port = 0;
    auto s = HttpServer::Start(io, opt, [this](const HttpRequest& r) {
      seen = r;
      return app.Handle(r);
    });
    ASSERT_TRUE(s.ok()) << s.error();
    server = std::move(*s);
    ASSERT_NE(server->port(), 0);
  }

  // Sends `request` and returns everything the server wrote until it closed
  // the connection (requests ask for Connection: close).
  std::string Fetch(const std::string& addr, const std::string& request) {
    asio::ip::tcp::socket sock(io);
    std::string response;
    asio::error_code read_ec;
    bool done = false;
    asio::steady_timer guard(io, std::chrono::seconds(20));
    guard.async_wait([&](const asio::error_code& ec) {
      if (!ec) {
        ADD_FAILURE() << "no answer";
        io.stop();
      }
    });
    asio::ip::tcp::endpoint ep(asio::ip::make_address(addr), server->port());
    sock.async_connect(ep, [&](const asio::error_code& ec) {
      ASSERT_FALSE(ec) << ec.message();
      asio::async_write(sock, asio::buffer(request), [&](const asio::error_code& wec, size_t) {
        ASSERT_FALSE(wec) << wec.message();
        asio::async_read(sock, asio::dynamic_buffer(response),
                         [&](const asio::error_code& ec2, size_t) {
                           read_ec = ec2;
                           done = true;
                           guard.cancel();
                           io.stop();
                         });
      });
    });
    io.restart();
    io.run();
    EXPECT_TRUE(done);
    EXPECT_EQ(read_ec, asio::error::eof);
    return response;
  }

  asio::io_context io;
  testing::FakeController controller;
  testing::FakeSessions sessions;
  WebApp app{controller, sessions.Factory(), testing::FakeLogin(), /*auth=*/true};
  std::unique_ptr<HttpServer> server;
  std::optional<HttpRequest> seen;
};

TEST_F(WebServerTest, UnauthenticatedGetGets401WithRealm) {
  StartServer("127.0.0.1");
  std::string r = Fetch("127.0.0.1", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 401")) << r;
  EXPECT_NE(r.find("WWW-Authenticate: Basic realm=\"Access Restricted\""), std::string::npos) << r;
}

TEST_F(WebServerTest, AuthenticatedGetGets200AndTheRawQuery) {
  controller.snapshot = testing::SampleSnapshot();
  StartServer("127.0.0.1");
  std::string r = Fetch("127.0.0.1",
                        "GET /bin%63md?link%20pppoe-1&show+x HTTP/1.1\r\nHost: x\r\n"
                        "Authorization: Basic YWRtaW46c2VjcmV0\r\nX-Mixed-Case: Yes\r\n"
                        "Connection: close\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
  EXPECT_NE(r.find("Content-Type: text/plain"), std::string::npos) << r;
  EXPECT_NE(r.find("\r\n\r\nRESULT: 0 \nran show x as admin\nRESULT: 0 \n"), std::string::npos)
      << r;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->method, "GET");
  EXPECT_EQ(seen->path, "/bincmd");                 // decoded by the server
  EXPECT_EQ(seen->query, "link%20pppoe-1&show+x");  // not decoded
  EXPECT_EQ(seen->peer, "127.0.0.1");
  ASSERT_NE(seen->Header("x-mixed-case"), nullptr);
  EXPECT_EQ(*seen->Header("x-mixed-case"), "Yes");
}

TEST_F(WebServerTest, PostBodyReachesTheHandler) {
  controller.snapshot = testing::SampleSnapshot();
  StartServer("127.0.0.1");
  std::string r = Fetch("127.0.0.1",
                        "POST /api/v1/sessions/sess-1/disconnect HTTP/1.1\r\nHost: x\r\n"
                        "Authorization: Basic b3A6b3Bwdw==\r\nContent-Length: 5\r\n"
                        "Connection: close\r\n\r\nhello");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
  EXPECT_NE(r.find("{\"ok\":true}"), std::string::npos) << r;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->body, "hello");
  EXPECT_EQ(controller.calls, (std::vector<std::string>{"disconnect sess-1"}));
}

TEST_F(WebServerTest, OversizedBodyIsRefused) {
  StartServer("127.0.0.1");
  std::string r = Fetch("127.0.0.1",
                        "POST /api/v1/sessions/x/disconnect HTTP/1.1\r\nHost: x\r\n"
                        "Content-Length: 1000000\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 413")) << r;
  EXPECT_FALSE(seen);
}

TEST_F(WebServerTest, ListensOnIpv6Loopback) {
  StartServer("::1");
  std::string r = Fetch("::1",
                        "GET /mpd.css HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                        "am9lOmpvZXB3\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200")) << r;
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->peer, "::1");
}

TEST_F(WebServerTest, KeepAliveServesSeveralRequests) {
  StartServer("127.0.0.1");
  std::string r = Fetch("127.0.0.1",
                        "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  size_t first = r.find("HTTP/1.1 401");
  ASSERT_NE(first, std::string::npos) << r;
  EXPECT_NE(r.find("HTTP/1.1 401", first + 1), std::string::npos) << r;
}

TEST(WebServer, RefusesNamesAndBusyPorts) {
  asio::io_context io;
  auto handler = [](const HttpRequest&) { return HttpResponse{}; };
  HttpServer::Options opt;
  opt.addr = "localhost";
  EXPECT_FALSE(HttpServer::Start(io, opt, handler).ok());
  opt.addr = "127.0.0.1";
  opt.port = 0;
  auto a = HttpServer::Start(io, opt, handler);
  ASSERT_TRUE(a.ok());
  opt.port = (*a)->port();
  EXPECT_FALSE(HttpServer::Start(io, opt, handler).ok());
}

}  // namespace
}  // namespace mlppp::control::web
