#include "kinora/uploader/uploader.h"

#include <array>
#include <boost/json.hpp>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/core/log.h"
#include "kinora/http/multipart.h"
#include "kinora/http/problem.h"
#include "kinora/media/probe.h"
#include "kinora/uploader/probe_window.h"

namespace kinora::uploader {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using http::Status;

constexpr std::array<std::string_view, 8> kExtensions = {"mp4", "mov", "avi", "webm",
                                                         "mkv", "flv", "wmv", "m4v"};
constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxDescription = 5000;
constexpr size_t kReadChunk = 256 * 1024;

std::string AcceptedList() {
  std::string s;
  for (auto e : kExtensions) s += (s.empty() ? "" : ", ") + std::string(e);
  return s;
}

std::string ContentTypeFor(std::string_view ext) {
  return std::string(storage::GuessContentType("x." + std::string(ext)));
}

// Everything one upload request accumulates while its body streams through.
struct UploadState {
  enum class Part { kNone, kFile, kTitle, kDescription, kIgnored } part = Part::kNone;
  std::unique_ptr<storage::ObjectWriter> writer;
  ProbeWindow window;
  bool has_file = false;
  std::string ext, original_filename, title, description;
};

}  // namespace

Result<std::string> AcceptedExtension(std::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == filename.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the file name has no extension; accepted: " + AcceptedList());
  }
  std::string ext(filename.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto e : kExtensions) {
    if (ext == e) return ext;
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "files of type '." + ext.substr(0, 20) + "' are not accepted; accepted: " + AcceptedList());
}

std::string SafeDisplayName(std::string_view filename) {
  size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  std::string out;
  for (char c : filename) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  if (out.size() > 255) out.resize(255);
  return out;
}

