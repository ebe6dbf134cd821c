#include "kinora/storage/object_store.h"

#include <algorithm>
#include <array>
#include <boost/url.hpp>
#include <cctype>
#include <string>
#include <utility>

#include "key_rules.h"
#include "kinora/storage/local_store.h"
#include "kinora/storage/resumable.h"
#include "kinora/storage/s3_store.h"

namespace kinora::storage {
namespace {

constexpr size_t kMaxKeyBytes = 1024;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

Error BadKey(std::string_view key, std::string_view why) {
  // Quote the key only when it is printable and short: it may be hostile input.
  std::string msg = "invalid object key";
  if (key.size() <= 200 && std::all_of(key.begin(), key.end(), IsKeyChar)) {
    msg += " '";
    msg += key;
    msg += '\'';
  }
  msg += ": ";
  msg += why;
  return MakeError(ErrorCode::kInvalidArgument, std::move(msg));
}

}  // namespace

Result<void> ValidateKey(std::string_view key) {
  if (key.empty()) return BadKey(key, "empty");
  if (key.size() > kMaxKeyBytes) return BadKey(key, "longer than 1024 bytes");
  if (!std::all_of(key.begin(), key.end(), IsKeyChar)) {
    return BadKey(key, "only A-Z a-z 0-9 . _ - / are allowed");
  }
  if (key.front() == '/') return BadKey(key, "must be relative (no leading '/')");
  if (key.back() == '/') return BadKey(key, "must not end with '/'");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view seg = key.substr(start, end - start);
    if (seg.empty()) return BadKey(key, "empty path segment");
    if (seg == "." || seg == "..") return BadKey(key, "'.' and '..' segments are not allowed");
    start = end + 1;
  }
  return {};
}

Result<void> ValidatePrefix(std::string_view prefix) {
  if (prefix.empty()) return {};
  size_t slash = prefix.rfind('/');
  if (slash == std::string_view::npos) {
    if (prefix.size() > kMaxKeyBytes || !std::all_of(prefix.begin(), prefix.end(), IsKeyChar)) {
      return BadKey(prefix, "invalid list prefix");
    }
    return {};
  }
  // The complete segments must form a valid key; the partial tail only valid characters.
  std::string_view dirs = prefix.substr(0, slash);
  std::string_view tail = prefix.substr(slash + 1);
  if (prefix.size() > kMaxKeyBytes || !std::all_of(tail.begin(), tail.end(), IsKeyChar)) {
    return BadKey(prefix, "invalid list prefix");
  }
  auto dirs_ok = ValidateKey(dirs);
  if (!dirs_ok) return BadKey(prefix, "invalid list prefix: " + dirs_ok.error().message);
  return {};
}

Result<std::string> ObjectStore::CreateResumable(std::string_view /*upload_id*/,
                                                 std::string_view /*key*/,
                                                 std::string_view /*content_type*/,
                                                 uint64_t /*length*/) {
  return MakeError(ErrorCode::kUnsupported, "this store has no resumable puts: " + Describe());
}

Result<std::unique_ptr<ResumableWriter>> ObjectStore::ResumePut(std::string_view /*upload_id*/,
                                                                std::string_view /*key*/,
                                                                const ResumableCheckpoint& /*at*/) {
  return MakeError(ErrorCode::kUnsupported, "this store has no resumable puts: " + Describe());
}

Result<void> ObjectStore::AbortResumable(std::string_view /*upload_id*/, std::string_view /*key*/,
                                         std::string_view /*state*/) {
  return {};
}

Result<std::string> ObjectStore::CreateMultipart(std::string_view /*key*/,
                                                 std::string_view /*content_type*/) {
  return MakeError(ErrorCode::kUnsupported,
                   "this store has no direct multipart uploads: " + Describe());
}

Result<std::string> ObjectStore::PresignUploadPart(std::string_view /*key*/,
                                                   std::string_view /*upload_id*/,
                                                   int /*part_number*/,
                                                   std::chrono::seconds /*ttl*/) const {
  return MakeError(ErrorCode::kUnsupported,
                   "this store has no direct multipart uploads: " + Describe());
}

Result<std::vector<UploadedPart>> ObjectStore::ListParts(std::string_view /*key*/,
                                                         std::string_view /*upload_id*/) {
  return MakeError(ErrorCode::kUnsupported,
                   "this store has no direct multipart uploads: " + Describe());
}

