#include "link/l2tp/header.h"

#include <gtest/gtest.h>

namespace mlppp::link::l2tp {
namespace {

using B = std::vector<uint8_t>;

B Payload(const ParsedHeader& p) { return B(p.payload.begin(), p.payload.end()); }

TEST(L2tpHeader, ParsesControlZlb) {
  // §3.1: T=1 L=1 S=1 Ver=2, Length 12, tunnel 1, session 0, Ns 3, Nr 5.
  const B msg = {0xc8, 0x02, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x05};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_TRUE(p.header.control);
  EXPECT_TRUE(p.header.has_length);
  EXPECT_TRUE(p.header.has_sequence);
  EXPECT_FALSE(p.header.has_offset);
  EXPECT_EQ(p.header.length, 12);
  EXPECT_EQ(p.header.tunnel_id, 1);
  EXPECT_EQ(p.header.session_id, 0);
  EXPECT_EQ(p.header.ns, 3);
  EXPECT_EQ(p.header.nr, 5);
  EXPECT_TRUE(p.payload.empty());
  EXPECT_EQ(p.payload_offset, 12u);

  B out;
  ASSERT_EQ(BuildMessage(ControlHeader(1, 0, 3, 5), {}, &out), HeaderError::kOk);
  EXPECT_EQ(out, msg);
}

TEST(L2tpHeader, ControlWithBodyAndTrailingBytes) {
  const B msg = {0xc8, 0x02, 0x00, 0x0e, 0x12, 0x34, 0x56, 0x78,
                 0x00, 0x00, 0x00, 0x01, 0xaa, 0xbb, 0xee, 0xee};  // 2 bytes beyond Length
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_EQ(p.header.tunnel_id, 0x1234);
  EXPECT_EQ(p.header.session_id, 0x5678);
  EXPECT_EQ(p.header.nr, 1);
  EXPECT_EQ(Payload(p), B({0xaa, 0xbb}));
  B out;
  const B body = {0xaa, 0xbb};
  ASSERT_EQ(BuildMessage(ControlHeader(0x1234, 0x5678, 0, 1), body, &out), HeaderError::kOk);
  EXPECT_EQ(out, B(msg.begin(), msg.end() - 2));
}

TEST(L2tpHeader, DataMinimal) {
  // No L, no S: flags 0x0002, tunnel 7, session 9, then the PPP frame.
  const B msg = {0x00, 0x02, 0x00, 0x07, 0x00, 0x09, 0xff, 0x03, 0xc0, 0x21};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_FALSE(p.header.control);
  EXPECT_FALSE(p.header.has_length);
  EXPECT_FALSE(p.header.has_sequence);
  EXPECT_EQ(p.header.tunnel_id, 7);
  EXPECT_EQ(p.header.session_id, 9);
  EXPECT_EQ(Payload(p), B({0xff, 0x03, 0xc0, 0x21}));
  EXPECT_EQ(p.payload_offset, 6u);

  Packet frame = Packet::Copy(B{0xff, 0x03, 0xc0, 0x21});
  ASSERT_EQ(PrependHeader(DataHeader(7, 9, false), frame), HeaderError::kOk);
  EXPECT_EQ(B(frame.span().begin(), frame.span().end()), msg);
}

TEST(L2tpHeader, DataWithLength) {
  // mpd5 `enable length`: L=1, Length 10; Ethernet-style trailing pad ignored.
  const B msg = {0x40, 0x02, 0x00, 0x0a, 0x00, 0x07, 0x00, 0x09, 0xc0, 0x21, 0x00, 0x00};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_TRUE(p.header.has_length);
  EXPECT_EQ(p.header.length, 10);
  EXPECT_EQ(Payload(p), B({0xc0, 0x21}));

  Packet frame = Packet::Copy(B{0xc0, 0x21});
  ASSERT_EQ(PrependHeader(DataHeader(7, 9, true), frame), HeaderError::kOk);
  EXPECT_EQ(B(frame.span().begin(), frame.span().end()), B(msg.begin(), msg.end() - 2));
}

TEST(L2tpHeader, DataWithSequence) {
  // mpd5 `dataseq`: S=1 with Ns 1, Nr 2 (§5.4).
  const B msg = {0x08, 0x02, 0x00, 0x07, 0x00, 0x09, 0x00, 0x01, 0x00, 0x02, 0x21, 0x45};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_TRUE(p.header.has_sequence);
  EXPECT_EQ(p.header.ns, 1);
  EXPECT_EQ(p.header.nr, 2);
  EXPECT_EQ(Payload(p), B({0x21, 0x45}));
  B out;
  const B ppp = {0x21, 0x45};
  ASSERT_EQ(BuildMessage(DataHeader(7, 9, false, true, 1, 2), ppp, &out), HeaderError::kOk);
  EXPECT_EQ(out, msg);
}

TEST(L2tpHeader, DataWithLengthSequenceOffsetAndPriority) {
  // L, S, O, P all set; Offset Size 3 with padding aa bb cc, Length 19.
  const B msg = {0x4b, 0x02, 0x00, 0x13, 0x00, 0x07, 0x00, 0x09, 0x00, 0x04,
                 0x00, 0x05, 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0xc0, 0x21};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_TRUE(p.header.has_offset);
  EXPECT_TRUE(p.header.priority);
  EXPECT_EQ(p.header.offset_size, 3);
  EXPECT_EQ(p.header.ns, 4);
  EXPECT_EQ(p.header.nr, 5);
  EXPECT_EQ(p.payload_offset, 17u);
  EXPECT_EQ(Payload(p), B({0xc0, 0x21}));
  EXPECT_EQ(HeaderSize(p.header), 17u);

  // Encoding zero-fills the padding.
  B out;
  const B ppp = {0xc0, 0x21};
  ASSERT_EQ(BuildMessage(p.header, ppp, &out), HeaderError::kOk);
  B want = msg;
  want[14] = want[15] = want[16] = 0;
  EXPECT_EQ(out, want);
}

TEST(L2tpHeader, ReservedBitsIgnored) {
  // §3.1: x bits are ignored on receipt (0x3000 and 0x00f0 here).
  const B msg = {0x30, 0xf2, 0x00, 0x07, 0x00, 0x09, 0x01};
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(msg, &p), HeaderError::kOk);
  EXPECT_FALSE(p.header.control);
  EXPECT_EQ(Payload(p), B({0x01}));
}

TEST(L2tpHeader, Errors) {
  ParsedHeader p;
  EXPECT_EQ(ParseHeader(B{}, &p), HeaderError::kShort);
  EXPECT_EQ(ParseHeader(B{0xc8}, &p), HeaderError::kShort);
  EXPECT_EQ(ParseHeader(B({0xc8, 0x02, 0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00}), &p),
            HeaderError::kShort);
  EXPECT_EQ(ParseHeader(B({0x00, 0x02, 0x00, 0x07, 0x00}), &p), HeaderError::kShort);
  // Versions.
  EXPECT_EQ(ParseHeader(B({0xc8, 0x03, 0x00, 0x0c, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kVersionL2TPv3);
  EXPECT_EQ(ParseHeader(B({0xc8, 0x01, 0x00, 0x0c, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kVersionL2F);
  EXPECT_EQ(ParseHeader(B({0xc8, 0x00, 0x00, 0x0c, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kBadVersion);
  // Control flags: T without S, T without L, T with O, T with P.
  EXPECT_EQ(ParseHeader(B({0xc0, 0x02, 0x00, 0x08, 0, 1, 0, 0}), &p),
            HeaderError::kBadControlFlags);
  EXPECT_EQ(ParseHeader(B({0x88, 0x02, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kBadControlFlags);
  EXPECT_EQ(ParseHeader(B({0xca, 0x02, 0x00, 0x0e, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kBadControlFlags);
  EXPECT_EQ(ParseHeader(B({0xc9, 0x02, 0x00, 0x0c, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kBadControlFlags);
  // Length beyond the datagram, and Length ending inside the header.
  EXPECT_EQ(ParseHeader(B({0xc8, 0x02, 0x00, 0x0d, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kLengthOverrun);
  EXPECT_EQ(ParseHeader(B({0xc8, 0x02, 0x00, 0x0b, 0, 1, 0, 0, 0, 0, 0, 0}), &p),
            HeaderError::kLengthTooShort);
  // Offset padding beyond the datagram; and beyond Length though the
  // datagram is long enough.
  EXPECT_EQ(ParseHeader(B({0x02, 0x02, 0, 7, 0, 9, 0x00, 0x04, 0xaa, 0xbb}), &p),
            HeaderError::kOffsetOverrun);
  EXPECT_EQ(
      ParseHeader(B({0x42, 0x02, 0x00, 0x0b, 0, 7, 0, 9, 0x00, 0x04, 0xaa, 0xbb, 0xcc, 0xdd}), &p),
      HeaderError::kOffsetOverrun);
  EXPECT_EQ(HeaderErrorName(HeaderError::kVersionL2TPv3), "version-3-l2tpv3");
}

TEST(L2tpHeader, EncodeTooLarge) {
  B big(0xffff - 11, 0);
  B out;
  EXPECT_EQ(BuildMessage(ControlHeader(1, 0, 0, 0), big, &out), HeaderError::kTooLarge);
  big.pop_back();
  EXPECT_EQ(BuildMessage(ControlHeader(1, 0, 0, 0), big, &out), HeaderError::kOk);
  EXPECT_EQ(out.size(), 0xffffu);
  // Without L there is no Length field to overflow.
  Packet frame = Packet::Copy(B(0xffff, 0));
  EXPECT_EQ(PrependHeader(DataHeader(1, 1, true), frame), HeaderError::kTooLarge);
  EXPECT_EQ(frame.size(), 0xffffu);
  EXPECT_EQ(PrependHeader(DataHeader(1, 1, false), frame), HeaderError::kOk);
  EXPECT_EQ(frame.size(), 0xffffu + 6);
}

}  // namespace
}  // namespace mlppp::link::l2tp
