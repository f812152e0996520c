// The command table, word matching and mpd5's error messages (command.c
// gCommands, DoCommand, FindCommand); the commands themselves live in
// command_shell_select.cc, command_shell_actions.cc and
// command_shell_config.cc.
#include "control/command_shell.h"

#include <fmt/format.h>

#include "config/engine.h"
#include "config/reader.h"
#include "config/resolve.h"
#include "control/command_privilege.h"
#include "control/command_shell_internal.h"
#include "control/show.h"
#include "core/prefix_match.h"

namespace mlppp::control {

namespace {

constexpr std::string_view kMask = "********";

// Which word of a `set` line is a secret: (submenu, command, index of the
// secret in the whole line). An empty command means the submenu itself.
struct SecretArg {
  std::string_view menu;
  std::string_view cmd;
  size_t index;
};
constexpr SecretArg kSecrets[] = {
    {"user", "", 3},          // set user NAME PASSWORD [priv]
    {"auth", "password", 3},  // set auth password PASS
    {"radius", "server", 4},  // set radius server HOST SECRET ...
    {"radsrv", "peer", 4},    // set radsrv peer IP SECRET
    {"l2tp", "secret", 3},    // set l2tp secret SECRET
    {"ecp", "key", 3},        // set ecp key KEY
};

std::string Join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) {
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}

}  // namespace

std::string MaskedLine(const std::vector<std::string>& words) {
  std::vector<std::string> w = words;
  if (w.size() >= 3 && w[0] == "set") {
    int n = 0;
    const config::Command* menu = config::cmd::Find(config::SetCommands(), w[1], &n);
    for (const SecretArg& s : kSecrets) {
      if (!menu || menu->name != s.menu) continue;
      if (!s.cmd.empty()) {
        if (!menu->submenu) continue;
        const config::Command* c = config::cmd::Find(menu->submenu(), w[2], &n);
        if (!c || c->name != s.cmd) continue;
      }
      if (s.index < w.size()) w[s.index] = std::string(kMask);
    }
  }
  return Join(w);
}

