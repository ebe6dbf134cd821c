#include "components.h"

#include <algorithm>

namespace kinora::app {
namespace {

struct RoleEntry {
  Role role;
  std::string_view name;
  std::vector<Component> components;
};

// The one table of who runs what. kServe's row is derived (see ComponentsOf).
const std::vector<RoleEntry>& Roles() {
  using C = Component;
  static const std::vector<RoleEntry> kRoles = {
      {Role::kGateway,
       "gateway",
       {C::kOps, C::kWebApp, C::kAccountsApi, C::kAdminVideos, C::kApiProxy}},
      {Role::kUploader, "uploader", {C::kOps, C::kUploaderApi, C::kRepair}},
      {Role::kAnalytics,
       "analytics",
       {C::kOps, C::kAudienceIngest, C::kAnalyticsApi, C::kAudienceReports}},
      {Role::kProcessor, "processor", {C::kOps, C::kWorkerPool}},
      {Role::kServe, "serve", {}},
  };
  return kRoles;
}

}  // namespace

std::string_view ToString(Role r) {
  for (const RoleEntry& e : Roles()) {
    if (e.role == r) return e.name;
  }
  return "serve";
}

std::string_view ToString(Component c) {
  switch (c) {
    case Component::kOps:
      return "ops";
    case Component::kWebApp:
      return "web app";
    case Component::kApiProxy:
      return "API proxy";
    case Component::kUploaderApi:
      return "uploader API";
    case Component::kAnalyticsApi:
      return "analytics API";
    case Component::kAudienceReports:
      return "audience reports";
    case Component::kAudienceIngest:
      return "audience ingest";
    case Component::kAccountsApi:
      return "accounts API";
    case Component::kAdminVideos:
      return "video administration";
    case Component::kWorkerPool:
      return "worker pool";
    case Component::kRepair:
      return "repair loop";
  }
  return "?";
}

std::vector<Component> ComponentsOf(Role r) {
  if (r != Role::kServe) {
    for (const RoleEntry& e : Roles()) {
      if (e.role == r) return e.components;
    }
    return {};
  }
  std::vector<Component> all;
  for (const RoleEntry& e : Roles()) {
    for (Component c : e.components) {
      if (c != Component::kApiProxy && std::find(all.begin(), all.end(), c) == all.end()) {
        all.push_back(c);
      }
    }
  }
  return all;
}

std::vector<Resource> ResourcesOf(Component c) {
  using R = Resource;
  switch (c) {
    case Component::kOps:  // /ready checks the store of every role; /metrics takes admins
      return {R::kObjectStore, R::kIdentityStore};
    case Component::kApiProxy:
      return {};
    case Component::kWebApp:  // /media checks each video's media generation in the catalog
      return {R::kObjectStore, R::kUrlSigner, R::kCatalog};
    case Component::kAccountsApi:
      return {R::kIdentityStore, R::kCatalog};
    case Component::kAdminVideos:  // jobs go through the catalog's outbox
      return {R::kCatalog};
    case Component::kUploaderApi:
      return {R::kObjectStore, R::kJobQueue, R::kCatalog, R::kUrlSigner};
    case Component::kAnalyticsApi:
      return {R::kObjectStore, R::kCatalog, R::kUrlSigner};
    case Component::kAudienceReports:  // opens its own reader of the catalog's database
      return {R::kCatalog};
    case Component::kAudienceIngest:  // its tables are in the catalog's database
      return {R::kCatalog};
    case Component::kWorkerPool:
    case Component::kRepair:
      return {R::kObjectStore, R::kJobQueue, R::kCatalog};
  }
  return {};
}

bool Needs(const std::vector<Component>& components, Resource r) {
  return std::any_of(components.begin(), components.end(), [r](Component c) {
    auto rs = ResourcesOf(c);
    return std::find(rs.begin(), rs.end(), r) != rs.end();
  });
}

}  // namespace kinora::app
