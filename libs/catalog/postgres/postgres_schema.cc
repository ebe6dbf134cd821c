#include "postgres_schema.h"

#include <charconv>

#include "../columns.h"

namespace kinora::catalog::pgschema {

using internal::BindColumn;
using internal::Column;
using internal::ReadColumn;
using internal::ReadColumns;
using internal::Write;
using internal::WriteColumns;
using internal::WriteSql;

namespace {

// Version 1: the videos table, its sort indexes, and the aggregates List and Stats read
// (status_counts, format_counts, catalog_totals, daily_totals, daily_counts), kept by triggers
// in the same transaction as every write, as in the SQLite schema. Times are unix millis.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE videos (
  video_id           TEXT PRIMARY KEY,
  title              TEXT NOT NULL DEFAULT '',
  description        TEXT NOT NULL DEFAULT '',
  original_filename  TEXT NOT NULL DEFAULT '',
  file_extension     TEXT NOT NULL DEFAULT '',
  content_type       TEXT NOT NULL DEFAULT '',
  size               BIGINT NOT NULL DEFAULT 0,
  bucket             TEXT NOT NULL DEFAULT '',
  video_key          TEXT NOT NULL,
  uploaded_at        BIGINT NOT NULL,
  status             TEXT NOT NULL
                     CHECK (status IN ('UPLOADED', 'PROCESSING', 'PROCESSED', 'FAILED')),
  error              TEXT NOT NULL DEFAULT '',
  progress           DOUBLE PRECISION NOT NULL DEFAULT 0,
  views              BIGINT NOT NULL DEFAULT 0,
  likes              BIGINT NOT NULL DEFAULT 0,
  engagement         DOUBLE PRECISION NOT NULL DEFAULT 0,
  duration_seconds   DOUBLE PRECISION,
  duration_key       DOUBLE PRECISION GENERATED ALWAYS AS (COALESCE(duration_seconds, -1.0)) STORED,
  width              INTEGER NOT NULL DEFAULT 0,
  height             INTEGER NOT NULL DEFAULT 0,
  fps                DOUBLE PRECISION NOT NULL DEFAULT 0,
  container          TEXT NOT NULL DEFAULT '',
  video_codec        TEXT NOT NULL DEFAULT '',
  audio_codec        TEXT NOT NULL DEFAULT '',
  bitrate            BIGINT NOT NULL DEFAULT 0,
  renditions_json    TEXT NOT NULL DEFAULT '[]',
  thumbnail_key      TEXT NOT NULL DEFAULT '',
  mp4_key            TEXT NOT NULL DEFAULT '',
  hls_key            TEXT NOT NULL DEFAULT '',
  processed_at       BIGINT,
  processing_seconds DOUBLE PRECISION,
  processed_bytes    BIGINT NOT NULL DEFAULT 0,
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
CREATE INDEX videos_status_processing    ON videos (status, processing_seconds);

CREATE TABLE status_counts (status TEXT PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO status_counts VALUES ('UPLOADED', 0), ('PROCESSING', 0), ('PROCESSED', 0), ('FAILED', 0);
CREATE TABLE format_counts (file_extension TEXT PRIMARY KEY, n BIGINT NOT NULL);
CREATE TABLE catalog_totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  views BIGINT NOT NULL, likes BIGINT NOT NULL, storage_bytes BIGINT NOT NULL,
  duration_seconds DOUBLE PRECISION NOT NULL
);
INSERT INTO catalog_totals VALUES (1, 0, 0, 0, 0);
CREATE TABLE daily_totals (
  day TEXT PRIMARY KEY,
  uploads BIGINT NOT NULL DEFAULT 0, views BIGINT NOT NULL DEFAULT 0, likes BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE daily_counts (
  video_id TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  views BIGINT NOT NULL DEFAULT 0,
  likes BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, day)
);

CREATE FUNCTION kinora_day(ms BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS
  $$ SELECT to_char(to_timestamp(ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') $$;

CREATE FUNCTION videos_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE status_counts SET n = n + 1 WHERE status = NEW.status;
    INSERT INTO format_counts VALUES (NEW.file_extension, 1)
      ON CONFLICT (file_extension) DO UPDATE SET n = format_counts.n + 1;
    UPDATE catalog_totals SET views = views + NEW.views, likes = likes + NEW.likes,
      storage_bytes = storage_bytes + NEW.size + NEW.processed_bytes,
      duration_seconds = duration_seconds + COALESCE(NEW.duration_seconds, 0);
    INSERT INTO daily_totals (day, uploads) VALUES (kinora_day(NEW.uploaded_at), 1)
      ON CONFLICT (day) DO UPDATE SET uploads = daily_totals.uploads + 1;
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE format_counts SET n = n - 1 WHERE file_extension = OLD.file_extension;
    UPDATE catalog_totals SET views = views - OLD.views, likes = likes - OLD.likes,
      storage_bytes = storage_bytes - OLD.size - OLD.processed_bytes,
      duration_seconds = duration_seconds - COALESCE(OLD.duration_seconds, 0);
    UPDATE daily_totals SET uploads = uploads - 1 WHERE day = kinora_day(OLD.uploaded_at);
    RETURN OLD;
  END IF;
  IF OLD.status <> NEW.status THEN
    UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE status_counts SET n = n + 1 WHERE status = NEW.status;
  END IF;
  IF OLD.file_extension <> NEW.file_extension THEN
    UPDATE format_counts SET n = n - 1 WHERE file_extension = OLD.file_extension;
    INSERT INTO format_counts VALUES (NEW.file_extension, 1)
      ON CONFLICT (file_extension) DO UPDATE SET n = format_counts.n + 1;
  END IF;
  IF kinora_day(OLD.uploaded_at) <> kinora_day(NEW.uploaded_at) THEN
    UPDATE daily_totals SET uploads = uploads - 1 WHERE day = kinora_day(OLD.uploaded_at);
    INSERT INTO daily_totals (day, uploads) VALUES (kinora_day(NEW.uploaded_at), 1)
      ON CONFLICT (day) DO UPDATE SET uploads = daily_totals.uploads + 1;
  END IF;
  IF (OLD.views, OLD.likes, OLD.size, OLD.processed_bytes, OLD.duration_seconds)
     IS DISTINCT FROM (NEW.views, NEW.likes, NEW.size, NEW.processed_bytes, NEW.duration_seconds) THEN
    UPDATE catalog_totals SET views = views + NEW.views - OLD.views,
      likes = likes + NEW.likes - OLD.likes,
      storage_bytes = storage_bytes + NEW.size + NEW.processed_bytes - OLD.size - OLD.processed_bytes,
      duration_seconds = duration_seconds + COALESCE(NEW.duration_seconds, 0)
                                          - COALESCE(OLD.duration_seconds, 0);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER videos_aggregates AFTER INSERT OR UPDATE OR DELETE ON videos
  FOR EACH ROW EXECUTE FUNCTION videos_aggregates();

CREATE FUNCTION daily_counts_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE daily_totals SET views = views - OLD.views, likes = likes - OLD.likes
      WHERE day = OLD.day;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO daily_totals (day, views, likes) VALUES (NEW.day, NEW.views, NEW.likes)
      ON CONFLICT (day) DO UPDATE SET views = daily_totals.views + EXCLUDED.views,
                                      likes = daily_totals.likes + EXCLUDED.likes;
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER daily_counts_aggregates AFTER INSERT OR UPDATE OR DELETE ON daily_counts
  FOR EACH ROW EXECUTE FUNCTION daily_counts_aggregates();
)sql";

// Version 2 (the processor): the full probe and the poster's key.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE videos ADD COLUMN probe_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE videos ADD COLUMN poster_key TEXT NOT NULL DEFAULT '';
)sql";

// Version 3 (the dashboard): videos per duration bucket (kDurationBucketBounds; 0 = unknown).
constexpr std::string_view kSchemaV3 = R"sql(
CREATE FUNCTION kinora_duration_bucket(d DOUBLE PRECISION) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN d IS NULL THEN 0 WHEN d < 30 THEN 1 WHEN d < 120 THEN 2 WHEN d < 300 THEN 3
                 WHEN d < 900 THEN 4 WHEN d < 3600 THEN 5 ELSE 6 END $$;
CREATE TABLE duration_buckets (bucket INTEGER PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO duration_buckets SELECT b, 0 FROM generate_series(0, 6) AS b;
UPDATE duration_buckets SET n = c.n FROM
  (SELECT kinora_duration_bucket(duration_seconds) AS bucket, COUNT(*) AS n FROM videos GROUP BY 1) c
  WHERE duration_buckets.bucket = c.bucket;
CREATE FUNCTION videos_duration_buckets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE duration_buckets SET n = n - 1 WHERE bucket = kinora_duration_bucket(OLD.duration_seconds);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE duration_buckets SET n = n + 1 WHERE bucket = kinora_duration_bucket(NEW.duration_seconds);
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER videos_duration_buckets_insert_delete AFTER INSERT OR DELETE ON videos
  FOR EACH ROW EXECUTE FUNCTION videos_duration_buckets();
CREATE TRIGGER videos_duration_buckets_update AFTER UPDATE OF duration_seconds ON videos
  FOR EACH ROW WHEN (OLD.duration_seconds IS DISTINCT FROM NEW.duration_seconds)
  EXECUTE FUNCTION videos_duration_buckets();
)sql";

// Version 4 (accounts): owner, visibility (kVisibilities, columns.h), media generation and one
// like per user, as in the SQLite schema. Existing videos become public and unowned.
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE videos ADD COLUMN owner_id TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
  CHECK (visibility IN ('public', 'unlisted', 'private', 'internal'));
ALTER TABLE videos ADD COLUMN media_generation BIGINT NOT NULL DEFAULT 0;
CREATE INDEX videos_owner_by_time      ON videos (owner_id, uploaded_at, video_id);
CREATE INDEX videos_visibility_by_time ON videos (visibility, uploaded_at, video_id);
CREATE TABLE video_likes (
  video_id   TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (video_id, user_id)
);
)sql";

// Version 5: the outbox and tombstones (see the SQLite schema's version 5).
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE outbox (
  id              BIGSERIAL PRIMARY KEY,
  video_id        TEXT NOT NULL,
  body            TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);
CREATE INDEX outbox_video ON outbox (video_id);

CREATE TABLE tombstones (
  video_id   TEXT PRIMARY KEY,
  deleted_at BIGINT NOT NULL
);
)sql";

// Version 6: videos per (status, visibility), kept by a trigger, for the totals of anonymous and
// signed-in listings (as in the SQLite schema).
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE visibility_counts (
  status     TEXT NOT NULL,
  visibility TEXT NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (status, visibility)
);
INSERT INTO visibility_counts (status, visibility, n)
  SELECT status, visibility, COUNT(*) FROM videos GROUP BY status, visibility;
CREATE FUNCTION videos_visibility_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE visibility_counts SET n = n - 1
      WHERE status = OLD.status AND visibility = OLD.visibility;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO visibility_counts VALUES (NEW.status, NEW.visibility, 1)
      ON CONFLICT (status, visibility) DO UPDATE SET n = visibility_counts.n + 1;
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER videos_visibility_counts_insert_delete AFTER INSERT OR DELETE ON videos
  FOR EACH ROW EXECUTE FUNCTION videos_visibility_counts();
CREATE TRIGGER videos_visibility_counts_update AFTER UPDATE OF status, visibility ON videos
  FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.visibility <> NEW.visibility)
  EXECUTE FUNCTION videos_visibility_counts();
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
// sum an owner's unfinished ones.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE TABLE uploads (
  upload_id      TEXT PRIMARY KEY,
  owner_id       TEXT NOT NULL DEFAULT '',
  video_id       TEXT NOT NULL,
  filename       TEXT NOT NULL DEFAULT '',
  extension      TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  visibility     TEXT NOT NULL DEFAULT '',
  correlation_id TEXT NOT NULL DEFAULT '',
  length         BIGINT NOT NULL,
  offset_bytes   BIGINT NOT NULL DEFAULT 0,
  store_state    TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  complete       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX uploads_by_expiry ON uploads (expires_at, upload_id);
