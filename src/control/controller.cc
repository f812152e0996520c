#include "control/controller.h"

#include <array>
#include <span>

namespace mlppp::control {
namespace {

constexpr std::array<std::string_view, 3> kPrivilegeNames = {"user", "operator", "admin"};
constexpr std::array<std::string_view, 8> kLayerNames = {"iface", "ipcp", "ipv6cp", "ccp",
                                                         "ecp",   "bund", "link",   "device"};

// Both enums are dense from 0, so the name tables are indexed by value.
template <class E>
std::string_view NameOf(std::span<const std::string_view> names, E v) {
  auto i = static_cast<size_t>(v);
  return i < names.size() ? names[i] : "unknown";
}

template <class E>
bool FromName(std::span<const std::string_view> names, std::string_view name, E* out) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view PrivilegeName(Privilege p) { return NameOf(kPrivilegeNames, p); }
bool PrivilegeFromName(std::string_view name, Privilege* out) {
  return FromName(kPrivilegeNames, name, out);
}
std::string_view LayerName(Layer l) { return NameOf(kLayerNames, l); }
bool LayerFromName(std::string_view name, Layer* out) { return FromName(kLayerNames, name, out); }

}  // namespace mlppp::control
