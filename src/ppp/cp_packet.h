#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/packet.h"
#include "ppp/protocol.h"

namespace mlppp::ppp {

// One Type-Length-Value configuration option (RFC 1661 §6). `data` excludes
// the type and length octets.
struct CpOption {
  uint8_t type = 0;
  std::vector<uint8_t> data;
  bool operator==(const CpOption&) const = default;
};

// A control-protocol packet (RFC 1661 §5): Code, Identifier, Length, Data.
struct CpPacket {
  uint8_t code = 0;
  uint8_t id = 0;
  std::vector<uint8_t> data;  // everything after the 4-octet header, trimmed to Length
};

// Parses a control packet from the PPP information field. Octets beyond
// Length are padding and are dropped (RFC 1661 §5); a Length shorter than 4
// or longer than the buffer is an error (nullopt).
std::optional<CpPacket> ParseCpPacket(std::span<const uint8_t> info);

// The same Code/Identifier/Length header without copying the data: PAP
// (RFC 1334 §2.2) and CHAP (RFC 1994 §4) packets share it. `body` is the
// data trimmed to Length (padding dropped); it points into `info`.
struct CpHeader {
  uint8_t code = 0;
  uint8_t id = 0;
  std::span<const uint8_t> body;
};
std::optional<CpHeader> SplitCpPacket(std::span<const uint8_t> info);
Packet SerializeCpPacket(const CpPacket& p);

// Parses a Configure-* option list (RFC 1661 §6); nullopt if an option's
// length is < 2 or runs past the end.
std::optional<std::vector<CpOption>> ParseOptions(std::span<const uint8_t> data);
std::vector<uint8_t> SerializeOptions(std::span<const CpOption> opts);

}  // namespace mlppp::ppp