CREATE INDEX uploads_by_owner  ON uploads (owner_id);
)sql";

// Version 9: title search without a scan (title_search.h): a pg_trgm GIN index on the title
// folded as List spells it (kTitleFold in postgres_catalog_list.cc: ICU's lowercase, whatever the
// database's locale), which serves the LIKE of queries of 3 or more characters. fastupdate stays
// on: every counter update writes a new row version, and its trigrams go to the pending list
// rather than into the index at once. Where pg_trgm cannot be created (not installed, no right to
// create it) the migration still succeeds without the index: search scans, as before, and the
// catalog warns once when it opens.
constexpr std::string_view kSchemaV9 = R"sql(
DO $$
DECLARE
  ext_schema name;
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable: %', SQLERRM;
  END;
  SELECT extnamespace::regnamespace::name INTO ext_schema FROM pg_extension
    WHERE extname = 'pg_trgm';
  IF ext_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX videos_title_trgm ON videos USING gin '
                   '(lower(title COLLATE "und-x-icu") %I.gin_trgm_ops)', ext_schema);
  END IF;
END
$$;
)sql";

// Version 10: the row version (VideoRecord::row_version; SQLite's migration 10 says why), set by
// a BEFORE trigger: random on insert, one more on every update.
constexpr std::string_view kSchemaV10 = R"sql(
ALTER TABLE videos ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0;
UPDATE videos SET row_version = floor(random() * 9007199254740991)::bigint;
CREATE FUNCTION kinora_videos_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.row_version := floor(random() * 9007199254740991)::bigint;
  ELSE
    NEW.row_version := OLD.row_version + 1;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER videos_row_version BEFORE INSERT OR UPDATE ON videos
  FOR EACH ROW EXECUTE FUNCTION kinora_videos_row_version();
)sql";

