#include "kinora/http/router.h"

#include <stdexcept>

namespace kinora::http {
namespace {

bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string>* params) {
  auto pat = SplitPath(pattern);
  auto segs = SplitPath(path);
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == "*") {
      if (i >= segs.size()) return false;
      std::string rest;
      for (size_t j = i; j < segs.size(); ++j) {
        if (!rest.empty()) rest.push_back('/');
        rest.append(segs[j]);
      }
      (*params)["*"] = rest;
      return true;
    }
    if (i >= segs.size()) return false;
    if (pat[i].size() > 2 && pat[i].front() == '{' && pat[i].back() == '}') {
      (*params)[std::string(pat[i].substr(1, pat[i].size() - 2))] = std::string(segs[i]);
    } else if (pat[i] != segs[i]) {
      return false;
    }
  }
  return pat.size() == segs.size();
}

}  // namespace

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void Router::Add(Verb method, std::string pattern, Handler h, RouteOptions o) {
  AddRoute(Route{method, std::move(pattern), o, std::move(h)});
}

void Router::AddStreaming(Verb method, std::string pattern, StreamHandler h, RouteOptions o) {
  AddRoute(Route{method, std::move(pattern), o, std::move(h)});
}

void Router::SetFallback(Handler h) {
  if (!h) throw std::invalid_argument("the fallback handler is empty");
  fallback_ = Route{Verb::get, "(static)", RouteOptions{}, std::move(h)};
}

void Router::AddRoute(Route r) {
  const bool callable = std::visit([](const auto& h) { return static_cast<bool>(h); }, r.handler);
  if (!callable) throw std::invalid_argument("route " + r.pattern + " has an empty handler");
  routes_.push_back(std::move(r));
}

Match Router::Find(Verb method, std::string_view path) const {
  Match m;
  Verb want = method == Verb::head ? Verb::get : method;
  std::string allow;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == want) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    std::string name(bhttp::to_string(r.method));
    if (allow.find(name) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += name;
      if (r.method == Verb::get) allow += ", HEAD";
    }
  }
  m.allow = std::move(allow);
  if (m.allow.empty() && fallback_ && want == Verb::get) m.route = &*fallback_;
  return m;
}

}  // namespace kinora::http
