#include "control/controller.h"

#include <array>

namespace mlppp::control {
namespace {

constexpr std::array<std::string_view, 3> kPrivilegeNames = {"user", "operator", "admin"};
constexpr std::array<std::string_view, 8> kLayerNames = {"iface", "ipcp", "ipv6cp", "ccp",
                                                         "ecp",   "bund", "link",   "device"};

}  // namespace

std::string_view PrivilegeName(Privilege p) {
  auto i = static_cast<size_t>(p);
  return i < kPrivilegeNames.size() ? kPrivilegeNames[i] : "unknown";
}

bool PrivilegeFromName(std::string_view name, Privilege* out) {
  for (size_t i = 0; i < kPrivilegeNames.size(); ++i) {
    if (kPrivilegeNames[i] == name) {
      *out = static_cast<Privilege>(i);
      return true;
    }
  }
  return false;
}

std::string_view LayerName(Layer l) {
  auto i = static_cast<size_t>(l);
  return i < kLayerNames.size() ? kLayerNames[i] : "unknown";
}

bool LayerFromName(std::string_view name, Layer* out) {
  for (size_t i = 0; i < kLayerNames.size(); ++i) {
    if (kLayerNames[i] == name) {
      *out = static_cast<Layer>(i);
      return true;
    }
  }
  return false;
}

}  // namespace mlppp::control
