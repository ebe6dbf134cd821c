// Request and Response as handlers see them: plain values, independent of the connection.
// A handler is a function from Request to Response (a coroutine for streaming uploads).
// Thread safety: plain values; a BodyReader belongs to one request on one strand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/identity/principal.h"

namespace kinora::http {

namespace bhttp = boost::beast::http;
using Status = bhttp::status;
using Verb = bhttp::verb;

// The reason phrase for a status, including the non-standard ones Kinora answers (tus's 460
// Checksum Mismatch), which Beast does not know.
std::string_view ReasonPhrase(Status s);

struct Request {
  Verb method = Verb::get;
  std::string target;                              // raw request-target
  std::string path;                                // percent-decoded path
  std::multimap<std::string, std::string> query;   // percent-decoded parameters
  std::map<std::string, std::string> path_params;  // from "{name}" and "*" in the route
  bhttp::fields headers;
  std::string body;               // filled for non-streaming routes
  std::string correlation_id;     // validated inbound or generated
  std::string remote;             // peer address, for logs
  std::string route;              // the matched route pattern, for metrics
  std::string client;             // the client's address (the peer, or a trusted proxy's word)
  identity::Principal principal;  // set by the server's guard; anonymous otherwise

  // First value of a query parameter, if present.
  std::optional<std::string> Query(std::string_view name) const;
  std::string_view Header(bhttp::field f) const;
};

// A response body produced piecewise (files, objects, a proxied upstream). `read` fills the
// buffer and returns the byte count, 0 at the end; it is called on the connection's strand and
// may block briefly. `async_read`, when set, is used instead: a coroutine on the same strand
// (for sources that are themselves sockets).
struct StreamBody {
  uint64_t length = 0;
  std::function<Result<size_t>(std::span<char>)> read;
  std::function<boost::asio::awaitable<Result<size_t>>(std::span<char>)> async_read{};
};

struct Response {
  Status status = Status::ok;
  bhttp::fields headers;
  std::string body;
  std::optional<StreamBody> stream;  // when set, replaces body
  // An RFC 9457 problem document (see problem.h), kept structured until the server writes it
  // and adds the request's correlation_id; when set, replaces body.
  std::optional<boost::json::object> problem;

  Response& Set(bhttp::field f, std::string_view v) {
    headers.set(f, v);
    return *this;
  }
};

// Pulls a streaming request body in pieces. Used by streaming routes only.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Reads up to buf.size() bytes; 0 means the body is complete. An Error means the client
  // went away, timed out, or sent more than the route allows (kTooLarge).
  virtual boost::asio::awaitable<Result<size_t>> Read(std::span<char> buf) = 0;
  // Content-Length if the client sent one.
  virtual std::optional<uint64_t> content_length() const = 0;
};

}  // namespace kinora::http
