// mlpppd: argv, daemonize, wiring only.
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio/signal_set.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "aaa/internal_backend.h"
#include "bundle/null_iface.h"
#include "bundle/tun_iface.h"
#include "config/engine.h"
#include "core/log.h"
#include "core/version.h"
#include "daemon/control_servers.h"
#include "daemon/daemon.h"
#include "event/asio_loop.h"
#include "os/worker_pool.h"

namespace {

constexpr const char* kVersion = mlppp::kVersionString;

struct Args {
  std::string dir = "/etc/mlpppd";
  std::string file = "mpd.conf";
  std::string pidfile = "/run/mlpppd.pid";
  std::string ident = "mlpppd";
  std::string label;
  bool background = false, kill_running = false, one_shot = false, check = false;
  bool debug = false;
  std::string log_file;
  bool syslog = false;
  mlppp::log::Level level = mlppp::log::Level::kInfo;
  bool level_given = false;
  bool no_iface = false;
};

void Usage(FILE* out) {
  std::fprintf(out,
               "Usage: mlpppd [options] [configuration]\n"
               "  -b, --background       run as a background daemon (logs to syslog)\n"
               "  -d, --directory DIR    configuration directory (default /etc/mlpppd)\n"
               "  -f, --file FILE        configuration file (default mpd.conf)\n"
               "  -o, --one-shot         exit when the last non-template link goes away\n"
               "  -p, --pidfile FILE     PID file (default /run/mlpppd.pid)\n"
               "  -k, --kill             kill the running mlpppd (from the PID file) first\n"
               "  -s, --syslog-ident ID  syslog ident (default mlpppd)\n"
               "  -l, --log-file FILE    also log to FILE (appended)\n"
               "      --syslog           also log to syslog in the foreground\n"
               "      --log-level LEVEL  debug, info (default), warn or error\n"
               "      --check            parse the configuration, print errors, exit\n"
               "      --no-iface         no host interfaces (a load generator for benchmarks)\n"
               "      --debug            debug-level logging\n"
               "  -v, --version          print the version\n"
               "  -h, --help             this help\n"
               "configuration: the label to run after startup: (default: default)\n");
}

int ParseArgs(int argc, char** argv, Args* a) {
  static const option kLong[] = {{"background", no_argument, nullptr, 'b'},
                                 {"directory", required_argument, nullptr, 'd'},
                                 {"file", required_argument, nullptr, 'f'},
                                 {"one-shot", no_argument, nullptr, 'o'},
                                 {"pidfile", required_argument, nullptr, 'p'},
                                 {"kill", no_argument, nullptr, 'k'},
                                 {"syslog-ident", required_argument, nullptr, 's'},
                                 {"check", no_argument, nullptr, 'C'},
                                 {"debug", no_argument, nullptr, 'D'},
                                 {"log-file", required_argument, nullptr, 'l'},
                                 {"syslog", no_argument, nullptr, 'S'},
                                 {"log-level", required_argument, nullptr, 'L'},
                                 {"no-iface", no_argument, nullptr, 'N'},
                                 {"version", no_argument, nullptr, 'v'},
                                 {"help", no_argument, nullptr, 'h'},
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "bd:f:op:ks:l:vh", kLong, nullptr)) != -1) {
    switch (c) {
      case 'b':
        a->background = true;
        break;
      case 'd':
        a->dir = optarg;
        break;
      case 'f':
        a->file = optarg;
        break;
      case 'o':
        a->one_shot = true;
        break;
      case 'p':
        a->pidfile = optarg;
        break;
      case 'k':
        a->kill_running = true;
        break;
      case 's':
        a->ident = optarg;
        break;
      case 'C':
        a->check = true;
        break;
      case 'D':
        a->debug = true;
        break;
      case 'l':
        a->log_file = optarg;
        break;
      case 'S':
        a->syslog = true;
        break;
      case 'L':
        if (!mlppp::log::LevelFromName(optarg, &a->level)) {
          std::fprintf(stderr, "mlpppd: unknown log level \"%s\"\n", optarg);
          return 2;
        }
        a->level_given = true;
        break;
      case 'N':
        a->no_iface = true;
        break;
      case 'v':
        std::puts(kVersion);
        return 0;
      case 'h':
        Usage(stdout);
        return 0;
      default:
        Usage(stderr);
        return 2;
    }
  }
  if (optind < argc) a->label = argv[optind++];
  if (optind < argc) {
    Usage(stderr);
    return 2;
  }
  return -1;
}

// mpd5 -k: signal the daemon in the PID file and wait for it to go.
void KillRunning(const std::string& pidfile) {
  std::ifstream in(pidfile);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 1) return;
  if (kill(pid, SIGTERM) != 0) return;
  for (int i = 0; i < 100 && kill(pid, 0) == 0; ++i) usleep(100000);
}

// Opens and locks the PID file; fails if another mlpppd holds it.
int LockPidfile(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return -2;
  }
  return fd;
}

