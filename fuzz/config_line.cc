// Fuzzes the mpd.conf reader and command engine: arbitrary text as a config
// file, run from `default:` (after `startup:`). Text mode has no file access,
// so `load` cannot reach the file system.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = mlppp::config::LoadConfigText(text, "");
  for (const auto& d : r.diagnostics) (void)d.ToString();
  // Also as the body of a label, so that most lines reach the commands.
  std::string body = "default:\n\tcreate bundle static B\n\tcreate link static L pppoe\n\t";
  body.append(text);
  auto r2 = mlppp::config::LoadConfigText(body, "default");
  (void)r2.HasErrors();
  return 0;
}
