// Reading the accounts API's JSON bodies (bounded, objects only, typed fields with clear
// errors) and writing its token documents.
// Thread safety: pure functions (ReadJsonBody uses the one request's reader).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/http/message.h"
#include "kinora/identity/store.h"

namespace kinora::accounts {

// The body as a JSON object; kTooLarge past `limit`, kInvalidArgument when it is not an object.
boost::asio::awaitable<Result<boost::json::object>> ReadJsonBody(http::BodyReader& body,
                                                                 size_t limit);
Result<boost::json::object> ParseJsonObject(std::string_view text);

// A string member of [min, max] bytes; kInvalidArgument naming it otherwise.
Result<std::string> StringField(const boost::json::object& o, std::string_view name, size_t min,
                                size_t max);
// "username": 1–64 of [A-Za-z0-9._-].
Result<std::string> Username(const boost::json::object& o);
// "scopes": a non-empty array of scope names.
Result<std::vector<identity::Scope>> Scopes(const boost::json::object& o);

// A token as lists show it (never the secret): token_id, name, hint, scopes, times (epoch s).
boost::json::object TokenJson(const identity::ApiToken& t);
std::string NewTokenId();

}  // namespace kinora::accounts
