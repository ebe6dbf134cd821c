// The videos table's columns, each listed once: SQL name, the VideoRecord field it stores (whose
// type fixes the conversion), its role in writes, its JSON name and form. Both backends generate
// their SQL, parameters and row reading from it, and video.cc its plain JSON fields; each
// backend's migrations create the columns (tests check they agree). Private to libs/catalog.
// Thread safety: constant data and pure functions.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
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
  kEdited,   // what Catalog::Edit owns (title, description, access): written by Insert, read by
             // every SELECT, never by Update, so a long job's write cannot undo an owner's edit
  kVersion,  // row_version: set by the database's triggers on every insert and update, read by
             // every SELECT, never written by Kinora
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
                 kDerived = Role::kDerived, kEdited = Role::kEdited, kVersion = Role::kVersion;
  constexpr JsonForm kNone = JsonForm::kNone, kValue = JsonForm::kValue,
                     kNullIfEmpty = JsonForm::kNullIfEmpty, kArray = JsonForm::kArray,
                     kObject = JsonForm::kObject;
  return std::to_array<Column>({
      {"video_id",           &V::video_id,           kKey,     "video_id",            kValue},
      {"title",              &V::title,              kEdited,  "title",               kValue},
      {"description",        &V::description,        kEdited,  "description",         kValue},
      {"original_filename",  &V::original_filename,  kPlain,   "original_filename",   kValue},
      {"file_extension",     &V::file_extension,     kPlain,   "file_extension",      kValue},
      {"content_type",       &V::content_type,       kPlain,   "content_type",        kValue},
      {"size",               &V::size,               kPlain,   "size",                kValue},
      {"bucket",             &V::bucket,             kPlain,   "s3_bucket",           kValue},
      {"video_key",          &V::video_key,          kPlain,   "s3_video_key",        kValue},
      {"uploaded_at",        &V::uploaded_at,        kPlain,   "uploaded_at",         kValue},
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
      {"analysis_json",      &V::analysis_json,      kPlain,   "analysis",            kObject},
      {"analysis_flags",     &V::analysis_flags,     kPlain,   "",                    kNone},
      {"correlation_id",     &V::correlation_id,     kPlain,   "correlation_id",      kValue},
      {"owner_id",           &V::owner_id,           kEdited,  "owner_id",            kNullIfEmpty},
      {"visibility",         &V::visibility,         kEdited,  "visibility",          kValue},
      {"media_generation",   &V::media_generation,   kEdited,  "media_generation",    kValue},
      {"row_version",        &V::row_version,        kVersion, "",                    kNone},
  });
}();
// clang-format on

// The values of the visibility column: its CHECK in both backends' migrations spells the same
// names, which are identity::ToString(Visibility)'s (the contract tests check both).
inline constexpr std::string_view kVisibilities[] = {"public", "unlisted", "private", "internal"};
constexpr bool IsVisibility(std::string_view s) {
  for (std::string_view v : kVisibilities) {
    if (s == v) return true;
  }
  return false;
}

// Whether c stores member m, or is computed by f. (No std::get_if: its null check on the
// variant's address is not a constant expression under UBSan's instrumentation.)
template <class T>
constexpr bool Is(const Column& c, Member<T> m) {
  return std::holds_alternative<Member<T>>(c.field) && std::get<Member<T>>(c.field) == m;
}
constexpr bool Is(const Column& c, double (*f)(const VideoRecord&)) {
  using Fn = double (*)(const VideoRecord&);
  return std::holds_alternative<Fn>(c.field) && std::get<Fn>(c.field) == f;
}

constexpr size_t IndexOf(const Column& c) { return static_cast<size_t>(&c - kColumns.data()); }
// The index of the column storing m (or computed by m), for code that treats that column
// specially; a constant expression, so `case IndexOf(&VideoRecord::size):` works, and naming a
// member with no column fails to compile.
template <class M>
consteval size_t IndexOf(M m) {
  for (size_t i = 0; i < kColumns.size(); ++i) {
    if (Is(kColumns[i], m)) return i;
  }
  throw "no column stores this member";
}

// --- Reading rows -------------------------------------------------------------------------------

