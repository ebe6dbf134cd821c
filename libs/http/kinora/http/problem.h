// RFC 9457 problem documents and JSON responses. StatusFor() is the one place an Error code
// becomes an HTTP status. The server adds correlation_id to every problem it sends.
// Thread safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::http {

Status StatusFor(ErrorCode code);

// {"type","title","status","detail"} plus any extension members (RFC 9457 §3.2), with
// Content-Type application/problem+json.
Response Problem(Status status, std::string_view detail,
                 const boost::json::object& extensions = {});
Response ProblemFrom(const Error& e);

Response Json(Status status, const boost::json::value& v);
Response Json(const boost::json::value& v);

}  // namespace kinora::http
