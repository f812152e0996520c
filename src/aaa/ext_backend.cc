#include "aaa/ext_backend.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "aaa/chap_digest.h"
#include "aaa/mschap.h"
#include "core/ip_literal.h"

extern char** environ;

namespace mlppp::aaa {

namespace {

constexpr size_t kMaxScriptOutput = 64 * 1024;

// This file's blocking half (RunScript) is the one place in aaa/ that makes
// syscalls; it runs only inside RunBlocking work, on a worker thread.

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Owns a spawned child: unless Reap() ran, the destructor kills the child's
// process group and reaps it, so no path leaves a zombie or a runaway script.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (pid_ > 0) {
      Kill();
      Reap();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // The child leads its own process group (POSIX_SPAWN_SETPGROUP), so a
  // shell script's own children die with it; the direct kill covers a child
  // that left the group.
  void Kill() {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
  }
  // Blocks until the child has exited. Returns its exit code, or -1 if it
  // died from a signal or was reaped by someone else.
  int Reap() { return *Wait(0); }
  // Reaps the child if it has exited: its exit code (as Reap), else nullopt.
  std::optional<int> TryReap() { return Wait(WNOHANG); }

 private:
  std::optional<int> Wait(int flags) {
    int status = 0;
    pid_t r;
    do {
      r = ::waitpid(pid_, &status, flags);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return std::nullopt;  // WNOHANG: still running
    pid_t was = pid_;
    pid_ = -1;
    if (r != was) return -1;  // ECHILD: reaped elsewhere
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  pid_t pid_;
};

struct SpawnActions {
  posix_spawn_file_actions_t fa;
  SpawnActions() { posix_spawn_file_actions_init(&fa); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&fa); }
};

struct SpawnAttr {
  posix_spawnattr_t attr;
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
};

int RemainingMs(std::chrono::steady_clock::time_point deadline) {
  auto left =
      std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 1'000'000 ? 1'000'000 : static_cast<int>(left.count());
}

// The reply ends at its first empty line ("\n" or "\r\n" alone).
bool HasEndMarker(std::string_view out) {
  return out.starts_with("\n") || out.starts_with("\r\n") ||
         out.find("\n\n") != std::string_view::npos || out.find("\n\r\n") != std::string_view::npos;
}

// Waits for the child to exit until the deadline, then kills it.
int WaitExit(Child& child, std::chrono::steady_clock::time_point deadline) {
  // glibc 2.36's <sys/pidfd.h> lacks extern "C": call the syscall itself.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.pid(), 0));
  if (pidfd >= 0) {
    UniqueFd guard(pidfd);
    for (;;) {
      pollfd p{pidfd, POLLIN, 0};
      int r = ::poll(&p, 1, RemainingMs(deadline));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) child.Kill();
      break;
    }
    return child.Reap();
  }
  // Kernels before 5.3: poll the child's state.
  for (;;) {
    if (auto code = child.TryReap()) return *code;
    if (RemainingMs(deadline) == 0) {
      child.Kill();
      return child.Reap();
    }
    timespec ts{0, 10'000'000};
    ::nanosleep(&ts, nullptr);
  }
}

std::string Clean(std::string_view v) {
  std::string s(v);
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\0') c = '?';
  }
  return s;
}

void AddLine(std::string* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->push_back(':');
  out->append(Clean(value));
  out->push_back('\n');
}

void AddSessionLines(std::string* out, const SessionInfo& s) {
  AddLine(out, "LINK", s.link);
  AddLine(out, "NAS_PORT", fmt::format("{}", s.nas_port));
  AddLine(out, "NAS_PORT_TYPE", s.nas_port_type);
}

void AddPeerLines(std::string* out, const SessionInfo& s) {
  AddLine(out, "CALLING_STATION_ID", s.calling_station_id);
  AddLine(out, "CALLED_STATION_ID", s.called_station_id);
  AddLine(out, "SELF_NAME", s.self_name);
  AddLine(out, "PEER_NAME", s.peer_name);
  AddLine(out, "SELF_ADDR", s.self_addr);
  AddLine(out, "PEER_ADDR", s.peer_addr);
  AddLine(out, "PEER_PORT", s.peer_port);
  AddLine(out, "PEER_MAC_ADDR", s.peer_mac_addr);
  AddLine(out, "PEER_IFACE", s.peer_iface);
  AddLine(out, "PEER_IDENT", s.peer_ident);
}

