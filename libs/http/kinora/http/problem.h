// RFC 9457 problem documents and JSON responses. StatusFor() is the one place an Error code
// becomes an HTTP status: handlers answer failures with ProblemFrom(error) and never pick a
// status themselves. A problem stays a JSON object on the Response until the server writes it;
// RenderProblem() then adds the request's correlation_id and serializes it, once.
// Thread safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::http {

Status StatusFor(ErrorCode code);

// The answer to a failed operation: status StatusFor(e.code), detail e.message, plus any
// extension members (RFC 9457 §3.2), with Content-Type application/problem+json.
Response ProblemFrom(const Error& e, const boost::json::object& extensions = {});

// 429 Too Many Requests (ProblemFrom(ResourceExhausted(detail))) with Retry-After: the
// seconds the caller should wait, at least 1 (a 0 would invite an immediate retry).
Response TooManyRequests(int retry_after_seconds, std::string detail);

// A problem with an explicit status: for the HTTP layer's own protocol answers that no Error
// describes (405 with Allow, 411, 416 with Content-Range, 431). Services use ProblemFrom().
Response Problem(Status status, std::string_view detail,
                 const boost::json::object& extensions = {});

// If r carries a problem, adds correlation_id to it and serializes it into r.body. The server
// calls this as it writes every response; a body already in text (a proxied upstream's own
// problem) is left as it is.
void RenderProblem(Response& r, std::string_view correlation_id);

Response Json(Status status, const boost::json::value& v);
Response Json(const boost::json::value& v);

}  // namespace kinora::http
