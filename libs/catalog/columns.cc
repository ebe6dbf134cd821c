#include "columns.h"

#include <vector>

namespace kinora::catalog::internal {

namespace {

// --- What the compiler checks about the table ---------------------------------------------------

constexpr bool IsFunction(const Column& c) {
  return std::holds_alternative<double (*)(const VideoRecord&)>(c.field);
}
constexpr bool IsString(const Column& c) {
  return std::holds_alternative<Member<std::string>>(c.field);
}

constexpr bool OneKeyThatIsAString() {
  int keys = 0;
  for (const Column& c : kColumns) {
    if (c.role != Role::kKey) continue;
    if (!IsString(c)) return false;
    ++keys;
  }
  return keys == 1;
}
static_assert(OneKeyThatIsAString(), "exactly one column is the key, a string (video_id)");

constexpr bool DerivedExactlyWhenComputed() {
  for (const Column& c : kColumns) {
    if ((c.role == Role::kDerived) != IsFunction(c)) return false;
  }
  return true;
}
static_assert(DerivedExactlyWhenComputed(), "derived columns, and only they, are computed");

constexpr bool JsonFormsFit() {
  for (const Column& c : kColumns) {
    if ((c.json_form == JsonForm::kNone) != c.json.empty()) return false;
    if (c.role == Role::kDerived && c.json_form != JsonForm::kNone) return false;  // never read
    const bool text_only = c.json_form == JsonForm::kNullIfEmpty ||
                           c.json_form == JsonForm::kArray || c.json_form == JsonForm::kObject;
    if (text_only && !IsString(c)) return false;
  }
  return true;
}
static_assert(JsonFormsFit(),
              "a JSON name exactly when a JSON form; derived columns have none; text-only forms "
              "on strings");

// Edit's statements (in each backend) name these columns; Update must never write them.
constexpr bool EditedExactlyWhatEditOwns() {
  using V = VideoRecord;
  for (const Column& c : kColumns) {
    const bool owned = Is(c, &V::title) || Is(c, &V::description) || Is(c, &V::owner_id) ||
                       Is(c, &V::visibility) || Is(c, &V::media_generation);
    if ((c.role == Role::kEdited) != owned) return false;
  }
  return true;
}
static_assert(EditedExactlyWhatEditOwns(),
              "title, description, owner_id, visibility and media_generation, and only they, are "
              "edited columns");

constexpr bool NamesUnique() {
  for (size_t i = 0; i < kColumns.size(); ++i) {
    for (size_t j = i + 1; j < kColumns.size(); ++j) {
      if (kColumns[i].name == kColumns[j].name) return false;
      if (!kColumns[i].json.empty() && kColumns[i].json == kColumns[j].json) return false;
    }
  }
  return true;
}
static_assert(NamesUnique(), "SQL and JSON names are each used once");

// Written by the database alone, and last, so the inserts' parameter numbers (SQLite's follow
// the column's place) have no gap.
constexpr bool OneVersionLast() {
  int versions = 0;
  for (const Column& c : kColumns) versions += c.role == Role::kVersion ? 1 : 0;
  const Column& last = kColumns.back();
  return versions == 1 && last.role == Role::kVersion &&
         std::holds_alternative<Member<int64_t>>(last.field) && last.json_form == JsonForm::kNone;
}
static_assert(OneVersionLast(), "exactly one row version column, an integer, last, not in JSON");

std::vector<const Column*> Select(bool (*keep)(const Column&)) {
  std::vector<const Column*> out;
  for (const Column& c : kColumns) {
    if (keep(c)) out.push_back(&c);
  }
  return out;
}

}  // namespace

std::span<const Column* const> ReadColumns() {
  static const std::vector<const Column*> kRead =
      Select([](const Column& c) { return c.role != Role::kDerived; });
  return kRead;
}

const std::string& SelectList() {
  static const std::string kList = [] {
    std::string out;
    for (const Column* c : ReadColumns()) {
      if (!out.empty()) out += ", ";
      out += c->name;
    }
    return out;
  }();
  return kList;
}

std::span<const Column* const> WriteColumns(Write w) {
  static const std::vector<const Column*> kInsert =
      Select([](const Column& c) { return c.role != Role::kVersion; });
  static const std::vector<const Column*> kUpdate = [] {
    auto out = Select([](const Column& c) { return c.role == Role::kPlain; });
    for (const Column& c : kColumns) {
      if (c.role == Role::kKey) out.push_back(&c);
    }
    return out;
  }();
  return w == Write::kInsert ? kInsert : kUpdate;
}

std::string WriteSql(Write w, ParamSpelling param) {
  const auto cols = WriteColumns(w);
  auto spell = [&](size_t position) { return param(IndexOf(*cols[position]), position); };
  std::string sql;
  if (w == Write::kInsert) {
    std::string values;
    for (size_t i = 0; i < cols.size(); ++i) {
      sql += i == 0 ? "INSERT INTO videos (" : ", ";
      sql += cols[i]->name;
      values += i == 0 ? ") VALUES (" : ", ";
      values += spell(i);
    }
    return sql + values + ")";
  }
  const size_t key = cols.size() - 1;  // the key comes last
  for (size_t i = 0; i < key; ++i) {
    sql += i == 0 ? "UPDATE videos SET " : ", ";
    sql += cols[i]->name;
    sql += " = ";
    sql += spell(i);
  }
  return sql + " WHERE " + std::string(cols[key]->name) + " = " + spell(key);
}

}  // namespace kinora::catalog::internal
