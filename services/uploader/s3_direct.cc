#include "kinora/uploader/s3_direct.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <optional>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/core/time.h"
#include "kinora/core/utf8.h"
#include "kinora/http/problem.h"
#include "kinora/identity/rights.h"
#include "kinora/uploader/off_io.h"
#include "kinora/videos/keys.h"

namespace kinora::uploader {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using HttpStatus = http::Status;

constexpr size_t kMaxTitle = 300, kMaxDescription = 5000;
constexpr uint64_t kMaxBody = 1 << 20;  // 10000 parts' numbers and ETags fit

int64_t NowMs() { return UnixMillis(std::chrono::system_clock::now()); }

asio::awaitable<Result<std::string>> ReadBody(http::BodyReader& body) {
  std::string out;
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto n = co_await body.Read(buf);
    if (!n) co_return n.error();
    if (*n == 0) break;
    out.append(buf.data(), *n);
    if (out.size() > kMaxBody) co_return TooLarge("the request body is larger than 1 MiB");
  }
  co_return out;
}

Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidArgument("the body must be a JSON object");
  return std::move(v.as_object());
}

std::string StringField(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                  : std::string();
}

Response NotEnabled() {
  return http::Problem(HttpStatus::not_implemented,
                       "direct uploads need an S3 store; use the tus endpoint (GET "
                       "/api/uploads/config)");
}

// Reads an unsigned integer that JSON may carry as a number or a decimal string.
std::optional<uint64_t> Unsigned(const json::value& v) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<uint64_t>(v.as_int64());
  if (v.is_double() && v.as_double() >= 0 && v.as_double() < 9e15 &&
      v.as_double() == static_cast<double>(static_cast<uint64_t>(v.as_double()))) {
    return static_cast<uint64_t>(v.as_double());
  }
  if (v.is_string()) {
    const std::string s(v.as_string());
    if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), ::isdigit)) return {};
    return std::stoull(s);
  }
  return {};
}

}  // namespace

std::string DirectUploadState(std::string_view s3_upload_id) {
  return json::serialize(json::object{{"direct", true}, {"s3_upload_id", s3_upload_id}});
}

std::string DirectS3UploadId(std::string_view state) {
  if (state.empty() || state.front() != '{' || state.find("\"direct\"") == std::string::npos) {
    return {};
  }
  boost::system::error_code ec;
  json::value v = json::parse(state, ec);
  if (ec || !v.is_object()) return {};
  const json::object& o = v.as_object();
  auto direct = o.find("direct");
  if (direct == o.end() || !direct->value().is_bool() || !direct->value().as_bool()) return {};
  return StringField(o, "s3_upload_id");
}

bool IsDirectUploadState(std::string_view state) { return !DirectS3UploadId(state).empty(); }

S3DirectApi::S3DirectApi(storage::ObjectStore& store, catalog::Catalog& catalog, Ingest& ingest,
                         asio::thread_pool& blocking, const videos::Presenter& presenter,
                         UploadGate& gate, DirectOptions options)
    : store_(store),
      catalog_(catalog),
      ingest_(ingest),
      blocking_(blocking),
      presenter_(presenter),
      gate_(gate),
      options_(std::move(options)) {}

void S3DirectApi::Register(http::Router& router) {
  const std::string& p = options_.prefix;
  const http::RouteOptions small{.body_limit = kMaxBody};
  router.AddStreaming(
      http::Verb::post, p, [this](http::Request& r, http::BodyReader& b) { return Create(r, b); },
      small);
  router.Add(http::Verb::get, p + "/{uploadId}/{partNumber}",
             [this](http::Request& r) { return SignPart(r); });
  router.AddStreaming(
      http::Verb::get, p + "/{uploadId}",
      [this](http::Request& r, http::BodyReader& b) { return ListParts(r, b); }, small);
  router.AddStreaming(
      http::Verb::post, p + "/{uploadId}/complete",
      [this](http::Request& r, http::BodyReader& b) { return Complete(r, b); }, small);
  router.AddStreaming(
      http::Verb::delete_, p + "/{uploadId}",
      [this](http::Request& r, http::BodyReader& b) { return Abort(r, b); }, small);
}

