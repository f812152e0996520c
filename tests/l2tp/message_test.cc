#include "link/l2tp/message.h"

#include <gtest/gtest.h>

#include <string_view>

namespace mlppp::link::l2tp {
namespace {

using B = std::vector<uint8_t>;

B Cat(std::initializer_list<B> parts) {
  B out;
  for (const B& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// An AVP with the given M bit, for the error-path tests (the main vectors
// below are written out octet by octet).
B A(bool m, uint16_t type, B value, uint16_t vendor = 0, uint16_t extra_bits = 0) {
  uint16_t bits = static_cast<uint16_t>(6 + value.size()) | extra_bits;
  if (m) bits |= kAvpMandatory;
  // Built by push_back: g++ 12 -O2 misreads an insert after a 6-octet
  // initializer list as out of bounds (-Warray-bounds).
  B out;
  out.reserve(6 + value.size());
  for (uint16_t v : {bits, vendor, type}) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
  }
  for (uint8_t b : value) out.push_back(b);
  return out;
}
B Mt(uint16_t t) { return A(true, 0, {static_cast<uint8_t>(t >> 8), static_cast<uint8_t>(t)}); }

RandomFill Counting() {
  return [](std::span<uint8_t> out) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i);
  };
}

// §6.1 SCCRQ with every AVP it may carry, in §6.1 order, M bits per §4.4,
// plus a vendor AVP without M that must be ignored.
const B kSccrq = {
    0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,                 // Message Type 1
    0x80, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00,                 // Protocol Version 1.0
    0x80, 0x09, 0x00, 0x00, 0x00, 0x07, 'l',  'n',  's',            // Host Name "lns"
    0x80, 0x0a, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,     // Framing Caps: sync
    0x80, 0x08, 0x00, 0x00, 0x00, 0x09, 0x00, 0x2a,                 // Assigned Tunnel ID 42
    0x80, 0x0a, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02,     // Bearer Caps: analog
    0x80, 0x08, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x10,                 // Receive Window 16
    0x80, 0x0a, 0x00, 0x00, 0x00, 0x0b, 0xde, 0xad, 0xbe, 0xef,     // Challenge
    0x00, 0x0e, 0x00, 0x00, 0x00, 0x05, 1,    2,    3,    4,    5,  // Tie Breaker...
    6,    7,    8,                                                  // ...8 octets
    0x00, 0x08, 0x00, 0x00, 0x00, 0x06, 0x01, 0x00,                 // Firmware Revision
    0x00, 0x0a, 0x00, 0x00, 0x00, 0x08, 'm',  'p',  'd',  '5',      // Vendor Name "mpd5"
    0x00, 0x08, 0x01, 0x37, 0x00, 0x01, 0xaa, 0xbb,                 // vendor 311 type 1
};

TEST(L2tpMessage, DecodesFullSccrqFieldByField) {
  ControlMessage m;
  DecodeResult r = DecodeControl(kSccrq, nullptr, &m);
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_EQ(r.message_type, 1);
  EXPECT_EQ(m.type, MessageType::kSCCRQ);
  ASSERT_TRUE(m.protocol_version);
  EXPECT_EQ(m.protocol_version->version, 1);
  EXPECT_EQ(m.protocol_version->revision, 0);
  EXPECT_EQ(m.host_name, "lns");
  EXPECT_EQ(m.framing_capabilities, kFramingSync);
  EXPECT_EQ(m.assigned_tunnel_id, 42);
  EXPECT_EQ(m.bearer_capabilities, kBearerAnalog);
  EXPECT_EQ(m.receive_window_size, 16);
  EXPECT_EQ(m.challenge, B({0xde, 0xad, 0xbe, 0xef}));
  EXPECT_EQ(m.tie_breaker, 0x0102030405060708u);
  EXPECT_EQ(m.firmware_revision, 0x0100);
  EXPECT_EQ(m.vendor_name, "mpd5");
  ASSERT_EQ(m.unknown.size(), 1u);
  EXPECT_EQ(m.unknown[0].vendor_id, 311);
  EXPECT_EQ(m.unknown[0].type, 1);
  EXPECT_FALSE(m.assigned_session_id);
  EXPECT_FALSE(m.challenge_response);

  // Same order and M bits on the way out: identical bytes.
  auto enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_TRUE(enc.ok()) << enc.error();
  EXPECT_EQ(*enc, kSccrq);
}

TEST(L2tpMessage, DecodesXl2tpdSccrq) {
  // A whole datagram as xl2tpd 1.3 builds its SCCRQ (avpsend.c sets M on
  // every AVP, Firmware and Vendor Name included): header, then Message
  // Type, Protocol Version, Framing Caps, Bearer Caps, Firmware Revision,
  // Host Name, Vendor Name, Assigned Tunnel ID, Receive Window Size.
  const B datagram = {
      0xc8, 0x02, 0x00, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // Length 101
      0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,                          // SCCRQ
      0x80, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00,                          // 1.0
      0x80, 0x0a, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03,              // async|sync
      0x80, 0x0a, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,              // no bearer
      0x80, 0x08, 0x00, 0x00, 0x00, 0x06, 0x06, 0x90,                          // firmware
      0x80, 0x0a, 0x00, 0x00, 0x00, 0x07, 'l',  'a',  'c',  '1',               // "lac1"
      0x80, 0x13, 0x00, 0x00, 0x00, 0x08, 'x',  'e',  'l',  'e',  'r',  'a',
      'n',  'c',  'e',  '.',  'c',  'o',  'm',         // vendor
      0x80, 0x08, 0x00, 0x00, 0x00, 0x09, 0x04, 0xd2,  // tunnel 1234
      0x80, 0x08, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x04,  // window 4
  };
  ASSERT_EQ(datagram.size(), 101u);
  ParsedHeader p;
  ASSERT_EQ(ParseHeader(datagram, &p), HeaderError::kOk);
  EXPECT_TRUE(p.header.control);
  EXPECT_EQ(p.header.tunnel_id, 0);
  EXPECT_EQ(p.payload.size(), 89u);
  ControlMessage m;
  DecodeResult r = DecodeControl(p.payload, nullptr, &m);
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_EQ(m.type, MessageType::kSCCRQ);
  EXPECT_EQ(m.protocol_version, (ProtocolVersion{1, 0}));
  EXPECT_EQ(m.framing_capabilities, kFramingSync | kFramingAsync);
  EXPECT_EQ(m.bearer_capabilities, 0u);
  EXPECT_EQ(m.firmware_revision, 0x0690);
  EXPECT_EQ(m.host_name, "lac1");
  EXPECT_EQ(m.vendor_name, "xelerance.com");
  EXPECT_EQ(m.assigned_tunnel_id, 1234);
  EXPECT_EQ(m.receive_window_size, 4);
  EXPECT_FALSE(m.challenge);
  EXPECT_TRUE(m.unknown.empty());
}

// §4.3 vector computed independently with python3 hashlib: secret
// "secret", Random Vector 00..0f; Assigned Session ID 0x1234 hides to
// 3b5bf16b, Call Serial Number 7 to 1f8899e5794c.
const B kHiddenIcrq = {
    0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a,                          // ICRQ
    0x80, 0x16, 0x00, 0x00, 0x00, 0x24, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,  // Random
    0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,              // Vector
    0xc0, 0x0a, 0x00, 0x00, 0x00, 0x0e, 0x3b, 0x5b, 0xf1, 0x6b,              // M|H Session ID
    0xc0, 0x0c, 0x00, 0x00, 0x00, 0x0f, 0x1f, 0x88, 0x99, 0xe5, 0x79, 0x4c,  // M|H Serial
};

TEST(L2tpMessage, DecodesHiddenAvps) {
  HidingContext hide{"secret", false};
  ControlMessage m;
  DecodeResult r = DecodeControl(kHiddenIcrq, &hide, &m);
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_EQ(m.type, MessageType::kICRQ);
  EXPECT_EQ(m.assigned_session_id, 0x1234);
  EXPECT_EQ(m.call_serial_number, 7u);
}

TEST(L2tpMessage, EncodesHiddenAvpsToTheVector) {
  ControlMessage m;
  m.type = MessageType::kICRQ;
  m.assigned_session_id = 0x1234;
  m.call_serial_number = 7;
  HidingContext hide{"secret", true};
  auto enc = EncodeControl(m, &hide, Counting());
  ASSERT_TRUE(enc.ok()) << enc.error();
  EXPECT_EQ(*enc, kHiddenIcrq);
  // Without hide_outgoing the same context only unhides.
  hide.hide_outgoing = false;
  enc = EncodeControl(m, &hide, Counting());
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, Cat({Mt(10), A(true, 14, {0x12, 0x34}), A(true, 15, {0, 0, 0, 7})}));
}

