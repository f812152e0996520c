#include "config/resolve.h"

#include "core/prefix_match.h"

namespace mlppp::config {

Resolved Resolve(std::span<const Command> top, Args words, const ResolveFilter& filter) {
  Resolved r;
  r.table = top;
  for (;;) {
    if (r.used >= words.size()) {
      r.stop = Resolved::Stop::kMenu;
      return r;
    }
    int matches = 0;
    const Command* c = FindByPrefix(r.table, words[r.used], &matches, [&](const Command& e) {
      return !filter.visible || filter.visible(r.canon, e);
    });
    if (!c) {
      r.stop = matches > 1 ? Resolved::Stop::kAmbiguous : Resolved::Stop::kUnknown;
      return r;
    }
    r.path.push_back(c);
    r.canon.push_back(c->name);
    ++r.used;
    // Context before descending, as mpd5 DoCommandTab checks it.
    if (filter.admit && !filter.admit(*c)) {
      r.stop = Resolved::Stop::kNoContext;
      return r;
    }
    if (!c->submenu) {
      r.stop = Resolved::Stop::kLeaf;
      return r;
    }
    r.table = c->submenu();
  }
}

std::vector<const Command*> VisibleEntries(std::span<const Command> table,
                                           std::span<const std::string_view> parent,
                                           const ResolveFilter& filter) {
  std::vector<const Command*> out;
  for (const Command& c : table)
    if (!filter.visible || filter.visible(parent, c)) out.push_back(&c);
  return out;
}

}  // namespace mlppp::config
