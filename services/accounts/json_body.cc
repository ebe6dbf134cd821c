#include "kinora/accounts/json_body.h"

#include <boost/json.hpp>

#include "kinora/core/ids.h"
#include "kinora/core/utf8.h"

namespace kinora::accounts {

namespace json = boost::json;

boost::asio::awaitable<Result<json::object>> ReadJsonBody(http::BodyReader& body, size_t limit) {
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = co_await body.Read(std::span<char>(buf, sizeof buf));
    if (!n) co_return n.error();
    if (*n == 0) break;
    if (text.size() + *n > limit) {
      co_return TooLarge("the request body exceeds " + std::to_string(limit) + " bytes");
    }
    text.append(buf, *n);
  }
  co_return ParseJsonObject(text);
}

Result<json::object> ParseJsonObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec && !IsValidUtf8(text)) {
    return InvalidArgument("the request body is not valid UTF-8 (JSON text must be)");
  }
  if (ec || !v.is_object()) return InvalidArgument("the request body must be a JSON object");
  return std::move(v.as_object());
}

Result<std::string> StringField(const json::object& o, std::string_view name, size_t min,
                                size_t max) {
  const json::value* v = o.if_contains(name);
  if (!v || !v->is_string()) {
    return InvalidArgument("'" + std::string(name) + "' is required and must be a string");
  }
  const json::string& s = v->as_string();
  if (s.size() < min || s.size() > max) {
    return InvalidArgument("'" + std::string(name) + "' must be " + std::to_string(min) + "–" +
                           std::to_string(max) + " bytes");
  }
  return std::string(s);
}

Result<std::string> Username(const json::object& o) {
  KINORA_TRY(std::string name, StringField(o, "username", 1, 64));
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return InvalidArgument("'username' may hold only letters, digits, '.', '_' and '-'");
    }
  }
  return name;
}

Result<std::vector<identity::Scope>> Scopes(const json::object& o) {
  const json::value* v = o.if_contains("scopes");
  if (!v || !v->is_array() || v->as_array().empty()) {
    return InvalidArgument(
        "'scopes' must be a non-empty array of videos:read, videos:write, analytics:read, admin");
  }
  std::vector<identity::Scope> out;
  for (const json::value& s : v->as_array()) {
    auto scope = s.is_string() ? identity::ParseScope(s.as_string()) : std::nullopt;
    if (!scope) {
      return InvalidArgument("unknown scope " + json::serialize(s) +
                             " (want videos:read, videos:write, analytics:read or admin)");
    }
    if (std::find(out.begin(), out.end(), *scope) == out.end()) out.push_back(*scope);
  }
  return out;
}

json::object TokenJson(const identity::ApiToken& t) {
  json::array scopes;
  for (auto s : t.scopes) scopes.push_back(json::string(identity::ToString(s)));
  auto secs = [](int64_t ms) { return ms ? json::value(ms / 1000) : json::value(nullptr); };
  return json::object{
      {"token_id", t.token_id},
      {"name", t.name},
      {"hint", t.hint},
      {"scopes", std::move(scopes)},
      {"created_at", t.created_at / 1000},
      {"expires_at", secs(t.expires_at)},
      {"last_used_at", secs(t.last_used_at)},
      {"revoked", t.revoked},
  };
}

std::string NewTokenId() { return NewUuid(); }

}  // namespace kinora::accounts
