// The backends the report-store suite (report_store_suite.cc) runs on: each test binary defines
// ReportBackends() (SQLite in the unit tests, PostgreSQL in the peer test).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kinora::audience::reports {

struct ReportBackend {
  std::string name;                  // "sqlite" or "postgres"
  std::function<std::string()> url;  // a fresh database (postgres; sqlite makes its own file)
};

std::vector<ReportBackend> ReportBackends();

}  // namespace kinora::audience::reports
