// `set pppoe ...` (mpd5 pppoe.c; reference §1.2). Needs a current link of
// type pppoe (mpd5 AdmitDev).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

// Returns the current link's PPPoE settings, or null after an error.
PppoeConf* Conf(Engine& e) {
  LinkConf* l = e.CurrentLink();
  if (l->type != "pppoe") {
    e.Error(fmt::format("incorrect context for \"{}\": link \"{}\" is of type {}", e.CommandText(),
                        l->name, l->type));
    return nullptr;
  }
  return &l->pppoe;
}

void SetIface(Engine& e, Args a) {
  PppoeConf* c = Conf(e);
  if (!c) return;
  if (a[0].empty() || a[0].size() > 15) {
    e.Error(fmt::format("bad interface name \"{}\"", a[0]));
    return;
  }
  c->iface = a[0];
}

void SetService(Engine& e, Args a) {
  if (PppoeConf* c = Conf(e)) c->service = a[0];
}

void SetAcname(Engine& e, Args a) {
  if (PppoeConf* c = Conf(e)) c->acname = a[0];
}

// RFC 4638 §4: PPP-Max-Payload above the 1492-octet default.
void SetMaxPayload(Engine& e, Args a) {
  PppoeConf* c = Conf(e);
  if (!c) return;
  if (auto v = e.Int(a[0], 1492, 65535, "max-payload")) c->max_payload = static_cast<uint16_t>(*v);
}

void SetMacFormat(Engine& e, Args a) {
  if (!Conf(e)) return;
  if (a[0] != "unformatted" && a[0] != "unix-like" && a[0] != "cisco-like" && a[0] != "ietf")
    e.Error(
        fmt::format("bad mac-format \"{}\" (unformatted, unix-like, cisco-like or ietf)", a[0]));
}

constexpr Command kPppoeSet[] = {
    {"iface", "{name}", "Set ethernet interface to use", 1, 1, SetIface},
    {"service", "{name}", "Set PPPoE session name", 1, 1, SetService},
    {"acname", "{name}", "Set PPPoE access concentrator name", 1, 1, SetAcname},
    {"max-payload", "{size}", "Set PPP-Max-Payload tag", 1, 1, SetMaxPayload},
    {"mac-format", "{format}", "Set RADIUS attribute 31 MAC format", 1, 1, SetMacFormat},
};

}  // namespace

std::span<const Command> PppoeSetCommands() { return kPppoeSet; }

}  // namespace mlppp::config