Result<ObjectInfo> ObjectStore::CompleteMultipart(std::string_view /*key*/,
                                                  std::string_view /*upload_id*/,
                                                  const std::vector<UploadedPart>& /*parts*/) {
  return MakeError(ErrorCode::kUnsupported,
                   "this store has no direct multipart uploads: " + Describe());
}

Result<void> ObjectStore::AbortMultipart(std::string_view /*key*/, std::string_view /*upload_id*/) {
  return MakeError(ErrorCode::kUnsupported,
                   "this store has no direct multipart uploads: " + Describe());
}

Result<ObjectInfo> PutBytes(ObjectStore& store, std::string_view key, std::string_view data,
                            std::string_view content_type) {
  KINORA_TRY(auto writer, store.BeginPut(key, content_type));
  KINORA_TRY_VOID(writer->Write(std::span<const char>(data.data(), data.size())));
  return writer->Commit();
}

Result<std::string> GetBytes(ObjectStore& store, std::string_view key, uint64_t max_bytes) {
  KINORA_TRY(auto reader, store.Get(key, std::nullopt));
  uint64_t size = reader->info().size;
  if (size > max_bytes) {
    return MakeError(ErrorCode::kTooLarge, "object " + std::string(key) + " has " +
                                               std::to_string(size) + " bytes, more than " +
                                               std::to_string(max_bytes));
  }
  std::string out;
  out.resize(static_cast<size_t>(size));
  size_t filled = 0;
  for (;;) {
    if (filled == out.size()) out.resize(out.size() + 4096);  // detects a grown object
    KINORA_TRY(size_t n, reader->Read(std::span<char>(out.data() + filled, out.size() - filled)));
    if (n == 0) break;
    filled += n;
    if (filled > max_bytes) {
      return MakeError(ErrorCode::kTooLarge, "object " + std::string(key) + " grew past " +
                                                 std::to_string(max_bytes) + " bytes");
    }
  }
  out.resize(filled);
  return out;
}

Result<void> DeletePrefix(ObjectStore& store, std::string_view prefix) {
  std::string after;
  for (;;) {
    KINORA_TRY(ListPage page, store.List(prefix, after, 1000));
    std::vector<std::string> keys;
    keys.reserve(page.objects.size());
    for (const ObjectInfo& obj : page.objects) keys.push_back(obj.key);
    if (!keys.empty()) KINORA_TRY_VOID(store.DeleteMany(keys));
    if (!page.next) return {};
    after = std::move(*page.next);
  }
}

std::string_view GuessContentType(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {"mp4", "video/mp4"},
      {"m4v", "video/x-m4v"},
      {"mov", "video/quicktime"},
      {"avi", "video/x-msvideo"},
      {"webm", "video/webm"},
      {"mkv", "video/x-matroska"},
      {"flv", "video/x-flv"},
      {"wmv", "video/x-ms-wmv"},
      {"m3u8", "application/vnd.apple.mpegurl"},
      {"m4s", "video/iso.segment"},
      {"ts", "video/mp2t"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"webp", "image/webp"},
      {"json", "application/json"},
      {"vtt", "text/vtt"},  // storyboards (docs/content-analysis.md)
  }};
  constexpr std::string_view kDefault = "application/octet-stream";
  size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return kDefault;
  std::string ext(name.substr(dot + 1));
  if (ext.size() > 8) return kDefault;
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return kDefault;
}

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "object store URL is not a valid absolute URL (expected file:///abs/dir or s3://bucket)");
  }
  const boost::urls::url_view& u = *parsed;
  std::string scheme = u.scheme();
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "s3") {
    KINORA_TRY(S3Config config, ParseS3Url(url));
    return NewS3Store(std::move(config));
  }
  if (scheme != "file") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "object store URL scheme '" + scheme +
                         "' is not supported (use file:///abs/dir or s3://bucket)");
  }
  std::string host = u.host();
  if (!host.empty() && host != "localhost") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "file:// object store URL must have an empty host, as in file:///abs/dir");
  }
  if (u.has_query() || u.has_fragment() || u.has_userinfo() || u.has_port()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "file:// object store URL takes no user, port, query or fragment");
  }
  std::string path = u.path();
  if (path.empty() || path.front() != '/') {
    return MakeError(ErrorCode::kInvalidArgument,
                     "file:// object store URL needs an absolute directory, as in file:///abs/dir");
  }
  return NewLocalStore(std::filesystem::path(path));
}

}  // namespace kinora::storage
