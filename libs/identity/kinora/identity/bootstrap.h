// The first admin: on the first start (no users at all) Kinora creates an admin account, with the
// operator's password or a generated one that is logged once and must be changed at the first
// sign-in. The catalog gives videos from before accounts to the first admin.
// Thread safety: safe to call from processes starting together on one database (the username's
// uniqueness decides, and both read the same answer back).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/identity/store.h"

namespace kinora::identity {

// Receives the one message a first start logs; it carries a generated password, so it goes to
// the operator's log once and nowhere else.
using BootstrapLog = std::function<void(std::string_view message)>;

// When the store has no users, creates `username` as an admin with `password`, or with a
// GeneratePassword() one (then must_change_password is set and `log` is told it). Returns the
// user_id of the oldest admin: the one just created, or the first admin of an earlier start.
// kInvalidArgument for a bad username or a password CheckNewPassword refuses; kNotFound when
// users exist but none is an admin (create one with `kinora users create NAME --role admin`).
Result<std::string> EnsureFirstAdmin(IdentityStore& store, std::string_view username,
                                     std::string_view password, const BootstrapLog& log);

}  // namespace kinora::identity
