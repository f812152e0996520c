// The daemon's version, as `mlpppd -v`, the console banner, `show version`
// and /metrics print it.
#pragma once

namespace mlppp {

inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kVersionString = "mlpppd 0.1.0";

}  // namespace mlppp
