// mpd5's /cmd and /bincmd (web.c WebRunCmd, WebRunBinCmd): the query
// string is a list of '&'-separated, URL-encoded command lines run one
// after another in one command session, so a context set by the first
// (`link L1`) applies to the next (`close`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "control/command_session.h"

namespace mlppp::control::web {

// The command lines in a raw query string: split on '&', empty parts
// dropped, each URL-decoded (%XX and '+') and cut at a decoded NUL as
// mpd5's C strings are; at most kMaxWebCommands.
inline constexpr size_t kMaxWebCommands = 64;
std::vector<std::string> DecodeCommands(std::string_view raw_query);

// /cmd's page body: a Back link, then in one <pre> each command's prompt,
// the command and its output, then Back again. All of it HTML-escaped.
std::string CmdPageHtml(const std::vector<std::string>& commands, CommandSession& session);

// /bincmd's text: each command's raw output followed by
// `RESULT: <code> <message>\n` (mpd5 prints "RESULT: %d %s\n", so an OK
// command ends in "RESULT: 0 \n").
std::string BinCmdText(const std::vector<std::string>& commands, CommandSession& session);

}  // namespace mlppp::control::web
