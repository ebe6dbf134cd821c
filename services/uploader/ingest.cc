#include "kinora/uploader/ingest.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/core/log.h"
#include "kinora/core/utf8.h"
#include "kinora/videos/job.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"

namespace kinora::uploader {
namespace {

constexpr std::array<std::string_view, 8> kExtensions = {"mp4", "mov", "avi", "webm",
                                                         "mkv", "flv", "wmv", "m4v"};

std::string AcceptedList() {
  std::string s;
  for (auto e : kExtensions) s += (s.empty() ? "" : ", ") + std::string(e);
  return s;
}

std::string ContentTypeFor(std::string_view ext) {
  return std::string(storage::GuessContentType("x." + std::string(ext)));
}

// The row of a validated upload, before anything is written.
catalog::VideoRecord NewRecord(const std::string& video_id, const std::string& ext,
                               const std::string& display_name, const storage::ObjectInfo& object,
                               const media::ProbeResult& probe, const UploadDetails& details,
                               const std::string& bucket) {
  catalog::VideoRecord v;
  v.video_id = video_id;
  v.original_filename = display_name;
  v.title = details.title.empty() ? display_name.substr(0, display_name.rfind('.')) : details.title;
  v.description = details.description;
  v.file_extension = ext;
  v.content_type = ContentTypeFor(ext);
  v.size = static_cast<int64_t>(object.size);
  v.bucket = bucket;
  v.video_key = object.key;
  v.uploaded_at = std::chrono::system_clock::now();
  v.container = probe.container;
  if (probe.duration_seconds > 0) v.duration_seconds = probe.duration_seconds;
  const bool sideways = probe.rotation == 90 || probe.rotation == 270;
  v.width = sideways ? probe.height : probe.width;
  v.height = sideways ? probe.width : probe.height;
  v.fps = probe.fps;
  v.video_codec = probe.video_codec;
  v.audio_codec = probe.audio_codec;
  v.bitrate = probe.bitrate;
  v.probe_json = ToJsonText(media::ToJson(probe));  // the processor refines it
  v.correlation_id = details.correlation_id;
  v.owner_id = details.owner_id;
  v.visibility = details.visibility;
  return v;
}

// The same head and tail a ProbeWindow would have kept, read back from the uncommitted put.
Result<void> ReadHeadAndTail(storage::ObjectWriter& writer, uint64_t total, std::string& head,
                             std::string& tail) {
  auto read = [&](uint64_t offset, uint64_t length, std::string& out) -> Result<void> {
    out.resize(length);
    KINORA_TRY(size_t n, writer.ReadBack(offset, out));
    if (n != length) return MakeError(ErrorCode::kInternal, "the upload could not be read back");
    return {};
  };
  const uint64_t head_length = std::min<uint64_t>(total, ProbeWindow::kHeadBytes);
  KINORA_TRY_VOID(read(0, head_length, head));
  const uint64_t tail_length = std::min<uint64_t>(total - head_length, ProbeWindow::kTailBytes);
  return read(total - tail_length, tail_length, tail);
}

}  // namespace

Result<std::string> AcceptedExtension(std::string_view filename) {
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == filename.size()) {
    return InvalidArgument("the file name has no extension; accepted: " + AcceptedList());
  }
  std::string ext(filename.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto e : kExtensions) {
    if (ext == e) return ext;
  }
  return InvalidArgument("files of type '." + ext.substr(0, 20) +
                         "' are not accepted; accepted: " + AcceptedList());
}

std::string SafeDisplayName(std::string_view filename) {
  size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  std::string out;
  for (char c : filename) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  // Kept, not refused: invalid UTF-8 becomes U+FFFD, and the cut never splits a character.
  out = ToValidUtf8(out);
  return std::string(TruncateUtf8(out, 255));
}

Result<void> IncomingFile::Append(std::string_view data) {
  if (window_) window_->Append(data);
  KINORA_TRY_VOID(writer_->Write(data));
  size_ += data.size();
  return {};
}

Ingest::Ingest(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
               IngestOptions options)
    : store_(store), catalog_(catalog), queue_(queue), options_(std::move(options)) {
  if (!options_.probe) {
    options_.probe = [limits = options_.limits](std::string_view head, std::string_view tail,
                                                uint64_t total) {
      return media::ProbeHeadTail(head, tail, total, limits);
    };
  }
}

