// The batched MPPE data path (bundle/data_batch.h): several sessions' packets
// enciphered in one pass per event-loop turn, on whole PPP stacks back to
// back (MS-CHAPv2, CCP with MPPE-128). What must hold: every packet arrives
// intact and in order through stateful key changes (RFC 3078 §7.1, every
// 256 packets) and stateless ones (§7.2), packets really wait in the batch,
// and a session that goes (or whose CCP closes) while its packets wait
// loses them instead of sending stale cipher text or touching freed state.
#include "bundle/data_batch.h"

#include <gtest/gtest.h>

#include "aaa/internal_backend.h"
#include "aaa/secrets.h"
#include "bundle/session_fakes.h"
#include "ppp/protocol.h"

namespace mlppp {
namespace {

using stack_test::FakeDriver;
using stack_test::FakeIface;
using stack_test::Ip;
using stack_test::Side;
using std::chrono::seconds;

// An IPv4-looking packet whose body says which session and which packet it
// is, so order and integrity are both checked.
std::vector<uint8_t> V4Packet(size_t session, size_t n, size_t size = 200) {
  std::vector<uint8_t> p(size);
  const uint8_t head[] = {0x45, 0, 0, 20, 1, 2, 3, 4, 64, 17, 0, 0, 10, 0, 0, 100, 10, 0, 0, 1};
  std::copy(std::begin(head), std::end(head), p.begin());
  for (size_t i = sizeof(head); i < size; ++i) {
    p[i] = static_cast<uint8_t>(session * 131 + n * 7 + i);
  }
  p[20] = static_cast<uint8_t>(session);
  p[21] = static_cast<uint8_t>(n >> 8);
  p[22] = static_cast<uint8_t>(n);
  return p;
}

struct Pair {
  std::unique_ptr<Side> server, client;
  FakeIface* sif = nullptr;
  FakeIface* cif = nullptr;
  FakeDriver* sdrv = nullptr;
};

class DataBatchTest : public ::testing::Test {
 protected:
  // `sessions` server/client pairs; all servers share one batch, all
  // clients another (two daemons, each with its loop's batch).
  // Session k is stateless when `stateless`, or when bit k of
  // `stateless_mask` is set; bit k of `mppc_mask` adds MPPC compression
  // (which does not defer).
  void Build(size_t sessions, bool stateless, bool server_batched = true,
             bool client_batched = true, unsigned stateless_mask = 0, unsigned mppc_mask = 0) {
    auto secrets = aaa::Secrets::Parse("demo \"demo-pass\"\n", "mpd.secret", nullptr);
    backend_ = std::make_unique<aaa::InternalBackend>(std::move(secrets));
    for (size_t k = 0; k < sessions; ++k) {
      auto d1 = std::make_unique<FakeDriver>(loop_, "server");
      auto d2 = std::make_unique<FakeDriver>(loop_, "client");
      FakeDriver::Connect(*d1, *d2);
      Pair p;
      p.sdrv = d1.get();
      ppp::LinkConfig slc;
      slc.lcp.require_auth = {ppp::AuthType::kChapMsV2};
      ppp::LinkConfig clc;
      clc.lcp.accept_auth = {ppp::AuthType::kChapMsV2};
      clc.authname = "demo";
      clc.password = "demo-pass";
      bundle::BundleConfig sbc;
      sbc.ipcp_conf.self = {Ip(10, 0, 0, 1), 32};
      sbc.ipcp_conf.peer = {Ip(10, 0, 1, static_cast<int>(k + 1)), 32};
      bundle::BundleConfig cbc;
      for (bundle::BundleConfig* bc : {&sbc, &cbc}) {
        bc->compression = true;
        bc->ccp_conf.mppc = {true, true};
        bc->ccp_conf.e128 = {true, true};
        bool sl = stateless || (stateless_mask >> k & 1);
        bc->ccp_conf.stateless = {sl, sl};
        bool mppc = mppc_mask >> k & 1;
        bc->ccp_conf.mppc_compress = {mppc, mppc};
      }
      p.server = std::make_unique<Side>(loop_, std::move(d1), slc, sbc, *backend_, 10 + k);
      p.client = std::make_unique<Side>(loop_, std::move(d2), clc, cbc, *backend_, 100 + k);
      if (server_batched) p.server->batch = &server_batch_;
      if (client_batched) p.client->batch = &client_batch_;
      p.server->link->Open();
      p.client->link->Open();
      pairs_.push_back(std::move(p));
    }
    loop_.Advance(seconds(1));
    for (Pair& p : pairs_) {
      ASSERT_TRUE(p.server->up);
      ASSERT_TRUE(p.client->up);
      ASSERT_TRUE(p.server->bundle->encrypted());
      p.sif = p.server->ifaces.last;
      p.cif = p.client->ifaces.last;
    }
  }

