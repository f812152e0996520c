// An L2TP call reports its up before the peer's first PPP frame, also when
// that frame follows the ICCN at once (link/up_gate.h; its own tests cover
// frames that reach a call before its owner takes it; the last test here
// checks them through a real call): LCP must see the
// peer's Configure-Request.
#include <gtest/gtest.h>

#include <vector>

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

// The LAC's LCP sends two frames on its up, as a peer that retransmits.
struct SendTwoOnUp : Events {
  void OnDriverUp() override {
    Events::OnDriverUp();
    driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x01}));
    driver->Send(Frame({0xff, 0x03, 0xc0, 0x21, 0x02}));
  }
  link::Driver* driver = nullptr;
};

// The daemon takes an answered call later than the peer's first frames
// arrive (its Open is posted, or the link is busy): the frames the gate held
// must survive the Open and follow the up, in order.
TEST(L2tpSessionUp, FramesBeforeTheDaemonTakesTheCallFollowItsUp) {
  L2tpPair p;
  std::vector<Call> taken;
  p.lns.StopListening();
  ASSERT_TRUE(p.lns
                  .Listen({},
                          [&](std::unique_ptr<link::Driver> d) {
                            // Not opened yet: no events and no up.
                            Call c;
                            c.driver = std::move(d);
                            taken.push_back(std::move(c));
                          })
                  .ok());
  Call& c = p.Dial();
  SendTwoOnUp lcp;
  lcp.driver = c.driver.get();
  c.driver->SetEvents(&lcp);
  p.Settle();
  ASSERT_EQ(lcp.up, 1);
  ASSERT_EQ(taken.size(), 1u);
  // The frames reached the LNS call before anyone opened it.
  Call& in = taken[0];
  in.driver->SetEvents(in.events.get());
  p.loop.Post([&] { in.driver->Open(); });
  p.loop.RunPending();
  EXPECT_EQ(in.events->order, "uff");
  ASSERT_EQ(in.events->frames.size(), 2u);
  EXPECT_EQ(in.events->frames[0].back(), 0x01);
  EXPECT_EQ(in.events->frames[1].back(), 0x02);
  EXPECT_EQ(in.events->down, 0);
}

}  // namespace
}  // namespace mlppp::link::l2tp::l2tp_test