Result<IncomingFile> Ingest::Begin(std::string_view filename) {
  IncomingFile f;
  KINORA_TRY(f.extension_, AcceptedExtension(filename));
  f.display_name_ = SafeDisplayName(filename);
  f.video_id_ = NewUuid();
  KINORA_TRY(f.writer_, store_.BeginPut(videos::OriginalKey(f.video_id_, f.extension_),
                                        ContentTypeFor(f.extension_)));
  if (!f.writer_->can_read_back()) f.window_ = std::make_unique<ProbeWindow>();
  return f;
}

Result<catalog::VideoRecord> Ingest::Finish(IncomingFile file, const UploadDetails& details) {
  if (file.size() == 0) return InvalidArgument("the uploaded file is empty");
  std::string head, tail;
  if (file.window_) {
    head = file.window_->head();
    tail = file.window_->tail();
  } else {
    KINORA_TRY_VOID(ReadHeadAndTail(*file.writer_, file.size(), head, tail));
  }
  auto probe = options_.probe(head, tail, file.size());
  if (!probe && probe.error().code == ErrorCode::kUnavailable) return probe.error();
  if (!probe) {
    return Unsupported("the file is not a video Kinora can read: " + probe.error().message);
  }
  // Valid: make it visible — object, row and mirror, job — undoing on failure.
  KINORA_TRY(storage::ObjectInfo object, file.writer_->Commit());
  return Publish(StoredFile{.video_id = file.video_id_,
                            .extension = file.extension_,
                            .display_name = file.display_name_,
                            .object = std::move(object)},
                 *probe, details);
}

Result<catalog::VideoRecord> Ingest::FinishStored(const StoredFile& file,
                                                  const UploadDetails& details) {
  const uint64_t total = file.object.size;
  auto refused = [&](Error e) {
    (void)store_.Delete(file.object.key);
    return e;
  };
  if (total == 0) return refused(InvalidArgument("the uploaded file is empty"));
  auto read = [&](uint64_t offset, uint64_t length) -> Result<std::string> {
    if (length == 0) return std::string();
    KINORA_TRY(auto reader,
               store_.Get(file.object.key, storage::ByteRange{offset, offset + length - 1}));
    std::string out(length, '\0');
    size_t done = 0;
    while (done < length) {
      KINORA_TRY(size_t n, reader->Read(std::span<char>(out).subspan(done)));
      if (n == 0) break;
      done += n;
    }
    if (done != length) return MakeError(ErrorCode::kInternal, "the upload could not be read");
    return out;
  };
  const uint64_t head_length = std::min<uint64_t>(total, ProbeWindow::kHeadBytes);
  const uint64_t tail_length = std::min<uint64_t>(total - head_length, ProbeWindow::kTailBytes);
  auto head = read(0, head_length);
  if (!head) return refused(head.error());
  auto tail = read(total - tail_length, tail_length);
  if (!tail) return refused(tail.error());
  auto probe = options_.probe(*head, *tail, total);
  if (!probe && probe.error().code == ErrorCode::kUnavailable) return refused(probe.error());
  if (!probe) {
    return refused(
        Unsupported("the file is not a video Kinora can read: " + probe.error().message));
  }
  return Publish(file, *probe, details);
}

Result<catalog::VideoRecord> Ingest::Publish(const StoredFile& file,
                                             const media::ProbeResult& probe,
                                             const UploadDetails& details) {
  const storage::ObjectInfo& object = file.object;
  catalog::VideoRecord v = NewRecord(file.video_id, file.extension, file.display_name, object,
                                     probe, details, options_.bucket);
  // The row and its job are one transaction (the outbox): from here on a crash cannot leave
  // the video without its job. A crash before it leaves an original with no row, which the
  // reconciler removes after a grace period.
  const std::string job = videos::ToJsonText(videos::JobFor(v, details.correlation_id));
  auto entry = videos::Library(catalog_, store_).Create(v, job);
  if (!entry) {
    (void)store_.Delete(object.key);
    return entry.error();
  }
  // Publish at once; if the queue is down the relay publishes it later, and the upload stands.
  if (auto sent = queue_.Send(job); !sent) {
    log::Warn("the job stays in the outbox for the relay",
              {{"video_id", v.video_id}, {"error", sent.error().message}});
  } else {
    (void)catalog_.JobPublished(*entry);  // if this fails the relay sends a harmless duplicate
  }
  return v;
}

}  // namespace kinora::uploader