bool ParseIpv4(std::string_view v, uint32_t* out) {
  std::string s(v);
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) != 1) return false;
  *out = ntohl(a.s_addr);
  return true;
}

template <class T>
bool ParseUint(std::string_view v, T* out) {
  T x{};
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size()) return false;
  *out = x;
  return true;
}

bool SameBytes(const void* a, size_t alen, const void* b, size_t blen) {
  // The length of a password is not hidden; its content is.
  return alen == blen && CRYPTO_memcmp(a, b, alen) == 0;
}

}  // namespace

Result<ScriptOutput> RunScript(const std::string& path, const std::vector<std::string>& args,
                               std::string_view input, std::chrono::milliseconds timeout) {
  // A worker thread may read the clock: the timeout bounds a blocking call.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // stdin is a socket, not a pipe, so a script that never reads it costs us
  // EPIPE from send(MSG_NOSIGNAL) rather than a process-wide SIGPIPE.
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    return Result<ScriptOutput>::Error(fmt::format("socketpair: {}", std::strerror(errno)));
  }
  UniqueFd in_ours(sv[0]), in_child(sv[1]);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) {
    return Result<ScriptOutput>::Error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  UniqueFd out_ours(p[0]), out_child(p[1]);

  SpawnActions fa;
  posix_spawn_file_actions_adddup2(&fa.fa, in_child.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa.fa, out_child.get(), STDOUT_FILENO);
  // Sockets and TUN fds of the daemon must not leak into scripts.
  posix_spawn_file_actions_addclosefrom_np(&fa.fa, STDERR_FILENO + 1);
  SpawnAttr attr;
  posix_spawnattr_setflags(&attr.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr.attr, 0);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attr.attr, &mask);
  sigset_t def;
  sigemptyset(&def);
  for (int s : {SIGPIPE, SIGCHLD, SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2}) {
    sigaddset(&def, s);
  }
  posix_spawnattr_setsigdefault(&attr.attr, &def);

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, path.c_str(), &fa.fa, &attr.attr, argv.data(), environ);
  if (rc != 0) {
    return Result<ScriptOutput>::Error(fmt::format("cannot run {}: {}", path, std::strerror(rc)));
  }
  Child child(pid);
  in_child.Reset();
  out_child.Reset();
  ::fcntl(in_ours.get(), F_SETFL, ::fcntl(in_ours.get(), F_GETFL) | O_NONBLOCK);
  ::fcntl(out_ours.get(), F_SETFL, ::fcntl(out_ours.get(), F_GETFL) | O_NONBLOCK);

  ScriptOutput res;
  size_t written = 0;
  if (input.empty()) in_ours.Reset();
  while (!res.reply_complete) {
    pollfd fds[2];
    nfds_t n = 0;
    int in_idx = -1;
    if (in_ours.valid()) {
      fds[n] = {in_ours.get(), POLLOUT, 0};
      in_idx = static_cast<int>(n++);
    }
    fds[n] = {out_ours.get(), POLLIN, 0};
    const nfds_t out_idx = n++;
    int ms = RemainingMs(deadline);
    int r = ms > 0 ? ::poll(fds, n, ms) : 0;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Result<ScriptOutput>::Error(fmt::format("poll: {}", std::strerror(errno)));
    if (r == 0) {
      res.timed_out = true;
      break;
    }
    if (in_idx >= 0 && fds[in_idx].revents != 0) {
      ssize_t w = ::send(in_ours.get(), input.data() + written, input.size() - written,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) {
        written += static_cast<size_t>(w);
        if (written == input.size()) in_ours.Reset();  // EOF for a script reading to the end
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        in_ours.Reset();  // the script does not read its stdin: its business
      }
    }
    if (fds[out_idx].revents != 0) {
      char buf[4096];
      ssize_t got = ::read(out_ours.get(), buf, sizeof(buf));
      if (got > 0) {
        res.out.append(buf, static_cast<size_t>(got));
        if (HasEndMarker(res.out)) {
          res.reply_complete = true;
        } else if (res.out.size() > kMaxScriptOutput) {
          return Result<ScriptOutput>::Error(fmt::format("{}: reply too long", path));
        }
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        res.reply_complete = true;  // EOF also ends the reply (mpd5 fgets loop)
      }
    }
  }
  in_ours.Reset();
  out_ours.Reset();
  if (res.timed_out) {
    child.Kill();
    res.exit_status = child.Reap();
  } else {
    res.exit_status = WaitExit(child, deadline);
  }
  return res;
}

