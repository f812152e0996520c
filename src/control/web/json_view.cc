#include "control/web/json_view.h"

namespace mlppp::control::web {
namespace {

std::string_view FsmName(std::string_view s) { return s.empty() ? "Initial" : s; }

Json LinkJson(const LinkView& l, const BundleView* b) {
  Json j;
  j["link"] = l.name;
  j["lcp"] = FsmName(l.lcp_state);
  j["auth"] = l.peer_authname;
  j["type"] = l.type;
  j["state"] = l.state;
  if (l.state != "DOWN") {
    j["peer_ip"] = l.peer_addr;
    if (b != nullptr) j["ipcp_ip"] = b->peer_ip;
  }
  j["calling_num"] = l.state != "DOWN" ? l.calling_num : "";
  j["called_num"] = l.state != "DOWN" ? l.called_num : "";
  return j;
}

}  // namespace

std::string JsonText(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json MpdJsonSummary(const Snapshot& snap) {
  Json out;
  out["links"] = Json::array();
  for (const auto& l : snap.links) {
    if (l.bundle.empty()) out["links"].push_back(LinkJson(l, nullptr));
  }
  out["bundles"] = Json::array();
  for (const auto& b : snap.bundles) {
    Json j;
    j["bundle"] = b.name;
    j["iface"] = b.iface;
    j["state"] = b.up ? "Up" : "Down";
    j["ipcp"] = FsmName(b.ipcp_state);
    j["ipv6cp"] = FsmName(b.ipv6cp_state);
    j["ccp"] = FsmName(b.ccp_state);
    j["ecp"] = FsmName(b.ecp_state);
    j["links"] = Json::array();
    for (const auto& name : b.links) {
      for (const auto& l : snap.links) {
        if (l.name == name) {
          j["links"].push_back(LinkJson(l, &b));
          break;
        }
      }
    }
    out["bundles"].push_back(std::move(j));
  }
  out["repeaters"] = Json::array();
  return out;
}

}  // namespace mlppp::control::web
