// The one authorization table: every route any role serves, who may call it (anyone, a
// signed-in user, a right of the caller's role), which token scope it needs, what it acts on
// (a video the caller must be able to watch or edit), and which rate limit it draws from.
// The guard (guard.h) enforces the coarse rule before a handler runs; handlers enforce the
// per-video part with identity::CanWatch/CanEdit. A route missing from the table stops the
// server at start (CheckRoutes); `kinora routes --json` prints it for the matrix test.
// Thread safety: constant data and pure functions.
#pragma once

#include <boost/json/array.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/http/router.h"
#include "kinora/identity/rights.h"

namespace kinora::access {

enum class Need {
  kAnyone,    // anonymous callers too
  kSignedIn,  // any signed-in user (401 otherwise)
  kRight,     // a signed-in user whose role has `right` (401 anonymous, 403 otherwise)
  kUpstream,  // a proxied route: the role behind the gateway applies its own rule
};

// What the route acts on, beyond the coarse rule (decided by the handler).
enum class Target {
  kNone,
  kVideoWatch,      // {id}: a video the caller may watch (404 when they may not: as unknown)
  kVideoEdit,       // {id}: a video the caller may edit (404 when they may not watch, else 403)
  kOwnToken,        // {id}: one of the caller's own tokens (404 otherwise)
  kUser,            // {id}: a user (admins only)
  kVideoAnalytics,  // {id}: a video whose analytics the caller may see: its owner, moderators
                    // and admins (404 for anyone else: as unknown)
};

enum class Limit { kNone, kApi, kLogin, kUpload, kView };

struct AccessRule {
  http::Verb method;
  std::string_view pattern;
  Need need = Need::kAnyone;
  identity::Right right = identity::Right::kUpload;  // with Need::kRight
  std::optional<identity::Scope> scope;              // a token must carry it (403 otherwise)
  Target target = Target::kNone;
  Limit limit = Limit::kApi;
  bool session_only = false;       // tokens refused (403): managing credentials needs a session
  bool while_must_change = false;  // allowed before a forced password change
  // CSRF: a same-origin request with the session cookie passes whatever its Content-Type (the
  // audience beacon: navigator.sendBeacon can send only text/plain without a preflight).
  bool same_origin_any_type = false;
};

const std::vector<AccessRule>& AccessTable();
// The rule for a registered route (its method and pattern), or null.
const AccessRule* FindRule(http::Verb method, std::string_view pattern);
// kInternal naming every route of `router` that has no rule (the server must not start).
Result<void> CheckRoutes(const http::Router& router);

std::string_view ToString(Need n);
std::string_view ToString(Target t);
std::string_view ToString(Limit l);
// The table as JSON: [{method, pattern, need, right, scope, target, limit, session_only}].
boost::json::array AccessTableJson();

}  // namespace kinora::access