void WritePid(int fd) {
  std::string s = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) == 0) (void)!pwrite(fd, s.data(), s.size(), 0);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (int rc = ParseArgs(argc, argv, &args); rc >= 0) return rc;

  auto loaded = mlppp::config::LoadConfig(args.dir, args.file, args.label);
  for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
  if (args.check) return loaded.fatal || loaded.HasErrors() ? 1 : 0;
  if (loaded.fatal) return 78;  // EX_CONFIG, as mpd5

  if (args.kill_running) KillRunning(args.pidfile);
  int pidfd = LockPidfile(args.pidfile);
  if (pidfd == -2) {
    std::fprintf(stderr, "mlpppd: another mlpppd is running (%s is locked)\n",
                 args.pidfile.c_str());
    return 1;
  }
  if (args.background) {
    if (daemon(0, 0) != 0) {
      std::perror("daemon");
      return 1;
    }
  }
  // Foreground: stderr; background: syslog; either may add a file, and the
  // foreground may add syslog too.
  mlppp::log::Sinks sinks;
  sinks.to_stderr = !args.background;
  if (args.background || args.syslog) sinks.syslog_ident = args.ident;
  sinks.file = args.log_file;
  sinks.level = args.level_given ? args.level
                : args.debug     ? mlppp::log::Level::kDebug
                                 : mlppp::log::Level::kInfo;
  if (std::string err; !mlppp::log::Init(sinks, &err)) {
    MLOG_ERROR(kEvents, "cannot open log file {}: {}", args.log_file, err);
  }
  if (pidfd >= 0) WritePid(pidfd);
  // `log +cat -cat` lines in mpd.conf adjust mpd5's default categories.
  mlppp::log::SetMask((mlppp::log::DefaultMask() | loaded.config.log_enable) &
                      ~loaded.config.log_disable);
  signal(SIGPIPE, SIG_IGN);
  MLOG_INFO(kEvents, "{} started", kVersion);

  mlppp::event::AsioLoop loop;
  mlppp::os::WorkerPool pool(loop, 2);
  mlppp::bundle::TunIfaceFactory tun_ifaces(loop, pool);
  mlppp::bundle::NullIfaceFactory null_ifaces(loop);
  mlppp::bundle::IfaceFactory& ifaces =
      args.no_iface ? static_cast<mlppp::bundle::IfaceFactory&>(null_ifaces) : tun_ifaces;
  mlppp::aaa::RunBlocking run_blocking = [&pool](std::function<void()> work,
                                                 std::function<void()> done) {
    pool.Run(std::move(work), std::move(done));
  };
  // The pool runs mpd.secret `!program` password programs.
  mlppp::aaa::InternalBackend internal(args.dir + "/mpd.secret", run_blocking);
  mlppp::daemon::RadiusStats radius_stats;  // outlives the daemon and its clients
  mlppp::daemon::AuthDeps auth;
  auth.internal = &internal;
  auth.radius_stats = &radius_stats;
  auth.make_radius = [&loop, &radius_stats](const mlppp::config::LinkConf& c) {
    return mlppp::daemon::MakeRadiusAuth(loop, c, &radius_stats);
  };
  auth.run_blocking = run_blocking;
  mlppp::daemon::DaemonOptions opts;
  opts.config_dir = args.dir;
  opts.one_shot = args.one_shot;
  std::function<void()> graceful_shutdown;  // set once the daemon exists
  opts.request_shutdown = [&graceful_shutdown] { graceful_shutdown(); };
  mlppp::daemon::Daemon daemon(loop, std::move(loaded.config), opts, std::move(auth), ifaces);
  graceful_shutdown = [&] { daemon.Shutdown([&] { loop.Stop(); }); };
  // The console and the web interface (`set console open`, `set web open`).
  mlppp::daemon::ControlServers control(loop, daemon);
  control.Apply(daemon.config());
  if (!daemon.Start()) MLOG_WARN(kEvents, "nothing to do: no listener and no link opened");

  int exit_code = 0;
  asio::signal_set graceful(loop.context(), SIGTERM, SIGINT);
  asio::signal_set fatal(loop.context(), SIGHUP);
  graceful.async_wait([&](const std::error_code& ec, int sig) {
    if (ec) return;
    MLOG_INFO(kEvents, "caught signal {}, shutting down", strsignal(sig));
    graceful_shutdown();
  });
  asio::signal_set stats(loop.context(), SIGUSR1);
  std::function<void()> wait_stats = [&] {
    stats.async_wait([&](const std::error_code& ec, int) {
      if (ec) return;
      daemon.LogStats();
      wait_stats();
    });
  };
  wait_stats();
  fatal.async_wait([&](const std::error_code& ec, int) {
    if (ec) return;
    MLOG_WARN(kEvents, "caught SIGHUP: immediate shutdown");
    exit_code = 1;
    loop.Stop();
  });
  loop.Run();
  // Run the deletions deferred by the last callbacks while the daemon that
  // owns the ports is still alive.
  loop.context().restart();
  loop.context().poll();
  MLOG_INFO(kEvents, "exiting");
  if (pidfd >= 0) {
    unlink(args.pidfile.c_str());
    close(pidfd);
  }
  return exit_code;
}
