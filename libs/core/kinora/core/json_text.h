// JSON text for Kinora's API and metadata: like boost::json::serialize, but numbers are
// written the way people and every client expect ("2.5", "25", not "2.5E0"), using the
// shortest representation that round-trips. NaN and infinities become null.
// Thread safety: pure function.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace kinora {

std::string ToJsonText(const boost::json::value& v);

// Building blocks for writers that emit JSON text directly (hot paths).
void AppendJsonString(std::string& out, std::string_view s);  // quoted and escaped
void AppendJsonNumber(std::string& out, double d);            // shortest; null if not finite

}  // namespace kinora
