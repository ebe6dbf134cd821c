#include "kinora/catalog/catalog.h"

#include <boost/url.hpp>

#include "kinora/catalog/postgres_catalog.h"
#include "kinora/catalog/sqlite_catalog.h"

namespace kinora::catalog {

std::vector<DurationBucket> MakeDurationHistogram(const std::vector<int64_t>& counts) {
  std::vector<DurationBucket> out;
  double lower = 0;
  for (size_t i = 0; i <= std::size(kDurationBucketBounds); ++i) {
    DurationBucket b;
    b.min_seconds = lower;
    if (i < std::size(kDurationBucketBounds)) b.max_seconds = lower = kDurationBucketBounds[i];
    b.count = i < counts.size() ? counts[i] : 0;
    out.push_back(b);
  }
  return out;
}

Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view url) {
  return OpenCatalog(url, CatalogOptions{});
}

Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view url, const CatalogOptions& options) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidArgument, "catalog URL is not a URL: " + std::string(url));
  }
  std::string scheme = parsed->scheme();
  if (scheme == "sqlite") {
    std::string path = parsed->path();
    if (!parsed->host().empty() || path.empty() || path.front() != '/') {
      return MakeError(ErrorCode::kInvalidArgument,
                       "sqlite catalog URL needs an absolute path (sqlite:///abs/catalog.db): " +
                           std::string(url));
    }
    return NewSqliteCatalog(path);
  }
  if (scheme == "postgresql" || scheme == "postgres") return NewPostgresCatalog(url, options);
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown catalog URL scheme '" + scheme + "' (want sqlite:// or postgresql://)");
}

}  // namespace kinora::catalog
