#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace mlppp::aaa {

// RFC 1994 §4.1: Response Value = MD5(Identifier || secret || Challenge).
std::array<uint8_t, 16> ChapMd5Response(uint8_t id, std::string_view secret,
                                        std::span<const uint8_t> challenge);

}  // namespace mlppp::aaa
