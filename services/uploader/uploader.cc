#include "kinora/uploader/uploader.h"

#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
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
constexpr size_t kReadChunk = 256 * 1024;

// What the multipart form carries, collected as the body streams through: the file part goes
// straight into the ingest, the small text fields are kept (bounded).
struct UploadForm {
  enum class Part { kNone, kFile, kTitle, kDescription, kIgnored } part = Part::kNone;
  std::optional<IncomingFile> file;
  UploadDetails details;
};

Error FileTooLarge(uint64_t limit) {
  return TooLarge("the file exceeds the upload limit of " + std::to_string(limit) + " bytes");
}

}  // namespace

Uploader::Uploader(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
                   const videos::Presenter& presenter, metrics::Registry& metrics,
                   UploaderOptions options)
    : store_(store),
      catalog_(catalog),
      presenter_(presenter),
      options_(std::move(options)),
      ingest_(store, catalog, queue, options_.ingest),
      uploads_(metrics.AddCounter("kinora_uploads_total", "Uploads by outcome.", {"result"})),
      upload_bytes_(
          metrics.AddCounter("kinora_upload_bytes_total", "Bytes of accepted uploads.").With()) {}

http::RouteOptions Uploader::upload_route_options() const {
  // The file may be max_upload_bytes; the form around it gets 1 MiB of slack.
  return http::RouteOptions{.body_limit = options_.max_upload_bytes + (1 << 20)};
}

void Uploader::Register(http::Router& router, const std::string& prefix) {
  router.AddStreaming(
      http::Verb::post, prefix + "/upload",
      [this](http::Request& req, http::BodyReader& body) { return Upload(req, body); },
      upload_route_options());
  router.Add(http::Verb::delete_, prefix + "/videos/{id}",
             [this](http::Request& req) { return Delete(req); });
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
  UploadForm form;
  form.details.correlation_id = req.correlation_id;
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
                       } else {
                         form.part = Part::kIgnored;
                       }
                       return {};
                     },
                     [&](std::string_view d) -> Result<void> {
                       switch (form.part) {
                         case Part::kFile:
                           if (form.file->size() + d.size() > options_.max_upload_bytes) {
                             return FileTooLarge(options_.max_upload_bytes);
                           }
                           return form.file->Append(d);
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
    if (!fed) co_return refuse(http::ProblemFrom(fed.error()));
  }
  if (auto fin = parser.Finish(); !fin) co_return refuse(http::ProblemFrom(fin.error()));
  if (!form.file) {
    co_return refuse(http::ProblemFrom(InvalidArgument("the form has no 'file' part")));
  }

  auto v = ingest_.Finish(std::move(*form.file), form.details);
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
  if (!IsUuid(id))
    return http::ProblemFrom(InvalidArgument("'" + id.substr(0, 64) + "' is not a video id"));
  auto deleted = videos::Library(catalog_, store_).Delete(id);
  if (!deleted) return http::ProblemFrom(deleted.error());
  log::Info("video deleted", {{"video_id", id}, {"correlation_id", req.correlation_id}});
  return http::Json(
      json::object{{"status", "success"}, {"video_id", id}, {"message", "Video deleted"}});
}

}  // namespace kinora::uploader
