// The videos table's columns, listed once: each column's SQL name, the VideoRecord field it
// stores (which fixes its SQL type), its role in writes, and its name and form in the video's
// JSON. Both backends generate their SELECT list, INSERT, UPDATE, parameters and row reading
// from this table, and video.cc writes and reads the plain JSON fields from it. The table is
// not the schema: each backend's migrations create the columns (a test checks they agree).
// Private to libs/catalog. Thread safety: constant data and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "kinora/catalog/video.h"

namespace kinora::catalog::internal {

template <class T>
using Member = T VideoRecord::*;

// Where a column's value comes from: a VideoRecord member (its type fixes the SQL type and the
// conversion), or, for a derived column, a function of the whole record.
using Field =
    std::variant<Member<std::string>, Member<int64_t>, Member<int>, Member<double>,
                 Member<std::optional<double>>, Member<SysTime>, Member<std::optional<SysTime>>,
                 Member<VideoStatus>, double (*)(const VideoRecord&)>;

enum class Role {
  kKey,      // video_id: written by Insert, the WHERE of Update
  kPlain,    // written by Insert and Update, read by every SELECT
  kCounter,  // views, likes: written by Insert (reindex restores them), never by Update
  kDerived,  // engagement: computed on Insert, kept by the counter statements, never read
};

// How a column appears in the JSON (video.h ToJson/FromJson).
enum class JsonForm {
  kNone,         // not written from the table: absent, or written by hand in video.cc
  kValue,        // the value as it is (times as ISO-8601 text, absent optionals as null)
  kNullIfEmpty,  // a string, null when empty
  kArray,        // a string holding a JSON array, embedded as the array
  kObject,       // a string holding a JSON object, embedded as the object
};

struct Column {
  std::string_view name;  // SQL
  Field field;
  Role role;
  // The JSON field's name (FromJson prefers it to any alias video.cc also writes); empty with
  // JsonForm::kNone.
  std::string_view json;
  JsonForm json_form;
};

// Every column once. The order is the JSON document's (video.cc interleaves its derived fields);
// SQL statements name their columns, so the order means nothing to the database. A new plain
// field is a VideoRecord member, a row here, and a migration in each backend.
// clang-format off
inline constexpr auto kColumns = [] {
  using V = VideoRecord;
  constexpr Role kKey = Role::kKey, kPlain = Role::kPlain, kCounter = Role::kCounter,
                 kDerived = Role::kDerived;
  constexpr JsonForm kNone = JsonForm::kNone, kValue = JsonForm::kValue,
                     kNullIfEmpty = JsonForm::kNullIfEmpty, kArray = JsonForm::kArray,
                     kObject = JsonForm::kObject;
  return std::to_array<Column>({
      {"video_id",           &V::video_id,           kKey,     "video_id",            kValue},
      {"title",              &V::title,              kPlain,   "title",               kValue},
      {"description",        &V::description,        kPlain,   "description",         kValue},
      {"original_filename",  &V::original_filename,  kPlain,   "original_filename",   kValue},
      {"file_extension",     &V::file_extension,     kPlain,   "file_extension",      kValue},
      {"content_type",       &V::content_type,       kPlain,   "content_type",        kValue},
      {"size",               &V::size,               kPlain,   "size",                kValue},
      {"bucket",             &V::bucket,             kPlain,   "s3_bucket",           kValue},
      {"video_key",          &V::video_key,          kPlain,   "s3_video_key",        kValue},
      {"uploaded_at",        &V::uploaded_at,        kPlain,   "upload_timestamp",    kValue},
      {"status",             &V::status,             kPlain,   "status",              kValue},
      {"error",              &V::error,              kPlain,   "error",               kNullIfEmpty},
      {"progress",           &V::progress,           kPlain,   "progress",            kValue},
      {"views",              &V::views,              kCounter, "views",               kValue},
      {"likes",              &V::likes,              kCounter, "likes",               kValue},
      {"engagement",         &Engagement,            kDerived, "",                    kNone},
      {"duration_seconds",   &V::duration_seconds,   kPlain,   "",                    kNone},
      {"width",              &V::width,              kPlain,   "width",               kValue},
      {"height",             &V::height,             kPlain,   "height",              kValue},
      {"fps",                &V::fps,                kPlain,   "fps",                 kValue},
      {"container",          &V::container,          kPlain,   "container",           kNullIfEmpty},
      {"video_codec",        &V::video_codec,        kPlain,   "video_codec",         kNullIfEmpty},
      {"audio_codec",        &V::audio_codec,        kPlain,   "audio_codec",         kNullIfEmpty},
      {"bitrate",            &V::bitrate,            kPlain,   "bitrate",             kValue},
      {"renditions_json",    &V::renditions_json,    kPlain,   "renditions",          kArray},
      {"probe_json",         &V::probe_json,         kPlain,   "probe",               kObject},
      {"thumbnail_key",      &V::thumbnail_key,      kPlain,   "thumbnail_key",       kNullIfEmpty},
      {"mp4_key",            &V::mp4_key,            kPlain,   "mp4_key",             kNullIfEmpty},
      {"hls_key",            &V::hls_key,            kPlain,   "hls_key",             kNullIfEmpty},
      {"poster_key",         &V::poster_key,         kPlain,   "poster_key",          kNullIfEmpty},
      {"processed_at",       &V::processed_at,       kPlain,   "processed_timestamp", kValue},
      {"processing_seconds", &V::processing_seconds, kPlain,   "processing_seconds",  kValue},
      {"processed_bytes",    &V::processed_bytes,    kPlain,   "processed_bytes",     kValue},
      {"correlation_id",     &V::correlation_id,     kPlain,   "correlation_id",      kValue},
  });
}();
// clang-format on

// Whether c stores member m, or is computed by f (for the few places that treat one column
// specially).
template <class T>
constexpr bool Is(const Column& c, Member<T> m) {
  const auto* held = std::get_if<Member<T>>(&c.field);
  return held && *held == m;
}
constexpr bool Is(const Column& c, double (*f)(const VideoRecord&)) {
  const auto* held = std::get_if<double (*)(const VideoRecord&)>(&c.field);
  return held && *held == f;
}

constexpr size_t IndexOf(const Column& c) { return static_cast<size_t>(&c - kColumns.data()); }

// --- Reading rows -------------------------------------------------------------------------------

// Every column but the derived ones, in kColumns order: what SELECT lists and ReadColumns reads.
std::span<const Column* const> ReadColumns();
// "video_id, title, …": ReadColumns() as a SELECT list. A query that selects more puts its extra
// columns after these, from index kReadColumnCount.
const std::string& SelectList();
inline constexpr int kReadColumnCount = [] {
  int n = 0;
  for (const Column& c : kColumns) n += c.role == Role::kDerived ? 0 : 1;
  return n;
}();

// The type each column is stored as (times are unix milliseconds, the status its name).
enum class SqlType { kText, kInteger, kReal };
SqlType TypeOf(const Column& c);

// A value read from a row: NULL, or of the column's SqlType.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
// Sets c's field of v from its stored value. REQUIRES: c is not derived.
void FromSql(const Column& c, SqlValue value, VideoRecord& v);

// --- Writing rows -------------------------------------------------------------------------------

enum class Write { kInsert, kUpdate };

// The columns a write binds, in parameter order: kInsert every column; kUpdate the columns
// Update sets (neither the key, nor the counters, nor the derived columns), then the key.
std::span<const Column* const> WriteColumns(Write w);

// The INSERT of one videos row (kInsert), or the UPDATE … WHERE video_id = of one (kUpdate).
// `param(column, position)` spells the parameter of kColumns[column], the position-th
// (0-based) of WriteColumns(w): SQLite numbers by column ("?1"), PostgreSQL by position ("$1").
using ParamSpelling = std::string (*)(size_t column, size_t position);
std::string WriteSql(Write w, ParamSpelling param);

// A value to bind: NULL, or of the column's SqlType. Text views v (or static text).
using SqlArg = std::variant<std::nullptr_t, int64_t, double, std::string_view>;
SqlArg ToSql(const Column& c, const VideoRecord& v);

}  // namespace kinora::catalog::internal
