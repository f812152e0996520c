// `set ccp ...`, `set mppc ...`, `set ecp ...` (mpd5 ccp.c, ccp_mppc.c,
// ecp.c; reference §1.3): which compression and encryption methods a bundle
// asks for (enable) and allows the peer (accept).
#include <fmt/format.h>

#include "config/engine.h"

namespace mlppp::config {
namespace {

BundleConf& B(Engine& e) { return *e.CurrentBundle(); }

// Applies `v` to each option of a table of (name, flag) pairs.
template <size_t N>
void ApplyOptions(Engine& e, OptVerb v, Args opts, const char* what,
                  const std::pair<const char*, Opt*> (&table)[N]) {
  for (const std::string& o : opts) {
    Opt* flag = nullptr;
    for (const auto& [name, f] : table) {
      if (o == name) flag = f;
    }
    if (!flag) {
      e.Error(fmt::format("unknown {} option \"{}\"", what, o));
      continue;
    }
    ApplyVerb(v, flag);
  }
}

void CcpOptions(Engine& e, OptVerb v, Args opts) {
  CcpConf& c = B(e).ccp;
  const std::pair<const char*, Opt*> table[] = {
      {"mppc", &c.mppc}, {"deflate", &c.deflate}, {"pred1", &c.pred1}};
  ApplyOptions(e, v, opts, "ccp", table);
}

void MppcOptions(Engine& e, OptVerb v, Args opts) {
  MppcConf& m = B(e).mppc;
  std::vector<std::string> rest;
  for (const std::string& o : opts) {
    if (o != "policy") {
      rest.push_back(o);
      continue;
    }
    // mpd5: `policy` (MPPE types from the AAA reply) is enable-only.
    if (v == OptVerb::kAccept || v == OptVerb::kDeny) {
      e.Warn("option \"policy\" can only be enabled or disabled; ignored");
      continue;
    }
    ApplyVerb(v, &m.policy);
  }
  const std::pair<const char*, Opt*> table[] = {{"compress", &m.compress},
                                                {"e40", &m.e40},
                                                {"e56", &m.e56},
                                                {"e128", &m.e128},
                                                {"stateless", &m.stateless}};
  ApplyOptions(e, v, rest, "mppc", table);
}

void EcpOptions(Engine& e, OptVerb v, Args opts) {
  EcpConf& c = B(e).ecp;
  const std::pair<const char*, Opt*> table[] = {{"dese-bis", &c.dese_bis},
                                                {"dese-old", &c.dese_old}};
  ApplyOptions(e, v, opts, "ecp", table);
}

void SetEcpKey(Engine& e, Args a) { B(e).ecp.key = a[0]; }

template <void (*F)(Engine&, OptVerb, Args), OptVerb V>
void Verb(Engine& e, Args a) {
  F(e, V, a);
}

// The six verbs of mpd5's option commands, for one option parser.
#define MLPPP_OPTION_VERBS(F)                                                            \
  {"accept", "{opt ...}", "Accept option", 0, -1, Verb<F, OptVerb::kAccept>},            \
      {"deny", "{opt ...}", "Deny option", 0, -1, Verb<F, OptVerb::kDeny>},              \
      {"enable", "{opt ...}", "Enable option", 0, -1, Verb<F, OptVerb::kEnable>},        \
      {"disable", "{opt ...}", "Disable option", 0, -1, Verb<F, OptVerb::kDisable>},     \
      {"yes", "{opt ...}", "Enable and accept option", 0, -1, Verb<F, OptVerb::kYes>}, { \
    "no", "{opt ...}", "Disable and deny option", 0, -1, Verb<F, OptVerb::kNo>           \
  }

constexpr Command kCcpSet[] = {MLPPP_OPTION_VERBS(CcpOptions)};
constexpr Command kMppcSet[] = {MLPPP_OPTION_VERBS(MppcOptions)};
constexpr Command kEcpSet[] = {
    {"key", "{string}", "Set encryption key", 1, 1, SetEcpKey},
    MLPPP_OPTION_VERBS(EcpOptions),
};

#undef MLPPP_OPTION_VERBS

}  // namespace

std::span<const Command> CcpSetCommands() { return kCcpSet; }
std::span<const Command> MppcSetCommands() { return kMppcSet; }
std::span<const Command> EcpSetCommands() { return kEcpSet; }

}  // namespace mlppp::config
