// What a `kinora` process is assembled from (userver's idea): each role lists the components it
// runs, and each component names the resources it needs, so "every role in one process" and
// "one role per process" are the same code with a different list. `serve` is the union of the
// other roles' lists, less the API proxy, whose upstreams are then in the same process.
// Thread safety: constant tables and pure functions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kinora::app {

enum class Role { kServe, kGateway, kUploader, kAnalytics, kProcessor };

enum class Component {
  kOps,              // /health, /ready, /metrics: every role
  kWebApp,           // the web app and signed /media delivery
  kApiProxy,         // /api/uploader/* and /api/analytics/* forwarded to their roles
  kUploaderApi,      // /api/uploader/*, /api/upload
  kAnalyticsApi,     // /api/analytics/*
  kAudienceIngest,   // POST /api/analytics/beacon, the audience sweeper (and the /view gate)
  kAudienceReports,  // /api/analytics/videos/{id}/overview… realtime, overview, export
  kAccountsApi,      // /api/auth/*, /api/admin/users*
  kAdminVideos,      // /api/admin/videos/{id}/reprocess
  kWorkerPool,       // the processing workers
  kRepair,           // crash repair: the outbox relay and the reconciler (repair_loop.h)
};

// kIdentityStore lives in the catalog's database (same URL): every role that authenticates
// (all of them: even /metrics takes an admin's token) opens it.
enum class Resource { kObjectStore, kJobQueue, kCatalog, kUrlSigner, kIdentityStore };

std::string_view ToString(Role r);
std::string_view ToString(Component c);

// The components of a role, in the order they register their routes.
std::vector<Component> ComponentsOf(Role r);
// The resources a component uses.
std::vector<Resource> ResourcesOf(Component c);
// Whether any of `components` uses `r`.
bool Needs(const std::vector<Component>& components, Resource r);

}  // namespace kinora::app
