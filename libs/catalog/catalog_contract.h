// The Catalog contract: one GoogleTest suite every backend must pass. A backend's test binary
// links kinora::catalog_contract and instantiates the suite with a factory for empty catalogs:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogContract,
//       ::testing::Values(CatalogBackend{"sqlite", [] { return NewSqliteCatalog(NewPath()); }}),
//       CatalogBackendName);
// Thread safety: test fixtures; each test owns its catalog.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "kinora/catalog/catalog.h"

namespace kinora::catalog {

struct CatalogBackend {
  std::string name;
  // A fresh, empty catalog; called once per test.
  std::function<Result<std::unique_ptr<Catalog>>()> make;
};

inline void PrintTo(const CatalogBackend& b, std::ostream* os) { *os << b.name; }
inline std::string CatalogBackendName(const ::testing::TestParamInfo<CatalogBackend>& info) {
  return info.param.name;
}

class CatalogContract : public ::testing::TestWithParam<CatalogBackend> {
 protected:
  void SetUp() override;

  Catalog& catalog() { return *catalog_; }

  // A record with every field set, deterministic for a given id and upload time (millisecond
  // precision, which is what catalogs store).
  static VideoRecord SampleVideo(const std::string& id, SysTime uploaded_at);
  // Now, truncated to milliseconds.
  static SysTime NowMillis();
  // Inserts and fails the test on error.
  void MustInsert(const VideoRecord& v);
  // Inserts the 57-row list fixture (ties on every sort key) and returns what it inserted.
  std::vector<VideoRecord> InsertListRows();
  // Inserts 36 rows: each owner ("", "alice", "bob") has videos of every visibility.
  std::vector<VideoRecord> InsertAccessRows();
  // Every id of every page of `q` followed by cursor; checks totals and page sizes on the way.
  std::vector<std::string> ListAllByCursor(ListQuery q, int64_t expected_total);

 private:
  std::unique_ptr<Catalog> catalog_;
};

// Field-by-field equality through the JSON form (covers every contract field).
::testing::AssertionResult SameVideo(const VideoRecord& a, const VideoRecord& b);

}  // namespace kinora::catalog
