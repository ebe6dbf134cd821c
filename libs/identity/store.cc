#include "kinora/identity/store.h"

#include <boost/url.hpp>

#include "postgres/postgres_identity_store.h"
#include "sqlite/sqlite_identity_store.h"

namespace kinora::identity {

Result<std::unique_ptr<IdentityStore>> OpenIdentityStore(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return InvalidArgument("identity store URL is not a URL: " + std::string(url));
  const std::string scheme = parsed->scheme();
  if (scheme == "sqlite") {
    // As the catalog reads it (OpenCatalog): sqlite:///abs/path/catalog.db.
    std::string path = parsed->path();
    if (!parsed->host().empty() || path.empty() || path.front() != '/') {
      return InvalidArgument(
          "sqlite identity store URL needs an absolute path (sqlite:///abs/catalog.db): " +
          std::string(url));
    }
    return NewSqliteIdentityStore(path);
  }
  if (scheme == "postgresql" || scheme == "postgres") return NewPostgresIdentityStore(url);
  return InvalidArgument("unknown identity store URL scheme '" + scheme +
                         "' (want sqlite:// or postgresql://)");
}

}  // namespace kinora::identity
