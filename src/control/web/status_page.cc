#include "control/web/status_page.h"

#include <fmt/format.h>

#include "control/web/text_util.h"

namespace mlppp::control::web {
namespace {

// An FSM that does not run is shown as mpd5 shows an FSM never opened.
std::string_view FsmName(std::string_view s) { return s.empty() ? "Initial" : s; }

// <td class="c"><a href="/cmd?<ctx>%20<name>&#38;show%20<what>">text</a></td>
std::string LinkCell(std::string_view cls, std::string_view ctx, std::string_view name,
                     std::string_view what, std::string_view text, int rowspan = 0) {
  std::string span = rowspan > 0 ? fmt::format(" rowspan=\"{}\"", rowspan) : "";
  return fmt::format("<td{} class=\"{}\"><a href=\"/cmd?{}%20{}&#38;show%20{}\">{}</a></td>\n",
                     span, cls, ctx, HtmlEscape(UrlEncode(name)), what, HtmlEscape(text));
}

std::string ActionLink(std::string_view link, std::string_view action, std::string_view label) {
  return fmt::format("<a href=\"/cmd?link%20{}&#38;{}\">[{}]</a>", HtmlEscape(UrlEncode(link)),
                     action, label);
}

// The cells of one link row from "Link" on; `peer_ip` is its bundle's IPCP
// peer address ("" when unbundled).
std::string LinkCells(const LinkView& l, std::string_view peer_ip, Privilege priv) {
  std::string lcp_cls(l.is_template ? "d" : FsmColor(l.lcp_state));
  std::string phys_cls(l.is_template ? "d" : PhysColor(l.state));
  std::string out;
  out += LinkCell(lcp_cls, "link", l.name, "link", l.name);
  out += LinkCell(lcp_cls, "link", l.name, "lcp", FsmName(l.lcp_state));
  out += LinkCell(lcp_cls, "link", l.name, "auth", l.peer_authname);
  out += LinkCell(phys_cls, "link", l.name, "device", l.type);
  out += LinkCell(phys_cls, "link", l.name, "device", l.state);
  if (l.state != "DOWN" && !l.is_template) {
    out += fmt::format("<td>{}</td>\n", HtmlEscape(l.peer_addr));
    out +=
        peer_ip.empty() ? "<td>&#160;</td>\n" : fmt::format("<td>{}</td>\n", HtmlEscape(peer_ip));
    // We answer calls: the called number is ours, as mpd5 prints an
    // incoming call (LINK_ORIGINATE_REMOTE).
    out += fmt::format("<td>{}</td>\n<td>&#60;=</td>\n<td>{}</td>\n", HtmlEscape(l.called_num),
                       HtmlEscape(l.calling_num));
  } else {
    out += "<td>&#160;</td>\n<td>&#160;</td>\n<td colspan=\"3\">&#160;</td>\n";
  }
  if (priv > Privilege::kUser) {
    if (l.is_template) {
      out += "<td>&#160;</td>\n";
    } else if (l.state == "DOWN") {
      out += "<td>" + ActionLink(l.name, "open", "Open") + "</td>\n";
    } else if (l.state == "UP") {
      out += "<td>" + ActionLink(l.name, "close", "Close") + "</td>\n";
    } else {
      out += "<td>" + ActionLink(l.name, "open", "Open") + "&#160;" +
             ActionLink(l.name, "close", "Close") + "</td>\n";
    }
  }
  return out;
}

const LinkView* FindLink(const Snapshot& snap, std::string_view name) {
  for (const auto& l : snap.links) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

}  // namespace

std::string_view FsmColor(std::string_view s) {
  if (s == "Opened") return "g";
  if (s.empty() || s == "Initial") return "r";
  return "y";
}

std::string_view PhysColor(std::string_view s) {
  if (s == "UP") return "g";
  if (s == "DOWN") return "r";
  return "y";
}

std::string StatusSummaryHtml(const Snapshot& snap, Privilege priv) {
  const bool admin_cols = priv > Privilege::kUser;
  std::string out;
  out += fmt::format(
      "<p>{} (pid {}), up {} s &#8212; <a href=\"/dashboard\">Dashboard</a> | "
      "<a href=\"/json\">JSON</a> | <a href=\"/metrics\">Metrics</a></p>\n",
      HtmlEscape(snap.version), snap.pid, snap.uptime_seconds);
  out += "<h2>Current status summary</h2>\n<table>\n<thead>\n<tr>\n";
  out +=
      "<th>Bund</th>\n<th colspan=\"2\">Iface</th>\n<th>IPCP</th>\n<th>IPV6CP</th>\n"
      "<th>CCP</th>\n<th>ECP</th>\n<th>Link</th>\n<th>LCP</th>\n<th>User</th>\n"
      "<th colspan=\"2\">Device</th>\n<th>Peer</th>\n<th>IP</th>\n<th>&#160;</th>\n"
      "<th>&#160;</th>\n<th>&#160;</th>\n";
  if (admin_cols) out += "<th>State</th>\n";
  out += "</tr>\n</thead>\n<tbody>\n";

  // Links in no bundle (templates, idle static links) first, as mpd5 does.
  for (const auto& l : snap.links) {
    if (!l.bundle.empty()) continue;
    out += "<tr>\n<td colspan=\"7\">&#160;</td>\n";
    out += LinkCells(l, "", priv);
    out += "</tr>\n";
  }

  for (const auto& b : snap.bundles) {
    std::vector<const LinkView*> members;
    for (const auto& name : b.links) {
      if (const LinkView* l = FindLink(snap, name)) members.push_back(l);
    }
    int rows = members.empty() ? 1 : static_cast<int>(members.size());
    std::string_view up_cls = b.up ? "g" : "r";
    out += "<tr>\n";
    out += LinkCell(up_cls, "bund", b.name, "bund", b.name, rows);
    out += LinkCell(up_cls, "bund", b.name, "iface", b.iface, rows);
    out += LinkCell(up_cls, "bund", b.name, "iface", b.up ? "Up" : "Down", rows);
    out += LinkCell(FsmColor(b.ipcp_state), "bund", b.name, "ipcp", FsmName(b.ipcp_state), rows);
    out +=
        LinkCell(FsmColor(b.ipv6cp_state), "bund", b.name, "ipv6cp", FsmName(b.ipv6cp_state), rows);
    out += LinkCell(FsmColor(b.ccp_state), "bund", b.name, "ccp", FsmName(b.ccp_state), rows);
    out += LinkCell(FsmColor(b.ecp_state), "bund", b.name, "ecp", FsmName(b.ecp_state), rows);
    if (members.empty()) {
      out += fmt::format("<td colspan=\"{}\">&#160;</td>\n</tr>\n", admin_cols ? 12 : 11);
      continue;
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out += "<tr>\n";
      out += LinkCells(*members[i], b.peer_ip, priv);
      out += "</tr>\n";
    }
  }
  out += "</tbody>\n</table>\n";
  return out;
}

}  // namespace mlppp::control::web