std::string_view ExtAuthTypeName(AuthProto p) {
  switch (p) {
    case AuthProto::kPap:
      return "PAP";
    case AuthProto::kChapMd5:
      return "CHAP MD5";
    case AuthProto::kChapMsV1:
      return "CHAP MSOFT";
    case AuthProto::kChapMsV2:
      return "CHAP MSOFTv2";
    case AuthProto::kEap:
      return "EAP";
  }
  return "UNKNOWN";
}

std::string_view ExtVerdictName(ExtAuthReply::Verdict v) {
  switch (v) {
    case ExtAuthReply::Verdict::kSuccess:
      return "SUCCESS";
    case ExtAuthReply::Verdict::kFail:
      return "FAIL";
    case ExtAuthReply::Verdict::kUndef:
      return "UNDEF";
    case ExtAuthReply::Verdict::kError:
      return "error";
  }
  return "unknown";
}

bool ExtSafeValue(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::vector<std::pair<std::string, std::string>> ParseExtReply(std::string_view out) {
  std::vector<std::pair<std::string, std::string>> attrs;
  while (!out.empty()) {
    size_t nl = out.find('\n');
    std::string_view line = out.substr(0, nl);
    out = nl == std::string_view::npos ? std::string_view() : out.substr(nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) break;  // the end marker
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      attrs.emplace_back(std::string(line), std::string());
    } else {
      attrs.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
  }
  return attrs;
}

std::string BuildExtAuthRequest(const AuthRequest& req, const SessionInfo& info) {
  std::string s;
  AddLine(&s, "USER_NAME", req.user);
  AddLine(&s, "AUTH_TYPE", ExtAuthTypeName(req.proto));
  if (req.proto == AuthProto::kPap) AddLine(&s, "USER_PASSWORD", req.pap_password);
  AddLine(&s, "ACCT_SESSION_ID", info.acct_session_id);
  AddSessionLines(&s, info);
  AddPeerLines(&s, info);
  s.push_back('\n');
  return s;
}

std::string BuildExtAcctRequest(const AcctEvent& ev) {
  const SessionInfo& info = ev.session;
  std::string s;
  AddLine(&s, "ACCT_STATUS_TYPE", AcctStatusName(ev.status));
  AddLine(&s, "ACCT_SESSION_ID", info.acct_session_id);
  AddLine(&s, "ACCT_MULTI_SESSION_ID", info.acct_multi_session_id);
  AddLine(&s, "USER_NAME", ev.user);
  AddLine(&s, "IFACE", ev.iface);
  AddLine(&s, "IFACE_INDEX", fmt::format("{}", ev.iface_index));
  AddLine(&s, "BUNDLE", info.bundle);
  AddSessionLines(&s, info);
  AddLine(&s, "ACCT_LINK_COUNT", fmt::format("{}", ev.link_count));
  AddPeerLines(&s, info);
  AddLine(&s, "FRAMED_IP_ADDRESS", Ipv4ToString(ev.framed_ip.value_or(0)));
  if (ev.status == AcctEvent::kStop) AddLine(&s, "ACCT_TERMINATE_CAUSE", ev.terminate_cause);
  if (ev.status != AcctEvent::kStart) {
    AddLine(&s, "ACCT_SESSION_TIME", fmt::format("{}", ev.session_time));
    AddLine(&s, "ACCT_INPUT_OCTETS", fmt::format("{}", ev.in_octets));
    AddLine(&s, "ACCT_INPUT_PACKETS", fmt::format("{}", ev.in_packets));
    AddLine(&s, "ACCT_OUTPUT_OCTETS", fmt::format("{}", ev.out_octets));
    AddLine(&s, "ACCT_OUTPUT_PACKETS", fmt::format("{}", ev.out_packets));
  }
  s.push_back('\n');
  return s;
}

SessionInfo SessionInfoFromContext(const SessionContext& ctx) {
  SessionInfo s;
  s.acct_session_id = ctx.session_id;
  s.link = ctx.link;
  s.nas_port = ctx.nas_port;
  s.nas_port_type = ctx.link_type;
  s.calling_station_id = ctx.calling_station;
  s.called_station_id = ctx.called_station;
  s.peer_iface = ctx.iface;
  // mpd5 PhysGetPeerMacAddr: PPPoE knows the peer's MAC, which is also its
  // calling number.
  if (ctx.link_type == "pppoe") s.peer_mac_addr = ctx.calling_station;
  return s;
}

// ---- ext-auth ----

ExtAuthBackend::ExtAuthBackend(std::string script, RunBlocking run,
                               std::chrono::milliseconds timeout)
    : script_(std::move(script)),
      run_(std::move(run)),
      timeout_(timeout),
      alive_(std::make_shared<char>()) {}

ExtAuthBackend::~ExtAuthBackend() = default;

void ExtAuthBackend::Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) {
  AuthenticateExt(req, SessionInfoFromContext(req.ctx),
                  [done = std::move(done)](ExtAuthReply r) { done(std::move(r.result)); });
}

