#include "link/pptp/control_message.h"

#include <gtest/gtest.h>

#include <string>

namespace mlppp::link::pptp {
namespace {

using B = std::vector<uint8_t>;

// Appends s NUL-padded to n octets.
void Pad(B& b, std::string_view s, size_t n) {
  b.insert(b.end(), s.begin(), s.end());
  b.insert(b.end(), n - s.size(), 0);
}

TEST(ControlMessage, EncodesSccrqByteForByte) {
  StartCtrlConnRequest m;
  m.framing_capabilities = kFramingAsync;
  m.bearer_capabilities = kBearerAnalog;
  m.maximum_channels = 0;
  m.firmware_revision = 0x0001;
  m.host_name = "mpd";
  m.vendor_string = "mlpppd";
  // RFC 2637 §2.1.
  B want = {0x00, 0x9c,              // Length 156
            0x00, 0x01,              // PPTP Message Type: control
            0x1a, 0x2b, 0x3c, 0x4d,  // Magic Cookie
            0x00, 0x01,              // Control Message Type: SCCRQ
            0x00, 0x00,              // Reserved0
            0x01, 0x00,              // Protocol Version 1.0
            0x00, 0x00,              // Reserved1
            0x00, 0x00, 0x00, 0x01,  // Framing Capabilities: async
            0x00, 0x00, 0x00, 0x01,  // Bearer Capabilities: analog
            0x00, 0x00,              // Maximum Channels
            0x00, 0x01};             // Firmware Revision
  Pad(want, "mpd", 64);
  Pad(want, "mlpppd", 64);
  ASSERT_EQ(want.size(), 156u);
  EXPECT_EQ(Encode(m), want);

  ControlMessage back;
  ASSERT_EQ(Decode(want, &back), DecodeError::kOk);
  ASSERT_TRUE(std::holds_alternative<StartCtrlConnRequest>(back));
  EXPECT_EQ(std::get<StartCtrlConnRequest>(back), m);
  EXPECT_EQ(ControlTypeName(TypeOf(back)), "SCCRQ");
}

TEST(ControlMessage, EncodesOcrqByteForByte) {
  OutgoingCallRequest m;
  m.call_id = 0x1234;
  m.call_serial_number = 1;
  m.minimum_bps = 300;
  m.maximum_bps = 100000000;
  m.bearer_type = 3;
  m.framing_type = 3;
  m.packet_recv_window = 64;
  m.packet_processing_delay = 0;
  m.phone_number = "5551234";
  // RFC 2637 §2.7.
  B want = {0x00, 0xa8,              // Length 168
            0x00, 0x01,              // control
            0x1a, 0x2b, 0x3c, 0x4d,  // Magic Cookie
            0x00, 0x07,              // OCRQ
            0x00, 0x00,              // Reserved0
            0x12, 0x34,              // Call ID
            0x00, 0x01,              // Call Serial Number
            0x00, 0x00, 0x01, 0x2c,  // Minimum BPS 300
            0x05, 0xf5, 0xe1, 0x00,  // Maximum BPS 100,000,000
            0x00, 0x00, 0x00, 0x03,  // Bearer Type: any
            0x00, 0x00, 0x00, 0x03,  // Framing Type: any
            0x00, 0x40,              // Packet Recv. Window Size 64
            0x00, 0x00,              // Packet Processing Delay
            0x00, 0x07,              // Phone Number Length
            0x00, 0x00};             // Reserved1
  Pad(want, "5551234", 64);
  Pad(want, "", 64);
  ASSERT_EQ(want.size(), 168u);
  EXPECT_EQ(Encode(m), want);

  ControlMessage back;
  ASSERT_EQ(Decode(want, &back), DecodeError::kOk);
  EXPECT_EQ(std::get<OutgoingCallRequest>(back), m);
}

TEST(ControlMessage, EncodesEchoReplyAndCallClearByteForByte) {
  EXPECT_EQ(Encode(EchoReply{.identifier = 0xdeadbeef, .result_code = 1, .error_code = 0}),
            (B{0x00, 0x14, 0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x06,
               0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_EQ(Encode(CallClearRequest{.call_id = 0xabcd}),
            (B{0x00, 0x10, 0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d, 0x00, 0x0c, 0x00, 0x00, 0xab, 0xcd,
               0x00, 0x00}));
}

TEST(ControlMessage, FixedLengthsPerRfc) {
  // RFC 2637 §2.1-§2.15.
  const size_t want[] = {156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24};
  for (uint16_t t = 1; t <= 15; ++t) {
    EXPECT_EQ(MessageLength(static_cast<ControlType>(t)), want[t - 1]) << t;
  }
  EXPECT_EQ(MessageLength(static_cast<ControlType>(0)), 0u);
  EXPECT_EQ(MessageLength(static_cast<ControlType>(16)), 0u);
}

// One message of every type with every field away from its default.
std::vector<ControlMessage> OneOfEach() {
  return {
      StartCtrlConnRequest{0x0100, 3, 2, 7, 0x0102, "host", "vendor"},
      StartCtrlConnReply{0x0100, 1, 0, 1, 1, 4, 0x0600, "pac", "acme"},
      StopCtrlConnRequest{kStopReasonLocalShutdown},
      StopCtrlConnReply{2, 6},
      EchoRequest{0x01020304},
      EchoReply{0x05060708, 2, 4},
      OutgoingCallRequest{1, 2, 3, 4, 5, 6, 7, 8, "123", "sub"},
      OutgoingCallReply{9, 10, 1, 0, 11, 12, 13, 14, 15},
      IncomingCallRequest{16, 17, 18, 19, "dialed", "dialing", "sa"},
      IncomingCallReply{20, 21, 3, 5, 22, 23},
      IncomingCallConnected{24, 25, 26, 27, 2},
      CallClearRequest{28},
      CallDisconnectNotify{29, 4, 0, 30, "stats here"},
      WanErrorNotify{31, 32, 33, 34, 35, 36, 37},
      SetLinkInfo{38, 0x000a0000, 0xffffffff},
  };
}

TEST(ControlMessage, RoundTripsEveryType) {
  auto all = OneOfEach();
  ASSERT_EQ(all.size(), 15u);
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& m = all[i];
    EXPECT_EQ(static_cast<size_t>(TypeOf(m)), i + 1);
    B bytes = Encode(m);
    EXPECT_EQ(bytes.size(), MessageLength(TypeOf(m))) << ControlTypeName(TypeOf(m));
    ControlMessage back;
    ASSERT_EQ(Decode(bytes, &back), DecodeError::kOk) << ControlTypeName(TypeOf(m));
    EXPECT_EQ(back, m) << ControlTypeName(TypeOf(m));
  }
}

TEST(ControlMessage, StringsTruncateAndStopAtNul) {
  StartCtrlConnRequest m;
  m.host_name = std::string(70, 'h');
  m.vendor_string = "ab";
  B bytes = Encode(m);
  ASSERT_EQ(bytes.size(), 156u);
  EXPECT_EQ(bytes[28 + 63], 'h');  // the 64-octet field is full, no NUL
  EXPECT_EQ(bytes[28 + 64], 'a');  // and the vendor string follows it
  ControlMessage back;
  ASSERT_EQ(Decode(bytes, &back), DecodeError::kOk);
  EXPECT_EQ(std::get<StartCtrlConnRequest>(back).host_name, std::string(64, 'h'));

  // A field with bytes after the first NUL keeps only what precedes it.
  bytes[28 + 64 + 3] = 'z';
  ASSERT_EQ(Decode(bytes, &back), DecodeError::kOk);
  EXPECT_EQ(std::get<StartCtrlConnRequest>(back).vendor_string, "ab");

  // Phone Number Length counts what is sent, up to the field size.
  OutgoingCallRequest o;
  o.phone_number = std::string(80, '9');
  B ob = Encode(o);
  EXPECT_EQ(ob[36], 0);
  EXPECT_EQ(ob[37], 64);
}

TEST(ControlMessage, DecodeErrors) {
  B good = Encode(EchoRequest{7});
  ControlMessage out = CallClearRequest{99};

  EXPECT_EQ(Decode(B(good.begin(), good.begin() + 11), &out), DecodeError::kShortHeader);
  EXPECT_EQ(Decode({}, &out), DecodeError::kShortHeader);

  B extra = good;
  extra.push_back(0);
  EXPECT_EQ(Decode(extra, &out), DecodeError::kLengthMismatch);

  B bad = good;
  bad[3] = 2;  // management message
  EXPECT_EQ(Decode(bad, &out), DecodeError::kBadMessageType);

  bad = good;
  bad[7] = 0x4e;
  EXPECT_EQ(Decode(bad, &out), DecodeError::kBadMagic);

  bad = good;
  bad[9] = 0;
  EXPECT_EQ(Decode(bad, &out), DecodeError::kUnknownType);
  bad[9] = 16;
  EXPECT_EQ(Decode(bad, &out), DecodeError::kUnknownType);

  // An Echo-Request (16 octets) that claims 20: the length is consistent
  // with the bytes but not with the type.
  bad = good;
  bad[1] = 20;
  bad.insert(bad.end(), 4, 0);
  EXPECT_EQ(Decode(bad, &out), DecodeError::kBadLength);
  // A header-only message of a type that has a body.
  bad = B(good.begin(), good.begin() + 12);
  bad[1] = 12;
  EXPECT_EQ(Decode(bad, &out), DecodeError::kBadLength);

  // Errors leave the output untouched.
  EXPECT_EQ(std::get<CallClearRequest>(out).call_id, 99);
  EXPECT_EQ(DecodeErrorName(DecodeError::kBadMagic), "bad-magic-cookie");
}

TEST(Framer, SplitsAMessageAtEveryByteBoundary) {
  const B msg = Encode(OneOfEach()[8]);  // ICRQ, 220 octets
  for (size_t cut = 0; cut <= msg.size(); ++cut) {
    Framer f;
    B out;
    f.Feed(std::span(msg).first(cut));
    if (cut < msg.size()) {
      ASSERT_EQ(f.Next(&out), Framer::Status::kNeedMore) << cut;
      f.Feed(std::span(msg).subspan(cut));
    }
    ASSERT_EQ(f.Next(&out), Framer::Status::kMessage) << cut;
    EXPECT_EQ(out, msg);
    EXPECT_EQ(f.Next(&out), Framer::Status::kNeedMore);
    EXPECT_EQ(f.buffered(), 0u);
  }
}

TEST(Framer, ByteAtATime) {
  const B msg = Encode(OneOfEach()[0]);
  Framer f;
  B out;
  for (size_t i = 0; i + 1 < msg.size(); ++i) {
    f.Feed(std::span(msg).subspan(i, 1));
    ASSERT_EQ(f.Next(&out), Framer::Status::kNeedMore);
  }
  f.Feed(std::span(msg).last(1));
  ASSERT_EQ(f.Next(&out), Framer::Status::kMessage);
  EXPECT_EQ(out, msg);
}

TEST(Framer, TwoMessagesAndAHalfInOneRead) {
  const B a = Encode(EchoRequest{1});
  const B b = Encode(OneOfEach()[1]);
  const B c = Encode(CallClearRequest{5});
  B stream = a;
  stream.insert(stream.end(), b.begin(), b.end());
  stream.insert(stream.end(), c.begin(), c.begin() + 5);
  Framer f;
  f.Feed(stream);
  B out;
  ASSERT_EQ(f.Next(&out), Framer::Status::kMessage);
  EXPECT_EQ(out, a);
  ASSERT_EQ(f.Next(&out), Framer::Status::kMessage);
  EXPECT_EQ(out, b);
  EXPECT_EQ(f.Next(&out), Framer::Status::kNeedMore);
  EXPECT_EQ(f.buffered(), 5u);
  f.Feed(std::span(c).subspan(5));
  ASSERT_EQ(f.Next(&out), Framer::Status::kMessage);
  EXPECT_EQ(out, c);
  ControlMessage m;
  ASSERT_EQ(Decode(out, &m), DecodeError::kOk);
  EXPECT_EQ(std::get<CallClearRequest>(m).call_id, 5);
}

TEST(Framer, BadLengthIsFatalAndSticky) {
  for (uint16_t len : {0, 1, 11, 4097, 0xffff}) {
    Framer f;
    B bytes = Encode(EchoRequest{1});
    bytes[0] = static_cast<uint8_t>(len >> 8);
    bytes[1] = static_cast<uint8_t>(len);
    f.Feed(bytes);
    B out;
    EXPECT_EQ(f.Next(&out), Framer::Status::kFatal) << len;
    EXPECT_TRUE(f.failed());
    f.Feed(Encode(EchoRequest{2}));
    EXPECT_EQ(f.Next(&out), Framer::Status::kFatal);
    EXPECT_EQ(f.buffered(), 0u);
  }
  EXPECT_EQ(FramerStatusName(Framer::Status::kFatal), "bad-stream-length");
}

TEST(Framer, PassesAFramedButUndecodableMessageToDecode) {
  // Length 12..4096 frames fine; the decoder then rejects the contents.
  B junk(12, 0);
  junk[1] = 12;
  Framer f;
  f.Feed(junk);
  B out;
  ASSERT_EQ(f.Next(&out), Framer::Status::kMessage);
  ControlMessage m;
  EXPECT_EQ(Decode(out, &m), DecodeError::kBadMessageType);
}

TEST(ControlMessage, NameTables) {
  EXPECT_EQ(ControlTypeName(ControlType::kOutgoingCallReply), "OCRP");
  EXPECT_EQ(ControlTypeName(ControlType::kSetLinkInfo), "SLI");
  EXPECT_EQ(ControlTypeName(static_cast<ControlType>(99)), "unknown");
  EXPECT_EQ(ResultCodeName(ControlType::kStartCtrlConnReply, result::kSccrpBadVersion),
            "Protocol version not supported");
  EXPECT_EQ(ResultCodeName(ControlType::kOutgoingCallReply, result::kOcrpBusy), "Busy");
  EXPECT_EQ(ResultCodeName(ControlType::kIncomingCallReply, result::kIcrpDoNotAccept),
            "Do Not Accept");
  EXPECT_EQ(ResultCodeName(ControlType::kCallDisconnectNotify, result::kCdnAdminShutdown),
            "Admin Shutdown");
  EXPECT_EQ(ResultCodeName(ControlType::kEchoReply, 1), "OK");
  EXPECT_EQ(ResultCodeName(ControlType::kEchoReply, 0), "unknown");
  EXPECT_EQ(ResultCodeName(ControlType::kEchoReply, 3), "unknown");
  EXPECT_EQ(ResultCodeName(ControlType::kEchoRequest, 1), "unknown");
  EXPECT_EQ(GeneralErrorName(5), "Bad-Call ID");
  EXPECT_EQ(GeneralErrorName(7), "unknown");
  EXPECT_EQ(StopReasonName(kStopReasonProtocol), "Stop-Protocol");
}

}  // namespace
}  // namespace mlppp::link::pptp
