#pragma once

#include <iterator>
#include <string_view>

namespace mlppp {

// mpd5's command lookup (command.c FindCommand): an exact name wins,
// otherwise a prefix of exactly one name. Entries `visible` refuses (for
// example commands above the user's privilege) do not count, so they cannot
// make a prefix ambiguous. *matches is how many names the word prefixes
// (1 on an exact match); returns the entry, or null when none or several.
template <typename Table, typename Visible>
auto FindByPrefix(const Table& table, std::string_view word, int* matches, Visible visible)
    -> decltype(&*std::begin(table)) {
  *matches = 0;
  decltype(&*std::begin(table)) found = nullptr;
  if (word.empty()) return found;
  for (const auto& c : table) {
    if (!visible(c)) continue;
    if (c.name == word) {
      *matches = 1;
      return &c;
    }
    if (std::string_view(c.name).starts_with(word)) {
      ++*matches;
      found = &c;
    }
  }
  return *matches == 1 ? found : nullptr;
}

}  // namespace mlppp
