// HTTP Basic authentication (RFC 7617), as mpd5's web interface asks for it
// (web.c: http_response_send_basic_auth(resp, "Access Restricted")).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "control/web/http_types.h"

namespace mlppp::control::web {

struct BasicCredentials {
  std::string user;
  std::string password;
};

// The credentials in an `Authorization: Basic <base64(user:password)>`
// header value (RFC 7617 §2); nullopt when the scheme is not Basic, the
// base64 is malformed, there is no ':' or the value is over 4 KiB.
std::optional<BasicCredentials> ParseBasicAuth(std::string_view header_value);

// Standard base64 (RFC 4648 §4) with '=' padding; nullopt on any other
// character or a bad length. Bounded: reads only `in`.
std::optional<std::string> Base64Decode(std::string_view in);

// 401 with `WWW-Authenticate: Basic realm="Access Restricted"`.
HttpResponse Unauthorized();

// 429 Too Many Requests (RFC 6585 §4) with `Retry-After: <seconds>` (RFC
// 9110 §10.2.3), for a client whose failed logins are being slowed down.
HttpResponse TooManyRequests(int retry_after_seconds);

}  // namespace mlppp::control::web
