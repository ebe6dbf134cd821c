// Who may do what, in one place: rights derived from a user's role, the scopes a personal API
// token can carry, and what each video visibility lets a caller see. Handlers ask Has() and
// CanWatch()/IsListedFor(); they never compare role names themselves.
// Thread safety: constant tables and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::identity {

enum class Role { kUser, kModerator, kAdmin };

enum class Right {
  kUpload,          // within the user's quota
  kLike,            // one like per video
  kEditOwnVideos,   // title, description, visibility; delete
  kEditAnyVideo,    // the same on anyone's video (and hide it)
  kSeeAnyVideo,     // private and internal videos of others, site-wide stats
  kManageUsers,     // create, disable, set roles and quotas, reset passwords
  kManageSettings,  // site settings
};

bool Has(Role role, Right right);
// "upload", "like", "edit_own_videos", "edit_any_video", "see_any_video", "manage_users",
// "manage_settings".
std::string_view ToString(Right r);
// Every right of the role, in the order of the Right enum.
std::vector<Right> RightsOf(Role role);

std::string_view ToString(Role r);                     // "user", "moderator", "admin"
std::optional<Role> ParseRole(std::string_view name);  // exact, lowercase

// What a personal API token may be used for.
enum class Scope { kVideosRead, kVideosWrite, kAnalyticsRead, kAdmin };
std::string_view ToString(Scope s);  // "videos:read", "videos:write", "analytics:read", "admin"
std::optional<Scope> ParseScope(std::string_view name);

enum class Visibility { kPublic, kUnlisted, kPrivate, kInternal };
std::string_view ToString(Visibility v);  // "public", "unlisted", "private", "internal"
std::optional<Visibility> ParseVisibility(std::string_view name);

// Who is asking: nobody (anonymous), or a signed-in user with a role.
struct Caller {
  std::string user_id;  // empty: anonymous
  Role role = Role::kUser;
  bool signed_in() const { return !user_id.empty(); }
};

// Whether the caller may watch (open, get media URLs for) a video of `owner_id`.
bool CanWatch(const Caller& c, std::string_view owner_id, Visibility v);
// Whether the video shows up in the caller's listings, searches and stats: unlisted videos are
// watchable by link but listed only for those who could see them anyway.
bool IsListedFor(const Caller& c, std::string_view owner_id, Visibility v);
// Whether the caller may edit or delete the video.
bool CanEdit(const Caller& c, std::string_view owner_id);

}  // namespace kinora::identity
