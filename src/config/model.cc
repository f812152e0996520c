#include "config/model.h"

namespace mlppp::config {

LinkConf* Config::FindLink(const std::string& n) {
  for (auto& l : links)
    if (l.name == n) return &l;
  return nullptr;
}

BundleConf* Config::FindBundle(const std::string& n) {
  for (auto& b : bundles)
    if (b.name == n) return &b;
  return nullptr;
}

}  // namespace mlppp::config
