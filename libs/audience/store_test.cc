#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "store_contract.h"

namespace kinora::audience {
namespace {

std::string NewSqliteUrl() {
  static std::atomic<int> n{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("kinora-audience-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return "sqlite://" + (dir / ("catalog-" + std::to_string(n++) + ".db")).string();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AudienceStoreContract,
                         ::testing::Values(StoreBackend{"sqlite", NewSqliteUrl}), StoreBackendName);

class Cleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                ("kinora-audience-test-" + std::to_string(::getpid())));
  }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new Cleanup);

}  // namespace
}  // namespace kinora::audience
