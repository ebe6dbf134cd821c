#include "kinora/access/access_table.h"

#include <boost/json.hpp>
#include <string>

namespace kinora::access {
namespace {

using http::Verb;
using identity::Right;
using identity::Scope;

AccessRule Rule(Verb m, std::string_view p, Need need) {
  AccessRule r;
  r.method = m;
  r.pattern = p;
  r.need = need;
  return r;
}

AccessRule Anyone(Verb m, std::string_view p, std::optional<Scope> scope = std::nullopt,
                  Target t = Target::kNone, Limit l = Limit::kApi) {
  AccessRule r = Rule(m, p, Need::kAnyone);
  r.scope = scope;
  r.target = t;
  r.limit = l;
  return r;
}

AccessRule WithRight(Verb m, std::string_view p, Right right, std::optional<Scope> scope,
                     Target t = Target::kNone, Limit l = Limit::kApi) {
  AccessRule r = Rule(m, p, Need::kRight);
  r.right = right;
  r.scope = scope;
  r.target = t;
  r.limit = l;
  return r;
}

AccessRule SignedIn(Verb m, std::string_view p, std::optional<Scope> scope, Target t) {
  AccessRule r = Rule(m, p, Need::kSignedIn);
  r.scope = scope;
  r.target = t;
  return r;
}

// Credential management: a signed-in user's own session, never a token.
AccessRule OwnSession(Verb m, std::string_view p, Target t = Target::kNone,
                      bool while_must_change = false) {
  AccessRule r = Rule(m, p, Need::kSignedIn);
  r.target = t;
  r.session_only = true;
  r.while_must_change = while_must_change;
  return r;
}

// Allowed before a forced password change: looking at yourself, signing out.
AccessRule BeforePasswordChange(Verb m, std::string_view p, Need need) {
  AccessRule r = Rule(m, p, need);
  r.while_must_change = true;
  return r;
}

AccessRule Upstream(Verb m, std::string_view p, Limit l = Limit::kApi) {
  AccessRule r = Rule(m, p, Need::kUpstream);
  r.limit = l;
  return r;
}

// The audience beacon: anyone; with the session cookie, same-origin is enough (sendBeacon).
AccessRule Beacon(Verb m, std::string_view p) {
  AccessRule r = Anyone(m, p, std::nullopt, Target::kVideoWatch, Limit::kNone);
  r.same_origin_any_type = true;
  return r;
}

std::vector<AccessRule> MakeTable() {
  const Scope read = Scope::kVideosRead, write = Scope::kVideosWrite, stats = Scope::kAnalyticsRead,
              admin = Scope::kAdmin;
  std::vector<AccessRule> t = {
      // Every role: probes stay public; metrics need an admin (or the internal listener, which
      // has no guard).
      Anyone(Verb::get, "/health", std::nullopt, Target::kNone, Limit::kNone),
      Anyone(Verb::get, "/ready", std::nullopt, Target::kNone, Limit::kNone),
      WithRight(Verb::get, "/metrics", Right::kManageSettings, admin, Target::kNone, Limit::kNone),
      // The web app and media (a /media/ URL is its own credential: signed, expiring, revocable).
      Anyone(Verb::get, "/media/*", std::nullopt, Target::kNone, Limit::kNone),
      Anyone(Verb::get, "(static)", std::nullopt, Target::kNone, Limit::kNone),

      // Uploader.
      WithRight(Verb::post, "/api/uploader/upload", Right::kUpload, write, Target::kNone,
                Limit::kUpload),
      WithRight(Verb::post, "/api/upload", Right::kUpload, write, Target::kNone, Limit::kUpload),
      // Resumable uploads (tus 1.0, docs/uploads.md): each upload is bound to its creator (the
      // handlers answer 404 to anyone else); discovery is open.
      Anyone(Verb::options, "/api/uploads", std::nullopt, Target::kNone, Limit::kApi),
      Anyone(Verb::options, "/api/uploads/{id}", std::nullopt, Target::kNone, Limit::kApi),
      Anyone(Verb::get, "/api/uploads/config"),
      WithRight(Verb::post, "/api/uploads", Right::kUpload, write, Target::kNone, Limit::kUpload),
      WithRight(Verb::get, "/api/uploads/{id}", Right::kUpload, write),
      WithRight(Verb::patch, "/api/uploads/{id}", Right::kUpload, write, Target::kNone,
                Limit::kNone),
      WithRight(Verb::delete_, "/api/uploads/{id}", Right::kUpload, write),
      // Direct to S3 (Uppy's aws-s3 multipart, docs/uploads.md): bound to the creator too.
      WithRight(Verb::post, "/api/uploads/s3/multipart", Right::kUpload, write),
      WithRight(Verb::get, "/api/uploads/s3/multipart/{uploadId}/{partNumber}", Right::kUpload,
                write),
      WithRight(Verb::get, "/api/uploads/s3/multipart/{uploadId}", Right::kUpload, write),
      WithRight(Verb::post, "/api/uploads/s3/multipart/{uploadId}/complete", Right::kUpload, write),
      WithRight(Verb::delete_, "/api/uploads/s3/multipart/{uploadId}", Right::kUpload, write),
      SignedIn(Verb::patch, "/api/uploader/videos/{id}", write, Target::kVideoEdit),
      SignedIn(Verb::delete_, "/api/uploader/videos/{id}", write, Target::kVideoEdit),

      // Analytics.
      Anyone(Verb::get, "/api/analytics/videos", read),
      Anyone(Verb::get, "/api/analytics/video/{id}", read, Target::kVideoWatch),
      Anyone(Verb::get, "/api/analytics/stats", stats),
      Anyone(Verb::post, "/api/analytics/view/{id}", std::nullopt, Target::kVideoWatch,
             Limit::kView),
      // Playback beacons: the video (its id in the body) must be watchable; the handler limits each
      // viewer (KINORA_RATE_BEACON), so the per-address API budget does not apply.
      Beacon(Verb::post, "/api/analytics/beacon"),
      WithRight(Verb::post, "/api/analytics/like/{id}", Right::kLike, write, Target::kVideoWatch),
      WithRight(Verb::delete_, "/api/analytics/like/{id}", Right::kLike, write,
                Target::kVideoWatch),

      // Audience reports (docs/analytics.md "API"): a video's for its owner, moderators and
      // admins; the site-wide ones over the caller's own videos (every video for moderators and
      // admins).
      SignedIn(Verb::get, "/api/analytics/videos/{id}/overview", stats, Target::kVideoAnalytics),
      SignedIn(Verb::get, "/api/analytics/videos/{id}/timeseries/{metric}", stats,
               Target::kVideoAnalytics),
      SignedIn(Verb::get, "/api/analytics/videos/{id}/retention", stats, Target::kVideoAnalytics),
      SignedIn(Verb::get, "/api/analytics/videos/{id}/breakdown/{dimension}", stats,
               Target::kVideoAnalytics),
      SignedIn(Verb::get, "/api/analytics/videos/{id}/qoe", stats, Target::kVideoAnalytics),
      // Content analysis (docs/content-analysis.md "API"): as a video's audience reports.
      SignedIn(Verb::get, "/api/analytics/videos/{id}/content", stats, Target::kVideoAnalytics),
      SignedIn(Verb::get, "/api/analytics/realtime", stats, Target::kNone),
      SignedIn(Verb::get, "/api/analytics/overview", stats, Target::kNone),
      SignedIn(Verb::get, "/api/analytics/sessions/export", stats, Target::kNone),

      // Accounts.
      Anyone(Verb::post, "/api/auth/login", std::nullopt, Target::kNone, Limit::kLogin),
      Anyone(Verb::post, "/api/auth/signup", std::nullopt, Target::kNone, Limit::kLogin),
      BeforePasswordChange(Verb::post, "/api/auth/logout", Need::kAnyone),
      OwnSession(Verb::post, "/api/auth/logout-all", Target::kNone, true),
      BeforePasswordChange(Verb::get, "/api/auth/me", Need::kSignedIn),
      OwnSession(Verb::post, "/api/auth/password", Target::kNone, true),
      OwnSession(Verb::get, "/api/auth/tokens"),
      OwnSession(Verb::post, "/api/auth/tokens"),
      OwnSession(Verb::delete_, "/api/auth/tokens/{id}", Target::kOwnToken),

      // Users (admins).
      WithRight(Verb::get, "/api/admin/users", Right::kManageUsers, admin),
      WithRight(Verb::post, "/api/admin/users", Right::kManageUsers, admin),
      WithRight(Verb::patch, "/api/admin/users/{id}", Right::kManageUsers, admin, Target::kUser),
      WithRight(Verb::post, "/api/admin/users/{id}/reset-password", Right::kManageUsers, admin,
                Target::kUser),
      // Videos (admins): reprocessing redoes a video's job (docs/content-analysis.md).
      WithRight(Verb::post, "/api/admin/videos/{id}/reprocess", Right::kManageSettings, admin),
  };
  // The split gateway's proxies: the uploader and analytics roles behind them authenticate the
  // forwarded credentials again and apply the rules above.
  for (Verb m : {Verb::get, Verb::post, Verb::put, Verb::patch, Verb::delete_}) {
    t.push_back(Upstream(m, "/api/uploader/*", m == Verb::post ? Limit::kUpload : Limit::kApi));
    t.push_back(Upstream(m, "/api/analytics/*"));
  }
  // Resumable uploads: creation and discovery keep their own rules above (same pattern at the
  // gateway); each upload's requests are forwarded whole.
  for (Verb m : {Verb::options, Verb::get, Verb::post, Verb::patch, Verb::delete_}) {
    t.push_back(Upstream(m, "/api/uploads/*", m == Verb::patch ? Limit::kNone : Limit::kApi));
  }
  return t;
}

}  // namespace

const std::vector<AccessRule>& AccessTable() {
  static const std::vector<AccessRule> kTable = MakeTable();
  return kTable;
}

const AccessRule* FindRule(http::Verb method, std::string_view pattern) {
  for (const AccessRule& r : AccessTable()) {
    if (r.method == method && r.pattern == pattern) return &r;
  }
  return nullptr;
}

Result<void> CheckRoutes(const http::Router& router) {
  std::string missing;
  for (const http::Route& r : router.routes()) {
    if (FindRule(r.method, r.pattern)) continue;
    missing += (missing.empty() ? "" : ", ") + std::string(http::bhttp::to_string(r.method)) + " " +
               r.pattern;
  }
  if (!missing.empty()) {
    return Internal("routes without an entry in the authorization table: " + missing);
  }
  return {};
}

std::string_view ToString(Need n) {
  switch (n) {
    case Need::kAnyone:
      return "anyone";
    case Need::kSignedIn:
      return "signed_in";
    case Need::kRight:
      return "right";
    case Need::kUpstream:
      return "upstream";
  }
  return "";
}

std::string_view ToString(Target t) {
  switch (t) {
    case Target::kNone:
      return "none";
    case Target::kVideoWatch:
      return "video_watch";
    case Target::kVideoEdit:
      return "video_edit";
    case Target::kOwnToken:
      return "own_token";
    case Target::kUser:
      return "user";
    case Target::kVideoAnalytics:
      return "video_analytics";
  }
  return "";
}

std::string_view ToString(Limit l) {
  switch (l) {
    case Limit::kNone:
      return "none";
    case Limit::kApi:
      return "api";
    case Limit::kLogin:
      return "login";
    case Limit::kUpload:
      return "upload";
    case Limit::kView:
      return "view";
  }
  return "";
}

boost::json::array AccessTableJson() {
  boost::json::array out;
  for (const AccessRule& r : AccessTable()) {
    boost::json::object o{
        {"method", std::string(http::bhttp::to_string(r.method))},
        {"pattern", r.pattern},
        {"need", ToString(r.need)},
        {"right", r.need == Need::kRight ? boost::json::value(identity::ToString(r.right))
                                         : boost::json::value(nullptr)},
        {"scope",
         r.scope ? boost::json::value(identity::ToString(*r.scope)) : boost::json::value(nullptr)},
        {"target", ToString(r.target)},
        {"limit", ToString(r.limit)},
        {"session_only", r.session_only},
        {"while_must_change", r.while_must_change},
    };
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace kinora::access
