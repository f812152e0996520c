// The mpd5 console command set (mpd5 command.c gCommands), shared by the
// telnet console and the web /cmd and /bincmd endpoints. One CommandShell per
// session keeps mpd5's context — current link, bundle and repeater — which
// selection commands (`link`, `bundle`, `session`, ...) set and later
// commands (`open`, `show ipcp`, `set iface ...`) use.
//
// Command words may be shortened to any unambiguous prefix among the
// commands the session's privilege allows (mpd5 FindCommand); an exact name
// always wins. A command above the session's privilege looks unknown, as in
// mpd5. Configuration commands (`set`, `create`, `destroy`, `unset`, `load`)
// edit Controller::MutableConfig() through config::Engine; a failed `set`,
// `create`, `destroy` or `unset` leaves the configuration unchanged.
//
// Passive: runs on the loop thread, every call returns promptly.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/command_session.h"
#include "control/controller.h"

namespace mlppp::config {
class Engine;
}  // namespace mlppp::config

namespace mlppp::control {

class CommandShell : public CommandSession {
 public:
  // `ctl` must outlive the shell.
  CommandShell(Controller& ctl, Privilege priv, std::string user);

  CommandResult Run(std::string_view line, std::string* out) override;
  std::string Prompt() const override;
  std::vector<std::string> Complete(std::string_view partial) const override;
  bool ExitRequested() const override { return exit_; }
  void SetConsoleSessions(const ConsoleSessionList* list) override { consoles_ = list; }

  // The current context ("" when none).
  const std::string& link() const { return link_; }
  const std::string& bundle() const { return bundle_; }
  const std::string& repeater() const { return repeater_; }
  Privilege privilege() const { return priv_; }
  const std::string& user() const { return user_; }

  // One entry of the top-level table (public for the table definition).
  using Args = std::span<const std::string>;
  struct Call;
  struct TopCommand {
    std::string_view name;
    std::string_view usage;  // arguments, as mpd5 prints them in "Usage:"
    std::string_view desc;   // the `help` column
    Privilege priv;
    CommandResult (CommandShell::*fn)(Call& call);
  };

 private:
  // Selection commands (mpd5 LinkCommand, BundCommand, SessionCommand, ...).
  CommandResult CmdAuthname(Call& c);
  CommandResult CmdBundle(Call& c);
  CommandResult CmdIface(Call& c);
  CommandResult CmdLink(Call& c);
  CommandResult CmdMsession(Call& c);
  CommandResult CmdRepeater(Call& c);
  CommandResult CmdSession(Call& c);
  // Actions.
  CommandResult CmdOpen(Call& c);
  CommandResult CmdClose(Call& c);
  CommandResult OpenClose(Call& c, bool open);
  CommandResult CmdExit(Call& c);
  CommandResult CmdShutdown(Call& c);
  CommandResult CmdLog(Call& c);
  CommandResult CmdHelp(Call& c);
  CommandResult CmdShow(Call& c);
  // Configuration (command_shell_config.cc).
  CommandResult CmdSet(Call& c);
  CommandResult CmdCreate(Call& c);
  CommandResult CmdDestroy(Call& c);
  CommandResult CmdUnset(Call& c);
  CommandResult CmdLoad(Call& c);
  // Runs args (a line of the engine's top-level table) on a copy of the
  // configuration; commits it when `transactional` is false or nothing failed.
  CommandResult RunEngine(Call& c, bool transactional);

  // `load` below admin (mpd5 LoadCommand): runs `label` of `file` line by
  // line, each checked as if typed; nested `load` lines recurse.
  void LoadLines(config::Engine& eng, const std::string& file, const std::string& label,
                 std::vector<std::pair<std::string, std::string>>* running, size_t* budget) const;
  // Whether this session may run a configuration file line; *is_load is
  // set when it is a `load`.
  bool LineAllowed(const std::vector<std::string>& words, bool* is_load) const;
  // Why an engine entry (canonical path) with these arguments is refused
  // at this privilege, "" when it is not.
  std::string DeniedOption(std::span<const std::string_view> canon,
                           std::span<const std::string> args) const;

  void SelectLinkView(const std::string& name, const std::string& bundle);
  void SelectBundleName(const std::string& name, const std::vector<std::string>& links);
  void ClearContext();

  // mpd5's gCommands, in its order.
  static std::span<const TopCommand> Table();
  // The commands this privilege may run; *matches counts the candidates.
  const TopCommand* FindTop(std::string_view word, int* matches) const;

  Controller& ctl_;
  Privilege priv_;
  std::string user_;
  std::string link_, bundle_, repeater_;
  bool exit_ = false;
  const ConsoleSessionList* consoles_ = nullptr;
};

// A command line as logs may show it (mpd5 logs console commands): the
// secrets of `set user`, `set auth password`, `set radius server`... masked,
// control characters escaped; a line that does not tokenize is cut after
// its first word.
std::string LogSafeCommand(std::string_view line);

}  // namespace mlppp::control
