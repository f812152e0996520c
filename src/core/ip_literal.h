// Whether a string is an IP address literal (RFC 791 dotted quad, RFC 4291
// §2.2 text forms), as inet_pton(3) reads them. The config reader and the
// daemon's start-up resolver both need this; neither resolves names here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mlppp {

// "a.b.c.d" with four decimal octets (inet_pton AF_INET: no shorthand such
// as "10.1" or octal/hex parts).
bool IsIpv4Literal(std::string_view s);
// An IPv6 address in any RFC 4291 §2.2 form ("::1", "fe80::2",
// "::ffff:10.0.0.1"); no zone index ("%eth0") and no brackets.
bool IsIpv6Literal(std::string_view s);
// Either of the above.
bool IsIpLiteral(std::string_view s);
// The dotted quad of an IPv4 address given in host order, for logs and
// the operator's views.
std::string Ipv4ToString(uint32_t host_order);

}  // namespace mlppp
