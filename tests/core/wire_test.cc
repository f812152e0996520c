#include "core/wire.h"

#include <gtest/gtest.h>

#include "core/packet.h"

namespace mlppp {
namespace {

TEST(WireReader, ReadsBigEndianAndFailsStickyOnShortRead) {
  const uint8_t bytes[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
  WireReader r(bytes);
  EXPECT_EQ(r.U16(), 0x1234);
  EXPECT_EQ(r.U16(), 0x5678);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.U16(), 0);  // only one byte left
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.U8(), 0);  // sticky
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(WireWriter, PatchesReservedLength) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.U8(1);
  size_t at = w.Reserve16();
  w.U32(0xdeadbeef);
  w.Patch16(at, static_cast<uint16_t>(w.size()));
  EXPECT_EQ(out, (std::vector<uint8_t>{1, 0, 7, 0xde, 0xad, 0xbe, 0xef}));
}

TEST(Packet, PrependAndPullWithoutLosingData) {
  const uint8_t payload[] = {1, 2, 3};
  Packet p = Packet::Copy(payload, 2);
  uint8_t* h = p.Prepend(4);  // more than the headroom: grows once
  h[0] = 9;
  EXPECT_EQ(p.size(), 7u);
  p.Pull(4);
  EXPECT_EQ(p.size(), 3u);
  EXPECT_EQ(p.data()[2], 3);
}

}  // namespace
}  // namespace mlppp
