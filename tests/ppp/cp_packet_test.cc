#include "ppp/cp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace mlppp::ppp {
namespace {

using V = std::vector<uint8_t>;

TEST(ParseCpPacket, PppdConfigureRequest) {
  // pppd: ConfReq id 1, MRU 1492, Magic-Number 0x12345678.
  V wire = {0x01, 0x01, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78};
  auto p = ParseCpPacket(wire);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 1);
  EXPECT_EQ(p->id, 1);
  EXPECT_EQ(p->data.size(), 10u);
  auto opts = ParseOptions(p->data);
  ASSERT_TRUE(opts);
  ASSERT_EQ(opts->size(), 2u);
  EXPECT_EQ((*opts)[0], (CpOption{1, {0x05, 0xd4}}));
  EXPECT_EQ((*opts)[1], (CpOption{5, {0x12, 0x34, 0x56, 0x78}}));
  EXPECT_EQ(SerializeOptions(*opts), V(wire.begin() + 4, wire.end()));
  Packet back = SerializeCpPacket(*p);
  EXPECT_EQ(V(back.span().begin(), back.span().end()), wire);
}

TEST(ParseCpPacket, DropsPaddingBeyondLength) {  // RFC 1661 §5
  auto p = ParseCpPacket(V{0x09, 0x07, 0x00, 0x08, 1, 2, 3, 4, 0xee, 0xee});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->code, 9);
  EXPECT_EQ(p->id, 7);
  EXPECT_EQ(p->data, (V{1, 2, 3, 4}));
}

TEST(ParseCpPacket, RejectsBadLengths) {
  EXPECT_FALSE(ParseCpPacket(V{}));
  EXPECT_FALSE(ParseCpPacket(V{0x01, 0x01, 0x00}));
  EXPECT_FALSE(ParseCpPacket(V{0x01, 0x01, 0x00, 0x03}));        // Length < 4
  EXPECT_FALSE(ParseCpPacket(V{0x01, 0x01, 0x00, 0x06, 0x01}));  // Length past the end
  auto empty = ParseCpPacket(V{0x06, 0x02, 0x00, 0x04});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->data.empty());
}

TEST(ParseOptions, RejectsShortAndOverrunningOptions) {
  EXPECT_FALSE(ParseOptions(V{0x07, 0x01}));          // length < 2
  EXPECT_FALSE(ParseOptions(V{0x01, 0x04, 0x05}));    // runs past the end
  EXPECT_FALSE(ParseOptions(V{0x07, 0x02, 0x08}));    // lone type octet
  auto ok = ParseOptions(V{0x07, 0x02, 0x08, 0x02});  // PFC, ACFC
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 2u);
  auto none = ParseOptions(V{});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(SerializeOptions, ChapMd5AuthProtocol) {
  std::vector<CpOption> opts = {{3, {0xc2, 0x23, 0x05}}};
  EXPECT_EQ(SerializeOptions(opts), (V{0x03, 0x05, 0xc2, 0x23, 0x05}));
}

TEST(SerializeCpPacket, WritesLength) {
  CpPacket p{5, 0x22, {}};
  Packet out = SerializeCpPacket(p);
  EXPECT_EQ(V(out.span().begin(), out.span().end()), (V{0x05, 0x22, 0x00, 0x04}));
}

}  // namespace
}  // namespace mlppp::ppp