// The index in SelectList() (a result row) of the column storing m. REQUIRES: not derived.
template <class M>
consteval int ReadIndexOf(M m) {
  int i = 0;
  for (const Column& c : kColumns) {
    if (Is(c, m)) return c.role == Role::kDerived ? throw "a derived column is not read" : i;
    if (c.role != Role::kDerived) ++i;
  }
  throw "no column stores this member";
}

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

// Sets c's field of v from one value of a row, through the backend's `cell`:
//   bool IsNull() const; int64_t Int() const; double Real() const; std::string Text() const;
// Times are stored as unix milliseconds, the status as its name. REQUIRES: c is not derived.
template <class Cell>
void ReadColumn(const Column& c, const Cell& cell, VideoRecord& v);

// --- Writing rows -------------------------------------------------------------------------------

enum class Write { kInsert, kUpdate };

// The columns a write binds, in parameter order: kInsert every column; kUpdate the columns
// Update sets (the plain ones: neither the key, the counters, the derived nor the edited
// columns), then the key.
std::span<const Column* const> WriteColumns(Write w);

// The INSERT of one videos row (kInsert), or the UPDATE … WHERE video_id = of one (kUpdate).
// `param(column, position)` spells the parameter of kColumns[column], the position-th
// (0-based) of WriteColumns(w): SQLite numbers by column ("?1"), PostgreSQL by position ("$1").
using ParamSpelling = std::string (*)(size_t column, size_t position);
std::string WriteSql(Write w, ParamSpelling param);

// Hands c's value in v, as stored, to the backend's parameter `sink`:
//   void Null(); void Int(int64_t); void Real(double); void Text(std::string_view);
// (Text views v, or static text.)
template <class Sink>
void BindColumn(const Column& c, const VideoRecord& v, Sink& sink);

// --- Implementation -----------------------------------------------------------------------------

namespace columns_detail {

template <class Cell>
void Set(std::string& out, const Cell& cell) {
  out = cell.Text();
}
template <class Cell>
void Set(VideoStatus& out, const Cell& cell) {
  out = ParseVideoStatus(cell.Text()).value_or(VideoStatus::kUploaded);
}
template <class Cell>
void Set(int64_t& out, const Cell& cell) {
  out = cell.Int();
}
template <class Cell>
void Set(int& out, const Cell& cell) {
  out = static_cast<int>(cell.Int());
}
template <class Cell>
void Set(double& out, const Cell& cell) {
  out = cell.Real();
}
template <class Cell>
void Set(SysTime& out, const Cell& cell) {
  out = SysTime{std::chrono::milliseconds(cell.Int())};
}
template <class Cell, class T>
void Set(std::optional<T>& out, const Cell& cell) {
  if (cell.IsNull()) {
    out.reset();
  } else {
    Set(out.emplace(), cell);
  }
}

template <class Sink>
void Put(Sink& sink, const std::string& x) {
  sink.Text(x);
}
template <class Sink>
void Put(Sink& sink, VideoStatus x) {
  sink.Text(ToString(x));
}
template <class Sink>
void Put(Sink& sink, int64_t x) {
  sink.Int(x);
}
template <class Sink>
void Put(Sink& sink, int x) {
  sink.Int(x);
}
template <class Sink>
void Put(Sink& sink, double x) {
  sink.Real(x);
}
template <class Sink>
void Put(Sink& sink, SysTime x) {
  sink.Int(UnixMillis(x));
}
template <class Sink, class T>
void Put(Sink& sink, const std::optional<T>& x) {
  if (x) {
    Put(sink, *x);
  } else {
    sink.Null();
  }
}

}  // namespace columns_detail

template <class Cell>
void ReadColumn(const Column& c, const Cell& cell, VideoRecord& v) {
  std::visit(
      [&](auto field) {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          columns_detail::Set(v.*field, cell);
        }
      },
      c.field);
}

template <class Sink>
void BindColumn(const Column& c, const VideoRecord& v, Sink& sink) {
  std::visit(
      [&](auto field) {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          columns_detail::Put(sink, v.*field);
        } else {
          columns_detail::Put(sink, field(v));
        }
      },
      c.field);
}

}  // namespace kinora::catalog::internal
