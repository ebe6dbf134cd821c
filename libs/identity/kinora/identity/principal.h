// Principal: who a request comes from, as the request guard established it (anonymous, a user
// by session cookie, or a user by personal API token with its scopes). Handlers read it from
// the request; only the guard sets it, from credentials it checked against the store.
// Thread safety: a plain value.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "kinora/identity/rights.h"

namespace kinora::identity {

struct Principal {
  enum class Via { kNone, kSession, kToken };

  Caller caller;  // user_id empty: anonymous
  Via via = Via::kNone;
  std::string username;
  std::vector<Scope> scopes;  // a token's; a session may do whatever the role allows
  std::string session_hash;   // HashSecret of the session cookie (kSession)
  bool must_change_password = false;

  bool signed_in() const { return caller.signed_in(); }
  // Whether the credentials allow `s`: always for a session, per scope for a token.
  bool Allows(Scope s) const {
    return via != Via::kToken || std::find(scopes.begin(), scopes.end(), s) != scopes.end();
  }
  // The role's right, limited by the token's scope when the request came with one.
  bool Has(Right r) const { return signed_in() && identity::Has(caller.role, r); }
};

}  // namespace kinora::identity
