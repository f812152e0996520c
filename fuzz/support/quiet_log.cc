// Linked into every fuzz target: silences the daemon's log so a run spends
// its time parsing hostile input, not writing the warnings it provokes.
#include "core/log.h"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  mlppp::log::InitNull();
  return 0;
}