void ExtAuthBackend::AuthenticateExt(const AuthRequest& req, const SessionInfo& info,
                                     std::function<void(ExtAuthReply)> done) {
  // mpd5 denies ' and \n in the name (it builds a shell command line); we
  // pass it in argv, so only line breaks, which would forge attributes, and
  // NUL, which argv cannot carry, are refused.
  if (!ExtSafeValue(req.user) ||
      (req.proto == AuthProto::kPap && !ExtSafeValue(req.pap_password))) {
    MLOG_PEER_ERROR(limiter_, kAuth, "ext-auth: denied character in user name or password");
    ExtAuthReply r;
    r.result.message = "authentication failed";
    done(std::move(r));
    return;
  }
  struct Job {
    std::string script;
    std::vector<std::string> args;
    std::string input;  // holds the PAP password: wiped after use
    std::chrono::milliseconds timeout;
    std::optional<Result<ScriptOutput>> out;
  };
  auto job = std::make_shared<Job>();
  job->script = script_;
  job->args = {req.user};
  job->input = BuildExtAuthRequest(req, info);
  job->timeout = timeout_;
  MLOG_DEBUG(kAuth, "ext-auth: running {} for \"{}\" ({})", script_, req.user,
             ExtAuthTypeName(req.proto));
  std::weak_ptr<char> alive = alive_;
  run_(
      [job] {
        job->out = RunScript(job->script, job->args, job->input, job->timeout);
        OPENSSL_cleanse(job->input.data(), job->input.size());
      },
      [this, alive, job, req, done = std::move(done)] {
        if (alive.expired()) return;  // the backend is gone; so is its owner's interest
        if (!job->out) {
          ExtAuthReply r;
          r.result.message = "authentication failed";
          done(std::move(r));
          return;
        }
        done(Interpret(req, *job->out));
      });
}

