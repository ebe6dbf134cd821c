// Router paths (libs/http/router.cc): a request-target decoded as the session decodes it
// (origin-form, percent-decoded path), then matched against routes shaped like Kinora's. A
// "{name}" capture is one non-empty segment; "*" captures a non-empty rest without empty
// segments; a 405 names at least one method.
#include <boost/url/parse.hpp>
#include <string>

#include "fuzz_check.h"
#include "kinora/http/router.h"

namespace {

using kinora::http::Router;
using kinora::http::Verb;

const Router& Routes() {
  static const Router router = [] {
    Router r;
    auto h = [](kinora::http::Request&) { return kinora::http::Response{}; };
    r.Add(Verb::get, "/health", h);
    r.Add(Verb::get, "/api/v1/videos", h);
    r.Add(Verb::post, "/api/v1/videos", h);
    r.Add(Verb::get, "/api/v1/videos/{id}", h);
    r.Add(Verb::delete_, "/api/v1/videos/{id}", h);
    r.Add(Verb::patch, "/api/v1/videos/{id}", h);
    r.Add(Verb::post, "/api/v1/videos/{id}/views", h);
    r.Add(Verb::post, "/api/v1/videos/{id}/likes", h);
    r.Add(Verb::get, "/api/v1/users/{name}/tokens/{token}", h);
    r.Add(Verb::get, "/media/*", h);
    r.SetFallback(h);
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr Verb kVerbs[] = {Verb::get,     Verb::head,  Verb::post,   Verb::put,
                                    Verb::delete_, Verb::patch, Verb::options};
  const Verb method = kVerbs[data[0] % std::size(kVerbs)];
  const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto u = boost::urls::parse_origin_form(target);
  if (!u) return 0;
  const std::string path = u->path();
  for (auto p : u->params()) (void)p;  // the query is decoded like the session does
  const auto m = Routes().Find(method, path);
  for (auto seg : kinora::http::SplitPath(path)) KINORA_FUZZ_CHECK(!seg.empty());
  if (m.route == nullptr) return 0;
  for (const auto& [name, value] : m.params) {
    KINORA_FUZZ_CHECK(!value.empty());
    if (name == "*") {
      KINORA_FUZZ_CHECK(value.front() != '/' && value.back() != '/');
      KINORA_FUZZ_CHECK(value.find("//") == std::string::npos);
    } else {
      KINORA_FUZZ_CHECK(value.find('/') == std::string::npos);
    }
  }
  return 0;
}
