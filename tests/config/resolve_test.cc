// config::Resolve, the one walk of the command tables that the engine and
// the console share: mpd5 FindCommand's matching (exact name wins, else a
// unique prefix among the visible entries) and DoCommandTab's descent, with
// the context check made on each entry before it is entered.
#include "config/resolve.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mlppp::config {
namespace {

using Stop = Resolved::Stop;
using Needs = Command::Needs;

std::span<const Command> Deep() {
  static const Command kTable[] = {
      {.name = "alpha", .usage = "", .help = "a"},
  };
  return kTable;
}

std::span<const Command> Sub() {
  static const Command kTable[] = {
      {.name = "console", .usage = "", .help = "c"},
      {.name = "ccp", .usage = "x", .help = "c"},
      {.name = "mtu", .usage = "n", .help = "m", .needs = Needs::kLink},
      {.name = "menu", .usage = "", .help = "m", .submenu = Deep, .needs = Needs::kBundle},
  };
  return kTable;
}

std::span<const Command> Top() {
  static const Command kTable[] = {
      {.name = "set", .usage = "", .help = "s", .submenu = Sub},
      {.name = "link", .usage = "", .help = "l"},
      {.name = "links", .usage = "", .help = "l"},
  };
  return kTable;
}

Resolved Walk(std::vector<std::string> words, const ResolveFilter& f = {}) {
  return Resolve(Top(), words, f);
}

std::vector<std::string_view> Canon(std::initializer_list<std::string_view> w) { return w; }

TEST(ResolveTest, PrefixesDescendToALeaf) {
  Resolved r = Walk({"se", "con"});
  EXPECT_EQ(r.stop, Stop::kLeaf);
  EXPECT_EQ(r.canon, Canon({"set", "console"}));
  ASSERT_EQ(r.path.size(), 2u);
  EXPECT_EQ(r.path[1], &Sub()[0]);
  EXPECT_EQ(r.used, 2u);
  EXPECT_EQ(r.table.data(), Sub().data());
}

TEST(ResolveTest, LeafLeavesItsArguments) {
  Resolved r = Walk({"set", "ccp", "a", "b"});
  EXPECT_EQ(r.stop, Stop::kLeaf);
  EXPECT_EQ(r.canon, Canon({"set", "ccp"}));
  EXPECT_EQ(r.used, 2u);
}

TEST(ResolveTest, ExactNameWinsOverLongerNames) {
  Resolved r = Walk({"link"});
  EXPECT_EQ(r.stop, Stop::kLeaf);
  EXPECT_EQ(r.canon, Canon({"link"}));
  EXPECT_EQ(Walk({"links"}).canon, Canon({"links"}));
  EXPECT_EQ(Walk({"lin"}).stop, Stop::kAmbiguous);
}

TEST(ResolveTest, AmbiguousAndUnknownStopAtTheWord) {
  Resolved a = Walk({"set", "c", "x"});
  EXPECT_EQ(a.stop, Stop::kAmbiguous);
  EXPECT_EQ(a.used, 1u);
  EXPECT_EQ(a.canon, Canon({"set"}));
  EXPECT_EQ(a.table.data(), Sub().data());

  Resolved u = Walk({"set", "zz"});
  EXPECT_EQ(u.stop, Stop::kUnknown);
  EXPECT_EQ(u.used, 1u);
  EXPECT_EQ(u.table.data(), Sub().data());
  EXPECT_EQ(Walk({""}).stop, Stop::kUnknown);  // an empty word matches nothing
}

TEST(ResolveTest, WordsEndingAtAMenuStopThere) {
  Resolved top = Walk({});
  EXPECT_EQ(top.stop, Stop::kMenu);
  EXPECT_EQ(top.used, 0u);
  EXPECT_EQ(top.table.data(), Top().data());

  Resolved set = Walk({"set"});
  EXPECT_EQ(set.stop, Stop::kMenu);
  EXPECT_EQ(set.table.data(), Sub().data());

  Resolved deep = Walk({"set", "menu"});
  EXPECT_EQ(deep.stop, Stop::kMenu);
  EXPECT_EQ(deep.table.data(), Deep().data());
  EXPECT_EQ(deep.canon, Canon({"set", "menu"}));
}

TEST(ResolveTest, HiddenEntriesNeitherMatchNorMakeAPrefixAmbiguous) {
  std::vector<std::vector<std::string_view>> parents;
  ResolveFilter f;
  f.visible = [&](std::span<const std::string_view> parent, const Command& e) {
    parents.emplace_back(parent.begin(), parent.end());
    return !(parent.size() == 1 && parent[0] == "set" && e.name == "ccp");
  };
  Resolved r = Walk({"set", "c"}, f);
  EXPECT_EQ(r.stop, Stop::kLeaf);
  EXPECT_EQ(r.canon, Canon({"set", "console"}));
  // The filter saw the canonical words above each table.
  ASSERT_FALSE(parents.empty());
  EXPECT_TRUE(parents.front().empty());
  EXPECT_EQ(parents.back(), Canon({"set"}));

  EXPECT_EQ(Walk({"set", "ccp"}, f).stop, Stop::kUnknown);
  EXPECT_EQ(Walk({"set", "ccp"}).stop, Stop::kLeaf);

  std::vector<std::string_view> listed;
  for (const Command* c : VisibleEntries(Sub(), Canon({"set"}), f)) listed.push_back(c->name);
  EXPECT_EQ(listed, Canon({"console", "mtu", "menu"}));
  EXPECT_EQ(VisibleEntries(Sub(), Canon({"set"}), {}).size(), Sub().size());
}

TEST(ResolveTest, RefusedContextStopsAtThatEntry) {
  ResolveFilter f;
  f.admit = [](const Command& e) { return e.needs == Needs::kNothing; };
  Resolved leaf = Walk({"set", "mtu", "1500"}, f);
  EXPECT_EQ(leaf.stop, Stop::kNoContext);
  EXPECT_EQ(leaf.path.back()->name, "mtu");
  EXPECT_EQ(leaf.used, 2u);

  // A submenu is checked before it is entered: its words are not looked at.
  Resolved menu = Walk({"set", "menu", "nonsense"}, f);
  EXPECT_EQ(menu.stop, Stop::kNoContext);
  EXPECT_EQ(menu.path.back()->name, "menu");
  EXPECT_EQ(menu.used, 2u);

  // The match comes first: an unknown word is unknown whatever the context.
  EXPECT_EQ(Walk({"set", "zz"}, f).stop, Stop::kUnknown);
  EXPECT_EQ(Walk({"set", "menu", "alpha"}).stop, Stop::kLeaf);
}

}  // namespace
}  // namespace mlppp::config
