// The uploads table's columns (resumable uploads, uploads.h), each listed once: SQL name and the
// UploadRow member it stores. Both backends generate their SELECT list, INSERT, parameters and
// row reading from it; each backend's migration creates the columns (tests check they agree).
// Private to libs/catalog. Thread safety: constant data and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "kinora/catalog/uploads.h"

namespace kinora::catalog::internal {

template <class T>
using UploadMember = T UploadRow::*;

struct UploadColumn {
  std::string_view name;  // SQL
  std::variant<UploadMember<std::string>, UploadMember<int64_t>, UploadMember<bool>> field;
};

// Every column once; the key (upload_id) first. `offset` is an SQL keyword, hence offset_bytes.
// clang-format off
inline constexpr auto kUploadColumns = [] {
  using U = UploadRow;
  return std::to_array<UploadColumn>({
      {"upload_id",      &U::upload_id},
      {"owner_id",       &U::owner_id},
      {"video_id",       &U::video_id},
      {"filename",       &U::filename},
      {"extension",      &U::extension},
      {"title",          &U::title},
      {"description",    &U::description},
      {"visibility",     &U::visibility},
      {"correlation_id", &U::correlation_id},
      {"length",         &U::length},
      {"offset_bytes",   &U::offset},
      {"store_state",    &U::store_state},
      {"created_at",     &U::created_at},
      {"expires_at",     &U::expires_at},
      {"complete",       &U::complete},
  });
}();
// clang-format on

// "upload_id, owner_id, …": every column, as a SELECT list (ReadUpload reads it from column 0).
const std::string& UploadSelectList();

// The INSERT of one uploads row, every column; `param(i)` spells the i-th (0-based) parameter,
// which is kUploadColumns[i]'s value ("?1" for SQLite, "$1" for PostgreSQL).
std::string InsertUploadSql(std::string (*param)(size_t i));

// Hands u's values, in kUploadColumns order, to the backend's `sink`:
//   void Int(int64_t); void Text(std::string_view); void Bool(bool);
// (Text views u.)
template <class Sink>
void BindUpload(const UploadRow& u, Sink& sink) {
  for (const UploadColumn& c : kUploadColumns) {
    std::visit(
        [&](auto m) {
          using T = std::remove_cvref_t<decltype(u.*m)>;
          if constexpr (std::is_same_v<T, std::string>) {
            sink.Text(u.*m);
          } else if constexpr (std::is_same_v<T, bool>) {
            sink.Bool(u.*m);
          } else {
            sink.Int(u.*m);
          }
        },
        c.field);
  }
}

// Reads a row whose columns start with UploadSelectList(); `cell(i)` is column i's value:
//   int64_t Int() const; std::string Text() const; bool Bool() const;
template <class CellAt>
UploadRow ReadUpload(const CellAt& cell) {
  UploadRow u;
  int i = 0;
  for (const UploadColumn& c : kUploadColumns) {
    const auto value = cell(i++);
    std::visit(
        [&](auto m) {
          using T = std::remove_cvref_t<decltype(u.*m)>;
          if constexpr (std::is_same_v<T, std::string>) {
            u.*m = value.Text();
          } else if constexpr (std::is_same_v<T, bool>) {
            u.*m = value.Bool();
          } else {
            u.*m = value.Int();
          }
        },
        c.field);
  }
  return u;
}

}  // namespace kinora::catalog::internal
