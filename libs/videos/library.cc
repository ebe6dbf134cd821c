#include "kinora/videos/library.h"

#include <boost/json.hpp>

#include "kinora/core/json_text.h"
#include "kinora/core/utf8.h"
#include "kinora/videos/keys.h"

namespace kinora::videos {
namespace {

constexpr uint64_t kMaxMirrorBytes = 4 << 20;

}  // namespace

Result<void> Library::Create(const catalog::VideoRecord& v) {
  KINORA_TRY_VOID(catalog_.Insert(v));
  if (auto r = WriteMirror(v); !r) {
    (void)catalog_.Delete(v.video_id);
    return r.error();
  }
  return {};
}

Result<void> Library::Save(const catalog::VideoRecord& v) {
  KINORA_TRY_VOID(catalog_.Update(v));
  return WriteMirror(v);
}

Result<catalog::VideoRecord> Library::Delete(std::string_view video_id) {
  KINORA_TRY(catalog::VideoRecord v, catalog_.Get(video_id));
  KINORA_TRY_VOID(catalog_.Delete(video_id));
  KINORA_TRY_VOID(store_.DeleteMany({v.video_key, MetadataKey(video_id), ThumbnailKey(video_id)}));
  KINORA_TRY_VOID(storage::DeletePrefix(store_, ProcessedPrefix(video_id)));
  return v;
}

Result<void> Library::DeleteOutputs(std::string_view video_id) {
  KINORA_TRY_VOID(storage::DeletePrefix(store_, ProcessedPrefix(video_id)));
  return store_.Delete(ThumbnailKey(video_id));
}

Result<void> Library::WriteMirror(const catalog::VideoRecord& v) {
  auto put = storage::PutBytes(store_, MetadataKey(v.video_id), ToJsonText(catalog::ToJson(v)),
                               "application/json");
  if (!put) return put.error();
  return {};
}

Result<catalog::VideoRecord> Library::ReadMirror(std::string_view metadata_key) {
  auto id = VideoIdOfMetadataKey(metadata_key);
  if (!id) {
    return InvalidArgument("'" + std::string(metadata_key) + "' is not a metadata key");
  }
  KINORA_TRY(std::string text, storage::GetBytes(store_, metadata_key, kMaxMirrorBytes));
  // Mirrors written before text was checked may hold invalid UTF-8, which the parser refuses:
  // keep the video, with U+FFFD for the bytes that cannot be read.
  if (!IsValidUtf8(text)) text = ToValidUtf8(text);
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(text, ec);
  if (ec) return InvalidArgument("not JSON: " + ec.message());
  if (!doc.is_object()) return InvalidArgument("not a JSON object");
  KINORA_TRY(catalog::VideoRecord v, catalog::FromJson(doc.as_object()));
  if (v.video_id != *id) {
    return InvalidArgument("video_id " + v.video_id + " does not match");
  }
  return v;
}

}  // namespace kinora::videos