// Version 11: the folded title is stored (title_folded) and the trigram index is built on it.
// The LIKE of a search must recheck every row the index proposes, and ICU's lowercase of each
// title made most of that recheck (~2.4 µs a title against ~0.4 µs for lower() in the
// database's locale, measured over 100,000 titles); the column computes it once per write. It
// keeps the folded expression's collation, so the index serves the search's LIKE as before.
constexpr std::string_view kSchemaV11 = R"sql(
ALTER TABLE videos ADD COLUMN title_folded TEXT COLLATE "und-x-icu"
  GENERATED ALWAYS AS (lower(title COLLATE "und-x-icu")) STORED;
DO $$
DECLARE
  ext_schema name;
BEGIN
  SELECT extnamespace::regnamespace::name INTO ext_schema FROM pg_extension
    WHERE extname = 'pg_trgm';
  IF ext_schema IS NOT NULL THEN
    DROP INDEX IF EXISTS videos_title_trgm;
    EXECUTE format('CREATE INDEX videos_title_trgm ON videos USING gin '
                   '(title_folded %I.gin_trgm_ops)', ext_schema);
  END IF;
END
$$;
)sql";

// $N is the parameter's position in the statement: PostgreSQL must know every parameter's use.
std::string ByPosition(size_t /*column*/, size_t position) {
  return "$" + std::to_string(position + 1);
}