Result<catalog::UploadRow> S3DirectApi::Find(const http::Request& req, const std::string& id,
                                             bool finished) {
  auto not_found = [&] { return NotFound("upload not found: " + id.substr(0, 64)); };
  if (id.size() != 32) return not_found();
  auto row = catalog_.GetUpload(id);
  if (!row) return row.error().code == ErrorCode::kNotFound ? not_found() : row.error();
  if (row->owner_id != req.principal.caller.user_id) return not_found();
  if (!IsDirectUploadState(row->store_state)) return not_found();
  if ((row->complete && !finished) || row->expires_at <= NowMs()) return not_found();
  if (auto key = req.Query("key");
      key && *key != videos::OriginalKey(row->video_id, row->extension)) {
    return not_found();
  }
  return row;
}

asio::awaitable<Response> S3DirectApi::Create(http::Request& req, http::BodyReader& body) {
  if (!enabled()) co_return NotEnabled();
  auto text = co_await ReadBody(body);
  if (!text) co_return http::ProblemFrom(text.error());
  auto o = ParseObject(*text);
  if (!o) co_return http::ProblemFrom(o.error());
  // Uppy sends {filename, type, metadata}; the size may sit beside them or in the metadata.
  json::object metadata;
  if (auto m = o->find("metadata"); m != o->end() && m->value().is_object()) {
    metadata = m->value().as_object();
  }
  std::optional<uint64_t> size;
  if (auto s = o->find("size"); s != o->end()) size = Unsigned(s->value());
  if (!size) {
    if (auto s = metadata.find("size"); s != metadata.end()) size = Unsigned(s->value());
  }
  if (!size)
    co_return http::ProblemFrom(InvalidArgument("'size' must be the file's size in bytes"));
  if (*size == 0) co_return http::ProblemFrom(InvalidArgument("the uploaded file is empty"));
  std::string filename = StringField(*o, "filename");
  if (filename.empty()) filename = StringField(metadata, "filename");
  if (filename.empty()) filename = StringField(metadata, "name");
  if (filename.empty()) co_return http::ProblemFrom(InvalidArgument("'filename' is missing"));
  auto extension = AcceptedExtension(filename);
  if (!extension) co_return http::ProblemFrom(extension.error());

  catalog::UploadRow row;
  row.visibility = options_.default_visibility;
  row.title = StringField(metadata, "title");
  row.description = StringField(metadata, "description");
  if (row.title.size() > kMaxTitle) {
    co_return http::ProblemFrom(InvalidArgument("the title is longer than 300 bytes"));
  }
  if (row.description.size() > kMaxDescription) {
    co_return http::ProblemFrom(InvalidArgument("the description is longer than 5000 bytes"));
  }
  if (auto ok = CheckUtf8Field("title", row.title); !ok) co_return http::ProblemFrom(ok.error());
  if (auto ok = CheckUtf8Field("description", row.description); !ok) {
    co_return http::ProblemFrom(ok.error());
  }
  if (std::string v = StringField(metadata, "visibility"); !v.empty()) {
    if (!identity::ParseVisibility(v)) {
      co_return http::ProblemFrom(
          InvalidArgument("'visibility' must be public, unlisted, private or internal"));
    }
    row.visibility = v;
  }

  uint64_t quota_left = 0;
  Error why;
  const uint64_t max =
      co_await OffIo(blocking_, [&] { return gate_.MaxSize(req, &quota_left, &why); });
  if (*size > max) {
    Error e = max == 0 ? why
                       : TooLarge("size " + std::to_string(*size) +
                                  " exceeds the largest upload allowed, " + std::to_string(max) +
                                  " bytes");
    co_return http::ProblemFrom(
        e, json::object{{"quota_remaining_bytes", static_cast<int64_t>(quota_left)}});
  }

  std::string id = NewUuid();
  std::erase(id, '-');
  row.upload_id = id;
  row.owner_id = req.principal.caller.user_id;
  row.video_id = NewUuid();
  row.filename = SafeDisplayName(filename);
  row.extension = *extension;
  row.correlation_id = req.correlation_id;
  row.length = static_cast<int64_t>(*size);
  row.created_at = NowMs();
  row.expires_at = row.created_at + options_.expiry.count() * 1000;
  const std::string key = videos::OriginalKey(row.video_id, row.extension);
  auto made = co_await OffIo(blocking_, [&]() -> Result<void> {
    KINORA_TRY(auto s3_id, store_.CreateMultipart(key, storage::GuessContentType(key)));
    row.store_state = DirectUploadState(s3_id);
    if (auto inserted = catalog_.InsertUpload(row); !inserted) {
      (void)store_.AbortMultipart(key, s3_id);
      return inserted.error();
    }
    return {};
  });
  if (!made) co_return http::ProblemFrom(made.error());
  log::Info("direct upload created", {{"upload_id", row.upload_id},
                                      {"video_id", row.video_id},
                                      {"length", std::to_string(*size)},
                                      {"correlation_id", req.correlation_id}});
  co_return http::Json(json::object{{"uploadId", row.upload_id}, {"key", key}});
}

