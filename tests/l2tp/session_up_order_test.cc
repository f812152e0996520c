// An L2TP call reports its up before the peer's first PPP frame, also when
// that frame follows the ICCN at once (link/up_gate.h; its own tests cover
// frames that reach a call before its owner takes it): LCP must see the
// peer's Configure-Request.
#include <gtest/gtest.h>

#include "l2tp/l2tp_pair.h"

namespace mlppp::link::l2tp::l2tp_test {
namespace {

// The LAC side's LCP: starts on the up and sends its Configure-Request at
// once, as ppp::Link does.
struct SendOnUp : Events {
  void OnDriverUp() override {
    Events::OnDriverUp();
    driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x01}));
  }
  link::Driver* driver = nullptr;
};

TEST(L2tpSessionUp, FrameSentOnTheLacsUpReachesTheLnsAfterItsUp) {
  L2tpPair p;
  Call& c = p.Dial();
  SendOnUp lcp;
  lcp.driver = c.driver.get();
  c.driver->SetEvents(&lcp);
  p.Settle();
  ASSERT_EQ(lcp.up, 1);
  ASSERT_EQ(p.incoming.size(), 1u);
  EXPECT_EQ(p.incoming[0].events->order, "uf");
  EXPECT_EQ(p.incoming[0].events->frames.size(), 1u);
}

}  // namespace
}  // namespace mlppp::link::l2tp::l2tp_test
