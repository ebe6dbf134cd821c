// The AudienceStore suite against a real PostgreSQL server (started by tests/peers/with_peers.py,
// which exports KINORA_TEST_PG_URL). Every test gets its own schema.
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "store_contract.h"

namespace kinora::audience {
namespace {

std::string NewPostgresUrl() {
  static std::atomic<int> n{0};
  const char* base = std::getenv("KINORA_TEST_PG_URL");
  const std::string url = base ? base : "postgresql://127.0.0.1:1/missing";
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=aud" +
         std::to_string(::getpid()) + "_" + std::to_string(n++);
}

INSTANTIATE_TEST_SUITE_P(Postgres, AudienceStoreContract,
                         ::testing::Values(StoreBackend{"postgres", NewPostgresUrl}),
                         StoreBackendName);

}  // namespace
}  // namespace kinora::audience