std::string LogSafeCommand(std::string_view line) {
  std::vector<std::string> words;
  std::string err;
  std::string s;
  if (config::TokenizeLine(line, &words, &err)) {
    s = MaskedLine(words);
  } else {
    size_t end = line.find_first_of(" \t\v\f\r\n");
    s = std::string(line.substr(0, end)) + (end == std::string_view::npos ? "" : " ...");
  }
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

CommandResult CommandShell::Call::Unknown() const {
  Print("Unknown command: '{}'. Try \"help\".", text);
  return {CommandCode::kUnknown, fmt::format("Unknown command: '{}'", text)};
}

CommandResult CommandShell::Call::Ambiguous() const {
  Print("Ambiguous command: '{}'. Try \"help\".", text);
  return {CommandCode::kUnknown, fmt::format("Ambiguous command: '{}'", text)};
}

CommandResult CommandShell::Call::NoContext() const {
  Print("Incorrect context for: '{}'", text);
  return {CommandCode::kNoContext, fmt::format("Incorrect context for: '{}'", text)};
}

CommandResult CommandShell::Call::Error(const std::string& msg) const {
  Print("Error in '{}': {}", text, msg);
  return {CommandCode::kFailed, msg};
}

CommandResult CommandShell::Call::Usage(const std::string& usage_line) const {
  Print("Usage: {}", usage_line);
  return {CommandCode::kUsage, fmt::format("Usage: {}", usage_line)};
}

void PrintListing(const CommandShell::Call& c,
                  const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string line;
  size_t i = 0;
  for (const auto& [name, desc] : rows) {
    line += fmt::format(" {:<9}: {:<20}", name, desc);
    if (i++ & 1) {
      c.Print("{}", line);
      line.clear();
    } else {
      line += '\t';
    }
  }
  // An odd last entry: mpd5 ends it with its tab; ours ends the line there.
  if (!line.empty()) {
    line.pop_back();
    c.Print("{}", line);
  }
}

std::span<const CommandShell::TopCommand> CommandShell::Table() {
  using S = CommandShell;
  using P = Privilege;
  // mpd5 ≥ 5.8 gCommands: `quit` became `shutdown`; `unset` came with 5.7.
  // Privileges as its cmdtab entries have them: `set`, `unset` and `load`
  // are 0 at this level, with their entries checked below it
  // (command_privilege.h); `close`/`open` 1; `create`, `destroy`, `log`,
  // `shutdown` 2.
  static constexpr TopCommand kTop[] = {
      {"authname", "{name} [CI]", "Choose link by auth name", P::kUser, &S::CmdAuthname},
      {"bundle", "[{name}]", "Choose/list bundles", P::kUser, &S::CmdBundle},
      {"close", "[{layer}]", "Close a layer", P::kOperator, &S::CmdClose},
      {"create", "...", "Create new item", P::kAdmin, &S::CmdCreate},
      {"destroy", "...", "Destroy item", P::kAdmin, &S::CmdDestroy},
      {"exit", "", "Exit console", P::kUser, &S::CmdExit},
      {"iface", "{iface}", "Choose bundle by iface", P::kUser, &S::CmdIface},
      {"help", "...", "Help on any command", P::kUser, &S::CmdHelp},
      {"link", "{name}", "Choose link", P::kUser, &S::CmdLink},
      {"load", "[{file}] {label}", "Read from config file", P::kUser, &S::CmdLoad},
      {"log", "[+/-{opt} ...]", "Set/view log options", P::kAdmin, &S::CmdLog},
      {"msession", "{msesid}", "Ch. bundle by msession-id", P::kUser, &S::CmdMsession},
      {"open", "[{layer}]", "Open a layer", P::kOperator, &S::CmdOpen},
      {"shutdown", "", "Shutdown program", P::kAdmin, &S::CmdShutdown},
      {"repeater", "[{name}]", "Choose/list repeaters", P::kUser, &S::CmdRepeater},
      {"session", "{sesid}", "Choose link by session-id", P::kUser, &S::CmdSession},
      {"set", "...", "Set parameters", P::kUser, &S::CmdSet},
      {"unset", "...", "Unset parameters", P::kUser, &S::CmdUnset},
      {"show", "...", "Show status", P::kUser, &S::CmdShow},
  };
  return kTop;
}

CommandShell::CommandShell(Controller& ctl, Privilege priv, std::string user)
    : ctl_(ctl), priv_(priv), user_(std::move(user)) {}

const CommandShell::TopCommand* CommandShell::FindTop(std::string_view word, int* matches) const {
  // mpd5 FindCommand: only what the user may run counts.
  return FindByPrefix(Table(), word, matches, [&](const TopCommand& c) { return c.priv <= priv_; });
}

CommandResult CommandShell::Run(std::string_view line, std::string* out) {
  Call c;
  c.out = out;
  std::string err;
  if (!config::TokenizeLine(line, &c.words, &err)) {
    // The line may hold a secret: name only its first word.
    c.text = std::string(line.substr(0, line.find_first_of(" \t")));
    return c.Error(err);
  }
  if (c.words.empty()) return {};
  int matches = 0;
  const TopCommand* cmd = FindTop(c.words[0], &matches);
  if (!cmd) {
    c.text = MaskedLine(c.words);
    if (matches > 1) return c.Ambiguous();
    // A command above this privilege reads as unknown (mpd5), but the
    // result code tells the web interface why.
    for (const TopCommand& t : Table()) {
      if (t.name.starts_with(c.words[0]) && t.priv > priv_) {
        CommandResult r = c.Unknown();
        r.code = CommandCode::kDenied;
        return r;
      }
    }
    return c.Unknown();
  }
  c.words[0] = std::string(cmd->name);
  c.text = MaskedLine(c.words);
  c.args = Args(c.words).subspan(1);
  return (this->*cmd->fn)(c);
}

std::string CommandShell::Prompt() const {
  // mpd5 console.c: the link's name first, then the bundle's, then the
  // repeater's.
  if (!link_.empty()) return fmt::format("[{}] ", link_);
  if (!bundle_.empty()) return fmt::format("[{}] ", bundle_);
  if (!repeater_.empty()) return fmt::format("[{}] ", repeater_);
  return "[] ";
}

std::vector<std::string> CommandShell::Complete(std::string_view partial) const {
  std::vector<std::string> words;
  std::string err;
  if (!config::TokenizeLine(partial, &words, &err)) return {};
  // After a blank (any the tokenizer splits on), or with no word at all
  // (a line of only blanks), a new empty word is being completed.
  if (words.empty() ||
      std::string_view(" \t\v\f\r\n").find(partial.back()) != std::string_view::npos)
    words.emplace_back();
  std::string_view last = words.back();
  std::vector<std::string> names;
  auto add = [&](std::string_view n) {
    if (n.starts_with(last)) names.emplace_back(n);
  };
  if (words.size() == 1) {
    for (const TopCommand& t : Table())
      if (t.priv <= priv_) add(t.name);
    return names;
  }
  int m = 0;
  const TopCommand* top = FindTop(words[0], &m);
  if (!top) return {};
  if (top->name == "show") {
    if (words.size() == 2)
      for (const auto& s : show::Commands()) add(s.name);
    return names;
  }
  if (top->name == "open" || top->name == "close") {
    if (words.size() == 2)
      for (int i = 0; i <= static_cast<int>(Layer::kDevice); ++i)
        add(LayerName(static_cast<Layer>(i)));
    return names;
  }
  if (top->name == "help") {
    if (words.size() == 2)
      for (const TopCommand& t : Table())
        if (t.priv <= priv_) add(t.name);
    return names;
  }
  std::span<const config::Command> table;
  if (top->name == "set")
    table = config::SetCommands();
  else if (top->name == "create")
    table = config::CreateCommands();
  else
    return {};
  // Only what this privilege may run, as mpd5's completion uses FindCommand.
  // The words before the one being completed must lead to a submenu.
  const std::string_view parent[] = {top->name};
  const config::ResolveFilter filter = PrivilegeFilter(priv_, parent);
  const config::Resolved r = config::Resolve(
      table, std::span<const std::string>(words).subspan(1, words.size() - 2), filter);
  if (r.stop != config::Resolved::Stop::kMenu) return {};
  for (const config::Command* c : config::VisibleEntries(r.table, r.canon, filter)) add(c->name);
  return names;
}

}  // namespace mlppp::control
