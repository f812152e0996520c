#include "control/command_privilege.h"

#include <vector>

namespace mlppp::control {
namespace {

bool PathIs(std::span<const std::string_view> path, std::initializer_list<std::string_view> want) {
  if (path.size() != want.size()) return false;
  size_t i = 0;
  for (std::string_view w : want)
    if (path[i++] != w) return false;
  return true;
}

}  // namespace

Privilege EnginePathPrivilege(std::span<const std::string_view> path) {
  using P = Privilege;
  if (path.empty()) return P::kUser;
  // gCommands: `set` and `load` are priv 0, `create` priv 2; the rest of
  // the top level is CommandShell's table.
  if (path[0] == "load") return P::kUser;
  if (path[0] != "set") return path[0] == "create" ? P::kAdmin : P::kUser;
  if (path.size() == 1) return P::kUser;
  if (path[1] != "console") return P::kAdmin;  // SetCommands: priv 2
  if (path.size() == 2) return P::kUser;       // "console ...": priv 0
  // ConsoleSetCmds: enable/disable priv 0, open/close/self priv 2.
  if (PathIs(path, {"set", "console", "enable"}) || PathIs(path, {"set", "console", "disable"}))
    return P::kUser;
  return P::kAdmin;
}

config::ResolveFilter PrivilegeFilter(Privilege priv, std::span<const std::string_view> parent) {
  config::ResolveFilter f;
  f.visible = [priv, top = std::vector<std::string_view>(parent.begin(), parent.end())](
                  std::span<const std::string_view> canon, const config::Command& c) {
    std::vector<std::string_view> path = top;
    path.insert(path.end(), canon.begin(), canon.end());
    path.push_back(c.name);
    return EnginePathPrivilege(path) <= priv;
  };
  return f;
}

bool ConsoleOptionNeedsAdmin(std::string_view option) { return option != "logging"; }

}  // namespace mlppp::control
