// The sessions export: raw view sessions as CSV (RFC 4180, a header line) or NDJSON (one JSON
// object per line), the same fields in the same order. The body is spooled page by page to an
// unlinked temporary file and streamed from there, so memory stays constant however many
// sessions the range holds. Viewer keys are never exported.
// Thread safety: pure functions; SpoolSessions uses the store from the calling thread.
#pragma once

#include <string>

#include "kinora/audience/report_params.h"
#include "kinora/audience/reports/report_store.h"
#include "kinora/http/message.h"

namespace kinora::audience {

// The header line of the CSV (field names, comma-separated, with "\r\n").
std::string CsvHeader();
void AppendCsv(std::string& out, const reports::SessionRow& s);
void AppendNdjson(std::string& out, const reports::SessionRow& s);

// Writes every session of `scope` in `range` and answers a streamed 200 with the format's
// Content-Type and an attachment filename.
Result<http::Response> ExportSessions(reports::ReportStore& store, const reports::Scope& scope,
                                      const reports::TimeRange& range, ExportFormat format);

}  // namespace kinora::audience
