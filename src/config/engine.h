// The command engine shared by mpd.conf and (later) the console: finds each
// command in the table of the module that owns it (commands_<module>.cc),
// accepting unambiguous prefixes of command words as mpd5's FindCommand
// does, and runs it against the typed Config with a context of current link
// and bundle. Errors are collected as `file:line: message` and execution
// continues with the next line (mpd5 behaviour).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/model.h"
#include "config/reader.h"

namespace mlppp::config {

struct LoadResult {
  Config config;
  std::vector<Diagnostic> diagnostics;
  bool fatal = false;  // the named label was missing or the file unreadable
  bool HasErrors() const;
};

// Reads dir/file, runs `startup:` then `label` (empty → "default").
LoadResult LoadConfig(const std::string& dir, const std::string& file, const std::string& label);

// For tests and the future console: run lines given as text. `load` may only
// name labels of this text (no file access).
LoadResult LoadConfigText(std::string_view text, const std::string& label,
                          const std::string& virtual_name = "mpd.conf");

class Engine;
using Args = std::span<const std::string>;
using Handler = void (*)(Engine& e, Args args);

// One entry of a command table. Either `handler` or `submenu` is set.
struct Command {
  enum class Needs : uint8_t { kNothing, kLink, kBundle };
  std::string_view name;
  std::string_view usage;  // arguments, for "usage:" errors
  // One-line description listed by `help` (mpd5 cmdtab desc).
  std::string_view help;
  int min_args = 0;
  int max_args = -1;  // -1: unlimited
  Handler handler = nullptr;
  std::span<const Command> (*submenu)() = nullptr;
  Needs needs = Needs::kNothing;
};

// Command tables, one per module file.
std::span<const Command> TopCommands();         // commands_misc.cc
std::span<const Command> SetCommands();         // commands_misc.cc
std::span<const Command> CreateCommands();      // commands_link.cc
std::span<const Command> LinkSetCommands();     // commands_link.cc
std::span<const Command> BundleSetCommands();   // commands_bundle.cc
std::span<const Command> IfaceSetCommands();    // commands_iface.cc
std::span<const Command> IpcpSetCommands();     // commands_ipcp.cc
std::span<const Command> Ipv6cpSetCommands();   // commands_ipcp.cc
std::span<const Command> CcpSetCommands();      // commands_ccp.cc
std::span<const Command> MppcSetCommands();     // commands_ccp.cc
std::span<const Command> EcpSetCommands();      // commands_ccp.cc
std::span<const Command> IppoolSetCommands();   // commands_ipcp.cc
std::span<const Command> PppoeSetCommands();    // commands_pppoe.cc
std::span<const Command> AuthSetCommands();     // commands_auth.cc
std::span<const Command> RadiusSetCommands();   // commands_radius.cc
std::span<const Command> EapSetCommands();      // commands_radius.cc
std::span<const Command> RadsrvSetCommands();   // commands_radius.cc
std::span<const Command> GlobalSetCommands();   // commands_misc.cc
std::span<const Command> L2tpSetCommands();     // commands_l2tp.cc
std::span<const Command> PptpSetCommands();     // commands_pptp.cc
std::span<const Command> ConsoleSetCommands();  // commands_control.cc
std::span<const Command> WebSetCommands();      // commands_control.cc
void SetUser(Engine& e, Args args);             // commands_control.cc

// Argument parsers shared by `set l2tp` and `set pptp` (commands_l2tp.cc).
namespace cmd {
// `self IP [PORT]`: an address literal (a /width accepted and dropped, as
// mpd5 does), port 0 or none meaning default_port. Errors go to the engine.
bool ParseTunnelSelf(Engine& e, Args a, std::string_view type, uint16_t default_port,
                     std::string* addr, uint16_t* port);
// `peer IP[/width]|NAME [PORT]`.
bool ParseTunnelPeer(Engine& e, Args a, std::string_view type, std::string* addr,
                     std::optional<uint8_t>* width, uint16_t* port);
// False (and an error naming `what`) when value is longer than max.
bool CheckLength(Engine& e, const std::string& value, size_t max, std::string_view what);
}  // namespace cmd

// mpd5's option verbs (`set X enable|disable|accept|deny|yes|no opt ...`).
enum class OptVerb : uint8_t { kEnable, kDisable, kAccept, kDeny, kYes, kNo };
// Does the verb turn the option on (enable or accept)?
bool TurnsOn(OptVerb v);
// Applies the verb to a two-flag option.
void ApplyVerb(OptVerb v, Opt* o);
// Applies the verb to an enable-only option; accept/deny leave it unchanged.
void ApplyVerb(OptVerb v, bool* enabled);

class Engine {
 public:
  // `dir` resolves relative file names of `load`; with allow_files false,
  // only files added by AddFile can be loaded.
  Engine(std::string dir, bool allow_files);

