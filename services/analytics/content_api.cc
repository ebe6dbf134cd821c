#include "kinora/analytics/content_api.h"

#include <boost/json.hpp>

#include "kinora/core/ids.h"
#include "kinora/http/problem.h"
#include "kinora/identity/principal.h"
#include "kinora/identity/rights.h"
#include "kinora/media/content_analysis.h"
#include "kinora/videos/keys.h"

namespace kinora::analytics {
namespace {

namespace json = boost::json;

constexpr const char* kNoAnalysis = "this video has no content analysis yet";

// The video of {id} when the caller may see its analytics (its owner, moderators, admins); the
// same 404 as an unknown id otherwise.
Result<catalog::VideoRecord> AnalyticsVideo(catalog::Catalog& catalog, const http::Request& req) {
  const auto it = req.path_params.find("id");
  const std::string id = it == req.path_params.end() ? "" : it->second;
  if (!IsUuid(id)) return NotFound("video not found: " + id.substr(0, 64));
  auto v = catalog.Get(id);
  if (!v) {
    if (v.error().code == ErrorCode::kNotFound) return NotFound("video not found: " + id);
    return v.error();
  }
  const identity::Principal& p = req.principal;
  const bool may = p.signed_in() && (p.Has(identity::Right::kSeeAnyVideo) ||
                                     (!v->owner_id.empty() && v->owner_id == p.caller.user_id));
  if (!may) return NotFound("video not found: " + id);
  return std::move(*v);
}

// The whole object, up to kMaxAnalysisBytes.
Result<std::string> ReadSmallObject(storage::ObjectStore& store, const std::string& key) {
  KINORA_TRY(auto reader, store.Get(key, std::nullopt));
  std::string text;
  std::vector<char> buf(64 << 10);
  for (;;) {
    KINORA_TRY(size_t n, reader->Read(buf));
    if (n == 0) break;
    if (text.size() + n > kMaxAnalysisBytes) return Internal(key + " is larger than expected");
    text.append(buf.data(), n);
  }
  return text;
}

}  // namespace

Result<json::object> ContentAnswer(json::object analysis, const std::string& vtt_url) {
  json::array messages, details;
  if (const json::value* flags = analysis.if_contains("flags"); flags && !flags->is_null()) {
    if (!flags->is_array()) return InvalidArgument("analysis.json: 'flags' is not a list");
    for (const json::value& f : flags->get_array()) {
      if (!f.is_object()) return InvalidArgument("analysis.json: a flag is not an object");
      const json::value* message = f.get_object().if_contains("message");
      messages.emplace_back(message && message->is_string() ? message->get_string()
                                                            : json::string());
      details.push_back(f);
    }
  }
  analysis["flags"] = std::move(messages);
  analysis["flag_details"] = std::move(details);
  if (json::value* sb = analysis.if_contains("storyboard"); sb && sb->is_object()) {
    if (vtt_url.empty()) {
      sb->get_object()["vtt_url"] = nullptr;
    } else {
      sb->get_object()["vtt_url"] = vtt_url;
    }
  }
  return analysis;
}

void ContentApi::Register(http::Router& router, const std::string& prefix) {
  router.Add(http::Verb::get, prefix + "/videos/{id}/content",
             [this](http::Request& r) { return Content(r); });
}

http::Response ContentApi::Content(http::Request& req) {
  auto v = AnalyticsVideo(catalog_, req);
  if (!v) return http::ProblemFrom(v.error());
  const std::string key = videos::OutputKey(v->video_id, media::kAnalysisFile);
  auto text = ReadSmallObject(store_, key);
  if (!text) {
    if (text.error().code == ErrorCode::kNotFound) return http::ProblemFrom(NotFound(kNoAnalysis));
    return http::ProblemFrom(text.error());
  }
  boost::system::error_code ec;
  json::value doc = json::parse(*text, ec);
  if (ec || !doc.is_object()) return http::ProblemFrom(Internal(key + " is not a JSON object"));
  const std::string vtt_url =
      presenter_.MediaUrl(*v, videos::OutputKey(v->video_id, media::kStoryboardVtt));
  auto answer = ContentAnswer(std::move(doc.get_object()), vtt_url);
  if (!answer) return http::ProblemFrom(Internal(answer.error().message));
  http::Response r = http::Json(*answer);
  r.Set(http::bhttp::field::cache_control, "private, no-store");
  return r;
}

}  // namespace kinora::analytics
