#include "columns.h"

#include <chrono>
#include <type_traits>
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

// --- Conversions --------------------------------------------------------------------------------

template <class T>
struct SqlTypeOf;
template <>
struct SqlTypeOf<std::string> : std::integral_constant<SqlType, SqlType::kText> {};
template <>
struct SqlTypeOf<VideoStatus> : std::integral_constant<SqlType, SqlType::kText> {};
template <>
struct SqlTypeOf<int64_t> : std::integral_constant<SqlType, SqlType::kInteger> {};
template <>
struct SqlTypeOf<int> : std::integral_constant<SqlType, SqlType::kInteger> {};
template <>
struct SqlTypeOf<SysTime> : std::integral_constant<SqlType, SqlType::kInteger> {};
template <>
struct SqlTypeOf<double> : std::integral_constant<SqlType, SqlType::kReal> {};
template <class T>
struct SqlTypeOf<std::optional<T>> : SqlTypeOf<T> {};

// The value a Field yields.
template <class F>
struct FieldType;
template <class T>
struct FieldType<Member<T>> {
  using type = T;
};
template <>
struct FieldType<double (*)(const VideoRecord&)> {
  using type = double;
};

SqlArg Arg(const std::string& s) { return std::string_view(s); }
SqlArg Arg(VideoStatus s) { return ToString(s); }
SqlArg Arg(int64_t n) { return n; }
SqlArg Arg(int n) { return int64_t{n}; }
SqlArg Arg(double d) { return d; }
SqlArg Arg(SysTime t) { return UnixMillis(t); }
template <class T>
SqlArg Arg(const std::optional<T>& v) {
  return v ? Arg(*v) : SqlArg(nullptr);
}

// Values arrive as the column's SqlType; anything else (NULL in a NOT NULL column cannot
// happen) reads as the type's zero, as sqlite3_column_* and an empty PostgreSQL field do.
int64_t AsInt(const SqlValue& x) {
  const auto* n = std::get_if<int64_t>(&x);
  return n ? *n : 0;
}
double AsReal(const SqlValue& x) {
  if (const auto* d = std::get_if<double>(&x)) return *d;
  return static_cast<double>(AsInt(x));
}
std::string AsText(SqlValue&& x) {
  auto* s = std::get_if<std::string>(&x);
  return s ? std::move(*s) : std::string();
}

SysTime FromMillis(int64_t ms) { return SysTime{std::chrono::milliseconds(ms)}; }

void Assign(std::string& out, SqlValue&& x) { out = AsText(std::move(x)); }
void Assign(VideoStatus& out, SqlValue&& x) {
  out = ParseVideoStatus(AsText(std::move(x))).value_or(VideoStatus::kUploaded);
}
void Assign(int64_t& out, SqlValue&& x) { out = AsInt(x); }
void Assign(int& out, SqlValue&& x) { out = static_cast<int>(AsInt(x)); }
void Assign(double& out, SqlValue&& x) { out = AsReal(x); }
void Assign(SysTime& out, SqlValue&& x) { out = FromMillis(AsInt(x)); }
template <class T>
void Assign(std::optional<T>& out, SqlValue&& x) {
  if (std::holds_alternative<std::nullptr_t>(x)) {
    out.reset();
  } else {
    Assign(out.emplace(), std::move(x));
  }
}

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

SqlType TypeOf(const Column& c) {
  return std::visit([]<class F>(F) { return SqlTypeOf<typename FieldType<F>::type>::value; },
                    c.field);
}

void FromSql(const Column& c, SqlValue value, VideoRecord& v) {
  std::visit(
      [&](auto field) {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          Assign(v.*field, std::move(value));
        }
      },
      c.field);
}

std::span<const Column* const> WriteColumns(Write w) {
  static const std::vector<const Column*> kInsert = Select([](const Column&) { return true; });
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

SqlArg ToSql(const Column& c, const VideoRecord& v) {
  return std::visit(
      [&](auto field) {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          return Arg(v.*field);
        } else {
          return Arg(field(v));
        }
      },
      c.field);
}

}  // namespace kinora::catalog::internal
