#include "os/tun_names.h"

#include <gtest/gtest.h>

#include <memory>

namespace mlppp::os {
namespace {

TEST(TunNames, HandsOutTheLowestFreeIndex) {
  TunNames names;
  EXPECT_EQ(names.Acquire(), 0u);
  EXPECT_EQ(names.Acquire(), 1u);
  EXPECT_EQ(names.Acquire(), 2u);
  names.Release(1);
  EXPECT_EQ(names.in_use(), 2u);
  EXPECT_EQ(names.Acquire(), 1u);  // the hole first, as mpd5 reuses ngN
  EXPECT_EQ(names.Acquire(), 3u);
  EXPECT_EQ(names.Name(3), "ppp3");
}

TEST(TunNames, ReleasingTheTopShrinksAndStrayReleasesAreIgnored) {
  TunNames names("ng", 3);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(names.Acquire(), i);
  EXPECT_EQ(names.Acquire(), std::nullopt);  // limit reached
  names.Release(0);
  names.Release(2);
  names.Release(2);  // twice: no effect
  names.Release(7);  // never handed out
  EXPECT_EQ(names.in_use(), 1u);
  names.Release(1);
  EXPECT_EQ(names.in_use(), 0u);
  EXPECT_EQ(names.Acquire(), 0u);
  EXPECT_EQ(names.Name(0), "ng0");
}

TEST(TunNameLease, GivesTheIndexBackOnceAndOutlivesItsAllocator) {
  auto names = std::make_shared<TunNames>();
  {
    TunNameLease a(names, *names->Acquire());
    TunNameLease b(std::move(a));
    TunNameLease c;
    c = std::move(b);
    EXPECT_EQ(names->in_use(), 1u);
  }
  EXPECT_EQ(names->in_use(), 0u);
  TunNameLease late(names, *names->Acquire());
  names.reset();  // the allocator goes first: the lease's release is a no-op
}

}  // namespace
}  // namespace mlppp::os