  // `count` packets from every client, interleaved session by session,
  // all inside one loop turn; then the loop runs.
  void SendFromClients(size_t count, size_t size = 200, size_t first = 0) {
    for (size_t n = first; n < first + count; ++n) {
      for (size_t k = 0; k < pairs_.size(); ++k) {
        pairs_[k].cif->FromHost(bundle::IpFamily::kV4, V4Packet(k, n, size));
      }
    }
  }

  void ExpectDelivered(size_t count, size_t size = 200) {
    for (size_t k = 0; k < pairs_.size(); ++k) {
      const auto& got = pairs_[k].sif->delivered;
      ASSERT_EQ(got.size(), count) << "session " << k;
      for (size_t n = 0; n < count; ++n) {
        ASSERT_EQ(got[n].second, V4Packet(k, n, size)) << "session " << k << " packet " << n;
      }
    }
  }

  event::FakeLoop loop_;
  bundle::DataBatch server_batch_{loop_};
  bundle::DataBatch client_batch_{loop_};
  std::unique_ptr<aaa::InternalBackend> backend_;
  std::vector<Pair> pairs_;
};

TEST_F(DataBatchTest, StatefulSessionsCarryDataInOrderThroughKeyChanges) {
  Build(3, false);
  // 600 packets each: the stateful key changes at counts 255 and 511
  // (RFC 3078 §7.1) fall inside batches of several sessions.
  for (size_t round = 0; round < 10; ++round) {
    SendFromClients(60, 200, round * 60);
    // 180 packets came from the hosts in one turn: the batch flushed when
    // full and holds the rest until the turn ends.
    EXPECT_GT(client_batch_.waiting(), 0u);
    EXPECT_LE(client_batch_.waiting(), bundle::DataBatch::kMaxEntries);
    loop_.RunPending();
    EXPECT_EQ(client_batch_.waiting(), 0u);
    EXPECT_EQ(server_batch_.waiting(), 0u);
  }
  ExpectDelivered(600);
  for (Pair& p : pairs_) {
    EXPECT_EQ(p.server->bundle->counters().dropped, 0u);
    EXPECT_EQ(p.server->bundle->ccp()->counters().decode_errors, 0u);
    EXPECT_EQ(p.server->bundle->ccp()->counters().reset_requests_sent, 0u);
  }
}

TEST_F(DataBatchTest, StatelessSessionsCarryDataInOrder) {
  Build(3, true);
  SendFromClients(100, 1400);
  loop_.RunPending();
  ExpectDelivered(100, 1400);
  for (Pair& p : pairs_) EXPECT_EQ(p.server->bundle->ccp()->counters().decode_errors, 0u);
}

TEST_F(DataBatchTest, StatelessStatefulAndCompressedSessionsShareABatch) {
  // Session 0 stateful, 1 and 3 stateless (their key changes made by the
  // queue, in lockstep), 2 stateful with MPPC (enciphered at once): one
  // batch holds them all, through stateful key changes, both ways.
  Build(4, false, true, true, /*stateless_mask=*/0b1010, /*mppc_mask=*/0b0100);
  ASSERT_NE(pairs_[1].server->bundle->ccp()->summary().find("stateless"), std::string::npos);
  ASSERT_NE(pairs_[2].server->bundle->ccp()->summary().find("compress"), std::string::npos);
  for (size_t round = 0; round < 5; ++round) {
    SendFromClients(70, 300, round * 70);
    for (size_t k = 0; k < pairs_.size(); ++k) {
      for (size_t n = round * 70; n < round * 70 + 70; ++n) {
        pairs_[k].sif->FromHost(bundle::IpFamily::kV4, V4Packet(k, n, 300));
      }
    }
    loop_.RunPending();
  }
  ExpectDelivered(350, 300);
  for (size_t k = 0; k < pairs_.size(); ++k) {
    const auto& got = pairs_[k].cif->delivered;
    ASSERT_EQ(got.size(), 350u) << k;
    for (size_t n = 0; n < 350; ++n) ASSERT_EQ(got[n].second, V4Packet(k, n, 300)) << k;
    EXPECT_EQ(pairs_[k].server->bundle->ccp()->counters().decode_errors, 0u);
    EXPECT_EQ(pairs_[k].client->bundle->ccp()->counters().decode_errors, 0u);
  }
}

TEST_F(DataBatchTest, ReceivedPacketsWaitingWhenCcpClosesAreStillDelivered) {
  Build(1, false);
  Pair& p = pairs_[0];
  p.cif->FromHost(bundle::IpFamily::kV4, V4Packet(0, 0));
  client_batch_.Flush();  // the frame is on its way to the server
  // The frame reaches the server's batch; then the server closes CCP
  // before the batch is handed on: the packet was decrypted, so it goes up.
  while (server_batch_.waiting() == 0 && loop_.RunOne()) {
  }
  ASSERT_EQ(server_batch_.waiting(), 1u);
  ASSERT_TRUE(p.server->bundle->CloseNcp(bundle::Ncp::kCcp).ok());
  loop_.RunPending();
  ASSERT_EQ(p.sif->delivered.size(), 1u);
  EXPECT_EQ(p.sif->delivered[0].second, V4Packet(0, 0));
}

TEST_F(DataBatchTest, BatchedSideInteroperatesWithUnbatchedPeer) {
  // The server enciphers packet by packet, the client through its batch:
  // the wire is the same either way.
  Build(2, false, /*server_batched=*/false);
  SendFromClients(300);
  loop_.RunPending();
  ExpectDelivered(300);
  EXPECT_EQ(server_batch_.waiting(), 0u);
  // And back: server to client.
  for (size_t k = 0; k < pairs_.size(); ++k) {
    for (size_t n = 0; n < 300; ++n) pairs_[k].sif->FromHost(bundle::IpFamily::kV4, V4Packet(k, n));
  }
  EXPECT_EQ(server_batch_.waiting(), 0u);
  loop_.RunPending();
  for (size_t k = 0; k < pairs_.size(); ++k) {
    const auto& got = pairs_[k].cif->delivered;
    ASSERT_EQ(got.size(), 300u);
    for (size_t n = 0; n < 300; ++n) ASSERT_EQ(got[n].second, V4Packet(k, n));
  }
}

TEST_F(DataBatchTest, UnbatchedStacksAgreeWithBatchedOnes) {
  Build(2, false, false, false);
  SendFromClients(300);
  EXPECT_EQ(client_batch_.waiting(), 0u);
  loop_.RunPending();
  ExpectDelivered(300);
}

TEST_F(DataBatchTest, PacketsWaitUntilTheTurnEnds) {
  Build(2, false);
  pairs_[0].cif->FromHost(bundle::IpFamily::kV4, V4Packet(0, 0));
  pairs_[1].cif->FromHost(bundle::IpFamily::kV4, V4Packet(1, 0));
  EXPECT_EQ(client_batch_.waiting(), 2u);
  loop_.RunPending();
  EXPECT_EQ(client_batch_.waiting(), 0u);
  EXPECT_EQ(pairs_[0].sif->delivered.size(), 1u);
  EXPECT_EQ(pairs_[1].sif->delivered.size(), 1u);
}

TEST_F(DataBatchTest, DestroyedBundleLosesItsWaitingPackets) {
  Build(2, false);
  pairs_[0].cif->FromHost(bundle::IpFamily::kV4, V4Packet(0, 0));
  pairs_[1].cif->FromHost(bundle::IpFamily::kV4, V4Packet(1, 0));
  ASSERT_EQ(client_batch_.waiting(), 2u);
  // The bundle and its CCP go while their packet waits; the pass still
  // runs on the cipher the job holds (ASan would see a use after free).
  pairs_[0].client->bundle.reset();
  loop_.RunPending();
  EXPECT_EQ(pairs_[0].sif->delivered.size(), 0u);
  ASSERT_EQ(pairs_[1].sif->delivered.size(), 1u);
  EXPECT_EQ(pairs_[1].sif->delivered[0].second, V4Packet(1, 0));
}

TEST_F(DataBatchTest, PacketsWaitingWhenCcpClosesAreNotSent) {
  Build(1, false);
  Pair& p = pairs_[0];
  p.cif->FromHost(bundle::IpFamily::kV4, V4Packet(0, 0));
  ASSERT_EQ(client_batch_.waiting(), 1u);
  uint64_t dropped = p.client->bundle->counters().dropped;
  ASSERT_TRUE(p.client->bundle->CloseNcp(bundle::Ncp::kCcp).ok());
  ASSERT_FALSE(p.client->bundle->ccp()->opened());
  loop_.RunPending();
  EXPECT_EQ(p.sif->delivered.size(), 0u);
  EXPECT_EQ(p.client->bundle->counters().dropped, dropped + 1);
}

TEST_F(DataBatchTest, ReceivedPacketsWaitInTheBatchToo) {
  Build(2, false);
  SendFromClients(5);
  // Drain the client batch only; the frames reach the server side as posted
  // deliveries that queue there.
  client_batch_.Flush();
  size_t most = 0;
  while (loop_.RunOne()) most = std::max(most, server_batch_.waiting());
  // All ten frames reached the server in one turn: one batch.
  EXPECT_EQ(most, 10u);
  EXPECT_EQ(server_batch_.waiting(), 0u);
  ExpectDelivered(5);
}

}  // namespace
}  // namespace mlppp
