#include "aaa/system_acct.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string_view>

#include "core/ip_literal.h"

namespace mlppp::aaa {
namespace {

// glibc's utmp functions (utmpxname, setutxent, getutxid, pututxline,
// endutxent) share one per-process file name, descriptor and position, and
// are not thread-safe: two workers, or two SystemAcct objects with
// different files (tests), would write through each other's state. Every
// use holds this lock and sets the file name again first. (While it waits
// for the file's lock, glibc briefly installs its own SIGALRM handler.)
std::mutex g_utmp_mutex;

// utmp fields are fixed-size and need no NUL when full (utmp(5)).
template <size_t N>
void Put(char (&field)[N], std::string_view v) {
  std::memset(field, 0, N);
  if (!v.empty()) std::memcpy(field, v.data(), std::min(N, v.size()));
}

}  // namespace

utmpx SystemAcctRecord(const AcctEvent& ev) {
  utmpx ut;
  std::memset(&ut, 0, sizeof ut);
  ut.ut_type = USER_PROCESS;
  std::string line = !ev.iface.empty() ? ev.iface : ev.session.link;
  Put(ut.ut_line, line);
  std::string id = ev.session.nas_port != 0 ? fmt::format("{:04x}", ev.session.nas_port & 0xffff)
                   : line.size() > 4        ? line.substr(line.size() - 4)
                                            : line;
  Put(ut.ut_id, id);
  Put(ut.ut_user, ev.user);
  std::string host = !ev.session.peer_addr.empty()            ? ev.session.peer_addr
                     : !ev.session.calling_station_id.empty() ? ev.session.calling_station_id
                     : ev.framed_ip                           ? Ipv4ToString(*ev.framed_ip)
                                                              : std::string();
  Put(ut.ut_host, host);
  if (ev.framed_ip) {
    uint32_t be = htonl(*ev.framed_ip);
    std::memcpy(&ut.ut_addr_v6[0], &be, sizeof be);
  }
  return ut;
}

SystemAcct::SystemAcct(RunBlocking run, std::string utmp_path, std::string wtmp_path)
    : run_(std::move(run)), utmp_path_(std::move(utmp_path)), wtmp_path_(std::move(wtmp_path)) {}

SystemAcct::~SystemAcct() = default;

void SystemAcct::Start(const AcctEvent& ev, std::function<void(bool)> done) {
  Write(ev, true, std::move(done));
}

void SystemAcct::Stop(const AcctEvent& ev, std::function<void(bool)> done) {
  Write(ev, false, std::move(done));
}

void SystemAcct::Write(const AcctEvent& ev, bool start, std::function<void(bool)> done) {
  struct Job {
    utmpx ut;
    bool start;
    std::string utmp_path, wtmp_path;
    std::string why;
  };
  auto job = std::make_shared<Job>();
  job->ut = SystemAcctRecord(ev);
  job->start = start;
  job->utmp_path = utmp_path_;
  job->wtmp_path = wtmp_path_;
  MLOG_INFO(kAuth, "[{}] ACCT: wtmp {} {} {}", ev.session.link,
            std::string_view(job->ut.ut_line, strnlen(job->ut.ut_line, sizeof job->ut.ut_line)),
            ev.user, start ? "login" : "logout");
  std::weak_ptr<char> alive = alive_;
  run_(
      [job] {
        utmpx& ut = job->ut;
        // A worker may read the clock: the record's time is the event's.
        timeval tv{};
        ::gettimeofday(&tv, nullptr);
        ut.ut_tv.tv_sec = static_cast<decltype(ut.ut_tv.tv_sec)>(tv.tv_sec);
        ut.ut_tv.tv_usec = static_cast<decltype(ut.ut_tv.tv_usec)>(tv.tv_usec);
        ut.ut_pid = ::getpid();
        if (!job->start) {
          ut.ut_type = DEAD_PROCESS;
          Put(ut.ut_user, {});
          Put(ut.ut_host, {});
          std::memset(ut.ut_addr_v6, 0, sizeof ut.ut_addr_v6);
        }
        {
          std::lock_guard lock(g_utmp_mutex);
          if (::utmpxname(job->utmp_path.c_str()) != 0) {
            job->why = fmt::format("{}: {}", job->utmp_path, std::strerror(errno));
          } else {
            ::setutxent();
            // Stop: only a record Start wrote is turned DEAD (pututxline
            // finds it by ut_id); otherwise utmp is left alone.
            bool write = job->start;
            if (!write) {
              utmpx key = ut;
              key.ut_type = USER_PROCESS;
              write = ::getutxid(&key) != nullptr;
            }
            errno = 0;
            if (write && !::pututxline(&ut))
              job->why = fmt::format("{}: {}", job->utmp_path, std::strerror(errno));
            ::endutxent();
          }
        }
        // updwtmpx takes the path itself and locks the file on its own, but
        // reports nothing, and skips a missing file: check first, so that a
        // lost wtmp record is at least logged.
        if (::access(job->wtmp_path.c_str(), W_OK) != 0) {
          if (job->why.empty())
            job->why = fmt::format("{}: {}", job->wtmp_path, std::strerror(errno));
        } else {
          ::updwtmpx(job->wtmp_path.c_str(), &ut);
        }
      },
      [this, alive, job, link = ev.session.link, done = std::move(done)] {
        if (alive.expired()) return;
        if (!job->why.empty())
          MLOG_PEER_ERROR(limiter_, kAuth, "[{}] system-acct {}: {}", link,
                          job->start ? "login" : "logout", job->why);
        done(job->why.empty());
      });
}

}  // namespace mlppp::aaa
