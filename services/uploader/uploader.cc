#include "kinora/uploader/uploader.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <limits>
#include <optional>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/core/time.h"
#include "kinora/core/utf8.h"
#include "kinora/http/multipart.h"
#include "kinora/http/problem.h"
#include "kinora/videos/library.h"

namespace kinora::uploader {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using http::Status;

constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxDescription = 5000;
constexpr size_t kReadChunk = 64 * 1024;  // the server hands over at most 64 KiB per read

// What the multipart form carries, collected as the body streams through: the file part goes
// straight into the ingest, the small text fields are kept (bounded).
struct UploadForm {
  enum class Part { kNone, kFile, kTitle, kDescription, kVisibility, kIgnored } part = Part::kNone;
  std::optional<IncomingFile> file;
  UploadDetails details;
  std::string visibility;  // as sent, checked at the end
};

Error FileTooLarge(uint64_t limit) {
  return TooLarge("the file exceeds the upload limit of " + std::to_string(limit) + " bytes");
}

}  // namespace

Uploader::Uploader(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
                   identity::IdentityStore* users, const videos::Presenter& presenter,
                   metrics::Registry& metrics, UploaderOptions options)
    : store_(store),
      catalog_(catalog),
      users_(users),
      presenter_(presenter),
      options_(std::move(options)),
      ingest_(store, catalog, queue, options_.ingest),
      finish_pool_(static_cast<size_t>(std::max(1, options_.finish_threads))),
      uploads_(metrics.AddCounter("kinora_uploads_total", "Uploads by outcome.", {"result"})),
      upload_bytes_(
          metrics.AddCounter("kinora_upload_bytes_total", "Bytes of accepted uploads.").With()),
      gate_(
          catalog,
          [this](const http::Request& req, uint64_t* quota_left) {
            return Allowance(req, quota_left);
          },
          options_.max_upload_bytes),
      tus_(std::make_unique<TusApi>(store, catalog, ingest_, finish_pool_, presenter, metrics,
                                    gate_,
                                    TusOptions{.prefix = "/api/uploads",
                                               .max_upload_bytes = options_.max_upload_bytes,
                                               .expiry = options_.upload_expiry,
                                               .sweep_every = options_.upload_sweep_every,
                                               .default_visibility = options_.default_visibility,
                                               .disk_check = options_.disk_check})),
      direct_(std::make_unique<S3DirectApi>(
          store, catalog, ingest_, finish_pool_, presenter, gate_,
          DirectOptions{.expiry = options_.upload_expiry,
                        .default_visibility = options_.default_visibility})) {}

void Uploader::RegisterResumable(http::Router& router) {
  direct_->Register(router);  // before tus's /api/uploads/{id}
  tus_->Register(router);
}

http::RouteOptions Uploader::upload_route_options() const {
  // The file may be max_upload_bytes; the form around it gets 1 MiB of slack.
  return http::RouteOptions{.body_limit = options_.max_upload_bytes + (1 << 20), .upload = true};
}

void Uploader::Register(http::Router& router, const std::string& prefix) {
  router.AddStreaming(
      http::Verb::post, prefix + "/upload",
      [this](http::Request& req, http::BodyReader& body) { return Upload(req, body); },
      upload_route_options());
  router.Add(http::Verb::delete_, prefix + "/videos/{id}",
             [this](http::Request& req) { return Delete(req); });
  router.Add(
      http::Verb::patch, prefix + "/videos/{id}", [this](http::Request& req) { return Edit(req); },
      http::RouteOptions{.body_limit = 16 * 1024});
}

Result<uint64_t> Uploader::Allowance(const http::Request& req, uint64_t* quota_left) {
  uint64_t allowed = options_.max_upload_bytes;
  *quota_left = allowed;
  if (!users_ || !req.principal.signed_in()) return allowed;
  KINORA_TRY(identity::User user, users_->GetUser(req.principal.caller.user_id));
  if (user.quota_bytes == 0 && user.daily_quota_bytes == 0) return allowed;
  const auto now = std::chrono::system_clock::now();
  const auto day_start = std::chrono::floor<std::chrono::days>(now);
  KINORA_TRY(catalog::OwnerUsage usage,
             catalog_.Usage(user.user_id, UnixMillis(SysTime(day_start))));
  int64_t left = std::numeric_limits<int64_t>::max();
  if (user.quota_bytes > 0) left = std::min(left, user.quota_bytes - usage.total_bytes);
  if (user.daily_quota_bytes > 0) {
    left = std::min(left, user.daily_quota_bytes - usage.bytes_since);
  }
  left = std::max<int64_t>(left, 0);
  *quota_left = static_cast<uint64_t>(left);
  if (left == 0) return TooLarge("your upload quota is used up");
  return std::min(allowed, static_cast<uint64_t>(left));
}

