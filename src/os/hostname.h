#pragma once

#include <string>

namespace mlppp::os {

// The machine's host name (mpd5 uses it as the default PPPoE AC-Name and
// RADIUS NAS-Identifier); "mlpppd" if it cannot be read.
std::string Hostname();

}  // namespace mlppp::os
