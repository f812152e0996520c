// Private to the command shell: the `show` commands (mpd5 command.c
// ShowCommands[]), each printing mpd5's layout from a Snapshot and the typed
// configuration. Settings come from config::Config; secrets (passwords,
// RADIUS and L2TP secrets, the ECP key) are never printed.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/model.h"
#include "control/command_session.h"
#include "control/console_sessions.h"
#include "control/controller.h"
#include "control/status.h"

namespace mlppp::control::show {

using Args = std::span<const std::string>;

// What a show command sees: the daemon's state, its configuration and the
// session's context (resolved against both).
struct Env {
  const Snapshot& snap;
  const config::Config& conf;
  const LinkView* link = nullptr;  // the context's live link or idle configuration
  const BundleView* bundle = nullptr;
  const config::LinkConf* link_conf = nullptr;  // its configuration (or template's)
  const config::BundleConf* bundle_conf = nullptr;
  std::string link_name, bundle_name;
  Privilege priv = Privilege::kUser;
  std::string user;
  std::string* out = nullptr;
  const ConsoleSessionList* consoles = nullptr;  // live console sessions, when known
};

// What a command needs in the context (mpd5 AdmitLink/AdmitBund/AdmitRep).
enum class Needs : uint8_t { kNothing, kLink, kBundle, kRepeater };

struct Command {
  std::string_view name;
  std::string_view usage;
  std::string_view desc;
  Needs needs;
  CommandResult (*fn)(const Env& env, Args args);
};

// mpd5's ShowCommands[] order.
std::span<const Command> Commands();

// Output helpers.
template <class... A>
void Out(const Env& e, fmt::format_string<A...> f, A&&... a) {
  fmt::format_to(std::back_inserter(*e.out), f, std::forward<A>(a)...);
}
inline CommandResult Ok() { return {}; }
inline CommandResult Usage() { return {CommandCode::kUsage, ""}; }
inline CommandResult Fail(std::string msg) { return {CommandCode::kFailed, std::move(msg)}; }

std::string Range(const config::Ipv4Range& r);
std::string_view EnableWord(bool on);  // "enable" / "disable"
// mpd5 OptStat: a header when any option is peered, then one line each.
struct OptRow {
  std::string_view name;
  bool enable;
  std::optional<bool> accept;  // set for peered options
};
void OptStat(const Env& e, std::span<const OptRow> rows);
const BundleView* FindBundle(const Snapshot& s, std::string_view name);
const LinkView* FindLink(const Snapshot& s, std::string_view name);

// show_daemon.cc
CommandResult Version(const Env& e, Args a);
CommandResult Layers(const Env& e, Args a);
CommandResult Types(const Env& e, Args a);
CommandResult Summary(const Env& e, Args a);
CommandResult Mem(const Env& e, Args a);
CommandResult Events(const Env& e, Args a);
CommandResult Console(const Env& e, Args a);
CommandResult Web(const Env& e, Args a);
CommandResult Global(const Env& e, Args a);
CommandResult Repeater(const Env& e, Args a);
CommandResult Nat(const Env& e, Args a);
CommandResult Netflow(const Env& e, Args a);
// show_bundles.cc
CommandResult Bundle(const Env& e, Args a);
CommandResult Iface(const Env& e, Args a);
CommandResult Routes(const Env& e, Args a);
CommandResult Customer(const Env& e, Args a);
CommandResult Sessions(const Env& e, Args a);
// show_links.cc
CommandResult Link(const Env& e, Args a);
CommandResult Lcp(const Env& e, Args a);
CommandResult L2tp(const Env& e, Args a);
CommandResult Pptp(const Env& e, Args a);
// show_device.cc
CommandResult Device(const Env& e, Args a);
// show_protocols.cc
CommandResult Ipcp(const Env& e, Args a);
CommandResult Ipv6cp(const Env& e, Args a);
CommandResult Ccp(const Env& e, Args a);
CommandResult Mppc(const Env& e, Args a);
CommandResult Ecp(const Env& e, Args a);
// show_aaa.cc
CommandResult Auth(const Env& e, Args a);
CommandResult Eap(const Env& e, Args a);
CommandResult Radius(const Env& e, Args a);
CommandResult Radsrv(const Env& e, Args a);
CommandResult Ippool(const Env& e, Args a);
CommandResult User(const Env& e, Args a);

}  // namespace mlppp::control::show
