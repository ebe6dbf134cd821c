#include "users_cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/time.h"
#include "kinora/core/utf8.h"
#include "kinora/identity/password.h"
#include "kinora/identity/rights.h"
#include "kinora/identity/secrets.h"
#include "kinora/identity/store.h"

namespace kinora::app {

namespace fs = std::filesystem;
using identity::IdentityStore;
using identity::User;

// What the command line said; CLI11 writes into it while parsing.
class UsersCommands {
 public:
  CLI::App* create = nullptr;
  CLI::App* reset = nullptr;
  CLI::App* list = nullptr;
  CLI::App* disable = nullptr;
  CLI::App* enable = nullptr;
  CLI::App* token = nullptr;

  std::string username;
  std::string role = "user";
  bool password_stdin = false;
  int64_t quota_bytes = 0;
  int64_t daily_quota_bytes = 0;
  std::string token_name;
  std::vector<std::string> scopes;
  int expires_in_days = 0;  // 0: never
};

namespace {

constexpr int kDone = 0;
constexpr int kFailed = 1;
constexpr int kBadSettings = 2;

int Fail(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "kinora %s: %s\n", command.c_str(), message.c_str());
  return kFailed;
}

int Fail(const std::string& command, const Error& e) { return Fail(command, e.message); }

int64_t NowMillis() { return UnixMillis(std::chrono::system_clock::now()); }

// The catalog's database. Only `users create` may make a new SQLite file (an operator may
// create accounts before the first `serve`); the other commands on a missing file would only
// show an empty database where the operator expected theirs.
Result<std::unique_ptr<IdentityStore>> OpenStore(const Config& c, bool may_create) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (std::string_view(c.db_url).starts_with(kSqlite)) {
    const fs::path file = c.db_url.substr(kSqlite.size());
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      if (!may_create) {
        return NotFound("no database at " + file.string() +
                        " (is --data-dir or KINORA_DB the one the server uses?)");
      }
      fs::create_directories(file.parent_path(), ec);
      if (ec)
        return Unavailable("cannot create " + file.parent_path().string() + ": " + ec.message());
    }
  }
  return identity::OpenIdentityStore(c.db_url);
}

// One line from stdin, without its line ending.
Result<std::string> PasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return InvalidArgument("no password on stdin");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  KINORA_TRY_VOID(identity::CheckNewPassword(line));
  return line;
}

// The password to set: from stdin, or generated (then shown once and to be changed).
struct NewPassword {
  std::string hash;
  std::string generated;  // empty when the operator gave it
};

Result<NewPassword> MakePassword(bool from_stdin) {
  NewPassword out;
  std::string secret;
  if (from_stdin) {
    KINORA_TRY(secret, PasswordFromStdin());
  } else {
    secret = out.generated = identity::GeneratePassword();
  }
  KINORA_TRY(out.hash, identity::HashPassword(secret));
  return out;
}

void ShowGenerated(const NewPassword& p, const std::string& username) {
  if (p.generated.empty()) return;
  std::fprintf(stderr,
               "the generated password of '%s' follows on stdout; it is shown only this once "
               "and must be changed at the first sign-in\n",
               username.c_str());
  std::printf("%s\n", p.generated.c_str());
}