Response S3DirectApi::SignPart(http::Request& req) {
  if (!enabled()) return NotEnabled();
  const std::string id = req.path_params["uploadId"];
  const std::string& n = req.path_params["partNumber"];
  auto row = Find(req, id);
  if (!row) return http::ProblemFrom(row.error());
  int number = 0;
  if (!n.empty() && n.size() <= 5 && std::all_of(n.begin(), n.end(), ::isdigit)) {
    number = std::stoi(n);
  }
  if (number < 1 || number > 10000) {
    return http::ProblemFrom(InvalidArgument("partNumber must be 1–10000"));
  }
  const std::string key = videos::OriginalKey(row->video_id, row->extension);
  auto url = store_.PresignUploadPart(key, DirectS3UploadId(row->store_state), number,
                                      options_.part_url_ttl);
  if (!url) return http::ProblemFrom(url.error());
  const auto expires = std::chrono::system_clock::now() + options_.part_url_ttl;
  Response r = http::Json(json::object{{"url", *url},
                                       {"expires", options_.part_url_ttl.count()},
                                       {"expires_at", FormatIso8601(expires)}});
  r.headers.set(http::bhttp::field::cache_control, "no-store");
  return r;
}

asio::awaitable<Response> S3DirectApi::ListParts(http::Request& req, http::BodyReader& body) {
  (void)body;
  if (!enabled()) co_return NotEnabled();
  const std::string id = req.path_params["uploadId"];
  auto parts = co_await OffIo(blocking_, [&]() -> Result<std::vector<storage::UploadedPart>> {
    KINORA_TRY(auto row, Find(req, id));
    auto listed = store_.ListParts(videos::OriginalKey(row.video_id, row.extension),
                                   DirectS3UploadId(row.store_state));
    // An S3 without ListParts (s3rver): nothing known, the client uploads every part again.
    if (!listed && listed.error().code == ErrorCode::kUnsupported) {
      return std::vector<storage::UploadedPart>{};
    }
    return listed;
  });
  if (!parts) co_return http::ProblemFrom(parts.error());
  json::array a;
  for (const auto& p : *parts) {
    a.push_back(json::object{{"PartNumber", p.number}, {"Size", p.size}, {"ETag", p.etag}});
  }
  Response r = http::Json(a);
  r.headers.set(http::bhttp::field::cache_control, "no-store");
  co_return r;
}