Uploader::Uploader(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
                   metrics::Registry& metrics, UploaderOptions options)
    : store_(store),
      catalog_(catalog),
      queue_(queue),
      options_(std::move(options)),
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
    co_return refuse(boundary.error().code == ErrorCode::kUnsupported
                         ? http::Problem(Status::unsupported_media_type, boundary.error().message)
                         : http::ProblemFrom(boundary.error()));
  }
  const std::string id = NewUuid();
  UploadState st;
  using Part = UploadState::Part;
  http::MultipartParser parser(
      *boundary,
      {
          [&](const http::PartHeader& h) -> Result<void> {
            if (h.name == "file") {
              if (st.has_file) {
                return MakeError(ErrorCode::kInvalidArgument,
                                 "the form has more than one 'file' part");
              }
              KINORA_TRY(st.ext, AcceptedExtension(h.filename));
              st.original_filename = SafeDisplayName(h.filename);
              KINORA_TRY(st.writer,
                         store_.BeginPut("videos/" + id + "." + st.ext, ContentTypeFor(st.ext)));
              st.has_file = true;
              st.part = Part::kFile;
            } else if (h.name == "title") {
              st.part = Part::kTitle;
            } else if (h.name == "description") {
              st.part = Part::kDescription;
            } else {
              st.part = Part::kIgnored;
            }
            return {};
          },
          [&](std::string_view d) -> Result<void> {
            switch (st.part) {
              case Part::kFile:
                if (st.window.total() + d.size() > options_.max_upload_bytes) {
                  return MakeError(ErrorCode::kTooLarge,
                                   "the file exceeds the upload limit of " +
                                       std::to_string(options_.max_upload_bytes) + " bytes");
                }
                st.window.Append(d);
                return st.writer->Write(d);
              case Part::kTitle:
                st.title.append(d);
                if (st.title.size() > kMaxTitle) {
                  return MakeError(ErrorCode::kInvalidArgument,
                                   "the title is longer than 300 bytes");
                }
                return {};
              case Part::kDescription:
                st.description.append(d);
                if (st.description.size() > kMaxDescription) {
                  return MakeError(ErrorCode::kInvalidArgument,
                                   "the description is longer than 5000 bytes");
                }
                return {};
              default:
                return {};
            }
          },
          [&]() -> Result<void> {
            st.part = Part::kNone;
            return {};
          },
      });

  // Stream the body through the parser into the store; constant memory whatever the size.
  std::vector<char> buf(kReadChunk);
  for (;;) {
    auto n = co_await body.Read(buf);
    if (!n) {
      if (n.error().code == ErrorCode::kTooLarge) {
        co_return refuse(http::Problem(Status::payload_too_large,
                                       "the upload exceeds the limit of " +
                                           std::to_string(options_.max_upload_bytes) + " bytes"));
      }
      co_return refuse(http::ProblemFrom(n.error()));  // the writer aborts as st goes out of scope
    }
    if (*n == 0) break;
    auto fed = parser.Feed(std::string_view(buf.data(), *n));
    if (!fed) co_return refuse(http::ProblemFrom(fed.error()));
  }
  if (auto fin = parser.Finish(); !fin) co_return refuse(http::ProblemFrom(fin.error()));
  if (!st.has_file) {
    co_return refuse(http::Problem(Status::bad_request, "the form has no 'file' part"));
  }
  if (st.window.total() == 0) {
    co_return refuse(http::Problem(Status::bad_request, "the uploaded file is empty"));
  }
  auto probe = media::ProbeHeadTail(st.window.head(), st.window.tail(), st.window.total());
  if (!probe) {
    co_return refuse(
        http::Problem(Status::unprocessable_entity,
                      "the file is not a video Kinora can read: " + probe.error().message));
  }

  // Validated: make it visible — object, catalog row, metadata, job — undoing on failure.
  auto committed = st.writer->Commit();
  if (!committed) co_return refuse(http::ProblemFrom(committed.error()));
  catalog::VideoRecord v;
  v.video_id = id;
  v.original_filename = st.original_filename;
  v.title =
      st.title.empty() ? st.original_filename.substr(0, st.original_filename.rfind('.')) : st.title;
  v.description = st.description;
  v.file_extension = st.ext;
  v.content_type = ContentTypeFor(st.ext);
  v.size = static_cast<int64_t>(committed->size);
  v.bucket = options_.bucket;
  v.video_key = committed->key;
  v.uploaded_at = std::chrono::system_clock::now();
  v.container = probe->container;
  if (probe->duration_seconds > 0) v.duration_seconds = probe->duration_seconds;
  bool sideways = probe->rotation == 90 || probe->rotation == 270;
  v.width = sideways ? probe->height : probe->width;
  v.height = sideways ? probe->width : probe->height;
  v.fps = probe->fps;
  v.video_codec = probe->video_codec;
  v.audio_codec = probe->audio_codec;
  v.bitrate = probe->bitrate;
  v.probe_json = ToJsonText(media::ToJson(*probe));  // the processor refines it
  v.correlation_id = req.correlation_id;

  const std::string metadata_key = "metadata/" + id + ".json";
  auto undo = [&](bool row) {
    if (row) (void)catalog_.Delete(id);
    (void)store_.Delete(metadata_key);
    (void)store_.Delete(v.video_key);
  };
  if (auto r = catalog_.Insert(v); !r) {
    undo(false);
    co_return refuse(http::ProblemFrom(r.error()));
  }
  if (auto r = storage::PutBytes(store_, metadata_key, ToJsonText(catalog::ToJson(v)),
                                 "application/json");
      !r) {
    undo(true);
    co_return refuse(http::ProblemFrom(r.error()));
  }
  json::object msg{{"video_id", id},
                   {"s3_bucket", v.bucket},
                   {"s3_video_key", v.video_key},
                   {"s3_metadata_key", metadata_key},
                   {"original_filename", v.original_filename},
                   {"correlation_id", req.correlation_id}};
  if (auto r = queue_.Send(ToJsonText(msg)); !r) {
    undo(true);
    co_return refuse(http::ProblemFrom(r.error()));
  }
  uploads_.With({"accepted"}).Inc();
  upload_bytes_.Inc(static_cast<double>(v.size));
  log::Info("video uploaded", {{"video_id", id},
                               {"correlation_id", req.correlation_id},
                               {"size", std::to_string(v.size)},
                               {"container", v.container}});
  json::object out{{"status", "success"},
                   {"video_id", id},
                   {"message", "Video uploaded successfully and queued for processing"},
                   {"video", options_.present ? options_.present(v) : catalog::ToJson(v)}};
  co_return http::Json(Status::created, out);
}

Response Uploader::Delete(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (!IsUuid(id))
    return http::Problem(Status::bad_request, "'" + id.substr(0, 64) + "' is not a video id");
  auto v = catalog_.Get(id);
  if (!v) return http::ProblemFrom(v.error());
  // The row goes first so the video vanishes from the API at once; objects follow. A failure
  // halfway leaves unreferenced objects (harmless), never a row pointing at missing media.
  if (auto r = catalog_.Delete(id); !r) return http::ProblemFrom(r.error());
  for (const std::string& key :
       {v->video_key, "metadata/" + id + ".json", "thumbnails/" + id + ".jpg"}) {
    if (auto r = store_.Delete(key); !r) return http::ProblemFrom(r.error());
  }
  if (auto r = storage::DeletePrefix(store_, "processed/" + id + "/"); !r) {
    return http::ProblemFrom(r.error());
  }
  log::Info("video deleted", {{"video_id", id}, {"correlation_id", req.correlation_id}});
  return http::Json(
      json::object{{"status", "success"}, {"video_id", id}, {"message", "Video deleted"}});
}

}  // namespace kinora::uploader