Result<catalog::VideoRecord> Uploader::Editable(const http::Request& req, const std::string& id) {
  if (!IsUuid(id)) return InvalidArgument("'" + id.substr(0, 64) + "' is not a video id");
  KINORA_TRY(catalog::VideoRecord v, catalog_.Get(id));
  const auto visibility = identity::ParseVisibility(v.visibility);
  if (!visibility || !identity::CanWatch(req.principal.caller, v.owner_id, *visibility)) {
    return NotFound("video not found: " + id);
  }
  if (!identity::CanEdit(req.principal.caller, v.owner_id)) {
    return PermissionDenied("only the owner, moderators and admins may change this video");
  }
  return v;
}

asio::awaitable<Response> Uploader::Upload(http::Request& req, http::BodyReader& body) {
  auto refuse = [&](Response r) {
    uploads_.With({"refused"}).Inc();
    return r;
  };
  auto boundary = http::MultipartBoundary(req.Header(http::bhttp::field::content_type));
  if (!boundary) {
    co_return refuse(http::ProblemFrom(boundary.error()));
  }
  if (options_.disk_check) {  // 507 while the disk is low: nothing is stored
    if (auto room = options_.disk_check(); !room) co_return refuse(http::ProblemFrom(room.error()));
  }
  uint64_t quota_left = 0;
  auto allowance = Allowance(req, &quota_left);
  auto over_quota = [&](const Error& e) {
    return refuse(http::ProblemFrom(
        e, json::object{{"quota_remaining_bytes", static_cast<int64_t>(quota_left)}}));
  };
  if (!allowance) {
    co_return allowance.error().code == ErrorCode::kTooLarge
        ? over_quota(allowance.error())
        : refuse(http::ProblemFrom(allowance.error()));
  }
  const uint64_t limit = *allowance;
  const bool quota_binds = limit < options_.max_upload_bytes;
  // The declared length decides before any byte is stored (the form adds at most 1 MiB).
  if (auto declared = body.content_length();
      quota_binds && declared && *declared > limit + (1 << 20)) {
    co_return over_quota(TooLarge("the upload (" + std::to_string(*declared) +
                                  " bytes) exceeds your remaining quota of " +
                                  std::to_string(quota_left) + " bytes"));
  }
  UploadForm form;
  form.details.correlation_id = req.correlation_id;
  form.details.owner_id = req.principal.caller.user_id;
  form.details.visibility = options_.default_visibility;
  bool over_limit = false;
  using Part = UploadForm::Part;
  http::MultipartParser parser(
      *boundary, {
                     [&](const http::PartHeader& h) -> Result<void> {
                       if (h.name == "file") {
                         if (form.file) {
                           return InvalidArgument("the form has more than one 'file' part");
                         }
                         KINORA_TRY(form.file, ingest_.Begin(h.filename));
                         form.part = Part::kFile;
                       } else if (h.name == "title") {
                         form.part = Part::kTitle;
                       } else if (h.name == "description") {
                         form.part = Part::kDescription;
                       } else if (h.name == "visibility") {
                         form.part = Part::kVisibility;
                         form.visibility.clear();
                       } else {
                         form.part = Part::kIgnored;
                       }
                       return {};
                     },
                     [&](std::string_view d) -> Result<void> {
                       switch (form.part) {
                         case Part::kFile:
                           if (form.file->size() + d.size() > limit) {
                             over_limit = quota_binds;
                             return FileTooLarge(limit);
                           }
                           return form.file->Append(d);
                         case Part::kVisibility:
                           form.visibility.append(d);
                           if (form.visibility.size() > 16) {
                             return InvalidArgument(
                                 "'visibility' must be public, unlisted, private or internal");
                           }
                           return {};
                         case Part::kTitle:
                           form.details.title.append(d);
                           if (form.details.title.size() > kMaxTitle) {
                             return InvalidArgument("the title is longer than 300 bytes");
                           }
                           return {};
                         case Part::kDescription:
                           form.details.description.append(d);
                           if (form.details.description.size() > kMaxDescription) {
                             return InvalidArgument("the description is longer than 5000 bytes");
                           }
                           return {};
                         default:
                           return {};
                       }
                     },
                     [&]() -> Result<void> {
                       form.part = Part::kNone;
                       return {};
                     },
                 });

  // Stream the body through the parser into the store; constant memory whatever the size.
  std::vector<char> buf(kReadChunk);
  for (;;) {
    auto n = co_await body.Read(buf);
    if (!n) {
      if (n.error().code == ErrorCode::kTooLarge) {
        co_return refuse(
            http::ProblemFrom(TooLarge("the upload exceeds the limit of " +
                                       std::to_string(options_.max_upload_bytes) + " bytes")));
      }
      co_return refuse(http::ProblemFrom(n.error()));  // the put aborts as the form goes
    }
    if (*n == 0) break;
    auto fed = parser.Feed(std::string_view(buf.data(), *n));
    if (!fed)
      co_return over_limit ? over_quota(fed.error()) : refuse(http::ProblemFrom(fed.error()));
  }
  if (auto fin = parser.Finish(); !fin) co_return refuse(http::ProblemFrom(fin.error()));
  if (!form.file) {
    co_return refuse(http::ProblemFrom(InvalidArgument("the form has no 'file' part")));
  }
  for (auto checked : {CheckUtf8Field("title", form.details.title),
                       CheckUtf8Field("description", form.details.description)}) {
    if (!checked) co_return refuse(http::ProblemFrom(checked.error()));
  }
  if (!form.visibility.empty()) {
    if (!identity::ParseVisibility(form.visibility)) {
      co_return refuse(http::ProblemFrom(
          InvalidArgument("'visibility' must be public, unlisted, private or internal")));
    }
    form.details.visibility = form.visibility;
  }

  // The probe runs a child and the commit does blocking I/O: on the finishing pool, never on
  // an I/O thread (other requests keep being served meanwhile).
  std::optional<Result<catalog::VideoRecord>> finished;
  co_await asio::co_spawn(
      finish_pool_,
      [&]() -> asio::awaitable<void> {
        finished.emplace(ingest_.Finish(std::move(*form.file), form.details));
        co_return;
      },
      asio::use_awaitable);
  Result<catalog::VideoRecord>& v = *finished;
  if (!v) co_return refuse(http::ProblemFrom(v.error()));
  uploads_.With({"accepted"}).Inc();
  upload_bytes_.Inc(static_cast<double>(v->size));
  log::Info("video uploaded", {{"video_id", v->video_id},
                               {"correlation_id", req.correlation_id},
                               {"size", std::to_string(v->size)},
                               {"container", v->container}});
  json::object out{{"status", "success"},
                   {"video_id", v->video_id},
                   {"message", "Video uploaded successfully and queued for processing"},
                   {"video", presenter_.Json(*v)}};
  co_return http::Json(Status::created, out);
}

