#include "os/fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace mlppp::os {
namespace {

bool IsOpen(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

TEST(Fd, ClosesOnDestructionAndMovesOwnership) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  ::close(p[1]);
  int raw = p[0];
  {
    Fd a(raw);
    EXPECT_TRUE(a.valid());
    Fd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): testing the moved-from state
    EXPECT_EQ(b.get(), raw);
    Fd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(Fd, ReleaseGivesUpOwnership) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  ::close(p[1]);
  int raw;
  {
    Fd a(p[0]);
    raw = a.release();
    EXPECT_FALSE(a.valid());
  }
  EXPECT_TRUE(IsOpen(raw));
  ::close(raw);
}

}  // namespace
}  // namespace mlppp::os
