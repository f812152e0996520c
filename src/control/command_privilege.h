// Who may run what below the top-level command: mpd5 puts a privilege on
// every entry of every command table (struct cmdtab's `priv`), and its
// FindCommand only sees the entries the session's privilege allows, at each
// level of a command line. The top level is CommandShell's table; this is
// the part for the configuration tables the shell runs through
// config::Engine (`set ...`, `create ...`, and the lines `load` runs).
//
// mpd5 command.c / console.c (5.x):
//   gCommands "set ..."          priv 0 (a submenu: its entries decide)
//   SetCommands, every entry     priv 2, except
//     "console ..."              priv 0, whose ConsoleSetCmds are
//       open, close, self        priv 2
//       enable, disable          priv 0 (per-session options: `logging`)
//   CreateCommands (link, bundle) priv 2 under "create" (priv 2)
//   gCommands "load"             priv 0; the lines it runs are checked as
//                                if typed (LoadCommand → DoCommand with the
//                                session's context)
// Entries of ours that mpd5's tables lack (`set console yes|no`, `set nat`
// ...) take the privilege of their siblings: admin.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "config/engine.h"
#include "config/resolve.h"
#include "control/controller.h"

namespace mlppp::control {

// The privilege needed for the entry reached by `path`: canonical command
// words from the top ("set", "set console", "set console enable").
Privilege EnginePathPrivilege(std::span<const std::string_view> path);

// mpd5 FindCommand's view of the engine tables at privilege `priv`, for
// config::Resolve: an entry counts only if `priv` may run it, so `set c` is
// `console` for a user but ambiguous (ccp, console) for an admin; an exact
// name still wins. `parent` holds the canonical words above the table the
// walk starts at ({"set"} for a walk of SetCommands()); the filter keeps a
// copy.
config::ResolveFilter PrivilegeFilter(Privilege priv,
                                      std::span<const std::string_view> parent = {});

// `set console enable|disable` below admin may change only per-session
// options (mpd5 console.c gConfList: `logging`). Our `auth` option is the
// console's global login switch; letting a user turn it off would hand
// every later telnet connection admin rights, so it needs admin.
bool ConsoleOptionNeedsAdmin(std::string_view option);

}  // namespace mlppp::control
