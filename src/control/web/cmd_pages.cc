#include "control/web/cmd_pages.h"

#include <fmt/format.h>

#include "control/command_shell.h"
#include "control/web/text_util.h"
#include "core/log.h"

namespace mlppp::control::web {
namespace {

// Logs which command ran but not its arguments: `set user NAME PASSWORD`
// must not put a password in the log.
void LogCommand(std::string_view prompt, std::string_view line) {
  MLOG_INFO(kConsole, "{}WEB: {}", prompt, LogSafeCommand(line));
}

}  // namespace

std::vector<std::string> DecodeCommands(std::string_view raw_query) {
  std::vector<std::string> out;
  for (std::string_view part : SplitQuery(raw_query, kMaxWebCommands)) {
    std::string line = UrlDecode(part);
    if (size_t nul = line.find('\0'); nul != std::string::npos) line.resize(nul);
    if (!line.empty()) out.push_back(std::move(line));
  }
  return out;
}

std::string CmdPageHtml(const std::vector<std::string>& commands, CommandSession& session) {
  std::string out = "<p>\n<a href=\"/\">Back</a>\n</p>\n";
  if (commands.empty()) {
    out += "<p>No command specified!</p>\n";
  } else {
    out += "<pre>\n";
    for (const auto& line : commands) {
      std::string prompt = session.Prompt();
      LogCommand(prompt, line);
      std::string output;
      session.Run(line, &output);
      out += HtmlEscape(prompt);
      out += HtmlEscape(line);
      out += '\n';
      out += HtmlEscape(output);
      if (session.ExitRequested()) break;
    }
    out += "</pre>\n";
  }
  out += "<p>\n<a href=\"/\">Back</a>\n</p>\n";
  return out;
}

std::string BinCmdText(const std::vector<std::string>& commands, CommandSession& session) {
  std::string out;
  for (const auto& line : commands) {
    LogCommand(session.Prompt(), line);
    CommandResult r = session.Run(line, &out);
    out += fmt::format("RESULT: {} {}\n", static_cast<int>(r.code), r.error);
    if (session.ExitRequested()) break;
  }
  return out;
}

}  // namespace mlppp::control::web