Response Uploader::Delete(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto v = Editable(req, id); !v) return http::ProblemFrom(v.error());
  auto deleted = videos::Library(catalog_, store_).Delete(id);
  if (!deleted) return http::ProblemFrom(deleted.error());
  log::Info("video deleted", {{"video_id", id}, {"correlation_id", req.correlation_id}});
  return http::Json(
      json::object{{"status", "success"}, {"video_id", id}, {"message", "Video deleted"}});
}

Response Uploader::Edit(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto v = Editable(req, id); !v) return http::ProblemFrom(v.error());
  // Invalid UTF-8 is let through the parser so that the refusal can name the field.
  boost::json::parse_options lax;
  lax.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  json::value body = json::parse(req.body, ec, {}, lax);
  if (ec || !body.is_object()) {
    return http::ProblemFrom(InvalidArgument("the request body must be a JSON object"));
  }
  catalog::VideoEdit edit;
  auto field = [&](std::string_view name, size_t max,
                   std::optional<std::string>& out) -> Result<void> {
    const json::value* f = body.as_object().if_contains(name);
    if (!f || f->is_null()) return {};
    if (!f->is_string() || f->as_string().size() > max) {
      return InvalidArgument("'" + std::string(name) + "' must be a string of at most " +
                             std::to_string(max) + " bytes");
    }
    KINORA_TRY_VOID(CheckUtf8Field(name, f->as_string()));
    out = std::string(f->as_string());
    return {};
  };
  for (auto r : {field("title", kMaxTitle, edit.title),
                 field("description", kMaxDescription, edit.description),
                 field("visibility", 16, edit.visibility)}) {
    if (!r) return http::ProblemFrom(r.error());
  }
  if (edit.visibility && !identity::ParseVisibility(*edit.visibility)) {
    return http::ProblemFrom(
        InvalidArgument("'visibility' must be public, unlisted, private or internal"));
  }
  auto updated = catalog_.Edit(id, edit);
  if (!updated) return http::ProblemFrom(updated.error());
  // The mirror follows (best effort: the catalog row is the truth; reindex rewrites it).
  if (auto mirrored = videos::Library(catalog_, store_).WriteMirror(*updated); !mirrored) {
    log::Warn("metadata mirror not updated",
              {{"video_id", id}, {"error", mirrored.error().message}});
  }
  log::Info("video edited", {{"video_id", id}, {"correlation_id", req.correlation_id}});
  return http::Json(presenter_.Json(*updated));
}

}  // namespace kinora::uploader
