// `set pptp ...` (mpd5 pptp.c; reference §1.2). Needs a current link of type
// pptp (mpd5 AdmitDev).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {

namespace {

constexpr size_t kMaxNumber = 63;  // mpd5 callingnum[64], callednum[64]

// Returns the current link's PPTP settings, or null after an error.
PptpConf* Conf(Engine& e) {
  LinkConf* l = e.CurrentLink();
  if (l->type != "pptp") {
    e.Error(fmt::format("incorrect context for \"{}\": link \"{}\" is of type {}", e.CommandText(),
                        l->name, l->type));
    return nullptr;
  }
  return &l->pptp;
}

void SetSelf(Engine& e, Args a) {
  if (PptpConf* c = Conf(e))
    cmd::ParseTunnelSelf(e, a, "pptp", kPptpPort, &c->self_addr, &c->self_port);
}

void SetPeer(Engine& e, Args a) {
  if (PptpConf* c = Conf(e))
    cmd::ParseTunnelPeer(e, a, "pptp", &c->peer_addr, &c->peer_width, &c->peer_port);
}

// RFC 2637 §2.7 (OCRQ Phone Number) and §2.9 (ICRQ Dialed/Dialing Number).
void SetCallingNum(Engine& e, Args a) {
  PptpConf* c = Conf(e);
  if (c && cmd::CheckLength(e, a[0], kMaxNumber, "pptp callingnum")) c->calling_num = a[0];
}

void SetCalledNum(Engine& e, Args a) {
  PptpConf* c = Conf(e);
  if (c && cmd::CheckLength(e, a[0], kMaxNumber, "pptp callednum")) c->called_num = a[0];
}

template <bool kOn>
void Options(Engine& e, Args a) {
  PptpConf* c = Conf(e);
  if (!c) return;
  for (const std::string& o : a) {
    bool* flag = o == "outcall"        ? &c->outcall
                 : o == "delayed-ack"  ? &c->delayed_ack
                 : o == "always-ack"   ? &c->always_ack
                 : o == "windowing"    ? &c->windowing
                 : o == "resolve-once" ? &c->resolve_once
                                       : nullptr;
    if (!flag) {
      e.Error(fmt::format("unknown pptp option \"{}\"", o));
      continue;
    }
    *flag = kOn;
  }
}

constexpr Command kPptpSet[] = {
    {"self", "{ip} [{port}]", "Set local IP address", 1, 2, SetSelf},
    {"peer", "{ip}[/{width}]|{name} [{port}]", "Set remote IP address", 1, 2, SetPeer},
    {"callingnum", "{number}", "Set calling PPTP telephone number", 1, 1, SetCallingNum},
    {"callednum", "{number}", "Set called PPTP telephone number", 1, 1, SetCalledNum},
    {"enable", "[opt ...]", "Enable option", 0, -1, Options<true>},
    {"disable", "[opt ...]", "Disable option", 0, -1, Options<false>},
};

}  // namespace

std::span<const Command> PptpSetCommands() { return kPptpSet; }

}  // namespace mlppp::config