TEST(L2tpMessage, HiddenAvpErrors) {
  ControlMessage m;
  // No secret: a hidden mandatory AVP cannot be read.
  DecodeResult r = DecodeControl(kHiddenIcrq, nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kHiddenNoSecret);
  EXPECT_EQ(r.avp_type, 14);
  EXPECT_EQ(r.teardown, Teardown::kSession);
  // Wrong secret: the recovered Original Length is nonsense.
  HidingContext wrong{"wrong", false};
  r = DecodeControl(kHiddenIcrq, &wrong, &m);
  EXPECT_EQ(r.error, DecodeError::kBadHiddenAvp);
  EXPECT_EQ(r.avp_error, AvpError::kHiddenBadLength);
  // Hidden AVP before any Random Vector.
  HidingContext hide{"secret", false};
  const B no_rv = Cat(
      {Mt(10), A(true, 14, {0x3b, 0x5b, 0xf1, 0x6b}, 0, kAvpHidden), A(true, 15, {0, 0, 0, 7})});
  r = DecodeControl(no_rv, &hide, &m);
  EXPECT_EQ(r.error, DecodeError::kHiddenNoRandomVector);
  // A hidden AVP without M that cannot be read is ignored.
  const B optional_hidden = Cat({Mt(10), A(true, 14, {0, 1}), A(true, 15, {0, 0, 0, 7}),
                                 A(false, 25, {1, 2, 3, 4, 5, 6}, 0, kAvpHidden)});
  r = DecodeControl(optional_hidden, nullptr, &m);
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_FALSE(m.physical_channel_id);
  // A hidden Random Vector is malformed.
  const B hidden_rv = Cat({Mt(10), A(true, 36, {1, 2, 3, 4}, 0, kAvpHidden)});
  r = DecodeControl(hidden_rv, &hide, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvpValue);
}