asio::awaitable<Response> S3DirectApi::Complete(http::Request& req, http::BodyReader& body) {
  if (!enabled()) co_return NotEnabled();
  const std::string id = req.path_params["uploadId"];
  auto text = co_await ReadBody(body);
  if (!text) co_return http::ProblemFrom(text.error());
  const UploadGate::Hold hold = gate_.TryLock(id);
  if (!hold) {
    co_return http::Problem(HttpStatus::locked, "a request on this upload is in progress; retry");
  }
  // Read under the lock: a complete that finished meanwhile is seen as finished.
  auto row = co_await OffIo(blocking_, [&] { return Find(req, id, /*finished=*/true); });
  if (!row) co_return http::ProblemFrom(row.error());
  if (row->complete) {
    // Completed before (its answer may have been lost on the way): the same answer again, as
    // long as the video exists.
    auto video = co_await OffIo(blocking_, [&] { return catalog_.Get(row->video_id); });
    if (!video) {
      co_return http::ProblemFrom(video.error().code == ErrorCode::kNotFound
                                      ? NotFound("upload not found: " + id)
                                      : video.error());
    }
    co_return Completed(*video);
  }
  auto o = ParseObject(*text);
  if (!o) co_return http::ProblemFrom(o.error());
  std::vector<storage::UploadedPart> parts;
  auto list = o->find("parts");
  if (list == o->end() || !list->value().is_array() || list->value().as_array().empty()) {
    co_return http::ProblemFrom(InvalidArgument("'parts' must list {PartNumber, ETag}"));
  }
  for (const json::value& v : list->value().as_array()) {
    if (!v.is_object()) co_return http::ProblemFrom(InvalidArgument("a part must be an object"));
    const json::object& p = v.as_object();
    auto number = p.find("PartNumber");
    std::optional<uint64_t> n = number == p.end() ? std::nullopt : Unsigned(number->value());
    const std::string etag = StringField(p, "ETag");
    if (!n || *n < 1 || *n > 10000 || etag.empty()) {
      co_return http::ProblemFrom(
          InvalidArgument("each part needs a PartNumber 1–10000 and its ETag"));
    }
    parts.push_back(storage::UploadedPart{.number = static_cast<int>(*n), .size = 0, .etag = etag});
  }
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].number == parts[i - 1].number) {
      co_return http::ProblemFrom(InvalidArgument("a part number is listed twice"));
    }
  }
  const std::string key = videos::OriginalKey(row->video_id, row->extension);
  const std::string s3_id = DirectS3UploadId(row->store_state);
  auto finished = co_await OffIo(blocking_, [&]() -> Result<catalog::VideoRecord> {
    KINORA_TRY(storage::ObjectInfo object, store_.CompleteMultipart(key, s3_id, parts));
    if (object.size != static_cast<uint64_t>(row->length)) {
      (void)store_.Delete(key);
      (void)catalog_.DeleteUpload(row->upload_id);
      return InvalidArgument(
          "the uploaded size differs from the declared size: " + std::to_string(object.size) +
          " bytes, not " + std::to_string(row->length));
    }
    UploadDetails details{.title = row->title,
                          .description = row->description,
                          .correlation_id = row->correlation_id,
                          .owner_id = row->owner_id,
                          .visibility = row->visibility};
    auto video = ingest_.FinishStored(StoredFile{.video_id = row->video_id,
                                                 .extension = row->extension,
                                                 .display_name = row->filename,
                                                 .object = std::move(object)},
                                      details);
    if (!video) {
      (void)catalog_.DeleteUpload(row->upload_id);  // FinishStored removed the object
      return video.error();
    }
    const int64_t keep_until = NowMs() + options_.expiry.count() * 1000;
    if (auto marked = catalog_.CompleteUpload(row->upload_id, keep_until); !marked) {
      log::Warn("completed direct upload not marked complete",
                {{"upload_id", row->upload_id}, {"error", marked.error().message}});
    }
    return video;
  });
  if (!finished) {
    log::Info("direct upload refused",
              {{"upload_id", row->upload_id}, {"error", finished.error().message}});
    co_return http::ProblemFrom(finished.error());
  }
  log::Info("video uploaded", {{"video_id", finished->video_id},
                               {"upload_id", row->upload_id},
                               {"correlation_id", req.correlation_id},
                               {"size", std::to_string(finished->size)},
                               {"container", finished->container}});
  co_return Completed(*finished);
}

Response S3DirectApi::Completed(const catalog::VideoRecord& video) const {
  return http::Json(json::object{{"location", "/api/videos/" + video.video_id},
                                 {"key", video.video_key},
                                 {"video_id", video.video_id},
                                 {"video", presenter_.Json(video)}});
}

asio::awaitable<Response> S3DirectApi::Abort(http::Request& req, http::BodyReader& body) {
  (void)body;
  if (!enabled()) co_return NotEnabled();
  const std::string id = req.path_params["uploadId"];
  const UploadGate::Hold hold = gate_.TryLock(id);
  if (!hold) {
    co_return http::Problem(HttpStatus::locked, "a request on this upload is in progress; retry");
  }
  auto done = co_await OffIo(blocking_, [&]() -> Result<void> {
    KINORA_TRY(auto row, Find(req, id));
    KINORA_TRY_VOID(store_.AbortMultipart(videos::OriginalKey(row.video_id, row.extension),
                                          DirectS3UploadId(row.store_state)));
    return catalog_.DeleteUpload(id);
  });
  if (!done) co_return http::ProblemFrom(done.error());
  log::Info("direct upload aborted", {{"upload_id", id}});
  Response r;
  r.status = HttpStatus::no_content;
  co_return r;
}

}  // namespace kinora::uploader
