#include "config/engine.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/resolve.h"
#include "core/prefix_match.h"

namespace mlppp::config {
namespace {

constexpr int kMaxLoadDepth = 20;  // mpd5 LoadCommand: ctx->depth > 20
// Labels that each load another label twice, 20 deep, would run 2^20
// times; stop well before that.
constexpr size_t kMaxCommands = 100000;
constexpr uintmax_t kMaxFileSize = 4u << 20;  // a config file is small; refuse devices etc.

std::string JoinWords(std::span<const std::string> words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

bool LoadResult::HasErrors() const {
  if (fatal) return true;
  for (const auto& d : diagnostics)
    if (d.error) return true;
  return false;
}

bool TurnsOn(OptVerb v) {
  return v == OptVerb::kEnable || v == OptVerb::kAccept || v == OptVerb::kYes;
}

void ApplyVerb(OptVerb v, Opt* o) {
  switch (v) {
    case OptVerb::kEnable:
      o->enable = true;
      break;
    case OptVerb::kDisable:
      o->enable = false;
      break;
    case OptVerb::kAccept:
      o->accept = true;
      break;
    case OptVerb::kDeny:
      o->accept = false;
      break;
    case OptVerb::kYes:
      o->enable = o->accept = true;
      break;
    case OptVerb::kNo:
      o->enable = o->accept = false;
      break;
  }
}

void ApplyVerb(OptVerb v, bool* enabled) {
  switch (v) {
    case OptVerb::kEnable:
    case OptVerb::kYes:
      *enabled = true;
      break;
    case OptVerb::kDisable:
    case OptVerb::kNo:
      *enabled = false;
      break;
    case OptVerb::kAccept:
    case OptVerb::kDeny:
      break;
  }
}

Engine::Engine(std::string dir, bool allow_files)
    : dir_(std::move(dir)), allow_files_(allow_files) {}

void Engine::AddFile(const std::string& name, std::string_view text) {
  files_[name] = std::make_unique<ConfigFile>(ParseConfigFile(text, name, &diags_));
}

const ConfigFile* Engine::File(const std::string& name) {
  auto it = files_.find(name);
  if (it != files_.end()) return it->second.get();
  if (!allow_files_) return nullptr;
  std::filesystem::path path(name);
  if (path.is_relative() && !dir_.empty()) path = std::filesystem::path(dir_) / path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) ||
      std::filesystem::file_size(path, ec) > kMaxFileSize || ec)
    return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  AddFile(name, ss.str());
  return files_[name].get();
}

bool Engine::RunLabel(const std::string& file, const std::string& label) {
  const ConfigFile* f = File(file);
  if (!f) return false;
  const std::vector<Line>* lines = f->Find(label);
  if (!lines) return false;
  running_.emplace_back(file, label);
  for (const Line& l : *lines) Execute(l);
  running_.pop_back();
  return true;
}

void Engine::Execute(const Line& line) {
  if (++executed_ > kMaxCommands) {
    if (executed_ == kMaxCommands + 1)
      diags_.push_back(
          {line.file, line.line, true,
           fmt::format("more than {} commands run (load loop?); rest ignored", kMaxCommands)});
    return;
  }
  const Line* saved_line = line_;
  auto saved_words = std::move(canonical_);
  line_ = &line;
  canonical_.clear();
  Dispatch(line.args);
  line_ = saved_line;
  canonical_ = std::move(saved_words);
}

void Engine::Dispatch(Args args) {
  ResolveFilter filter;
  filter.admit = [this](const Command& c) { return HasContextFor(c); };
  const Resolved r = Resolve(TopCommands(), args, filter);
  canonical_.assign(r.canon.begin(), r.canon.end());
  switch (r.stop) {
    case Resolved::Stop::kMenu:
      Error(fmt::format("incomplete command \"{}\"", CommandText()));
      return;
    case Resolved::Stop::kUnknown:
    case Resolved::Stop::kAmbiguous:
      // The words as written, up to the one not found.
      Error(fmt::format("{} command \"{}\"",
                        r.stop == Resolved::Stop::kUnknown ? "unknown" : "ambiguous",
                        JoinWords(args.first(r.used + 1))));
      return;
    case Resolved::Stop::kNoContext:
      Error(fmt::format("no current {} for \"{}\"",
                        r.path.back()->needs == Command::Needs::kLink ? "link" : "bundle",
                        CommandText()));
      return;
    case Resolved::Stop::kLeaf:
      break;
  }
  const Command* c = r.path.back();
  Args rest = args.subspan(r.used);
  int n = static_cast<int>(rest.size());
  if (n < c->min_args || (c->max_args >= 0 && n > c->max_args)) {
    Error(fmt::format("usage: {} {}", CommandText(), c->usage));
    return;
  }
  c->handler(*this, rest);
}

std::string Engine::CommandText() const {
  std::string out;
  for (auto w : canonical_) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

void Engine::Error(std::string message) {
  diags_.push_back(
      {line_ ? line_->file : main_file_, line_ ? line_->line : 0, true, std::move(message)});
}

void Engine::Warn(std::string message) {
  diags_.push_back(
      {line_ ? line_->file : main_file_, line_ ? line_->line : 0, false, std::move(message)});
}

void Engine::NotSupported(std::string_view what) {
  Warn(fmt::format("{} not supported yet", what));
}

LinkConf* Engine::CurrentLink() {
  if (link_ < 0) return nullptr;
  return link_placeholder_ ? &placeholders_[link_] : &config_.links[link_];
}

BundleConf* Engine::CurrentBundle() { return bundle_ < 0 ? nullptr : &config_.bundles[bundle_]; }

bool Engine::HasContextFor(const Command& c) {
  switch (c.needs) {
    case Command::Needs::kNothing:
      return true;
    case Command::Needs::kLink:
      return CurrentLink() != nullptr;
    case Command::Needs::kBundle:
      return CurrentBundle() != nullptr;
  }
  return true;
}

LinkConf* Engine::FindAnyLink(const std::string& name, bool* placeholder) {
  if (LinkConf* l = config_.FindLink(name)) {
    *placeholder = false;
    return l;
  }
  for (auto& l : placeholders_) {
    if (l.name == name) {
      *placeholder = true;
      return &l;
    }
  }
  return nullptr;
}

void Engine::AddLink(LinkConf link, bool placeholder) {
  auto& v = placeholder ? placeholders_ : config_.links;
  v.push_back(std::move(link));
  link_ = static_cast<int>(v.size()) - 1;
  link_placeholder_ = placeholder;
}

void Engine::AddBundle(BundleConf bundle) {
  config_.bundles.push_back(std::move(bundle));
  bundle_ = static_cast<int>(config_.bundles.size()) - 1;
}

bool Engine::SelectLink(const std::string& name) {
  for (size_t i = 0; i < config_.links.size(); ++i) {
    if (config_.links[i].name == name) {
      link_ = static_cast<int>(i);
      link_placeholder_ = false;
      return true;
    }
  }
  for (size_t i = 0; i < placeholders_.size(); ++i) {
    if (placeholders_[i].name == name) {
      link_ = static_cast<int>(i);
      link_placeholder_ = true;
      return true;
    }
  }
  return false;
}

bool Engine::SelectBundle(const std::string& name) {
  for (size_t i = 0; i < config_.bundles.size(); ++i) {
    if (config_.bundles[i].name == name) {
      bundle_ = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

void Engine::Load(const std::string* file, const std::string& label) {
  // mpd5 LoadCommand: `load label` reads the main config file.
  const std::string& name = file ? *file : main_file_;
  if (static_cast<int>(running_.size()) > kMaxLoadDepth) {
    Error(fmt::format("load \"{}\": nesting deeper than {}", label, kMaxLoadDepth));
    return;
  }
  for (const auto& [f, l] : running_) {
    if (f == name && l == label) {
      Error(fmt::format("recursive load of label \"{}\"", label));
      return;
    }
  }
  const ConfigFile* f = File(name);
  if (!f) {
    Error(allow_files_ || name == main_file_
              ? fmt::format("can't read configuration file \"{}\"", name)
              : fmt::format("can't load from file \"{}\" here", name));
    return;
  }
  if (!f->Find(label)) {
    Error(fmt::format("label \"{}\" not found in \"{}\"", label, name));
    return;
  }
  RunLabel(name, label);
}

std::optional<int64_t> Engine::Int(const std::string& s, int64_t min, int64_t max,
                                   std::string_view what) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || v < min || v > max) {
    Error(fmt::format("bad {} \"{}\" (expected a number from {} to {})", what, s, min, max));
    return std::nullopt;
  }
  return v;
}

namespace {

std::optional<uint32_t> ParseIpv4(std::string_view s) {
  uint32_t addr = 0;
  for (int i = 0; i < 4; ++i) {
    size_t n = 0;
    unsigned octet = 0;
    while (n < s.size() && n < 4 && s[n] >= '0' && s[n] <= '9') octet = octet * 10 + (s[n++] - '0');
    if (n == 0 || n > 3 || octet > 255) return std::nullopt;
    addr = addr << 8 | octet;
    s.remove_prefix(n);
    if (i < 3) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return addr;
}

}  // namespace

std::optional<uint32_t> Engine::Addr(const std::string& s, std::string_view what) {
  auto a = ParseIpv4(s);
  if (!a) Error(fmt::format("bad {} \"{}\" (expected an IPv4 address)", what, s));
  return a;
}

std::optional<Ipv4Range> Engine::Range(const std::string& s, std::string_view what) {
  std::string_view sv(s);
  size_t slash = sv.find('/');
  auto a = ParseIpv4(sv.substr(0, slash));
  int width = 32;
  bool ok = a.has_value();
  if (ok && slash != std::string_view::npos) {
    std::string_view w = sv.substr(slash + 1);
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
    ok = ec == std::errc() && p == w.data() + w.size() && !w.empty() && width >= 0 && width <= 32;
  }
  if (!ok) {
    Error(fmt::format("bad {} \"{}\" (expected a.b.c.d[/width])", what, s));
    return std::nullopt;
  }
  return Ipv4Range{*a, static_cast<uint8_t>(width)};
}

std::optional<OptVerb> Engine::VerbFromName(std::string_view s) {
  if (s == "enable") return OptVerb::kEnable;
  if (s == "disable") return OptVerb::kDisable;
  if (s == "accept") return OptVerb::kAccept;
  if (s == "deny") return OptVerb::kDeny;
  if (s == "yes") return OptVerb::kYes;
  if (s == "no") return OptVerb::kNo;
  return std::nullopt;
}

namespace cmd {

const Command* Find(std::span<const Command> table, std::string_view word, int* matches) {
  return FindByPrefix(table, word, matches, [](const Command&) { return true; });
}

void WarnNotSupported(Engine& e, Args) { e.NotSupported(fmt::format("\"{}\"", e.CommandText())); }

void WarnFreeBsdOnly(Engine& e, Args) {
  e.Warn(fmt::format("\"{}\" is FreeBSD only, ignored", e.CommandText()));
}

}  // namespace cmd

LoadResult LoadConfig(const std::string& dir, const std::string& file, const std::string& label) {
  LoadResult r;
  Engine e(dir, true);
  e.set_main_file(file);
  const ConfigFile* f = e.File(file);
  if (!f) {
    r.fatal = true;
    r.diagnostics = std::move(e.diagnostics());
    r.diagnostics.push_back({file, 0, true, "can't read configuration file"});
    return r;
  }
  if (f->Find("startup")) e.RunLabel(file, "startup");
  const std::string name = label.empty() ? "default" : label;
  if (!e.RunLabel(file, name)) {
    r.fatal = true;
    e.diagnostics().push_back({file, 0, true, fmt::format("label \"{}\" not found", name)});
  }
  r.config = std::move(e.config());
  r.diagnostics = std::move(e.diagnostics());
  return r;
}

LoadResult LoadConfigText(std::string_view text, const std::string& label,
                          const std::string& virtual_name) {
  LoadResult r;
  Engine e("", false);
  e.set_main_file(virtual_name);
  e.AddFile(virtual_name, text);
  const ConfigFile* f = e.File(virtual_name);
  if (f->Find("startup")) e.RunLabel(virtual_name, "startup");
  const std::string name = label.empty() ? "default" : label;
  if (!e.RunLabel(virtual_name, name)) {
    r.fatal = true;
    e.diagnostics().push_back({virtual_name, 0, true, fmt::format("label \"{}\" not found", name)});
  }
  r.config = std::move(e.config());
  r.diagnostics = std::move(e.diagnostics());
  return r;
}

}  // namespace mlppp::config
