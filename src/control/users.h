// Console and web logins against `set user` (mpd5 console.c UserCommand).
#pragma once

#include <vector>

#include "config/model.h"
#include "control/command_session.h"

namespace mlppp::control {

// The privilege of `user` when `password` matches its `set user` entry.
// The comparison takes the same time whatever the password's content
// (CRYPTO_memcmp over equal lengths), so timing tells nothing of it.
std::optional<Privilege> CheckLogin(const std::vector<config::UserConf>& users,
                                    const std::string& user, const std::string& password);

}  // namespace mlppp::control
