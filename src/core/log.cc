#include "core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>

#include <array>
#include <utility>
#include <vector>

namespace mlppp::log {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Cat::kCount)> kCatNames = {
    "bund",   "bund2", "link",   "rep",     "lcp",     "lcp2",  "auth",  "auth2",
    "ipcp",   "ipcp2", "ipv6cp", "ipv6cp2", "ccp",     "ccp2",  "ecp",   "ecp2",
    "fsm",    "echo",  "phys",   "phys2",   "phys3",   "chat",  "chat2", "iface",
    "iface2", "frame", "radius", "radius2", "console", "events"};

uint64_t Bit(Cat c) { return uint64_t{1} << static_cast<unsigned>(c); }

std::atomic<uint64_t>& MaskVar() {
  static std::atomic<uint64_t> mask{DefaultMask()};
  return mask;
}

void Install(std::shared_ptr<spdlog::logger> logger, bool debug) {
  logger->set_level(debug ? spdlog::level::debug : spdlog::level::info);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace

std::string_view CatName(Cat c) { return kCatNames[static_cast<size_t>(c)]; }

bool CatFromName(std::string_view name, Cat* out) {
  for (size_t i = 0; i < kCatNames.size(); ++i) {
    if (kCatNames[i] == name) {
      *out = static_cast<Cat>(i);
      return true;
    }
  }
  return false;
}

// mpd5's defaults (the manual's `*` entries): bund, iface, iface2, link, lcp,
// auth, ipcp, ipv6cp, ccp, ecp, radius, console, phys, chat, rep.
uint64_t DefaultMask() {
  return Bit(Cat::kBund) | Bit(Cat::kIface) | Bit(Cat::kIface2) | Bit(Cat::kLink) | Bit(Cat::kLcp) |
         Bit(Cat::kAuth) | Bit(Cat::kIpcp) | Bit(Cat::kIpv6cp) | Bit(Cat::kCcp) | Bit(Cat::kEcp) |
         Bit(Cat::kRadius) | Bit(Cat::kConsole) | Bit(Cat::kPhys) | Bit(Cat::kChat) |
         Bit(Cat::kRep);
}

uint64_t Mask() { return MaskVar().load(std::memory_order_relaxed); }
void SetMask(uint64_t mask) { MaskVar().store(mask, std::memory_order_relaxed); }
void SetCategory(Cat c, bool on) {
  if (on)
    MaskVar().fetch_or(Bit(c));
  else
    MaskVar().fetch_and(~Bit(c));
}

bool Init(const Sinks& sinks, std::string* error) {
  std::vector<spdlog::sink_ptr> out;
  bool ok = true;
  if (sinks.to_stderr) out.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!sinks.syslog_ident.empty())
    out.push_back(std::make_shared<spdlog::sinks::syslog_sink_mt>(sinks.syslog_ident, LOG_PID,
                                                                  LOG_DAEMON, false));
  if (!sinks.file.empty()) {
    try {
      out.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(sinks.file, false));
    } catch (const spdlog::spdlog_ex& e) {  // spdlog reports open errors this way only
      ok = false;
      if (error) *error = e.what();
    }
  }
  auto logger = std::make_shared<spdlog::logger>("mlpppd", out.begin(), out.end());
  Install(std::move(logger), false);
  constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info,
                                                   spdlog::level::warn, spdlog::level::err};
  spdlog::default_logger()->set_level(kLevels[static_cast<size_t>(sinks.level)]);
  return ok;
}

std::string_view LevelName(Level l) {
  constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};
  return kNames[static_cast<size_t>(l)];
}

bool LevelFromName(std::string_view name, Level* out) {
  constexpr std::pair<std::string_view, Level> kNames[] = {{"debug", Level::kDebug},
                                                           {"info", Level::kInfo},
                                                           {"warn", Level::kWarn},
                                                           {"warning", Level::kWarn},
                                                           {"error", Level::kError}};
  for (const auto& [n, l] : kNames) {
    if (n == name) {
      *out = l;
      return true;
    }
  }
  return false;
}

void InitStderr(bool debug) { Install(spdlog::stderr_logger_mt("mlpppd"), debug); }
void InitFile(const std::string& path, bool debug) {
  Install(spdlog::basic_logger_mt("mlpppd", path), debug);
}
void InitSyslog(const std::string& ident, bool debug) {
  Install(spdlog::syslog_logger_mt("mlpppd", ident, LOG_PID, LOG_DAEMON), debug);
}

void InitNull() {
  auto logger = spdlog::null_logger_mt("mlpppd");
  logger->set_level(spdlog::level::off);
  spdlog::set_default_logger(std::move(logger));
  SetMask(0);
}

void Write(Level level, Cat cat, std::string_view msg) {
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case Level::kDebug:
      l = spdlog::level::debug;
      break;
    case Level::kInfo:
      l = spdlog::level::info;
      break;
    case Level::kWarn:
      l = spdlog::level::warn;
      break;
    case Level::kError:
      l = spdlog::level::err;
      break;
  }
  spdlog::log(l, "[{}] {}", CatName(cat), msg);
}

bool RateLimit::Allow(uint64_t* suppressed) {
  auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= period_) {
    window_start_ = now;
    in_window_ = 0;
  }
  if (in_window_ >= burst_) {
    ++dropped_;
    return false;
  }
  ++in_window_;
  *suppressed = dropped_;
  dropped_ = 0;
  return true;
}

}  // namespace mlppp::log
