#include "kinora/catalog/internal/sqlite_schema.h"

#include <string>

#include "../columns.h"

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

// Version 4 (accounts): who owns a video, who may see it, the generation every signed media URL
// carries, and one like per user. Existing videos become public and unowned (AdoptUnowned gives
// them to the first admin). The visibility names are kVisibilities (columns.h). Listings filter
// on visibility and owner; their timestamp order has an index each, other orders walk the sort
// key's index and filter (an owner's videos are few; most videos are public). A like goes with
// its video (foreign keys are on for every connection).
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE videos ADD COLUMN owner_id TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
  CHECK (visibility IN ('public', 'unlisted', 'private', 'internal'));
ALTER TABLE videos ADD COLUMN media_generation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX videos_owner_by_time      ON videos (owner_id, uploaded_at, video_id);
CREATE INDEX videos_visibility_by_time ON videos (visibility, uploaded_at, video_id);

CREATE TABLE video_likes (
  video_id   TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL,
  created_at INTEGER NOT NULL,                     -- unix millis
  PRIMARY KEY (video_id, user_id)
) WITHOUT ROWID;
)sql";

// Version 5: crash-consistent ingest. The outbox holds each processing job from the moment its
// video's row is written (same transaction) until the queue has it; tombstones remember deleted
// videos so reindex and the reconciler never bring one back. Neither references videos: an
// outbox entry is removed by Delete explicitly, and a tombstone outlives its row by design.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  video_id        TEXT NOT NULL,
  body            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,                 -- unix millis
  next_attempt_at INTEGER NOT NULL,                 -- unix millis
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE INDEX outbox_video ON outbox (video_id);

CREATE TABLE tombstones (
  video_id   TEXT PRIMARY KEY NOT NULL,
  deleted_at INTEGER NOT NULL                       -- unix millis
) WITHOUT ROWID;
)sql";

// Version 6: videos per (status, visibility), kept by triggers, so the totals of an anonymous or
// signed-in listing are a few small rows instead of a scan of the table.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE visibility_counts (
  status     TEXT NOT NULL,
  visibility TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (status, visibility)
) WITHOUT ROWID;
INSERT INTO visibility_counts (status, visibility, n)
  SELECT status, visibility, COUNT(*) FROM videos GROUP BY status, visibility;
CREATE TRIGGER videos_visibility_count_insert AFTER INSERT ON videos BEGIN
  INSERT INTO visibility_counts (status, visibility, n) VALUES (NEW.status, NEW.visibility, 1)
    ON CONFLICT (status, visibility) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER videos_visibility_count_delete AFTER DELETE ON videos BEGIN
  UPDATE visibility_counts SET n = n - 1
    WHERE status = OLD.status AND visibility = OLD.visibility;
END;
CREATE TRIGGER videos_visibility_count_update AFTER UPDATE OF status, visibility ON videos
  WHEN OLD.status <> NEW.status OR OLD.visibility <> NEW.visibility BEGIN
  UPDATE visibility_counts SET n = n - 1
    WHERE status = OLD.status AND visibility = OLD.visibility;
  INSERT INTO visibility_counts (status, visibility, n) VALUES (NEW.status, NEW.visibility, 1)
    ON CONFLICT (status, visibility) DO UPDATE SET n = n + 1;
END;
)sql";

// Version 7: the content analysis summary (docs/content-analysis.md "Catalog summary") and its
// flag codes (",code,code,"), which the library's flag filter matches. Rows from before start
// with the "none" summary (kNoAnalysisJson in video.h; the tests check the two agree).
constexpr std::string_view kSchemaV7 = R"sql(
ALTER TABLE videos ADD COLUMN analysis_json TEXT NOT NULL DEFAULT '{"status":"none","integrated_lufs":null,"true_peak_dbtp":null,"scene_count":0,"black_seconds":0,"frozen_seconds":0,"silent_seconds":0,"flags":[]}';
ALTER TABLE videos ADD COLUMN analysis_flags TEXT NOT NULL DEFAULT '';
)sql";

// Version 8: resumable uploads (docs/uploads.md "Durability and crashes"), one row per tus
// upload; the columns are kUploadColumns (upload_columns.h). Sweeping walks expires_at, quotas
// sum an owner's unfinished ones. A rowid table: store_state grows with an S3 upload's parts.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE TABLE uploads (
  upload_id      TEXT PRIMARY KEY NOT NULL,
  owner_id       TEXT NOT NULL DEFAULT '',
  video_id       TEXT NOT NULL,
  filename       TEXT NOT NULL DEFAULT '',
  extension      TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  visibility     TEXT NOT NULL DEFAULT '',
  correlation_id TEXT NOT NULL DEFAULT '',
  length         INTEGER NOT NULL,
  offset_bytes   INTEGER NOT NULL DEFAULT 0,          -- durably stored ("offset" is a keyword)
  store_state    TEXT NOT NULL DEFAULT '',            -- the object store's, opaque here
  created_at     INTEGER NOT NULL,                    -- unix millis
  expires_at     INTEGER NOT NULL,                    -- unix millis
  complete       INTEGER NOT NULL DEFAULT 0           -- 0 or 1
);
CREATE INDEX uploads_by_expiry ON uploads (expires_at, upload_id);
CREATE INDEX uploads_by_owner  ON uploads (owner_id);
)sql";

