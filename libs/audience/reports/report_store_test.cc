// The report-store suite on SQLite (each test makes its own database file).
#include "report_store_suite.h"

namespace kinora::audience::reports {

std::vector<ReportBackend> ReportBackends() { return {{"sqlite", {}}}; }

}  // namespace kinora::audience::reports
