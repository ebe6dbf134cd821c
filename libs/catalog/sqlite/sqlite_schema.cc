#include "kinora/catalog/internal/sqlite_schema.h"

#include <chrono>

namespace kinora::catalog::internal {

namespace {

// Version 1. Counters live on the videos row (exact under concurrency because every increment
// is one UPDATE inside the single writer's transaction). Small trigger-maintained tables keep the
// aggregates List and Stats need in O(1): status_counts (List totals, by_status), format_counts,
// catalog_totals and daily_totals (uploads, views, likes per day). Every sort key has an index
// paired with video_id for keyset pagination, and a status-prefixed twin so a filtered page
// never walks past rows of other statuses.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE videos (
  video_id           TEXT PRIMARY KEY NOT NULL,
  title              TEXT NOT NULL DEFAULT '',
  description        TEXT NOT NULL DEFAULT '',
  original_filename  TEXT NOT NULL DEFAULT '',
  file_extension     TEXT NOT NULL DEFAULT '',
  content_type       TEXT NOT NULL DEFAULT '',
  size               INTEGER NOT NULL DEFAULT 0,
  bucket             TEXT NOT NULL DEFAULT '',
  video_key          TEXT NOT NULL,
  uploaded_at        INTEGER NOT NULL,            -- unix millis
  status             TEXT NOT NULL
                     CHECK (status IN ('UPLOADED', 'PROCESSING', 'PROCESSED', 'FAILED')),
  error              TEXT NOT NULL DEFAULT '',
  progress           REAL NOT NULL DEFAULT 0,
  views              INTEGER NOT NULL DEFAULT 0,
  likes              INTEGER NOT NULL DEFAULT 0,
  engagement         REAL NOT NULL DEFAULT 0,     -- likes / max(views, 1), kept by every write
  duration_seconds   REAL,
  -- The duration sort key (unknown sorts first). A real column rather than an expression index
  -- because SQLite only seeks row-value keyset bounds, (key, video_id) < (?, ?), on columns.
  duration_key       REAL GENERATED ALWAYS AS (COALESCE(duration_seconds, -1.0)) VIRTUAL,
  width              INTEGER NOT NULL DEFAULT 0,
  height             INTEGER NOT NULL DEFAULT 0,
  fps                REAL NOT NULL DEFAULT 0,
  container          TEXT NOT NULL DEFAULT '',
  video_codec        TEXT NOT NULL DEFAULT '',
  audio_codec        TEXT NOT NULL DEFAULT '',
  bitrate            INTEGER NOT NULL DEFAULT 0,
  renditions_json    TEXT NOT NULL DEFAULT '[]',
  thumbnail_key      TEXT NOT NULL DEFAULT '',
  mp4_key            TEXT NOT NULL DEFAULT '',
  hls_key            TEXT NOT NULL DEFAULT '',
  processed_at       INTEGER,                     -- unix millis
  processing_seconds REAL,
  processed_bytes    INTEGER NOT NULL DEFAULT 0,
  correlation_id     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX videos_by_time       ON videos (uploaded_at, video_id);
CREATE INDEX videos_by_views      ON videos (views, video_id);
CREATE INDEX videos_by_likes      ON videos (likes, video_id);
CREATE INDEX videos_by_engagement ON videos (engagement, video_id);
CREATE INDEX videos_by_duration   ON videos (duration_key, video_id);
CREATE INDEX videos_by_size       ON videos (size, video_id);
CREATE INDEX videos_status_by_time       ON videos (status, uploaded_at, video_id);
CREATE INDEX videos_status_by_views      ON videos (status, views, video_id);
CREATE INDEX videos_status_by_likes      ON videos (status, likes, video_id);
CREATE INDEX videos_status_by_engagement ON videos (status, engagement, video_id);
CREATE INDEX videos_status_by_duration   ON videos (status, duration_key, video_id);
CREATE INDEX videos_status_by_size       ON videos (status, size, video_id);
-- Doubles as the status index; ordered processing times give percentiles by OFFSET.
CREATE INDEX videos_status_processing    ON videos (status, processing_seconds);

-- Aggregates kept by triggers in the same transaction as every write, so List totals and Stats
-- read a few small rows instead of scanning the table.
CREATE TABLE status_counts (
  status TEXT PRIMARY KEY NOT NULL,
  n      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO status_counts (status, n)
  VALUES ('UPLOADED', 0), ('PROCESSING', 0), ('PROCESSED', 0), ('FAILED', 0);

CREATE TABLE format_counts (
  file_extension TEXT PRIMARY KEY NOT NULL,
  n              INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE catalog_totals (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  views            INTEGER NOT NULL,
  likes            INTEGER NOT NULL,
  storage_bytes    INTEGER NOT NULL,            -- size + processed_bytes
  duration_seconds REAL NOT NULL
);
INSERT INTO catalog_totals VALUES (1, 0, 0, 0, 0);

-- Per UTC day: uploads (by uploaded_at) and the views and likes counted that day.
CREATE TABLE daily_totals (
  day     TEXT PRIMARY KEY NOT NULL,
  uploads INTEGER NOT NULL DEFAULT 0,
  views   INTEGER NOT NULL DEFAULT 0,
  likes   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER videos_after_insert AFTER INSERT ON videos BEGIN
  UPDATE status_counts SET n = n + 1 WHERE status = NEW.status;
  INSERT INTO format_counts (file_extension, n) VALUES (NEW.file_extension, 1)
    ON CONFLICT (file_extension) DO UPDATE SET n = n + 1;
  UPDATE catalog_totals SET views = views + NEW.views, likes = likes + NEW.likes,
    storage_bytes = storage_bytes + NEW.size + NEW.processed_bytes,
    duration_seconds = duration_seconds + COALESCE(NEW.duration_seconds, 0);
  INSERT INTO daily_totals (day, uploads) VALUES (date(NEW.uploaded_at / 1000, 'unixepoch'), 1)
    ON CONFLICT (day) DO UPDATE SET uploads = uploads + 1;
END;
CREATE TRIGGER videos_after_delete AFTER DELETE ON videos BEGIN
  UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE format_counts SET n = n - 1 WHERE file_extension = OLD.file_extension;
  UPDATE catalog_totals SET views = views - OLD.views, likes = likes - OLD.likes,
    storage_bytes = storage_bytes - OLD.size - OLD.processed_bytes,
    duration_seconds = duration_seconds - COALESCE(OLD.duration_seconds, 0);
  UPDATE daily_totals SET uploads = uploads - 1
    WHERE day = date(OLD.uploaded_at / 1000, 'unixepoch');
END;
CREATE TRIGGER videos_status_changed AFTER UPDATE OF status ON videos
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE status_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER videos_format_changed AFTER UPDATE OF file_extension ON videos
  WHEN OLD.file_extension <> NEW.file_extension BEGIN
  UPDATE format_counts SET n = n - 1 WHERE file_extension = OLD.file_extension;
  INSERT INTO format_counts (file_extension, n) VALUES (NEW.file_extension, 1)
    ON CONFLICT (file_extension) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER videos_upload_day_changed AFTER UPDATE OF uploaded_at ON videos
  WHEN date(OLD.uploaded_at / 1000, 'unixepoch') <> date(NEW.uploaded_at / 1000, 'unixepoch')
  BEGIN
  UPDATE daily_totals SET uploads = uploads - 1
    WHERE day = date(OLD.uploaded_at / 1000, 'unixepoch');
  INSERT INTO daily_totals (day, uploads) VALUES (date(NEW.uploaded_at / 1000, 'unixepoch'), 1)
    ON CONFLICT (day) DO UPDATE SET uploads = uploads + 1;
END;
CREATE TRIGGER videos_totals_changed
  AFTER UPDATE OF views, likes, size, processed_bytes, duration_seconds ON videos BEGIN
  UPDATE catalog_totals SET views = views + NEW.views - OLD.views,
    likes = likes + NEW.likes - OLD.likes,
    storage_bytes = storage_bytes + NEW.size + NEW.processed_bytes - OLD.size - OLD.processed_bytes,
    duration_seconds = duration_seconds + COALESCE(NEW.duration_seconds, 0)
                                        - COALESCE(OLD.duration_seconds, 0);
END;

CREATE TABLE daily_counts (
  video_id TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
  day      TEXT NOT NULL,                          -- "2026-11-24" (UTC)
  views    INTEGER NOT NULL DEFAULT 0,
  likes    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, day)
) WITHOUT ROWID;

CREATE TRIGGER daily_counts_after_insert AFTER INSERT ON daily_counts BEGIN
  INSERT INTO daily_totals (day, views, likes) VALUES (NEW.day, NEW.views, NEW.likes)
    ON CONFLICT (day) DO UPDATE SET views = views + excluded.views, likes = likes + excluded.likes;
END;
CREATE TRIGGER daily_counts_after_update AFTER UPDATE ON daily_counts BEGIN
  UPDATE daily_totals SET views = views - OLD.views, likes = likes - OLD.likes WHERE day = OLD.day;
  INSERT INTO daily_totals (day, views, likes) VALUES (NEW.day, NEW.views, NEW.likes)
    ON CONFLICT (day) DO UPDATE SET views = views + excluded.views, likes = likes + excluded.likes;
END;
CREATE TRIGGER daily_counts_after_delete AFTER DELETE ON daily_counts BEGIN
  UPDATE daily_totals SET views = views - OLD.views, likes = likes - OLD.likes WHERE day = OLD.day;
END;
)sql";

// Version 2 (the processor): the full probe of the source and the poster image's key.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE videos ADD COLUMN probe_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE videos ADD COLUMN poster_key TEXT NOT NULL DEFAULT '';
)sql";

// Version 3 (the dashboard): how many videos fall in each duration bucket, kept by triggers like
// the other aggregates. The CASE is kDurationBucketBounds (catalog.h); bucket 0 is "unknown".
#define KINORA_DURATION_BUCKET(d)                                                         \
  "CASE WHEN " d " IS NULL THEN 0 WHEN " d " < 30 THEN 1 WHEN " d " < 120 THEN 2 WHEN " d \
  " < 300 THEN 3 WHEN " d " < 900 THEN 4 WHEN " d " < 3600 THEN 5 ELSE 6 END"
constexpr std::string_view kSchemaV3 =
    "CREATE TABLE duration_buckets (\n"
    "  bucket INTEGER PRIMARY KEY NOT NULL,\n"
    "  n      INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO duration_buckets (bucket, n)\n"
    "  VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0);\n"
    "UPDATE duration_buckets SET n = (SELECT COUNT(*) FROM videos WHERE " KINORA_DURATION_BUCKET(
        "duration_seconds") " = duration_buckets.bucket);\n"
    "CREATE TRIGGER videos_duration_bucket_insert AFTER INSERT ON videos BEGIN\n"
    "  UPDATE duration_buckets SET n = n + 1 WHERE bucket = " KINORA_DURATION_BUCKET(
        "NEW.duration_seconds") ";\n"
    "END;\n"
    "CREATE TRIGGER videos_duration_bucket_delete AFTER DELETE ON videos BEGIN\n"
    "  UPDATE duration_buckets SET n = n - 1 WHERE bucket = " KINORA_DURATION_BUCKET(
        "OLD.duration_seconds") ";\n"
    "END;\n"
    "CREATE TRIGGER videos_duration_bucket_update AFTER UPDATE OF duration_seconds ON videos BEGIN\n"
    "  UPDATE duration_buckets SET n = n - 1 WHERE bucket = " KINORA_DURATION_BUCKET(
        "OLD.duration_seconds") ";\n"
    "  UPDATE duration_buckets SET n = n + 1 WHERE bucket = " KINORA_DURATION_BUCKET(
        "NEW.duration_seconds") ";\n"
    "END;\n";
#undef KINORA_DURATION_BUCKET

}  // namespace

const std::vector<std::string_view>& SqliteMigrations() {
  static const std::vector<std::string_view> kMigrations = {kSchemaV1, kSchemaV2, kSchemaV3};
  return kMigrations;
}

const std::string_view kVideoColumns =
    "video_id, title, description, original_filename, file_extension, content_type, size, "
    "bucket, video_key, uploaded_at, status, error, progress, views, likes, duration_seconds, "
    "width, height, fps, container, video_codec, audio_codec, bitrate, renditions_json, "
    "thumbnail_key, mp4_key, hls_key, processed_at, processing_seconds, processed_bytes, "
    "correlation_id, probe_json, poster_key";

const std::string_view kInsertVideoSql =
    "INSERT INTO videos (video_id, title, description, original_filename, file_extension, "
    "content_type, size, bucket, video_key, uploaded_at, status, error, progress, views, likes, "
    "duration_seconds, width, height, fps, container, video_codec, audio_codec, bitrate, "
    "renditions_json, thumbnail_key, mp4_key, hls_key, processed_at, processing_seconds, "
    "processed_bytes, correlation_id, engagement, probe_json, poster_key) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
    "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)";

const std::string_view kInsertDailySql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES (?1, ?2, ?3, ?4)";

void BindVideo(sqlite::Stmt& s, const VideoRecord& v) {
  std::optional<int64_t> processed_at;
  if (v.processed_at) processed_at = UnixMillis(*v.processed_at);
  s.Bind(1, v.video_id)
      .Bind(2, v.title)
      .Bind(3, v.description)
      .Bind(4, v.original_filename)
      .Bind(5, v.file_extension)
      .Bind(6, v.content_type)
      .Bind(7, v.size)
      .Bind(8, v.bucket)
      .Bind(9, v.video_key)
      .Bind(10, UnixMillis(v.uploaded_at))
      .Bind(11, ToString(v.status))
      .Bind(12, v.error)
      .Bind(13, v.progress)
      .Bind(14, v.views)
      .Bind(15, v.likes)
      .Bind(16, v.duration_seconds)
      .Bind(17, v.width)
      .Bind(18, v.height)
      .Bind(19, v.fps)
      .Bind(20, v.container)
      .Bind(21, v.video_codec)
      .Bind(22, v.audio_codec)
      .Bind(23, v.bitrate)
      .Bind(24, v.renditions_json)
      .Bind(25, v.thumbnail_key)
      .Bind(26, v.mp4_key)
      .Bind(27, v.hls_key)
      .Bind(28, processed_at)
      .Bind(29, v.processing_seconds)
      .Bind(30, v.processed_bytes)
      .Bind(31, v.correlation_id)
      .Bind(32, Engagement(v))
      .Bind(33, v.probe_json)
      .Bind(34, v.poster_key);
}

SysTime FromMillis(int64_t ms) { return SysTime{std::chrono::milliseconds(ms)}; }

VideoRecord ReadVideo(const sqlite::Stmt& s, int first) {
  auto c = [first](int i) { return first + i; };
  VideoRecord v;
  v.video_id = s.Text(c(0));
  v.title = s.Text(c(1));
  v.description = s.Text(c(2));
  v.original_filename = s.Text(c(3));
  v.file_extension = s.Text(c(4));
  v.content_type = s.Text(c(5));
  v.size = s.Int(c(6));
  v.bucket = s.Text(c(7));
  v.video_key = s.Text(c(8));
  v.uploaded_at = FromMillis(s.Int(c(9)));
  v.status = ParseVideoStatus(s.Text(c(10))).value_or(VideoStatus::kUploaded);
  v.error = s.Text(c(11));
  v.progress = s.Double(c(12));
  v.views = s.Int(c(13));
  v.likes = s.Int(c(14));
  if (!s.IsNull(c(15))) v.duration_seconds = s.Double(c(15));
  v.width = static_cast<int>(s.Int(c(16)));
  v.height = static_cast<int>(s.Int(c(17)));
  v.fps = s.Double(c(18));
  v.container = s.Text(c(19));
  v.video_codec = s.Text(c(20));
  v.audio_codec = s.Text(c(21));
  v.bitrate = s.Int(c(22));
  v.renditions_json = s.Text(c(23));
  v.thumbnail_key = s.Text(c(24));
  v.mp4_key = s.Text(c(25));
  v.hls_key = s.Text(c(26));
  if (!s.IsNull(c(27))) v.processed_at = FromMillis(s.Int(c(27)));
  if (!s.IsNull(c(28))) v.processing_seconds = s.Double(c(28));
  v.processed_bytes = s.Int(c(29));
  v.correlation_id = s.Text(c(30));
  v.probe_json = s.Text(c(31));
  v.poster_key = s.Text(c(32));
  return v;
}

}  // namespace kinora::catalog::internal
