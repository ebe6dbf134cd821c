#include "kinora/identity/bootstrap.h"

#include "kinora/identity/password.h"
#include "kinora/identity/secrets.h"

namespace kinora::identity {
namespace {

// The admin created first (ties broken by id, so every process picks the same one).
Result<std::string> OldestAdmin(IdentityStore& store) {
  KINORA_TRY(std::vector<User> users, store.ListUsers());
  const User* oldest = nullptr;
  for (const User& u : users) {
    if (u.role != Role::kAdmin) continue;
    if (!oldest || u.created_at < oldest->created_at ||
        (u.created_at == oldest->created_at && u.user_id < oldest->user_id)) {
      oldest = &u;
    }
  }
  if (!oldest) {
    return NotFound(
        "there are users but no admin: create one with `kinora users create NAME --role admin`");
  }
  return oldest->user_id;
}

}  // namespace

Result<std::string> EnsureFirstAdmin(IdentityStore& store, std::string_view username,
                                     std::string_view password, const BootstrapLog& log) {
  KINORA_TRY(int64_t count, store.CountUsers());
  if (count > 0) return OldestAdmin(store);

  if (!IsValidUsername(username)) {
    return InvalidArgument("the first admin's username '" + std::string(username) +
                           "' is not 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
  }
  const bool generated = password.empty();
  const std::string secret = generated ? GeneratePassword() : std::string(password);
  if (!generated) {
    auto ok = CheckNewPassword(secret);
    if (!ok) return Annotate(ok.error(), "the first admin's password");
  }
  User admin;
  admin.username = std::string(username);
  admin.role = Role::kAdmin;
  admin.must_change_password = generated;
  KINORA_TRY(admin.password_hash, HashPassword(secret));
  auto created = store.CreateUser(std::move(admin));
  if (!created && created.error().code != ErrorCode::kAlreadyExists) return created.error();
  if (created && generated && log) {
    log("first start: created the admin account '" + std::string(username) +
        "' with the password " + secret +
        " (shown only this once; it must be changed at the first sign-in)");
  }
  // Another process may have created its first admin at the same time: all agree on the oldest.
  return OldestAdmin(store);
}

}  // namespace kinora::identity
