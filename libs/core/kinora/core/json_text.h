// JSON text for Kinora's API and metadata: like boost::json::serialize, but numbers are
// written the way people and every client expect ("2.5", "25", not "2.5E0"), using the
// shortest representation that round-trips. NaN and infinities become null.
// Thread safety: pure function.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace kinora {

std::string ToJsonText(const boost::json::value& v);

}  // namespace kinora