int CreateUser(IdentityStore& store, const UsersCommands& a) {
  const std::string cmd = "users create";
  if (!identity::IsValidUsername(a.username)) {
    return Fail(cmd, "a username is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
  }
  auto password = MakePassword(a.password_stdin);
  if (!password) return Fail(cmd, password.error());
  User u;
  u.username = a.username;
  u.password_hash = password->hash;
  u.role = identity::ParseRole(a.role).value_or(identity::Role::kUser);
  u.must_change_password = !password->generated.empty();
  u.quota_bytes = a.quota_bytes;
  u.daily_quota_bytes = a.daily_quota_bytes;
  auto created = store.CreateUser(u);
  if (!created) return Fail(cmd, created.error());
  std::fprintf(stderr, "created the %s '%s' (id %s)\n", a.role.c_str(), created->username.c_str(),
               created->user_id.c_str());
  ShowGenerated(*password, created->username);
  return kDone;
}

int ResetPassword(IdentityStore& store, const UsersCommands& a) {
  const std::string cmd = "users reset-password";
  auto u = store.FindUser(a.username);
  if (!u) return Fail(cmd, u.error());
  auto password = MakePassword(a.password_stdin);
  if (!password) return Fail(cmd, password.error());
  u->password_hash = password->hash;
  u->must_change_password = !password->generated.empty();
  u->failed_logins = 0;
  u->locked_until = 0;
  if (auto r = store.UpdateUser(*u); !r) return Fail(cmd, r.error());
  auto ended = store.DeleteUserSessions(u->user_id, "");
  if (!ended) return Fail(cmd, ended.error());
  std::fprintf(stderr, "reset the password of '%s' and ended %lld session(s)\n",
               u->username.c_str(), static_cast<long long>(*ended));
  ShowGenerated(*password, u->username);
  return kDone;
}

int ListUsers(IdentityStore& store) {
  auto users = store.ListUsers();
  if (!users) return Fail("users list", users.error());
  std::vector<std::vector<std::string>> rows = {{"USERNAME", "ROLE", "DISABLED", "CREATED"}};
  for (const User& u : *users) {
    const SysTime created{
        std::chrono::duration_cast<SysTime::duration>(std::chrono::milliseconds(u.created_at))};
    rows.push_back({u.username, std::string(identity::ToString(u.role)), u.disabled ? "yes" : "no",
                    FormatIso8601(created)});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
  return kDone;
}

// Disabling ends the user's sessions at once (their tokens stop working too: the server checks
// the user on every request); enabling also lifts a sign-in lock-out.
int SetDisabled(IdentityStore& store, const UsersCommands& a, bool disabled) {
  const std::string cmd = disabled ? "users disable" : "users enable";
  auto u = store.FindUser(a.username);
  if (!u) return Fail(cmd, u.error());
  u->disabled = disabled;
  if (!disabled) {
    u->failed_logins = 0;
    u->locked_until = 0;
  }
  if (auto r = store.UpdateUser(*u); !r) return Fail(cmd, r.error());
  if (!disabled) {
    std::fprintf(stderr, "enabled '%s'\n", u->username.c_str());
    return kDone;
  }
  auto ended = store.DeleteUserSessions(u->user_id, "");
  if (!ended) return Fail(cmd, ended.error());
  std::fprintf(stderr, "disabled '%s' and ended %lld session(s)\n", u->username.c_str(),
               static_cast<long long>(*ended));
  return kDone;
}

int CreateToken(IdentityStore& store, const UsersCommands& a) {
  const std::string cmd = "tokens create";
  auto u = store.FindUser(a.username);
  if (!u) return Fail(cmd, u.error());
  if (u->disabled) return Fail(cmd, "'" + u->username + "' is disabled");
  if (a.token_name.empty() || a.token_name.size() > 100) {
    return Fail(cmd, "--name must be 1 to 100 characters");
  }
  if (!IsValidUtf8(a.token_name)) return Fail(cmd, "--name is not valid UTF-8 text");
  identity::ApiToken t;
  for (const std::string& name : a.scopes) {
    const auto scope = identity::ParseScope(name);
    if (!scope) return Fail(cmd, "unknown scope '" + name + "'");
    if (*scope == identity::Scope::kAdmin && u->role != identity::Role::kAdmin) {
      return Fail(cmd, "the admin scope is for an admin's token; '" + u->username + "' is a " +
                           std::string(identity::ToString(u->role)));
    }
    if (std::find(t.scopes.begin(), t.scopes.end(), *scope) == t.scopes.end()) {
      t.scopes.push_back(*scope);
    }
  }
  const std::string secret = identity::NewApiToken();
  t.token_id = NewUuid();
  t.user_id = u->user_id;
  t.name = a.token_name;
  t.hash = identity::HashSecret(secret);
  t.hint = identity::TokenHint(secret);
  t.created_at = NowMillis();
  if (a.expires_in_days > 0) t.expires_at = t.created_at + int64_t{a.expires_in_days} * 86400000;
  if (auto r = store.CreateToken(t); !r) return Fail(cmd, r.error());
  std::fprintf(stderr, "created the token '%s' (id %s, %s) for '%s'; it is shown only this once\n",
               t.name.c_str(), t.token_id.c_str(), t.hint.c_str(), u->username.c_str());
  std::printf("%s\n", secret.c_str());
  return kDone;
}

}  // namespace

std::shared_ptr<UsersCommands> AddUsersCommands(CLI::App& app, RawSettings& flags) {
  auto c = std::make_shared<UsersCommands>();
  auto database = [&flags](CLI::App* sub) {
    sub->add_option("--data-dir", flags.data_dir,
                    "Data directory (env KINORA_DATA_DIR, default ./kinora-data)");
    sub->add_option("--db", flags.db,
                    "Catalog URL: sqlite:///file or postgresql://… (env KINORA_DB, default "
                    "sqlite://<data>/catalog.db)");
  };
  auto name = [&c](CLI::App* sub, const char* what) {
    sub->add_option("name", c->username, what)->required();
  };
  auto password = [&c](CLI::App* sub) {
    sub->add_flag("--password-stdin", c->password_stdin,
                  "Read the password from the first line of stdin (otherwise one is generated, "
                  "printed once on stdout, and must be changed at the first sign-in)");
  };

  auto* users = app.add_subcommand(
      "users", "Manage accounts in the catalog's database (also while the server runs)");
  users->require_subcommand(1);
  c->create = users->add_subcommand("create", "Create an account");
  name(c->create, "Username: 1-64 of A-Z a-z 0-9 . _ -");
  c->create->add_option("--role", c->role, "user, moderator or admin (default user)")
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  password(c->create);
  c->create->add_option("--quota-bytes", c->quota_bytes, "Total upload quota (0: unlimited)")
      ->check(CLI::NonNegativeNumber);
  c->create
      ->add_option("--daily-quota-bytes", c->daily_quota_bytes,
                   "Upload quota per UTC day (0: unlimited)")
      ->check(CLI::NonNegativeNumber);
  c->reset = users->add_subcommand(
      "reset-password", "Set a new password (generated unless --password-stdin); ends sessions");
  name(c->reset, "Username");
  password(c->reset);
  c->list = users->add_subcommand("list", "List the accounts");
  c->disable = users->add_subcommand("disable", "Disable an account and end its sessions");
  name(c->disable, "Username");
  c->enable = users->add_subcommand("enable", "Enable an account and lift a sign-in lock-out");
  name(c->enable, "Username");
  for (CLI::App* sub : {c->create, c->reset, c->list, c->disable, c->enable}) database(sub);

  auto* tokens = app.add_subcommand("tokens", "Manage personal API tokens");
  tokens->require_subcommand(1);
  c->token = tokens->add_subcommand(
      "create", "Create a personal API token for a user and print it (only it) on stdout");
  name(c->token, "Username of the token's owner");
  c->token->add_option("--name", c->token_name, "What the token is for")->required();
  c->token
      ->add_option("--scope", c->scopes,
                   "videos:read, videos:write, analytics:read or admin (repeatable)")
      ->required()
      ->check(CLI::IsMember({"videos:read", "videos:write", "analytics:read", "admin"}));
  c->token->add_option("--expires-in-days", c->expires_in_days, "1-365 (default: never)")
      ->check(CLI::Range(1, 365));
  database(c->token);
  return c;
}

std::optional<int> RunUsersCommands(const UsersCommands& c,
                                    const std::function<std::optional<Config>()>& load) {
  CLI::App* chosen = nullptr;
  for (CLI::App* sub : {c.create, c.reset, c.list, c.disable, c.enable, c.token}) {
    if (sub && sub->parsed()) chosen = sub;
  }
  if (!chosen) return std::nullopt;
  const std::string command = chosen->get_parent()->get_name() + " " + chosen->get_name();
  const auto config = load();
  if (!config) return kBadSettings;
  auto store = OpenStore(*config, chosen == c.create);
  if (!store) return Fail(command, "cannot open the database: " + store.error().message);
  IdentityStore& s = **store;
  if (chosen == c.create) return CreateUser(s, c);
  if (chosen == c.reset) return ResetPassword(s, c);
  if (chosen == c.list) return ListUsers(s);
  if (chosen == c.disable) return SetDisabled(s, c, true);
  if (chosen == c.enable) return SetDisabled(s, c, false);
  return CreateToken(s, c);
}

}  // namespace kinora::app
