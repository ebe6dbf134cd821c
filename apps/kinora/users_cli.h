// `kinora users …` and `kinora tokens create`: the operator's account commands, run against the
// catalog's database configured as for `serve` (--data-dir, --db, KINORA_DB), also while a
// server runs on it. A secret the command makes (a generated password, a token) is the only
// thing on stdout, so `TOKEN=$(kinora tokens create …)` works; every message goes to stderr.
// Thread safety: main()'s thread only.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "config.h"

namespace CLI {
class App;
}  // namespace CLI

namespace kinora::app {

class UsersCommands;

// Adds `users` (create, reset-password, list, disable, enable) and `tokens` (create) to `app`;
// their --data-dir and --db fill `flags`. Keep the result alive until RunUsersCommands.
std::shared_ptr<UsersCommands> AddUsersCommands(CLI::App& app, RawSettings& flags);

// After parsing: the exit code of the account command given (0 done, 1 refused or failed, 2 bad
// settings), or nullopt when the command line named none of them. `load` validates the settings.
std::optional<int> RunUsersCommands(const UsersCommands& commands,
                                    const std::function<std::optional<Config>()>& load);

}  // namespace kinora::app
