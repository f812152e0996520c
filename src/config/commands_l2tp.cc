// `set l2tp ...` (mpd5 l2tp.c; reference §1.2) and the self/peer parsing it
// shares with `set pptp ...`. Needs a current link of type l2tp (mpd5
// AdmitDev). The secret is never echoed in a message.
#include <arpa/inet.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "config/engine.h"

namespace mlppp::config {
namespace cmd {

namespace {

bool IsIpv4(const std::string& s) {
  unsigned char buf[4];
  return inet_pton(AF_INET, s.c_str(), buf) == 1;
}
bool IsIpv6(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// A DNS name (RFC 1123 §2.1 letters, digits, hyphens, dots). All digits and
// dots is a mistyped IPv4 address, not a name.
bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '-' || s.front() == '.') return false;
  bool letter = false;
  for (char c : s) {
    if (isalpha(static_cast<unsigned char>(c)) || c == '-') {
      letter = true;
    } else if (!isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
  }
  return letter;
}

// The optional port argument; 0 stands for the default as in mpd5.
bool Port(Engine& e, Args a, std::string_view type, uint16_t* port) {
  *port = 0;
  if (a.size() < 2) return true;
  auto p = e.Int(a[1], 0, 65535, fmt::format("{} port", type));
  if (!p) return false;
  *port = static_cast<uint16_t>(*p);
  return true;
}

// Splits "IP/WIDTH"; false when the width is not a number within the
// address family's length.
bool SplitRange(std::string* ip, std::optional<uint8_t>* width) {
  width->reset();
  size_t slash = ip->find('/');
  if (slash == std::string::npos) return true;
  std::string ws = ip->substr(slash + 1);
  ip->resize(slash);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(ws.data(), ws.data() + ws.size(), v);
  const unsigned max = IsIpv6(*ip) ? 128 : 32;
  if (!(IsIpv4(*ip) || IsIpv6(*ip)) || ws.empty() || ec != std::errc() ||
      p != ws.data() + ws.size() || v > max)
    return false;
  *width = static_cast<uint8_t>(v);
  return true;
}

}  // namespace

// self IP [PORT]: mpd5 parses a range and keeps only the address.
bool ParseTunnelSelf(Engine& e, Args a, std::string_view type, uint16_t default_port,
                     std::string* addr, uint16_t* port) {
  std::string ip = a[0];
  std::optional<uint8_t> width;
  if (!SplitRange(&ip, &width) || (!IsIpv4(ip) && !IsIpv6(ip))) {
    e.Error(
        fmt::format("bad {} self address \"{}\" (expected an IPv4 or IPv6 address)", type, a[0]));
    return false;
  }
  uint16_t p = 0;
  if (!Port(e, a, type, &p)) return false;
  *addr = ip;
  *port = p ? p : default_port;
  return true;
}

// peer IP[/WIDTH]|NAME [PORT]
bool ParseTunnelPeer(Engine& e, Args a, std::string_view type, std::string* addr,
                     std::optional<uint8_t>* width, uint16_t* port) {
  std::string ip = a[0];
  std::optional<uint8_t> w;
  // A name has no width; a range needs an address.
  const bool ok = SplitRange(&ip, &w) && (IsIpv4(ip) || IsIpv6(ip) || (!w && IsHostName(ip)));
  if (!ok) {
    e.Error(fmt::format(
        "bad {} peer address \"{}\" (expected an IP address, IP/width or host name)", type, a[0]));
    return false;
  }
  uint16_t p = 0;
  if (!Port(e, a, type, &p)) return false;
  *addr = ip;
  *width = w;
  *port = p;
  return true;
}

// callingnum/callednum: mpd5 keeps them in 64-byte buffers.
bool CheckLength(Engine& e, const std::string& value, size_t max, std::string_view what) {
  if (value.size() <= max) return true;
  e.Error(fmt::format("{} too long ({} characters, at most {})", what, value.size(), max));
  return false;
}

}  // namespace cmd

namespace {

constexpr size_t kMaxNumber = 63;     // mpd5 callingnum[64], callednum[64]
constexpr size_t kMaxHostName = 255;  // MAXHOSTNAMELEN

// Returns the current link's L2TP settings, or null after an error.
L2tpConf* Conf(Engine& e) {
  LinkConf* l = e.CurrentLink();
  if (l->type != "l2tp") {
    e.Error(fmt::format("incorrect context for \"{}\": link \"{}\" is of type {}", e.CommandText(),
                        l->name, l->type));
    return nullptr;
  }
  return &l->l2tp;
}

void SetSelf(Engine& e, Args a) {
  if (L2tpConf* c = Conf(e))
    cmd::ParseTunnelSelf(e, a, "l2tp", kL2tpPort, &c->self_addr, &c->self_port);
}

void SetPeer(Engine& e, Args a) {
  if (L2tpConf* c = Conf(e))
    cmd::ParseTunnelPeer(e, a, "l2tp", &c->peer_addr, &c->peer_width, &c->peer_port);
}

void SetCallingNum(Engine& e, Args a) {
  L2tpConf* c = Conf(e);
  if (c && cmd::CheckLength(e, a[0], kMaxNumber, "l2tp callingnum")) c->calling_num = a[0];
}

void SetCalledNum(Engine& e, Args a) {
  L2tpConf* c = Conf(e);
  if (c && cmd::CheckLength(e, a[0], kMaxNumber, "l2tp callednum")) c->called_num = a[0];
}

void SetHostName(Engine& e, Args a) {
  L2tpConf* c = Conf(e);
  if (c && cmd::CheckLength(e, a[0], kMaxHostName, "l2tp hostname")) c->hostname = a[0];
}

void SetPmask(Engine& e, Args a) {
  if (L2tpConf* c = Conf(e)) c->pmask = a[0];
}

// RFC 2661 §5.1.1 tunnel authentication and §4.3 AVP hiding; "" turns both
// off. The value never goes into a diagnostic.
void SetSecret(Engine& e, Args a) {
  if (L2tpConf* c = Conf(e)) c->secret = a[0];
}

template <bool kOn>
void Options(Engine& e, Args a) {
  L2tpConf* c = Conf(e);
  if (!c) return;
  for (const std::string& o : a) {
    bool* flag = o == "outcall"        ? &c->outcall
                 : o == "hidden"       ? &c->hidden
                 : o == "length"       ? &c->length
                 : o == "dataseq"      ? &c->dataseq
                 : o == "resolve-once" ? &c->resolve_once
                                       : nullptr;
    if (!flag) {
      e.Error(fmt::format("unknown l2tp option \"{}\"", o));
      continue;
    }
    *flag = kOn;
  }
}

constexpr Command kL2tpSet[] = {
    {"self", "{ip} [{port}]", "Set local IP address", 1, 2, SetSelf},
    {"peer", "{ip}[/{width}]|{name} [{port}]", "Set remote IP address", 1, 2, SetPeer},
    {"callingnum", "{number}", "Set calling L2TP telephone number", 1, 1, SetCallingNum},
    {"callednum", "{number}", "Set called L2TP telephone number", 1, 1, SetCalledNum},
    {"hostname", "{name}", "Set L2TP local hostname", 1, 1, SetHostName},
    {"pmask", "{mask}", "Set L2TP peer hostname mask", 1, 1, SetPmask},
    {"secret", "{sec}", "Set L2TP tunnel secret", 1, 1, SetSecret},
    {"enable", "[opt ...]", "Enable option", 0, -1, Options<true>},
    {"disable", "[opt ...]", "Disable option", 0, -1, Options<false>},
};

}  // namespace

std::span<const Command> L2tpSetCommands() { return kL2tpSet; }

}  // namespace mlppp::config
