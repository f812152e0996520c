#include "daemon/session_index.h"

#include <gtest/gtest.h>

namespace mlppp::daemon {
namespace {

struct S {
  int n;
};

TEST(SessionIndexTest, CountsLoginsExactAndCaseInsensitive) {
  SessionIndex<S> idx;
  S a{1}, b{2}, c{3};
  idx.Add(&a, "Alice", "s1");
  idx.Add(&b, "alice", "s2");
  idx.Add(&c, "", "s3");  // not authenticated: not counted
  EXPECT_EQ(idx.Logins("alice", false), 1u);
  EXPECT_EQ(idx.Logins("ALICE", false), 0u);
  EXPECT_EQ(idx.Logins("ALICE", true), 2u);
  EXPECT_EQ(idx.Logins("", false), 0u);
  idx.Remove("Alice", "s1");
  EXPECT_EQ(idx.Logins("alice", true), 1u);
  EXPECT_EQ(idx.Logins("Alice", false), 0u);
  idx.Remove("Alice", "s1");  // twice: ignored, the count stays
  EXPECT_EQ(idx.Logins("alice", true), 1u);
  EXPECT_EQ(idx.size(), 2u);
}

TEST(SessionIndexTest, FindsBySessionId) {
  SessionIndex<S> idx;
  S a{1};
  idx.Add(&a, "u", "abc");
  EXPECT_EQ(idx.Find("abc"), &a);
  EXPECT_EQ(idx.Find("abd"), nullptr);
  idx.Remove("u", "abc");
  EXPECT_EQ(idx.Find("abc"), nullptr);
}

TEST(SessionIndexTest, FoldCaseIsAsciiOnly) { EXPECT_EQ(FoldCase("AbC-Ä"), "abc-Ä"); }

}  // namespace
}  // namespace mlppp::daemon
