// The report-store suite against a real PostgreSQL server (tests/peers/with_peers.py exports
// KINORA_TEST_PG_URL); every test gets its own schema.
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "report_store_suite.h"

namespace kinora::audience::reports {

std::vector<ReportBackend> ReportBackends() {
  return {{"postgres", [] {
             static std::atomic<int> n{0};
             const char* base = std::getenv("KINORA_TEST_PG_URL");
             const std::string url = base ? base : "postgresql://127.0.0.1:1/missing";
             return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=reports" +
                    std::to_string(::getpid()) + "_" + std::to_string(n++);
           }}};
}

}  // namespace kinora::audience::reports