TEST(L2tpMessage, LatestRandomVectorIsUsed) {
  // §4.3: a second Random Vector applies to the hidden AVPs after it.
  const B rv0(16, 0x55);
  B rv1(16);
  for (size_t i = 0; i < 16; ++i) rv1[i] = static_cast<uint8_t>(i);
  const B body =
      Cat({Mt(10), A(true, 36, rv0), A(true, 36, rv1),
           A(true, 14, {0x3b, 0x5b, 0xf1, 0x6b}, 0, kAvpHidden), A(true, 15, {0, 0, 0, 9})});
  HidingContext hide{"secret", false};
  ControlMessage m;
  ASSERT_TRUE(DecodeControl(body, &hide, &m).ok());
  EXPECT_EQ(m.assigned_session_id, 0x1234);
}

TEST(L2tpMessage, StructuralErrors) {
  ControlMessage m;
  // Empty body: a ZLB, nothing to tear down.
  DecodeResult r = DecodeControl(B{}, nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kEmpty);
  EXPECT_EQ(r.teardown, Teardown::kNone);
  // First AVP is not Message Type (§4.4.1).
  r = DecodeControl(Cat({A(true, 7, {'h'}), Mt(1)}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kNoMessageType);
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
  // Message Type of the wrong size, or hidden.
  r = DecodeControl(A(true, 0, {0, 0, 1}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kNoMessageType);
  r = DecodeControl(A(true, 0, {0, 6}, 0, kAvpHidden), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kNoMessageType);
  // AVP Length < 6 after a good Message Type in a session message.
  r = DecodeControl(Cat({Mt(14), B{0x80, 0x05, 0, 0, 0, 1}}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvp);
  EXPECT_EQ(r.avp_error, AvpError::kBadLength);
  EXPECT_EQ(r.message_type, 14);
  EXPECT_EQ(r.teardown, Teardown::kSession);
  // AVP running past the body.
  r = DecodeControl(Cat({Mt(6), B{0x80, 0x0a, 0, 0, 0, 7, 'a'}}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvp);
  EXPECT_EQ(r.avp_error, AvpError::kOverrun);
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
  // Broken first AVP.
  r = DecodeControl(B{0x80, 0x04, 0, 0, 0, 0}, nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvp);
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
}

TEST(L2tpMessage, UnknownMessageType) {
  ControlMessage m;
  // §4.4.1: with M set the tunnel is cleared; without, ignored.
  DecodeResult r = DecodeControl(Mt(5), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMessageType);
  EXPECT_EQ(r.message_type, 5);
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
  r = DecodeControl(A(false, 0, {0, 99}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMessageType);
  EXPECT_EQ(r.teardown, Teardown::kNone);
}

TEST(L2tpMessage, UnknownMandatoryAvp) {
  ControlMessage m;
  // §4.1: in a session message (ICRQ) the session goes...
  const B icrq = Cat({Mt(10), A(true, 14, {0, 1}), A(true, 15, {0, 0, 0, 1}), A(true, 99, {1})});
  DecodeResult r = DecodeControl(icrq, nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMandatoryAvp);
  EXPECT_EQ(r.avp_type, 99);
  EXPECT_EQ(r.teardown, Teardown::kSession);
  EXPECT_EQ(r.error_code, ErrorCode::kUnknownMandatoryAvp);
  EXPECT_NE(r.Describe().find("ICRQ"), std::string::npos);
  // ...in a tunnel message (HELLO) the tunnel.
  r = DecodeControl(Cat({Mt(6), A(true, 99, {})}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMandatoryAvp);
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
  // A vendor AVP with M is just as unknown.
  r = DecodeControl(Cat({Mt(6), A(true, 7, {'x'}, 9)}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMandatoryAvp);
  EXPECT_EQ(r.avp_vendor, 9);
  // §4.1: a reserved bit makes even a known AVP unrecognized.
  r = DecodeControl(Cat({Mt(6), A(true, 7, {'x'}, 0, 0x0400)}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kUnknownMandatoryAvp);
  // Without M: ignored, kept in `unknown`.
  r = DecodeControl(Cat({Mt(6), A(false, 99, {1}), A(false, 7, {'x'}, 0, 0x0400)}), nullptr, &m);
  ASSERT_TRUE(r.ok()) << r.Describe();
  EXPECT_EQ(m.unknown.size(), 2u);
  // The draft-era Packet Processing Delay (20) with M is tolerated.
  r = DecodeControl(Cat({Mt(11), A(true, 14, {0, 1}), A(true, 20, {0, 0})}), nullptr, &m);
  EXPECT_TRUE(r.ok()) << r.Describe();
}

TEST(L2tpMessage, MissingMandatoryAvp) {
  ControlMessage m;
  // §6.1: SCCRQ without Host Name.
  const B sccrq = Cat({Mt(1), A(true, 2, {1, 0}), A(true, 3, {0, 0, 0, 3}), A(true, 9, {0, 5})});
  DecodeResult r = DecodeControl(sccrq, nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kMissingMandatoryAvp);
  EXPECT_EQ(r.avp_type, static_cast<uint16_t>(AvpType::kHostName));
  EXPECT_EQ(r.teardown, Teardown::kTunnel);
  // §6.12: CDN without Assigned Session ID.
  r = DecodeControl(Cat({Mt(14), A(true, 1, {0, 3})}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kMissingMandatoryAvp);
  EXPECT_EQ(r.avp_type, 14);
  EXPECT_EQ(r.teardown, Teardown::kSession);
  // §6.13/§6.14: WEN and SLI without their one AVP.
  EXPECT_EQ(DecodeControl(Mt(15), nullptr, &m).error, DecodeError::kMissingMandatoryAvp);
  EXPECT_EQ(DecodeControl(Mt(16), nullptr, &m).error, DecodeError::kMissingMandatoryAvp);
  // HELLO and SCCCN need nothing else.
  EXPECT_TRUE(DecodeControl(Mt(6), nullptr, &m).ok());
  EXPECT_TRUE(DecodeControl(Mt(3), nullptr, &m).ok());
}

TEST(L2tpMessage, BadValues) {
  ControlMessage m;
  // Assigned Tunnel ID of 3 octets.
  DecodeResult r =
      DecodeControl(Cat({Mt(4), A(true, 9, {0, 1, 2}), A(true, 1, {0, 1})}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvpLength);
  EXPECT_EQ(r.avp_type, 9);
  EXPECT_EQ(r.error_code, ErrorCode::kBadLength);
  // Result Code of 3 octets (§4.4.2: 2, or 4 and more).
  r = DecodeControl(Cat({Mt(4), A(true, 9, {0, 1}), A(true, 1, {0, 1, 0})}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvpValue);
  // Challenge Response must be 16 octets; Sequencing Required empty.
  r = DecodeControl(Cat({Mt(3), A(true, 13, B(15, 1))}), nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvpLength);
  r = DecodeControl(
      Cat({Mt(12), A(true, 24, {0, 0, 0, 1}), A(true, 19, {0, 0, 0, 1}), A(true, 39, {1})}),
      nullptr, &m);
  EXPECT_EQ(r.error, DecodeError::kBadAvpLength);
}

TEST(L2tpMessage, StopCcnAndCdnResultCodes) {
  ControlMessage m;
  // StopCCN: tunnel 5, Result 6 (shutting down), error 0, message "bye".
  const B stop = {0x80, 0x08, 0,    0, 0, 0x00, 0x00, 0x04, 0x80, 0x08, 0,    0,   0,   0x09, 0x00,
                  0x05, 0x80, 0x0d, 0, 0, 0,    0x01, 0x00, 0x06, 0x00, 0x00, 'b', 'y', 'e'};
  ASSERT_TRUE(DecodeControl(stop, nullptr, &m).ok());
  EXPECT_EQ(m.type, MessageType::kStopCCN);
  EXPECT_EQ(m.assigned_tunnel_id, 5);
  ASSERT_TRUE(m.result_code);
  EXPECT_EQ(m.result_code->result, 6);
  EXPECT_EQ(m.result_code->error, 0);
  EXPECT_EQ(m.result_code->message, "bye");
  EXPECT_EQ(StopCcnResultName(m.result_code->result), "shutting-down");
  auto enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, stop);
  // CDN with a bare 2-octet Result Code and a Q.931 cause.
  const B cdn = Cat({Mt(14), A(true, 1, {0x00, 0x03}), A(true, 14, {0x00, 0x07}),
                     A(true, 12, {0x00, 0x10, 0x05, 'n', 'o'})});
  ASSERT_TRUE(DecodeControl(cdn, nullptr, &m).ok());
  EXPECT_EQ(m.result_code, (ResultCode{3, std::nullopt, ""}));
  EXPECT_EQ(m.assigned_session_id, 7);
  EXPECT_EQ(m.q931_cause, (Q931Cause{16, 5, "no"}));
  EXPECT_EQ(CdnResultName(3), "administrative");
  enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, cdn);
}

TEST(L2tpMessage, WenAndSliLayouts) {
  ControlMessage m;
  // §6.13 WEN: reserved(2) + six 32-bit counters.
  const B wen = Cat({Mt(15), A(true, 34, {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0,
                                          3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6})});
  ASSERT_TRUE(DecodeControl(wen, nullptr, &m).ok());
  EXPECT_EQ(m.call_errors, (CallErrors{1, 2, 3, 4, 5, 6}));
  // §6.14 SLI: reserved(2) + send ACCM + receive ACCM.
  const B sli = Cat({Mt(16), A(true, 35, {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})});
  ASSERT_TRUE(DecodeControl(sli, nullptr, &m).ok());
  EXPECT_EQ(m.accm, (Accm{0, 0xffffffff}));
  auto enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, sli);
}

TEST(L2tpMessage, DuplicateAvpFirstWins) {
  ControlMessage m;
  const B icrp = Cat({Mt(11), A(true, 14, {0, 1}), A(true, 14, {0, 2})});
  ASSERT_TRUE(DecodeControl(icrp, nullptr, &m).ok());
  EXPECT_EQ(m.assigned_session_id, 1);
}

// One message of each type with every field it carries set.
ControlMessage Full(MessageType t) {
  ControlMessage m;
  m.type = t;
  switch (t) {
    case MessageType::kSCCRQ:
    case MessageType::kSCCRP:
      m.protocol_version = ProtocolVersion{1, 0};
      m.host_name = "mlpppd";
      m.framing_capabilities = kFramingSync | kFramingAsync;
      m.bearer_capabilities = kBearerAnalog;
      m.assigned_tunnel_id = 0xbeef;
      m.receive_window_size = 8;
      m.challenge = B(16, 0x42);
      m.firmware_revision = 0x0100;
      m.vendor_name = "mlpppd project";
      if (t == MessageType::kSCCRQ) m.tie_breaker = 0x1122334455667788u;
      if (t == MessageType::kSCCRP) m.challenge_response = B(16, 0x17);
      break;
    case MessageType::kSCCCN:
      m.challenge_response = B(16, 0x99);
      break;
    case MessageType::kStopCCN:
      m.assigned_tunnel_id = 3;
      m.result_code = ResultCode{1, 0, "admin"};
      break;
    case MessageType::kHELLO:
      break;
    case MessageType::kOCRQ:
      m.assigned_session_id = 9;
      m.call_serial_number = 1000;
      m.minimum_bps = 0;
      m.maximum_bps = 0x7fffffff;
      m.bearer_type = kBearerDigital;
      m.framing_type = kFramingSync;
      m.called_number = "5551234";
      m.sub_address = "1";
      break;
    case MessageType::kOCRP:
      m.assigned_session_id = 10;
      m.physical_channel_id = 77;
      break;
    case MessageType::kOCCN:
      m.tx_connect_speed = 10000000;
      m.framing_type = kFramingSync;
      m.rx_connect_speed = 20000000;
      m.sequencing_required = true;
      break;
    case MessageType::kICRQ:
      m.assigned_session_id = 11;
      m.call_serial_number = 1001;
      m.bearer_type = kBearerAnalog;
      m.physical_channel_id = 4;
      m.calling_number = "0044201234567";
      m.called_number = "lns";
      m.sub_address = "x";
      break;
    case MessageType::kICRP:
      m.assigned_session_id = 12;
      break;
    case MessageType::kICCN:
      m.tx_connect_speed = 1000000;
      m.framing_type = kFramingAsync;
      m.initial_received_lcp_confreq = B{1, 4, 5, 0xdc};
      m.last_sent_lcp_confreq = B{1, 4, 5, 0xd4};
      m.last_received_lcp_confreq = B{1, 4, 5, 0xdc, 3, 4, 0xc2, 0x23};
      m.proxy_authen_type = static_cast<uint16_t>(ProxyAuthenType::kChap);
      m.proxy_authen_name = "alice";
      m.proxy_authen_challenge = B(16, 0xcc);
      m.proxy_authen_id = 7;
      m.proxy_authen_response = B(16, 0xdd);
      m.private_group_id = B{'g', '1'};
      m.rx_connect_speed = 2000000;
      m.sequencing_required = true;
      break;
    case MessageType::kCDN:
      m.result_code = ResultCode{2, 6, "vendor"};
      m.assigned_session_id = 13;
      m.q931_cause = Q931Cause{16, 0x5a, "normal"};
      break;
    case MessageType::kWEN:
      m.call_errors = CallErrors{1, 2, 3, 4, 5, 0xffffffff};
      break;
    case MessageType::kSLI:
      m.accm = Accm{0x000a0000, 0};
      break;
  }
  return m;
}

constexpr MessageType kAllTypes[] = {
    MessageType::kSCCRQ, MessageType::kSCCRP, MessageType::kSCCCN, MessageType::kStopCCN,
    MessageType::kHELLO, MessageType::kOCRQ,  MessageType::kOCRP,  MessageType::kOCCN,
    MessageType::kICRQ,  MessageType::kICRP,  MessageType::kICCN,  MessageType::kCDN,
    MessageType::kWEN,   MessageType::kSLI};

TEST(L2tpMessage, RoundTripEveryType) {
  for (MessageType t : kAllTypes) {
    SCOPED_TRACE(MessageTypeName(static_cast<uint16_t>(t)));
    ControlMessage m = Full(t);
    auto enc = EncodeControl(m, nullptr, nullptr);
    ASSERT_TRUE(enc.ok()) << enc.error();
    // Message Type first, M set (§4.4.1).
    ASSERT_GE(enc->size(), 8u);
    EXPECT_EQ((*enc)[0], 0x80);
    EXPECT_EQ((*enc)[7], static_cast<uint8_t>(t));
    ControlMessage back;
    DecodeResult r = DecodeControl(*enc, nullptr, &back);
    ASSERT_TRUE(r.ok()) << r.Describe();
    EXPECT_EQ(back, m);
  }
}

TEST(L2tpMessage, RoundTripEveryTypeHidden) {
  HidingContext hide{"tunnel secret", true};
  for (MessageType t : kAllTypes) {
    SCOPED_TRACE(MessageTypeName(static_cast<uint16_t>(t)));
    ControlMessage m = Full(t);
    auto enc = EncodeControl(m, &hide, Counting());
    ASSERT_TRUE(enc.ok()) << enc.error();
    std::vector<Avp> avps;
    ASSERT_EQ(ParseAvps(*enc, &avps), AvpError::kOk);
    // §4.3: a Random Vector precedes the first hidden AVP; the AVPs §4.4
    // forbids to hide are in the clear, the others hidden.
    bool rv_seen = false;
    for (const Avp& a : avps) {
      const AvpInfo* info = FindAvpInfo(a.vendor_id, a.type);
      ASSERT_NE(info, nullptr);
      if (a.type == static_cast<uint16_t>(AvpType::kRandomVector)) rv_seen = true;
      EXPECT_EQ(a.hidden, info->may_hide) << info->name;
      if (a.hidden) {
        EXPECT_TRUE(rv_seen);
      }
      EXPECT_EQ(a.mandatory, info->mandatory) << info->name;
    }
    ControlMessage back;
    DecodeResult r = DecodeControl(*enc, &hide, &back);
    ASSERT_TRUE(r.ok()) << r.Describe();
    EXPECT_EQ(back, m);
  }
}

TEST(L2tpMessage, EncodeErrors) {
  ControlMessage m;
  m.type = MessageType::kSCCRQ;
  m.protocol_version = ProtocolVersion{};
  m.framing_capabilities = kFramingSync;
  m.assigned_tunnel_id = 1;
  auto enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_FALSE(enc.ok());
  EXPECT_NE(enc.error().find("Host Name"), std::string::npos);
  m.host_name = std::string(kMaxAvpValue + 1, 'h');
  EXPECT_FALSE(EncodeControl(m, nullptr, nullptr).ok());
  m.host_name = "h";
  m.challenge = B{};  // §4.4.3: at least one octet
  EXPECT_FALSE(EncodeControl(m, nullptr, nullptr).ok());
  m.challenge.reset();
  EXPECT_TRUE(EncodeControl(m, nullptr, nullptr).ok());
  m.type = static_cast<MessageType>(5);
  EXPECT_FALSE(EncodeControl(m, nullptr, nullptr).ok());
}

TEST(L2tpMessage, FieldsOutsideTheMessageAreNotSent) {
  ControlMessage m;
  m.type = MessageType::kHELLO;
  m.host_name = "ignored";
  m.assigned_session_id = 4;
  auto enc = EncodeControl(m, nullptr, nullptr);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, B({0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06}));
}

TEST(L2tpMessage, HiddenTooLongForHidingGoesInTheClear) {
  ControlMessage m = Full(MessageType::kICRQ);
  m.calling_number = std::string(kMaxAvpValue, '1');  // +2 would not fit
  HidingContext hide{"s", true};
  auto enc = EncodeControl(m, &hide, Counting());
  ASSERT_TRUE(enc.ok()) << enc.error();
  std::vector<Avp> avps;
  ASSERT_EQ(ParseAvps(*enc, &avps), AvpError::kOk);
  for (const Avp& a : avps) {
    if (a.type == static_cast<uint16_t>(AvpType::kCallingNumber)) {
      EXPECT_FALSE(a.hidden);
    }
    if (a.type == static_cast<uint16_t>(AvpType::kCalledNumber)) {
      EXPECT_TRUE(a.hidden);
    }
  }
  ControlMessage back;
  ASSERT_TRUE(DecodeControl(*enc, &hide, &back).ok());
  EXPECT_EQ(back, m);
}

TEST(L2tpMessage, ChallengeResponseVector) {
  // §5.1.1, computed with python3 hashlib: MD5(02 | "secret" | 00..0f).
  B chal(16);
  for (size_t i = 0; i < 16; ++i) chal[i] = static_cast<uint8_t>(i);
  auto r = ChallengeResponse(MessageType::kSCCRP, "secret", chal);
  EXPECT_EQ(B(r.begin(), r.end()), B({0xdd, 0x41, 0x86, 0xe2, 0x19, 0x6f, 0x00, 0x12, 0x4a, 0x9d,
                                      0x58, 0x8f, 0x02, 0x70, 0x12, 0x59}));
  auto r3 = ChallengeResponse(MessageType::kSCCCN, "secret", chal);
  EXPECT_NE(r3, r);
}

TEST(L2tpMessage, NameTables) {
  EXPECT_EQ(MessageTypeName(1), "SCCRQ");
  EXPECT_EQ(MessageTypeName(4), "StopCCN");
  EXPECT_EQ(MessageTypeName(16), "SLI");
  EXPECT_EQ(MessageTypeName(5), "unknown-message");
  EXPECT_TRUE(IsSessionMessage(MessageType::kICRQ));
  EXPECT_TRUE(IsSessionMessage(MessageType::kWEN));
  EXPECT_FALSE(IsSessionMessage(MessageType::kHELLO));
  EXPECT_FALSE(IsSessionMessage(MessageType::kStopCCN));
  EXPECT_EQ(ErrorCodeName(8), "unknown-mandatory-avp");
  EXPECT_EQ(ProxyAuthenTypeName(2), "chap");
  EXPECT_EQ(DecodeErrorName(DecodeError::kMissingMandatoryAvp), "missing-mandatory-avp");
  EXPECT_EQ(TeardownName(Teardown::kSession), "session");
}

}  // namespace
}  // namespace mlppp::link::l2tp
