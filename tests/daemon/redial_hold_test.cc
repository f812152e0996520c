// daemon::RedialHold: which console closes keep a static link from
// redialling, and which `open` lifts it (Daemon::CloseLayer/OpenLayer;
// tests/bundle/ncp_admin_test.cc covers Bundle::ip_ncps_gone, on which the
// daemon decides).
#include "daemon/redial_hold.h"

#include <gtest/gtest.h>

namespace mlppp::daemon {
namespace {

struct Flags {
  bool closed = false;
  bool by_last_ncp = false;
  RedialHold hold() { return RedialHold(closed, by_last_ncp); }
};

// close ipcp + close ipv6cp, then open ipcp before the session finished:
// the session goes on, and when it ends later the link redials.
TEST(RedialHold, OpeningAnIpNcpAgainLiftsTheLastNcpHold) {
  Flags f;
  f.hold().ByLastIpNcpClose();
  EXPECT_TRUE(f.closed);
  f.hold().NcpOpened(/*ip_ncps_gone=*/false);
  EXPECT_FALSE(f.closed);
  EXPECT_FALSE(f.by_last_ncp);
}

// `open ccp` does not bring an IP NCP back: the session still ends.
TEST(RedialHold, OpeningCcpKeepsTheLastNcpHold) {
  Flags f;
  f.hold().ByLastIpNcpClose();
  f.hold().NcpOpened(/*ip_ncps_gone=*/true);
  EXPECT_TRUE(f.closed);
  // A later open ipcp still lifts it.
  f.hold().NcpOpened(/*ip_ncps_gone=*/false);
  EXPECT_FALSE(f.closed);
}

TEST(RedialHold, AnOperatorsCloseIsNotLiftedByAnNcpOpen) {
  Flags f;
  f.hold().ByOperator();  // close link / close bund / disconnect
  f.hold().NcpOpened(false);
  EXPECT_TRUE(f.closed);
  // The last IP NCP closed after it: still the operator's hold.
  f.hold().ByLastIpNcpClose();
  EXPECT_FALSE(f.by_last_ncp);
  f.hold().NcpOpened(false);
  EXPECT_TRUE(f.closed);
}

TEST(RedialHold, AnOperatorsCloseAfterTheLastNcpHoldTakesIt) {
  Flags f;
  f.hold().ByLastIpNcpClose();
  f.hold().ByOperator();
  f.hold().NcpOpened(false);
  EXPECT_TRUE(f.closed);
}

TEST(RedialHold, AnNcpOpenWithoutAHoldChangesNothing) {
  Flags f;
  f.hold().NcpOpened(false);
  EXPECT_FALSE(f.closed);
  EXPECT_FALSE(f.by_last_ncp);
}

}  // namespace
}  // namespace mlppp::daemon
