#include "control/web/api.h"

#include <vector>

#include "control/web/api_json.h"
#include "control/web/text_util.h"

namespace mlppp::control::web {
namespace {

HttpResponse JsonResponse(int status, const Json& j) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.body = JsonText(j);
  r.body += '\n';
  return r;
}

HttpResponse Error(int status, std::string_view message) {
  return JsonResponse(status, Json{{"error", message}});
}

HttpResponse MethodNotAllowed(std::string_view allow) {
  HttpResponse r = Error(405, "method not allowed");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

HttpResponse Get(Controller& controller, const HttpRequest& req, std::string_view what) {
  Snapshot snap = controller.TakeSnapshot();
  if (what == "sessions") {
    SessionFilter f;
    QueryParam(req.query, "user", &f.user);
    QueryParam(req.query, "iface", &f.iface);
    QueryParam(req.query, "type", &f.type);
    return JsonResponse(200, SessionsJson(snap, f));
  }
  if (what == "links") return JsonResponse(200, LinksJson(snap));
  if (what == "bundles") return JsonResponse(200, BundlesJson(snap));
  if (what == "interfaces") return JsonResponse(200, InterfacesJson(snap));
  return JsonResponse(200, CountersJson(snap));  // "counters", checked by the caller
}

HttpResponse LinkAction(Controller& controller, const std::string& link, std::string_view action) {
  Snapshot snap = controller.TakeSnapshot();
  bool known = false;
  for (const auto& l : snap.links) known = known || l.name == link;
  if (!known) return Error(404, "no such link: " + link);
  Status s = action == "open" ? controller.OpenLayer(link, "", Layer::kLink)
                              : controller.CloseLayer(link, "", Layer::kLink);
  if (!s.ok()) return Error(409, s.message());
  return JsonResponse(200, Json{{"ok", true}});
}

}  // namespace

HttpResponse HandleApi(Controller& controller, const HttpRequest& req, Privilege priv) {
  // A view into req.path: a substr() temporary would leave the segments dangling.
  std::vector<std::string_view> seg =
      Segments(std::string_view(req.path).substr(kApiPrefix.size()));
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";

  if (seg.size() == 1) {
    std::string_view what = seg[0];
    if (what != "sessions" && what != "links" && what != "bundles" && what != "interfaces" &&
        what != "counters") {
      return Error(404, "not found");
    }
    if (!get) return MethodNotAllowed("GET, HEAD");
    return Get(controller, req, what);
  }

  bool disconnect = seg.size() == 3 && seg[0] == "sessions" && seg[2] == "disconnect";
  bool link_action =
      seg.size() == 3 && seg[0] == "links" && (seg[2] == "open" || seg[2] == "close");
  if (!disconnect && !link_action) return Error(404, "not found");
  if (!post) return MethodNotAllowed("POST");
  if (priv < Privilege::kOperator) return Error(403, "operator privilege required");

  std::string name(seg[1]);
  if (disconnect) {
    Status s = controller.Disconnect(name);
    if (!s.ok()) return Error(404, s.message());
    return JsonResponse(200, Json{{"ok", true}});
  }
  return LinkAction(controller, name, seg[2]);
}

}  // namespace mlppp::control::web