// The parameters of a statement, appended in order as BindColumn hands them over.
struct Params {
  std::vector<pg::Param> out;
  void Null() { out.emplace_back(); }
  void Int(int64_t x) { out.emplace_back(std::to_string(x)); }
  void Real(double x) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);  // shortest round-trip form
    out.emplace_back(std::string(buf, end));
  }
  void Text(std::string_view x) { out.emplace_back(std::string(x)); }
};

std::vector<pg::Param> ParamsOf(const VideoRecord& v, Write w) {
  Params p;
  const auto cols = WriteColumns(w);
  p.out.reserve(cols.size());
  for (const Column* c : cols) BindColumn(*c, v, p);
  return std::move(p.out);
}

// One value of a result row, as ReadColumn asks for it.
struct Cell {
  const pg::PgResult& r;
  int row, i;
  bool IsNull() const { return r.IsNull(row, i); }
  int64_t Int() const { return r.Int(row, i); }
  double Real() const { return r.Double(row, i); }
  std::string Text() const { return std::string(r.Text(row, i)); }
};

}  // namespace

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4,  kSchemaV5, kSchemaV6,
      kSchemaV7, kSchemaV8, kSchemaV9, kSchemaV10, kSchemaV11};
  return kMigrations;
}

Result<void> Migrate(pg::PgConn& c) {
  KINORA_TRY(auto tx, pg::Tx::Begin(c));
  // One migrator at a time across every process sharing the database (key: "kinora").
  KINORA_TRY_VOID(c.ExecScript(
      "SELECT pg_advisory_xact_lock(7021983650); "
      "CREATE TABLE IF NOT EXISTS kinora_schema (version INTEGER NOT NULL); "
      "INSERT INTO kinora_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM kinora_schema)"));
  KINORA_TRY(pg::PgResult v, c.Exec("SELECT version FROM kinora_schema"));
  const auto& all = Migrations();
  const int64_t have = v.Int(0, 0);
  if (have > static_cast<int64_t>(all.size())) {
    return MakeError(ErrorCode::kUnsupported,
                     "the catalog's schema (version " + std::to_string(have) +
                         ") is newer than this program knows; upgrade Kinora");
  }
  for (size_t i = static_cast<size_t>(have); i < all.size(); ++i) {
    auto done = c.ExecScript(all[i]);
    if (!done) return Annotate(done.error(), "catalog migration " + std::to_string(i + 1));
  }
  KINORA_TRY_VOID(c.Exec("UPDATE kinora_schema SET version = $1", {std::to_string(all.size())}));
  return tx.Commit();
}

const std::string& InsertSql() {
  static const std::string kSql = WriteSql(Write::kInsert, ByPosition);
  return kSql;
}

std::vector<pg::Param> InsertParams(const VideoRecord& v) { return ParamsOf(v, Write::kInsert); }

const std::string& UpdateSql() {
  static const std::string kSql = WriteSql(Write::kUpdate, ByPosition);
  return kSql;
}

std::vector<pg::Param> UpdateParams(const VideoRecord& v) { return ParamsOf(v, Write::kUpdate); }

VideoRecord ReadVideo(const pg::PgResult& r, int row) {
  VideoRecord v;
  int i = 0;
  for (const Column* c : ReadColumns()) ReadColumn(*c, Cell{r, row, i++}, v);
  return v;
}

}  // namespace kinora::catalog::pgschema
