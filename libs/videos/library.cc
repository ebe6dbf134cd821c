#include "kinora/videos/library.h"

#include <boost/json.hpp>

#include "kinora/core/json_text.h"
#include "kinora/core/utf8.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/presenter.h"

namespace kinora::videos {
namespace {

constexpr uint64_t kMaxMirrorBytes = 4 << 20;

}  // namespace

boost::json::object MirrorJson(const catalog::VideoRecord& v) {
  boost::json::object o = catalog::ToJson(v);
  // No URL in a mirror (they expire); keys where the seed's services look for them.
  const std::string playable = PlayableKey(v);
  o["processed_url"] =
      playable.empty() ? boost::json::value(nullptr) : boost::json::value(playable);
  o["thumbnail_url"] =
      v.thumbnail_key.empty() ? boost::json::value(nullptr) : boost::json::value(v.thumbnail_key);
  return o;
}

Result<void> Library::Create(const catalog::VideoRecord& v) {
  KINORA_TRY_VOID(catalog_.Insert(v));
  if (auto r = WriteMirror(v); !r) {
    (void)catalog_.Delete(v.video_id);
    return r.error();
  }
  return {};
}

Result<int64_t> Library::Create(const catalog::VideoRecord& v, std::string_view job) {
  KINORA_TRY(int64_t entry, catalog_.InsertWithJob(v, job, kPublishGrace));
  if (auto r = WriteMirror(v); !r) {
    (void)catalog_.Delete(v.video_id);  // the job goes with the row
    return r.error();
  }
  return entry;
}

Result<void> Library::Save(const catalog::VideoRecord& v) {
  KINORA_TRY_VOID(catalog_.Update(v));
  return WriteMirror(v);
}

Result<catalog::VideoRecord> Library::Delete(std::string_view video_id) {
  KINORA_TRY(catalog::VideoRecord v, catalog_.Get(video_id));
  KINORA_TRY_VOID(catalog_.Delete(video_id));
  KINORA_TRY_VOID(store_.DeleteMany({v.video_key, ThumbnailKey(video_id)}));
  KINORA_TRY_VOID(storage::DeletePrefix(store_, ProcessedPrefix(video_id)));
  KINORA_TRY_VOID(store_.Delete(MetadataKey(video_id)));
  return v;
}

Result<void> Library::DeleteOutputs(std::string_view video_id) {
  KINORA_TRY_VOID(storage::DeletePrefix(store_, ProcessedPrefix(video_id)));
  return store_.Delete(ThumbnailKey(video_id));
}

Result<void> Library::WriteMirror(const catalog::VideoRecord& v) {
  const std::string key = MetadataKey(v.video_id);
  auto put = storage::PutBytes(store_, key, ToJsonText(MirrorJson(v)), "application/json");
  if (!put) return put.error();
  // A Delete between our row write and this put has already removed the mirror it knew of;
  // the row is gone now, so this one must go too. (Either the Delete removes the row before
  // this check, or it removes the mirror after this put: one of the two always sees the other.)
  auto row = catalog_.Get(v.video_id);
  if (!row && row.error().code == ErrorCode::kNotFound) {
    (void)store_.Delete(key);
    return row.error();
  }
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