  // Makes `text` available as file `name` (parsed now).
  void AddFile(const std::string& name, std::string_view text);
  // Runs `label` of `file` (parsing it on first use). Returns false when the
  // file cannot be read or the label does not exist (no diagnostic added).
  bool RunLabel(const std::string& file, const std::string& label);
  // Runs one command line.
  void Execute(const Line& line);
  // The parsed file (read from disk on first use when allowed); nullptr when
  // it cannot be read.
  const ConfigFile* File(const std::string& name);

  Config& config() { return config_; }
  std::vector<Diagnostic>& diagnostics() { return diags_; }
  const std::string& main_file() const { return main_file_; }
  void set_main_file(std::string f) { main_file_ = std::move(f); }

  // --- for command handlers ---
  void Error(std::string message);
  void Warn(std::string message);
  // Warning "<what> not supported yet".
  void NotSupported(std::string_view what);
  // The words of the command being run, for messages.
  std::string CommandText() const;

  // Current link: a real link, or a placeholder for a link of a type this
  // daemon does not support (created after an error, so that the following
  // lines do not cascade into more errors).
  LinkConf* CurrentLink();
  bool CurrentLinkIsPlaceholder() const { return link_placeholder_; }
  BundleConf* CurrentBundle();
  // Whether the context `c` needs (current link or bundle) exists: mpd5's
  // cmd->admit (command.c DoCommandTab).
  bool HasContextFor(const Command& c);
  // Any link or placeholder by name.
  LinkConf* FindAnyLink(const std::string& name, bool* placeholder);
  // Adds a link (or a placeholder) and makes it current.
  void AddLink(LinkConf link, bool placeholder);
  void AddBundle(BundleConf bundle);
  bool SelectLink(const std::string& name);
  bool SelectBundle(const std::string& name);
  // Whether `set link action bundle` was given for the link (explicit
  // actions override the default taken from the current bundle).
  std::set<std::string>& explicit_actions() { return explicit_actions_; }

  // `load [file] label`.
  void Load(const std::string* file, const std::string& label);

  // Parses an integer in [min, max]; on failure reports "bad WHAT" and
  // returns nullopt.
  std::optional<int64_t> Int(const std::string& s, int64_t min, int64_t max, std::string_view what);
  // a.b.c.d
  std::optional<uint32_t> Addr(const std::string& s, std::string_view what);
  // a.b.c.d[/width]
  std::optional<Ipv4Range> Range(const std::string& s, std::string_view what);
  // Parses an option verb name (exact, as mpd5).
  static std::optional<OptVerb> VerbFromName(std::string_view s);

 private:
  void Dispatch(Args args);

  std::string dir_;
  bool allow_files_;
  std::string main_file_;
  std::map<std::string, std::unique_ptr<ConfigFile>> files_;
  std::vector<std::pair<std::string, std::string>> running_;  // (file, label) stack
  Config config_;
  std::vector<Diagnostic> diags_;
  std::vector<LinkConf> placeholders_;
  int link_ = -1;  // index into config_.links or placeholders_
  bool link_placeholder_ = false;
  int bundle_ = -1;
  std::set<std::string> explicit_actions_;
  size_t executed_ = 0;  // commands run, bounded against `load` fan-out
  const Line* line_ = nullptr;
  std::vector<std::string_view> canonical_;  // full names of the words matched so far
};

// Helpers shared by the command files.
namespace cmd {
// Prefix match on command words; exact match wins.
const Command* Find(std::span<const Command> table, std::string_view word, int* matches);
// Accepts the arguments and only warns (commands of modules not built yet).
void WarnNotSupported(Engine& e, Args args);
// "FreeBSD only, ignored".
void WarnFreeBsdOnly(Engine& e, Args args);
}  // namespace cmd

}  // namespace mlppp::config
