#include "kinora/identity/rights.h"

#include <array>
#include <utility>
#include <vector>

namespace kinora::identity {
namespace {

// The one table of rights by role.
struct RoleRights {
  Role role;
  std::string_view name;
  std::vector<Right> rights;
};

const std::array<RoleRights, 3>& Table() {
  using R = Right;
  static const std::array<RoleRights, 3> kTable = {{
      {Role::kUser, "user", {R::kUpload, R::kLike, R::kEditOwnVideos}},
      {Role::kModerator,
       "moderator",
       {R::kUpload, R::kLike, R::kEditOwnVideos, R::kEditAnyVideo, R::kSeeAnyVideo}},
      {Role::kAdmin,
       "admin",
       {R::kUpload, R::kLike, R::kEditOwnVideos, R::kEditAnyVideo, R::kSeeAnyVideo, R::kManageUsers,
        R::kManageSettings}},
  }};
  return kTable;
}

constexpr std::array<std::pair<Right, std::string_view>, 7> kRights = {{
    {Right::kUpload, "upload"},
    {Right::kLike, "like"},
    {Right::kEditOwnVideos, "edit_own_videos"},
    {Right::kEditAnyVideo, "edit_any_video"},
    {Right::kSeeAnyVideo, "see_any_video"},
    {Right::kManageUsers, "manage_users"},
    {Right::kManageSettings, "manage_settings"},
}};

constexpr std::array<std::pair<Scope, std::string_view>, 4> kScopes = {{
    {Scope::kVideosRead, "videos:read"},
    {Scope::kVideosWrite, "videos:write"},
    {Scope::kAnalyticsRead, "analytics:read"},
    {Scope::kAdmin, "admin"},
}};

constexpr std::array<std::pair<Visibility, std::string_view>, 4> kVisibilities = {{
    {Visibility::kPublic, "public"},
    {Visibility::kUnlisted, "unlisted"},
    {Visibility::kPrivate, "private"},
    {Visibility::kInternal, "internal"},
}};

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "";
}

template <class E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

bool Owns(const Caller& c, std::string_view owner_id) {
  return c.signed_in() && c.user_id == owner_id;
}

}  // namespace

bool Has(Role role, Right right) {
  for (const RoleRights& r : Table()) {
    if (r.role != role) continue;
    for (Right granted : r.rights) {
      if (granted == right) return true;
    }
  }
  return false;
}

std::string_view ToString(Right r) { return NameOf(kRights, r); }

std::vector<Right> RightsOf(Role role) {
  std::vector<Right> out;
  for (const auto& [right, name] : kRights) {
    if (Has(role, right)) out.push_back(right);
  }
  return out;
}

std::string_view ToString(Role r) {
  for (const RoleRights& e : Table()) {
    if (e.role == r) return e.name;
  }
  return "user";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleRights& e : Table()) {
    if (e.name == name) return e.role;
  }
  return std::nullopt;
}

std::string_view ToString(Scope s) { return NameOf(kScopes, s); }
std::optional<Scope> ParseScope(std::string_view name) { return Parse(kScopes, name); }
std::string_view ToString(Visibility v) { return NameOf(kVisibilities, v); }
std::optional<Visibility> ParseVisibility(std::string_view name) {
  return Parse(kVisibilities, name);
}

bool CanWatch(const Caller& c, std::string_view owner_id, Visibility v) {
  switch (v) {
    case Visibility::kPublic:
    case Visibility::kUnlisted:
      return true;
    case Visibility::kInternal:
      return c.signed_in();
    case Visibility::kPrivate:
      return Owns(c, owner_id) || (c.signed_in() && Has(c.role, Right::kSeeAnyVideo));
  }
  return false;
}

bool IsListedFor(const Caller& c, std::string_view owner_id, Visibility v) {
  if (v == Visibility::kUnlisted) {
    return Owns(c, owner_id) || (c.signed_in() && Has(c.role, Right::kSeeAnyVideo));
  }
  return CanWatch(c, owner_id, v);
}

bool CanEdit(const Caller& c, std::string_view owner_id) {
  if (!c.signed_in()) return false;
  if (Owns(c, owner_id)) return Has(c.role, Right::kEditOwnVideos);
  return Has(c.role, Right::kEditAnyVideo);
}

}  // namespace kinora::identity
