// One walk of the command tables for everything that reads a command line
// against them: the engine running a line, and the console checking,
// completing and explaining one (control/command_shell_*.cc). mpd5 has one
// such walk too, command.c DoCommandTab → FindCommand, which descends
// submenus and checks a command's context (CMD_NEED_LINK/_BUND) before
// running or descending into it.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "config/engine.h"

namespace mlppp::config {

// What the walk may see and enter. Unset callbacks allow everything.
struct ResolveFilter {
  // Whether `entry` of the table below `parent` (canonical words from the
  // table the walk started at) counts at all: a hidden entry cannot be
  // matched nor make a prefix ambiguous (mpd5 FindCommand and cmd privs).
  std::function<bool(std::span<const std::string_view> parent, const Command& entry)> visible;
  // Whether a matched entry may be used now (its context exists); false
  // stops the walk with kNoContext at that entry.
  std::function<bool(const Command& entry)> admit;
};

struct Resolved {
  enum class Stop {
    kLeaf,       // path.back() is a command; words[used..] are its arguments
    kMenu,       // the words ran out at a submenu (or at `top`): table lists it
    kUnknown,    // words[used] names no visible entry of table
    kAmbiguous,  // words[used] prefixes several visible entries of table
    kNoContext,  // filter.admit refused path.back()
  };
  Stop stop = Stop::kMenu;
  std::vector<const Command*> path;     // entries matched, outermost first
  std::vector<std::string_view> canon;  // their names
  // kMenu: the submenu the words ended at. Otherwise the table in which
  // the last word was looked up (the one holding path.back() for kLeaf and
  // kNoContext).
  std::span<const Command> table;
  size_t used = 0;  // words consumed (matched entries)
};

// Matches `words` against `top` and its submenus, one word per level, as
// cmd::Find does (exact name wins, otherwise a unique prefix among the
// visible entries), until a leaf, the end of the words, or a failure.
Resolved Resolve(std::span<const Command> top, Args words, const ResolveFilter& filter = {});

// The entries of `table` below `parent` that `filter` shows, in order.
std::vector<const Command*> VisibleEntries(std::span<const Command> table,
                                           std::span<const std::string_view> parent,
                                           const ResolveFilter& filter);

}  // namespace mlppp::config