// Version 9: title search without a scan (title_search.h). An external-content FTS5 table over
// the titles, keyed by the videos' rowid and kept by triggers in the same transaction as every
// write; the trigram tokenizer finds any substring of 3 or more characters, its case folded
// beyond ASCII (case_sensitive 0).
constexpr std::string_view kSchemaV9 = R"sql(
CREATE VIRTUAL TABLE videos_title_search USING fts5(
  title, content = 'videos', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0');
INSERT INTO videos_title_search (videos_title_search) VALUES ('rebuild');
CREATE TRIGGER videos_title_search_insert AFTER INSERT ON videos BEGIN
  INSERT INTO videos_title_search (rowid, title) VALUES (new.rowid, new.title);
END;
CREATE TRIGGER videos_title_search_delete AFTER DELETE ON videos BEGIN
  INSERT INTO videos_title_search (videos_title_search, rowid, title)
    VALUES ('delete', old.rowid, old.title);
END;
CREATE TRIGGER videos_title_search_update AFTER UPDATE OF title ON videos BEGIN
  INSERT INTO videos_title_search (videos_title_search, rowid, title)
    VALUES ('delete', old.rowid, old.title);
  INSERT INTO videos_title_search (rowid, title) VALUES (new.rowid, new.title);
END;
)sql";

// Version 10: a row version (VideoRecord::row_version) the database keeps, so a rendered video can
// be reused while its row is unchanged. A random start on insert (a video deleted and put back
// does not repeat an old version), one more on every update of anything else; the trigger's own
// update does not fire it again (recursive triggers are off, and its WHEN would stop it anyway).
constexpr std::string_view kSchemaV10 = R"sql(
ALTER TABLE videos ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0;
UPDATE videos SET row_version = random();
CREATE TRIGGER videos_row_version_insert AFTER INSERT ON videos BEGIN
  UPDATE videos SET row_version = random() WHERE rowid = new.rowid;
END;
CREATE TRIGGER videos_row_version_update AFTER UPDATE ON videos
  WHEN new.row_version = old.row_version BEGIN
  UPDATE videos SET row_version = old.row_version + 1 WHERE rowid = new.rowid;
END;
)sql";

}  // namespace

const std::vector<std::string_view>& SqliteMigrations() {
  static const std::vector<std::string_view> kMigrations = {
      kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5,
      kSchemaV6, kSchemaV7, kSchemaV8, kSchemaV9, kSchemaV10};
  return kMigrations;
}

const std::string_view kInsertDailySql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES (?1, ?2, ?3, ?4)";

namespace {

// ?N is the column's place in kColumns, whichever statement it is in.
std::string ByColumn(size_t column, size_t /*position*/) {
  return "?" + std::to_string(column + 1);
}

// One parameter of a statement, as BindColumn hands it over.
struct Param {
  sqlite::Stmt& s;
  int n;
  void Null() { s.BindNull(n); }
  void Int(int64_t x) { s.Bind(n, x); }
  void Real(double x) { s.Bind(n, x); }
  void Text(std::string_view x) { s.Bind(n, x); }
};

void Bind(sqlite::Stmt& s, const VideoRecord& v, Write w) {
  for (const Column* c : WriteColumns(w)) {
    Param p{s, static_cast<int>(IndexOf(*c)) + 1};
    BindColumn(*c, v, p);
  }
}

// One value of the current row, as ReadColumn asks for it.
struct Cell {
  const sqlite::Stmt& s;
  int i;
  bool IsNull() const { return s.IsNull(i); }
  int64_t Int() const { return s.Int(i); }
  double Real() const { return s.Double(i); }
  std::string Text() const { return s.Text(i); }
};

}  // namespace

const std::string& InsertVideoSql() {
  static const std::string kSql = WriteSql(Write::kInsert, ByColumn);
  return kSql;
}

void BindInsert(sqlite::Stmt& s, const VideoRecord& v) { Bind(s, v, Write::kInsert); }

const std::string& UpdateVideoSql() {
  static const std::string kSql = WriteSql(Write::kUpdate, ByColumn);
  return kSql;
}

// Binds only the columns the UPDATE names; the numbers it skips stay unbound (NULL, unused).
void BindUpdate(sqlite::Stmt& s, const VideoRecord& v) { Bind(s, v, Write::kUpdate); }

VideoRecord ReadVideo(const sqlite::Stmt& s) {
  VideoRecord v;
  int i = 0;
  for (const Column* c : ReadColumns()) ReadColumn(*c, Cell{s, i++}, v);
  return v;
}

}  // namespace kinora::catalog::internal
