// mpd5's external-script back ends (`set auth enable ext-auth ext-acct`,
// `set auth extauth-script|extacct-script`; mpd5 auth.c AuthExternal and
// AuthExternalAcct). The script gets the user name as its one argument,
// NAME:value lines and an empty line on stdin, and answers NAME:value lines
// on stdout, ending at an empty line or EOF.
//
// Unlike mpd5 (popen of "<script> '<user>'"), the script is run directly
// with the user name as a separate argv element, so no shell ever sees it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aaa/accounting.h"
#include "aaa/auth_backend.h"
#include "aaa/run_blocking.h"
#include "core/log.h"
#include "core/result.h"

namespace mlppp::aaa {

inline constexpr std::chrono::milliseconds kDefaultScriptTimeout{10000};

// ---- Running a script (blocking: call from RunBlocking work only) ----

struct ScriptOutput {
  std::string out;              // stdout, up to the reply's end marker
  bool timed_out = false;       // killed before it finished its reply
  int exit_status = -1;         // exit code; -1 if killed by a signal or unknown
  bool reply_complete = false;  // an empty line or EOF ended the reply
};

// Runs `path` with argv {path, args...}, stdin fed `input` then closed,
// stdout read until an empty line or EOF (at most 64 KiB), stderr
// inherited. The child runs in its own process group; if it has not
// finished its reply and exited within `timeout`, the whole group gets
// SIGKILL. The child is always reaped before returning. Errors: the script
// cannot be started, or too much output.
Result<ScriptOutput> RunScript(const std::string& path, const std::vector<std::string>& args,
                               std::string_view input, std::chrono::milliseconds timeout);

// ---- The protocol ----

// AUTH_TYPE values: "PAP", "CHAP MD5", "CHAP MSOFT", "CHAP MSOFTv2", "EAP".
std::string_view ExtAuthTypeName(AuthProto p);

// Splits a reply into (NAME, value) pairs, stopping at the first empty line.
// A line without ':' gives an empty value; a trailing '\r' is dropped.
std::vector<std::pair<std::string, std::string>> ParseExtReply(std::string_view out);

// The request the ext-auth script reads (mpd5 order). REQUIRES:
// ExtSafeValue(req.user) and, for PAP, ExtSafeValue(req.pap_password).
std::string BuildExtAuthRequest(const AuthRequest& req, const SessionInfo& info);
// The request the ext-acct script reads (mpd5 order).
std::string BuildExtAcctRequest(const AcctEvent& ev);

// The session facts an AuthRequest carries, as script attributes.
SessionInfo SessionInfoFromContext(const SessionContext& ctx);

// True if `v` can be sent as one attribute value: no CR, LF or NUL.
bool ExtSafeValue(std::string_view v);

// ---- ext-auth ----

struct ExtAuthReply {
  // RESULT: SUCCESS, FAIL or UNDEF; kError: the script could not be run,
  // timed out, or sent no RESULT (mpd5 treats that as FAIL).
  enum class Verdict : uint8_t { kSuccess, kFail, kUndef, kError };
  Verdict verdict = Verdict::kError;
  // ok: SUCCESS, or UNDEF with a USER_PASSWORD that matched the peer's PAP
  // password / CHAP-MD5 response (RFC 1994 §4.1) / MS-CHAP response (RFC
  // 2433, RFC 2759; also against USER_NT_HASH), which also fills
  // mschap_success and mppe. Reply attributes are filled in only when ok.
  // result.undecided (mpd5 falls through to the next back end): kError, or
  // UNDEF with nothing to verify against. FAIL is a definite reject.
  AuthResult result;
  std::optional<std::string> user_name;  // USER_NAME: replaces the auth name
  // USER_PASSWORD as returned (UNDEF): a secret, never logged.
  std::optional<std::string> password;
};
std::string_view ExtVerdictName(ExtAuthReply::Verdict v);

class ExtAuthBackend : public AuthBackend {
 public:
  ExtAuthBackend(std::string script, RunBlocking run,
                 std::chrono::milliseconds timeout = kDefaultScriptTimeout);
  // Outstanding scripts still run to completion on their worker; their
  // callbacks are dropped.
  ~ExtAuthBackend() override;
  ExtAuthBackend(const ExtAuthBackend&) = delete;
  ExtAuthBackend& operator=(const ExtAuthBackend&) = delete;

  // AuthBackend: session facts from req.ctx (SessionInfoFromContext).
  void Authenticate(const AuthRequest& req, std::function<void(AuthResult)> done) override;
  // The full answer, with session facts sent to the script. `done` runs on
  // the loop thread (through RunBlocking), unless the backend is destroyed
  // first; or before returning if the user name cannot be sent safely.
  void AuthenticateExt(const AuthRequest& req, const SessionInfo& info,
                       std::function<void(ExtAuthReply)> done);

  // Applies a script's reply to the request (UNDEF verification included).
  // Public for tests; no I/O.
  ExtAuthReply Interpret(const AuthRequest& req, const Result<ScriptOutput>& out);

 private:
  std::string script_;
  RunBlocking run_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<char> alive_;  // callbacks hold a weak_ptr to this
  log::RateLimit limiter_;
};

// ---- ext-acct ----

struct ExtAcctReply {
  bool ok = false;         // the script ran and finished its reply
  bool drop_user = false;  // MPD_DROP_USER nonzero: disconnect the session
  std::string error;       // when !ok
};

class ExtAcct {
 public:
  ExtAcct(std::string script, RunBlocking run,
          std::chrono::milliseconds timeout = kDefaultScriptTimeout);
  ~ExtAcct();
  ExtAcct(const ExtAcct&) = delete;
  ExtAcct& operator=(const ExtAcct&) = delete;

  // Runs the script for one event. `done` (optional) runs on the loop
  // thread unless this object is destroyed first; or before returning if
  // the user name cannot be sent safely.
  void Send(const AcctEvent& ev, std::function<void(ExtAcctReply)> done = {});

 private:
  std::string script_;
  RunBlocking run_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<char> alive_;
  log::RateLimit limiter_;
};

}  // namespace mlppp::aaa
