// How the accounts and access settings become the guard's and the accounts API's options, and
// the first start's bootstrap (the first admin, and pre-account videos given to them).
// Thread safety: called once at start, before the server runs.
#pragma once

#include <string>

#include "config.h"
#include "kinora/access/guard.h"
#include "kinora/accounts/accounts.h"
#include "kinora/catalog/catalog.h"
#include "kinora/identity/store.h"
#include "kinora/storage/object_store.h"

namespace kinora::app {

// `edge`: the role faces clients (serve, gateway), so rate limits apply; the roles behind the
// gateway see it as their only client and leave limiting to it. `store`: the object store of a
// role that serves the web app (null for one that does not); the origin of its presigned URLs
// joins the pages' CSP (img-src, media-src, connect-src), so the browser may load media from
// the bucket and PUT a direct upload's parts to it.
Result<access::GuardOptions> GuardOptionsFrom(const Config& c, bool edge,
                                              const storage::ObjectStore* store = nullptr);
accounts::AccountsOptions AccountsOptionsFrom(const Config& c, const access::Guard& guard);
// Creates the first admin on an empty store (a generated password is logged once) and gives
// videos without an owner to the first admin.
Result<void> BootstrapAccounts(identity::IdentityStore& store, catalog::Catalog* catalog,
                               const AccessConfig& c);

}  // namespace kinora::app
