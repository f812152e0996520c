// Every entry of every command table carries a one-line description for
// `help` (mpd5 struct cmdtab's desc), and the ones mpd5 has read as mpd5's.
#include <gtest/gtest.h>

#include <string>

#include "config/engine.h"

namespace mlppp::config {
namespace {

void ExpectDescribed(std::span<const Command> table, const std::string& path, int* count) {
  for (const Command& c : table) {
    std::string here = path.empty() ? std::string(c.name) : path + " " + std::string(c.name);
    ++*count;
    EXPECT_FALSE(c.help.empty()) << here;
    // mpd5's listing pads descriptions to 20 columns; longer ones still
    // fit a console line next to their name.
    EXPECT_LE(c.help.size(), 40u) << here;
    if (c.submenu) ExpectDescribed(c.submenu(), here, count);
  }
}

TEST(CommandHelpTest, EveryEntryHasADescription) {
  int count = 0;
  ExpectDescribed(TopCommands(), "", &count);
  EXPECT_GT(count, 150);
}

const Command* Entry(std::span<const Command> table, std::string_view name) {
  for (const Command& c : table)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(CommandHelpTest, Mpd5Descriptions) {
  struct Case {
    std::span<const Command> table;
    std::string_view name, help;
  };
  const Case cases[] = {
      {SetCommands(), "bundle", "Bundle specific stuff"},
      {SetCommands(), "link", "Link specific stuff"},
      {SetCommands(), "radsrv", "RADIUS server specific stuff"},
      {SetCommands(), "user", "Add console user"},
      {TopCommands(), "set", "Set parameters"},
      {CreateCommands(), "link", "Create link/template"},
      {BundleSetCommands(), "fsm-timeout", "FSM retry timeout"},
      {LinkSetCommands(), "keep-alive", "LCP echo keep-alives"},
      {IfaceSetCommands(), "mtu", "Set max allowed interface MTU"},
      {IpcpSetCommands(), "ranges", "Allowed IP address ranges"},
      {CcpSetCommands(), "yes", "Enable and accept option"},
      {MppcSetCommands(), "no", "Disable and deny option"},
      {EcpSetCommands(), "key", "Set encryption key"},
      {IppoolSetCommands(), "add", "Add IP range to the pool"},
      {PppoeSetCommands(), "acname", "Set PPPoE access concentrator name"},
      {AuthSetCommands(), "max-logins", "Max concurrent logins"},
      {RadiusSetCommands(), "identifier", "Set NAS identifier string"},
      {RadsrvSetCommands(), "peer", "Set peer ip and secret"},
      {EapSetCommands(), "accept", "Accept option"},
      {GlobalSetCommands(), "l2tplimit", "Calls per L2TP tunnel limit"},
      {L2tpSetCommands(), "secret", "Set L2TP tunnel secret"},
      {PptpSetCommands(), "callingnum", "Set calling PPTP telephone number"},
      {ConsoleSetCommands(), "self", "Set console ip and port"},
      {WebSetCommands(), "self", "Set web ip and port"},
  };
  for (const Case& c : cases) {
    const Command* e = Entry(c.table, c.name);
    ASSERT_NE(e, nullptr) << c.name;
    EXPECT_EQ(e->help, c.help) << c.name;
  }
}

}  // namespace
}  // namespace mlppp::config