ExtAuthReply ExtAuthBackend::Interpret(const AuthRequest& req, const Result<ScriptOutput>& out) {
  ExtAuthReply reply;
  AuthResult attrs;
  std::string why;
  std::optional<std::string> reply_message;
  bool have_result = false;
  NtHash nt_hash{};
  bool have_nt_hash = false;
  if (!out.ok()) {
    why = out.error();
  } else if (out->timed_out) {
    why = fmt::format("{} timed out", script_);
  } else {
    for (auto& [name, value] : ParseExtReply(out->out)) {
      bool bad = false;
      if (name == "RESULT") {
        have_result = true;
        if (value == "SUCCESS") {
          reply.verdict = ExtAuthReply::Verdict::kSuccess;
        } else if (value == "UNDEF") {
          reply.verdict = ExtAuthReply::Verdict::kUndef;
        } else {
          reply.verdict = ExtAuthReply::Verdict::kFail;  // mpd5: anything else is FAIL
        }
      } else if (name == "USER_NAME") {
        reply.user_name = value;
      } else if (name == "USER_PASSWORD") {
        reply.password = value;
      } else if (name == "USER_NT_HASH") {
        auto bin = FromHex(value);
        bad = !bin || bin->size() != nt_hash.size();
        if (!bad) {
          std::copy(bin->begin(), bin->end(), nt_hash.begin());
          have_nt_hash = true;
          OPENSSL_cleanse(bin->data(), bin->size());
        }
      } else if (name == "FRAMED_IP_ADDRESS") {
        // "a.b.c.d" or "a.b.c.d/width" (mpd5 ParseRange).
        std::string_view v = value;
        uint8_t width = 32;
        size_t slash = v.find('/');
        if (slash != std::string_view::npos) {
          bad = !ParseUint(v.substr(slash + 1), &width) || width > 32;
          v = v.substr(0, slash);
        }
        uint32_t a = 0;
        if (!bad && ParseIpv4(v, &a)) {
          attrs.framed_ip = a;
          attrs.framed_ip_width = width;
        } else {
          bad = true;
        }
      } else if (name == "PRIMARY_DNS_SERVER" || name == "SECONDARY_DNS_SERVER") {
        uint32_t a = 0;
        bad = !ParseIpv4(value, &a);
        if (!bad) attrs.dns[name[0] == 'P' ? 0 : 1] = a;
      } else if (name == "FRAMED_ROUTE") {
        attrs.framed_routes.push_back(value);
      } else if (name == "FRAMED_POOL") {
        attrs.framed_pool = value;
      } else if (name == "FRAMED_MTU") {
        uint16_t mtu = 0;
        bad = !ParseUint(value, &mtu);
        if (!bad) attrs.framed_mtu = mtu;
      } else if (name == "SESSION_TIMEOUT" || name == "IDLE_TIMEOUT" ||
                 name == "ACCT_INTERIM_INTERVAL") {
        uint32_t secs = 0;
        bad = !ParseUint(value, &secs);
        if (!bad) {
          (name == "SESSION_TIMEOUT" ? attrs.session_timeout
           : name == "IDLE_TIMEOUT"  ? attrs.idle_timeout
                                     : attrs.acct_interim) = secs;
        }
      } else if (name == "REPLY_MESSAGE") {
        reply_message = value;
      } else if (name == "MS_CHAP_ERROR") {
        attrs.mschap_error = value;
      } else {
        MLOG_DEBUG(kAuth, "ext-auth: attribute {} not supported, ignored", name);
      }
      if (bad) {
        // Values of USER_PASSWORD are never parsed here, so never logged.
        MLOG_PEER_ERROR(limiter_, kAuth, "ext-auth: bad {} value, ignored", name);
      }
    }
    if (!have_result) why = fmt::format("{} sent no RESULT", script_);
  }

  // mpd5 AuthAsync: a script that cannot answer passes the request on; so
  // does UNDEF without a password (nothing to verify against).
  bool ok = false;
  bool undecided = false;
  const bool mschap = req.proto == AuthProto::kChapMsV1 || req.proto == AuthProto::kChapMsV2;
  AuthResult mschap_result;
  if (!why.empty()) {
    reply.verdict = ExtAuthReply::Verdict::kError;
    undecided = true;
  } else if (reply.verdict == ExtAuthReply::Verdict::kSuccess) {
    ok = true;
  } else if (reply.verdict == ExtAuthReply::Verdict::kFail) {
    why = "script said FAIL";
  } else if (mschap && have_nt_hash) {
    // RFC 2433 §A / RFC 2759 §8 against the returned NT hash.
    mschap_result = VerifyMsChap(req, nt_hash);
    ok = mschap_result.ok;
    if (!ok) why = "wrong password";
  } else if (!reply.password) {
    why = "UNDEF without USER_PASSWORD";
    undecided = true;
  } else if (req.proto == AuthProto::kPap) {
    // mpd5 leaves the check to the PAP code (RFC 1334 §2.2.1).
    ok = SameBytes(req.pap_password.data(), req.pap_password.size(), reply.password->data(),
                   reply.password->size());
    if (!ok) why = "wrong password";
  } else if (req.proto == AuthProto::kChapMd5) {
    auto expect = ChapMd5Response(req.chap_id, *reply.password, req.chap_challenge);
    ok =
        SameBytes(req.chap_response.data(), req.chap_response.size(), expect.data(), expect.size());
    if (!ok) why = "wrong password";
  } else if (mschap) {
    mschap_result = VerifyMsChapPassword(req, *reply.password);
    ok = mschap_result.ok;
    if (!ok) why = "wrong password";
  } else {
    why = fmt::format("UNDEF: cannot verify {} locally", AuthProtoName(req.proto));
    undecided = true;
  }
  OPENSSL_cleanse(nt_hash.data(), nt_hash.size());
  if (mschap && !ok && attrs.mschap_error.empty()) {
    attrs.mschap_error = std::move(mschap_result.mschap_error);
  }

  if (ok) {
    reply.result = std::move(attrs);
    reply.result.ok = true;
    reply.result.message = reply_message.value_or("authenticated");
    if (mschap_result.ok) {
      reply.result.mschap_success = std::move(mschap_result.mschap_success);
      reply.result.mppe = mschap_result.mppe;
    }
  } else {
    reply.result = AuthResult{};
    reply.result.undecided = undecided;
    reply.result.mschap_error = std::move(attrs.mschap_error);
    reply.result.message = reply_message.value_or("authentication failed");
    MLOG_PEER_ERROR(limiter_, kAuth, "ext-auth of \"{}\" failed: {}", req.user, why);
  }
  return reply;
}

