#include "kinora/uploader/tus_api.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/core/time.h"
#include "kinora/core/utf8.h"
#include "kinora/http/problem.h"
#include "kinora/identity/rights.h"
#include "kinora/storage/resumable.h"
#include "kinora/uploader/off_io.h"
#include "kinora/uploader/s3_direct.h"
#include "kinora/uploader/tus_protocol.h"
#include "kinora/videos/keys.h"

namespace kinora::uploader {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using HttpStatus = http::Status;

constexpr size_t kReadChunk = 256 * 1024;
constexpr uint64_t kClientChunkBytes = 8 << 20;
constexpr uint64_t kCheckpointLookEvery = 4 << 20;  // what clients are told to send per PATCH
constexpr size_t kMaxTitle = 300, kMaxDescription = 5000;

std::string_view H(const http::Request& req, std::string_view name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string_view() : std::string_view(it->value());
}

int64_t NowMs() { return UnixMillis(std::chrono::system_clock::now()); }

std::chrono::system_clock::time_point FromMs(int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

Response& Tus(Response& r) {
  r.headers.set("Tus-Resumable", tus::kVersion);
  return r;
}

Response Answer(Response r) { return std::move(Tus(r)); }

Response NoContent() {
  Response r;
  r.status = HttpStatus::no_content;
  return Answer(std::move(r));
}

Response Fail(const Error& e) { return Answer(http::ProblemFrom(e)); }

// A random 32-hex-character id (128 bits).
std::string NewUploadId() {
  std::string id = NewUuid();
  std::erase(id, '-');
  return id;
}

Result<void> CheckVersion(const http::Request& req, Response* out) {
  if (H(req, "Tus-Resumable") == tus::kVersion) return {};
  Response r = http::Problem(HttpStatus::precondition_failed,
                             "Tus-Resumable must be 1.0.0 (the tus protocol version this server "
                             "speaks)");
  r.headers.set("Tus-Version", tus::kVersion);
  *out = Answer(std::move(r));
  return MakeError(ErrorCode::kInvalidArgument, "version");
}

// The validated details of a creation request.
struct Creation {
  std::string extension, display_name;
  UploadDetails details;
};

Result<Creation> ReadMetadata(std::string_view header, const std::string& default_visibility) {
  KINORA_TRY(auto md, tus::ParseMetadata(header));
  Creation c;
  auto filename = md.find("filename");
  if (filename == md.end() || filename->second.empty()) {
    return InvalidArgument("Upload-Metadata must name the file ('filename')");
  }
  KINORA_TRY(c.extension, AcceptedExtension(filename->second));
  c.display_name = SafeDisplayName(filename->second);
  c.details.visibility = default_visibility;
  if (auto t = md.find("title"); t != md.end()) {
    if (t->second.size() > kMaxTitle) return InvalidArgument("the title is longer than 300 bytes");
    KINORA_TRY_VOID(CheckUtf8Field("title", t->second));
    c.details.title = t->second;
  }
  if (auto d = md.find("description"); d != md.end()) {
    if (d->second.size() > kMaxDescription) {
      return InvalidArgument("the description is longer than 5000 bytes");
    }
    KINORA_TRY_VOID(CheckUtf8Field("description", d->second));
    c.details.description = d->second;
  }
  if (auto v = md.find("visibility"); v != md.end() && !v->second.empty()) {
    if (!identity::ParseVisibility(v->second)) {
      return InvalidArgument("'visibility' must be public, unlisted, private or internal");
    }
    c.details.visibility = v->second;
  }
  return c;
}

}  // namespace

TusApi::TusApi(storage::ObjectStore& store, catalog::Catalog& catalog, Ingest& ingest,
               asio::thread_pool& blocking, const videos::Presenter& presenter,
               metrics::Registry& metrics, UploadGate& gate, TusOptions options)
    : store_(store),
      catalog_(catalog),
      ingest_(ingest),
      blocking_(blocking),
      presenter_(presenter),
      gate_(gate),
      options_(std::move(options)),
      results_(metrics.AddCounter("kinora_resumable_uploads_total",
                                  "Resumable (tus) uploads ended, by outcome.", {"result"})),
      bytes_(metrics
                 .AddCounter("kinora_resumable_upload_bytes_total",
                             "Bytes received by tus PATCH requests and made durable.")
                 .With()) {
  if (options_.sweep_every.count() > 0) sweeper_ = std::thread([this] { SweepLoop(); });
}

TusApi::~TusApi() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

void TusApi::Register(http::Router& router) {
  const std::string& p = options_.prefix;
  const std::string one = p + "/{id}";
  // A PATCH (and a creation with data) streams up to the instance limit.
  const http::RouteOptions streaming{.body_limit = options_.max_upload_bytes, .upload = true};
  router.Add(http::Verb::options, p, [this](http::Request& r) { return Options(r); });
  router.Add(http::Verb::options, one, [this](http::Request& r) { return Options(r); });
  router.AddStreaming(
      http::Verb::post, p, [this](http::Request& r, http::BodyReader& b) { return Create(r, b); },
      streaming);
  // Before {id}: the first matching route wins.
  router.Add(http::Verb::get, p + "/config", [this](http::Request& r) { return Config(r); });
  router.Add(http::Verb::get, one, [this](http::Request& r) { return Report(r); });
  router.AddStreaming(
      http::Verb::patch, one, [this](http::Request& r, http::BodyReader& b) { return Patch(r, b); },
      streaming);
  router.Add(http::Verb::delete_, one, [this](http::Request& r) { return Terminate(r); });
}

Response TusApi::Options(http::Request& req) {
  Response r;
  r.status = HttpStatus::no_content;
  uint64_t quota_left = 0;
  Error why;
  const uint64_t max =
      req.principal.signed_in() ? gate_.MaxSize(req, &quota_left, &why) : options_.max_upload_bytes;
  r.headers.set("Tus-Version", tus::kVersion);
  r.headers.set("Tus-Extension", tus::kExtensions);
  r.headers.set("Tus-Max-Size", std::to_string(max));
  r.headers.set("Tus-Checksum-Algorithm", tus::kChecksumAlgorithms);
  return Answer(std::move(r));
}

Response TusApi::Config(http::Request& req) {
  uint64_t quota_left = 0;
  Error why;
  const uint64_t max =
      req.principal.signed_in() ? gate_.MaxSize(req, &quota_left, &why) : options_.max_upload_bytes;
  return http::Json(
      json::object{{"tus", json::object{{"endpoint", options_.prefix + "/"},
                                        {"max_size", max},
                                        {"chunk_size", kClientChunkBytes},
                                        {"checksum_algorithms", tus::kChecksumAlgorithms}}},
                   {"s3_multipart", store_.supports_direct_multipart()}});
}

Result<catalog::UploadRow> TusApi::Find(const http::Request& req, const std::string& id) {
  auto not_found = [&] { return NotFound("upload not found: " + id.substr(0, 64)); };
  if (id.size() != 32) return not_found();
  auto row = catalog_.GetUpload(id);
  if (!row) return row.error().code == ErrorCode::kNotFound ? not_found() : row.error();
  // Bound to its creator: anyone else is told it does not exist.
  if (row->owner_id != req.principal.caller.user_id) return not_found();
  if (IsDirectUploadState(row->store_state)) return not_found();  // s3_direct.h's
  if (!row->complete && row->expires_at <= NowMs()) return not_found();
  return row;
}

asio::awaitable<Response> TusApi::Create(http::Request& req, http::BodyReader& body) {
  Response version;
  if (!CheckVersion(req, &version)) co_return version;
  if (!H(req, "Upload-Defer-Length").empty()) {
    co_return Fail(InvalidArgument("Upload-Defer-Length is not supported: send Upload-Length"));
  }
  auto length = tus::ParseNumber(H(req, "Upload-Length"));
  if (!length) {
    co_return Fail(InvalidArgument("Upload-Length must be the file's size in bytes"));
  }
  if (*length == 0) co_return Fail(InvalidArgument("the uploaded file is empty"));
  if (options_.disk_check) {
    if (auto room = options_.disk_check(); !room) co_return Fail(room.error());
  }
  uint64_t quota_left = 0;
  Error why;
  const uint64_t max = gate_.MaxSize(req, &quota_left, &why);
  if (*length > max) {
    results_.With({"refused"}).Inc();
    Error e = max == 0 ? why
                       : TooLarge("Upload-Length " + std::to_string(*length) +
                                  " exceeds the largest upload allowed, " + std::to_string(max) +
                                  " bytes");
    Response r = http::ProblemFrom(
        e, json::object{{"quota_remaining_bytes", static_cast<int64_t>(quota_left)}});
    r.headers.set("Tus-Max-Size", std::to_string(max));
    co_return Answer(std::move(r));
  }
  auto creation = ReadMetadata(H(req, "Upload-Metadata"), options_.default_visibility);
  if (!creation) co_return Fail(creation.error());

  catalog::UploadRow row;
  row.upload_id = NewUploadId();
  row.owner_id = req.principal.caller.user_id;
  row.video_id = NewUuid();
  row.filename = creation->display_name;
  row.extension = creation->extension;
  row.title = creation->details.title;
  row.description = creation->details.description;
  row.visibility = creation->details.visibility;
  row.correlation_id = req.correlation_id;
  row.length = static_cast<int64_t>(*length);
  row.created_at = NowMs();
  row.expires_at = row.created_at + options_.expiry.count() * 1000;
  const std::string key = videos::OriginalKey(row.video_id, row.extension);
  auto made = co_await OffIo(blocking_, [&]() -> Result<void> {
    KINORA_TRY(row.store_state,
               store_.CreateResumable(row.upload_id, key, storage::GuessContentType(key), *length));
    if (auto inserted = catalog_.InsertUpload(row); !inserted) {
      (void)store_.AbortResumable(row.upload_id, key, row.store_state);
      return inserted.error();
    }
    return {};
  });
  if (!made) co_return Fail(made.error());
  log::Info("resumable upload created", {{"upload_id", row.upload_id},
                                         {"video_id", row.video_id},
                                         {"length", std::to_string(*length)},
                                         {"correlation_id", req.correlation_id}});
  // Nobody else knows the id yet: the hold only keeps the sweeper off while the data comes.
  const UploadGate::Hold hold = gate_.TryLock(row.upload_id);
  Response r;
  const bool with_data =
      H(req, "Content-Type") == tus::kOffsetContentType && body.content_length().value_or(1) > 0;
  if (with_data) {
    r = co_await Receive(req, body, row, true);
    // The whole file came with the creation and the ingest refused it: the upload is gone, and
    // the answer is the refusal (422, ...), as a completing PATCH's would be.
    if (r.status != HttpStatus::no_content && row.offset == row.length) co_return r;
    // A failed first chunk still created the upload: the client resumes with HEAD.
    if (r.status != HttpStatus::no_content) r = Response{};
  }
  r.status = HttpStatus::created;
  r.headers.set(http::bhttp::field::location, options_.prefix + "/" + row.upload_id);
  r.headers.set("Upload-Offset", std::to_string(row.offset));
  r.headers.set("Upload-Expires", tus::HttpDate(FromMs(row.expires_at)));
  co_return Answer(std::move(r));
}

Response TusApi::Report(http::Request& req) {
  const std::string& id = req.path_params["id"];
  const bool head = req.method == http::Verb::head;
  if (head) {
    Response version;
    if (!CheckVersion(req, &version)) return version;
  }
  auto row = Find(req, id);
  if (!row) return Fail(row.error());
  Response r;
  if (head) {
    r.status = HttpStatus::ok;
  } else {
    json::object o{{"upload_id", row->upload_id},
                   {"offset", row->offset},
                   {"length", row->length},
                   {"expires_at", FormatIso8601(FromMs(row->expires_at))},
                   {"complete", row->complete},
                   {"video_id", row->complete ? json::value(row->video_id) : json::value()}};
    o["video"] = nullptr;
    if (row->complete) {
      if (auto v = catalog_.Get(row->video_id)) o["video"] = presenter_.Json(*v);
    }
    r = http::Json(o);
  }
  r.headers.set("Upload-Offset", std::to_string(row->offset));
  r.headers.set("Upload-Length", std::to_string(row->length));
  r.headers.set("Upload-Expires", tus::HttpDate(FromMs(row->expires_at)));
  r.headers.set(http::bhttp::field::cache_control, "no-store");
  if (row->complete) r.headers.set(tus::kVideoIdHeader, row->video_id);
  return Answer(std::move(r));
}

asio::awaitable<Response> TusApi::Patch(http::Request& req, http::BodyReader& body) {
  Response version;
  if (!CheckVersion(req, &version)) co_return version;
  if (H(req, "Content-Type") != tus::kOffsetContentType) {
    co_return Answer(
        http::Problem(HttpStatus::unsupported_media_type,
                      "a PATCH must have Content-Type: application/offset+octet-stream"));
  }
  auto offset = tus::ParseNumber(H(req, "Upload-Offset"));
  if (!offset) co_return Fail(InvalidArgument("Upload-Offset must be a number of bytes"));
  const std::string id = req.path_params["id"];
  auto row = co_await OffIo(blocking_, [&] { return Find(req, id); });
  if (!row) co_return Fail(row.error());
  const UploadGate::Hold hold = gate_.TryLock(id);
  if (!hold) {
    co_return Answer(
        http::Problem(HttpStatus::locked, "another request on this upload is in progress; retry"));
  }
  // Read again under the lock: the request that held it may have moved the offset.
  row = co_await OffIo(blocking_, [&] { return Find(req, id); });
  if (!row) co_return Fail(row.error());
  if (static_cast<int64_t>(*offset) != row->offset) {
    co_return Answer(
        http::Problem(HttpStatus::conflict, "Upload-Offset " + std::to_string(*offset) +
                                                " is not the upload's offset, " +
                                                std::to_string(row->offset) + " (HEAD tells it)"));
  }
  if (row->complete) {
    Response r = NoContent();
    r.headers.set("Upload-Offset", std::to_string(row->offset));
    r.headers.set(tus::kVideoIdHeader, row->video_id);
    co_return r;
  }
  co_return co_await Receive(req, body, *row, false);
}

asio::awaitable<Response> TusApi::Receive(http::Request& req, http::BodyReader& body,
                                          catalog::UploadRow& row, bool created) {
  (void)created;
  const uint64_t length = static_cast<uint64_t>(row.length);
  const uint64_t start = static_cast<uint64_t>(row.offset);
  std::optional<tus::Checksum> checksum;
  if (req.headers.find("Upload-Checksum") != req.headers.end()) {
    const std::string_view h = H(req, "Upload-Checksum");
    auto parsed = tus::ParseChecksum(h);
    if (!parsed) co_return Fail(parsed.error());
    checksum = std::move(*parsed);
  }
  auto too_far = [&](uint64_t n) {
    return Fail(TooLarge("the request carries " + std::to_string(n) + " bytes from offset " +
                         std::to_string(start) + ", past Upload-Length " + std::to_string(length) +
                         "; nothing of it was kept"));
  };
  if (auto declared = body.content_length(); declared && start + *declared > length) {
    co_return too_far(*declared);
  }
  const std::string key = videos::OriginalKey(row.video_id, row.extension);
  auto opened = co_await OffIo(blocking_, [&] {
    return store_.ResumePut(
        row.upload_id, key,
        storage::ResumableCheckpoint{.offset = start, .state = row.store_state});
  });
  if (!opened) {
    log::Error("a resumable upload cannot continue",
               {{"upload_id", row.upload_id}, {"error", opened.error().message}});
    co_return Fail(opened.error());
  }
  std::unique_ptr<storage::ResumableWriter> writer = std::move(*opened);
  std::optional<tus::Hasher> hasher;
  if (checksum) hasher.emplace(checksum->algorithm);

  // Records a durable point in the row (only if nobody else moved it: the row's offset is the
  // truth every HEAD tells).
  auto record = [&](const storage::ResumableCheckpoint& point) -> Result<void> {
    const int64_t expires = NowMs() + options_.expiry.count() * 1000;
    KINORA_TRY_VOID(catalog_.AdvanceUpload(
        row.upload_id, row.offset, static_cast<int64_t>(point.offset), point.state, expires));
    bytes_.Inc(static_cast<double>(static_cast<int64_t>(point.offset) - row.offset));
    row.offset = static_cast<int64_t>(point.offset);
    row.store_state = point.state;
    row.expires_at = expires;
    writer->Recorded();
    return {};
  };

  std::vector<char> buf(kReadChunk);
  std::optional<Error> broken;  // the body stopped early (client gone, timeout)
  uint64_t unchecked = 0;       // bytes since durable points were last looked for
  for (;;) {
    auto n = co_await body.Read(buf);
    if (!n) {
      broken = n.error();
      break;
    }
    if (*n == 0) break;
    if (writer->offset() + *n > length) {
      co_return too_far(writer->offset() + *n - start);  // nothing since the last record kept
    }
    const std::string_view piece(buf.data(), *n);
    if (hasher) hasher->Update(piece);
    // Appending stays on this thread, as the single POST's does (a hop per piece costs more
    // than the write); durable points are looked for every few MiB, off the I/O thread.
    if (auto written = writer->Write(piece); !written) co_return Fail(written.error());
    unchecked += *n;
    // Without a checksum every durable point is recorded as it comes; with one nothing counts
    // until the whole request is verified.
    if (!hasher && unchecked >= kCheckpointLookEvery) {
      unchecked = 0;
      auto recorded = co_await OffIo(blocking_, [&]() -> Result<void> {
        if (auto point = writer->TakeCheckpoint()) KINORA_TRY_VOID(record(*point));
        return {};
      });
      if (!recorded) co_return Fail(recorded.error());
    }
  }
  if (broken && hasher) co_return Fail(*broken);  // unverifiable: nothing of it counts
  if (hasher && hasher->Final() != checksum->digest) {
    (void)co_await OffIo(blocking_, [&] { return writer->Discard(); });
    Response r = http::Problem(static_cast<HttpStatus>(460),
                               "Upload-Checksum does not match the bytes received; they were "
                               "discarded, the offset is still " +
                                   std::to_string(start));
    r.headers.set("Upload-Offset", std::to_string(start));
    co_return Answer(std::move(r));
  }
  // Whatever arrived (all of it, or up to a broken connection) is made durable and recorded.
  auto flushed = co_await OffIo(blocking_, [&]() -> Result<void> {
    KINORA_TRY(auto point, writer->Flush());
    if (static_cast<int64_t>(point.offset) != row.offset) KINORA_TRY_VOID(record(point));
    return {};
  });
  if (!flushed) co_return Fail(flushed.error());
  if (broken) co_return Fail(*broken);
  if (static_cast<uint64_t>(row.offset) == length)
    co_return co_await Finish(req, row, std::move(writer));
  Response r = NoContent();
  r.headers.set("Upload-Offset", std::to_string(row.offset));
  r.headers.set("Upload-Expires", tus::HttpDate(FromMs(row.expires_at)));
  co_return r;
}

asio::awaitable<Response> TusApi::Finish(http::Request& req, catalog::UploadRow& row,
                                         std::unique_ptr<storage::ResumableWriter> writer) {
  const std::string key = videos::OriginalKey(row.video_id, row.extension);
  auto finished = co_await OffIo(blocking_, [&]() -> Result<catalog::VideoRecord> {
    auto object = writer->Complete();
    if (!object) return object.error();
    UploadDetails details{.title = row.title,
                          .description = row.description,
                          .correlation_id = row.correlation_id,
                          .owner_id = row.owner_id,
                          .visibility = row.visibility};
    return ingest_.FinishStored(StoredFile{.video_id = row.video_id,
                                           .extension = row.extension,
                                           .display_name = row.filename,
                                           .object = std::move(*object)},
                                details);
  });
  if (!finished) {
    // Refused (not a video) or failed: nothing of the upload stays.
    results_.With({"refused"}).Inc();
    co_await OffIo(blocking_, [&] {
      (void)store_.AbortResumable(row.upload_id, key, row.store_state);
      return catalog_.DeleteUpload(row.upload_id);
    });
    log::Info("resumable upload refused",
              {{"upload_id", row.upload_id}, {"error", finished.error().message}});
    co_return Fail(finished.error());
  }
  const int64_t keep_until = NowMs() + options_.expiry.count() * 1000;
  if (auto marked = catalog_.CompleteUpload(row.upload_id, keep_until); !marked) {
    log::Warn("completed upload not marked complete",
              {{"upload_id", row.upload_id}, {"error", marked.error().message}});
  }
  results_.With({"accepted"}).Inc();
  log::Info("video uploaded", {{"video_id", finished->video_id},
                               {"upload_id", row.upload_id},
                               {"correlation_id", req.correlation_id},
                               {"size", std::to_string(finished->size)},
                               {"container", finished->container}});
  Response r = NoContent();
  r.headers.set("Upload-Offset", std::to_string(row.offset));
  r.headers.set("Upload-Expires", tus::HttpDate(FromMs(keep_until)));
  r.headers.set(tus::kVideoIdHeader, finished->video_id);
  co_return r;
}

Response TusApi::Terminate(http::Request& req) {
  Response version;
  if (!CheckVersion(req, &version)) return version;
  const std::string id = req.path_params["id"];
  auto row = Find(req, id);
  if (!row) return Fail(row.error());
  const UploadGate::Hold hold = gate_.TryLock(id);
  if (!hold) {
    return Answer(
        http::Problem(HttpStatus::locked, "a request on this upload is in progress; retry"));
  }
  if (!row->complete) {
    auto aborted = store_.AbortResumable(
        row->upload_id, videos::OriginalKey(row->video_id, row->extension), row->store_state);
    if (!aborted) return Fail(aborted.error());
  }
  if (auto deleted = catalog_.DeleteUpload(id); !deleted) return Fail(deleted.error());
  results_.With({"terminated"}).Inc();
  log::Info("resumable upload terminated", {{"upload_id", id}});
  return NoContent();
}

Result<int> TusApi::SweepOnce() {
  KINORA_TRY(auto expired, catalog_.ExpiredUploads(NowMs(), 100));
  int swept = 0;
  for (const catalog::UploadRow& row : expired) {
    const UploadGate::Hold hold = gate_.TryLock(row.upload_id);
    if (!hold) continue;  // a request is on it right now
    if (!row.complete) {
      const std::string key = videos::OriginalKey(row.video_id, row.extension);
      // A direct upload (s3_direct.h) is an S3 multipart upload the browser fed.
      const std::string direct = DirectS3UploadId(row.store_state);
      auto aborted = direct.empty() ? store_.AbortResumable(row.upload_id, key, row.store_state)
                                    : store_.AbortMultipart(key, direct);
      if (!aborted) {
        log::Warn("expired upload not removed from the store",
                  {{"upload_id", row.upload_id}, {"error", aborted.error().message}});
        continue;
      }
      results_.With({"expired"}).Inc();
    }
    KINORA_TRY_VOID(catalog_.DeleteUpload(row.upload_id));
    ++swept;
  }
  if (swept > 0) log::Info("expired uploads swept", {{"count", std::to_string(swept)}});
  return swept;
}

void TusApi::SweepLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    if (auto r = SweepOnce(); !r) {
      log::Warn("upload sweep failed", {{"error", r.error().message}});
    }
    lock.lock();
    stop_cv_.wait_for(lock, options_.sweep_every, [this] { return stopping_; });
  }
}

}  // namespace kinora::uploader
