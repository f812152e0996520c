// Escaping and decoding shared by the pages: HTML text, URL components
// (RFC 3986 §2.1 percent-encoding, with HTML forms' '+' for space).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlppp::control::web {

// Text safe inside HTML elements and double-quoted attributes.
std::string HtmlEscape(std::string_view s);
// Decodes %XX and '+' (space), as libpdel's http_request_url_decode does for
// mpd5's /cmd. A '%' not followed by two hex digits stays as it is.
std::string UrlDecode(std::string_view s);
// Percent-encodes everything but RFC 3986 §2.3 unreserved characters.
std::string UrlEncode(std::string_view s);
// The '&'-separated parts of a raw query string, empty parts dropped
// (web.c WebRunCmd's strsep loop), at most `max_parts`.
std::vector<std::string_view> SplitQuery(std::string_view query, size_t max_parts);
// Finds `key` in an `a=1&b=2` query; *value gets its decoded value. False
// when the key is absent.
bool QueryParam(std::string_view query, std::string_view key, std::string* value);

}  // namespace mlppp::control::web