// ---- ext-acct ----

ExtAcct::ExtAcct(std::string script, RunBlocking run, std::chrono::milliseconds timeout)
    : script_(std::move(script)),
      run_(std::move(run)),
      timeout_(timeout),
      alive_(std::make_shared<char>()) {}

ExtAcct::~ExtAcct() = default;

void ExtAcct::Send(const AcctEvent& ev, std::function<void(ExtAcctReply)> done) {
  if (!ExtSafeValue(ev.user)) {
    MLOG_PEER_ERROR(limiter_, kAuth, "ext-acct: denied character in user name");
    if (done) done(ExtAcctReply{false, false, "denied character in user name"});
    return;
  }
  struct Job {
    std::string script;
    std::vector<std::string> args;
    std::string input;
    std::chrono::milliseconds timeout;
    std::optional<Result<ScriptOutput>> out;
  };
  auto job = std::make_shared<Job>();
  job->script = script_;
  job->args = {ev.user};
  job->input = BuildExtAcctRequest(ev);
  job->timeout = timeout_;
  std::weak_ptr<char> alive = alive_;
  run_([job] { job->out = RunScript(job->script, job->args, job->input, job->timeout); },
       [this, alive, job, user = ev.user, status = ev.status, done = std::move(done)] {
         if (alive.expired()) return;
         ExtAcctReply r;
         if (!job->out || !job->out->ok()) {
           r.error = job->out ? job->out->error() : "not run";
         } else if ((*job->out)->timed_out) {
           r.error = fmt::format("{} timed out", script_);
         } else {
           r.ok = true;
           for (auto& [name, value] : ParseExtReply((*job->out)->out)) {
             if (name == "MPD_DROP_USER") {
               int v = 0;  // mpd5: atoi(value) != 0
               std::from_chars(value.data(), value.data() + value.size(), v);
               r.drop_user = v != 0;
             } else {
               MLOG_DEBUG(kAuth, "ext-acct: attribute {} not supported, ignored", name);
             }
           }
         }
         if (!r.ok) {
           MLOG_PEER_ERROR(limiter_, kAuth, "ext-acct {} for \"{}\" failed: {}",
                           AcctStatusName(status), user, r.error);
         }
         if (done) done(std::move(r));
       });
}

}  // namespace mlppp::aaa
