// Router: maps (method, path) to a handler. Patterns are '/'-separated literal segments,
// "{name}" segments (one segment, captured), and a final "*" (the rest, captured as "*").
// HEAD is served by the GET route. A path that matches with another method gives 405.
// Thread safety: build the router before the server starts; Match() is then read-only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kinora/http/message.h"

namespace kinora::http {

// Handlers for ordinary routes: the body has been read whole (up to the route's limit).
using Handler = std::function<Response(Request&)>;
// Handlers for streaming routes: they pull the body themselves.
using StreamHandler = std::function<boost::asio::awaitable<Response>(Request&, BodyReader&)>;

struct RouteOptions {
  uint64_t body_limit = 64 * 1024;  // bytes; for streaming routes the hard cap on the body
  // An upload: counted against ServerOptions' max_uploads_per_client and max_uploads.
  bool upload = false;
};

// A route holds exactly one handler; which kind it is decides how the server takes the body.
struct Route {
  Verb method;
  std::string pattern;
  RouteOptions options;
  std::variant<Handler, StreamHandler> handler;

  bool streaming() const { return std::holds_alternative<StreamHandler>(handler); }
};

struct Match {
  const Route* route = nullptr;  // set when found
  std::map<std::string, std::string> params;
  std::string allow;  // non-empty when the path exists but not the method
};

class Router {
 public:
  // REQUIRES: h is callable (an empty handler is a bug: std::invalid_argument).
  void Add(Verb method, std::string pattern, Handler h, RouteOptions o = {});
  void AddStreaming(Verb method, std::string pattern, StreamHandler h, RouteOptions o);
  // Fallback for GET/HEAD paths nothing else matches (the static web app). Find() returns it
  // as a route with the pattern "(static)".
  void SetFallback(Handler h);

  // `path` is the decoded path. route == nullptr: 405 when allow is non-empty, else 404.
  Match Find(Verb method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  void AddRoute(Route r);

  std::vector<Route> routes_;
  std::optional<Route> fallback_;
};

// Splits "/a/b/" into {"a","b"}; empty segments are dropped.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace kinora::http
