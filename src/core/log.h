#pragma once

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlppp::log {

// mpd5's log categories (log.c), same names, so `log +lcp -echo` works as
// mpd5 users expect. Bit positions are ours.
enum class Cat : uint8_t {
  kBund,
  kBund2,
  kLink,
  kRep,
  kLcp,
  kLcp2,
  kAuth,
  kAuth2,
  kIpcp,
  kIpcp2,
  kIpv6cp,
  kIpv6cp2,
  kCcp,
  kCcp2,
  kEcp,
  kEcp2,
  kFsm,
  kEcho,
  kPhys,
  kPhys2,
  kPhys3,
  kChat,
  kChat2,
  kIface,
  kIface2,
  kFrame,
  kRadius,
  kRadius2,
  kConsole,
  kEvents,
  kCount
};
std::string_view CatName(Cat c);
// Parses an mpd5 category name ("lcp", "phys2", ...).
bool CatFromName(std::string_view name, Cat* out);

enum class Level : uint8_t { kDebug, kInfo, kWarn, kError };

// The process-wide log sink and category mask are the one deliberate piece of
// shared state: they are set up once in main() and by the `log` command, and
// read everywhere. Writes are atomic.
uint64_t Mask();
void SetMask(uint64_t mask);
uint64_t DefaultMask();
inline bool Enabled(Cat c) { return (Mask() >> static_cast<unsigned>(c)) & 1u; }
void SetCategory(Cat c, bool on);

// Where log lines go: any of stderr, syslog and a file at once, at or above
// `level` (categories below warn are filtered by the mask as well).
struct Sinks {
  bool to_stderr = false;
  std::string syslog_ident;  // "" = no syslog
  std::string file;          // "" = no file; appended to
  Level level = Level::kInfo;
};
// False (with *error set) when a sink could not be opened; the others are
// installed anyway.
bool Init(const Sinks& sinks, std::string* error);
std::string_view LevelName(Level l);
bool LevelFromName(std::string_view name, Level* out);

// Single-sink set-up: stderr (foreground), a file, or syslog.
void InitStderr(bool debug);
void InitFile(const std::string& path, bool debug);
void InitSyslog(const std::string& ident, bool debug);
// No output at all: fuzz targets, where a hostile input's warnings would
// otherwise spend the run writing to stderr.
void InitNull();

void Write(Level level, Cat cat, std::string_view msg);

template <class... Args>
void Logf(Level level, Cat cat, fmt::format_string<Args...> f, Args&&... args) {
  if (level < Level::kWarn && !Enabled(cat)) return;
  Write(level, cat, fmt::format(f, std::forward<Args>(args)...));
}

// Allows at most `burst` messages per `period`; counts the ones it drops so
// the next message that passes can say how many were suppressed. Used for
// every error a peer can cause (ARCHITECTURE.md rule 9).
class RateLimit {
 public:
  explicit RateLimit(int burst = 5, std::chrono::seconds period = std::chrono::seconds(10))
      : burst_(burst), period_(period) {}
  // Returns true when a message may be written; *suppressed gets the number
  // dropped since the last one that passed.
  bool Allow(uint64_t* suppressed);

 private:
  int burst_;
  std::chrono::steady_clock::duration period_;
  std::chrono::steady_clock::time_point window_start_{};
  int in_window_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace mlppp::log

#define MLOG_DEBUG(cat, ...) \
  ::mlppp::log::Logf(::mlppp::log::Level::kDebug, ::mlppp::log::Cat::cat, __VA_ARGS__)
#define MLOG_INFO(cat, ...) \
  ::mlppp::log::Logf(::mlppp::log::Level::kInfo, ::mlppp::log::Cat::cat, __VA_ARGS__)
#define MLOG_WARN(cat, ...) \
  ::mlppp::log::Logf(::mlppp::log::Level::kWarn, ::mlppp::log::Cat::cat, __VA_ARGS__)
#define MLOG_ERROR(cat, ...) \
  ::mlppp::log::Logf(::mlppp::log::Level::kError, ::mlppp::log::Cat::cat, __VA_ARGS__)
// Rate-limited warning for peer-caused errors; `limiter` is a log::RateLimit.
#define MLOG_PEER_ERROR(limiter, cat, ...)                                                        \
  do {                                                                                            \
    uint64_t mlog_suppressed_ = 0;                                                                \
    if ((limiter).Allow(&mlog_suppressed_)) {                                                     \
      if (mlog_suppressed_) MLOG_WARN(cat, "({} similar messages suppressed)", mlog_suppressed_); \
      MLOG_WARN(cat, __VA_ARGS__);                                                                \
    }                                                                                             \
  } while (0)
