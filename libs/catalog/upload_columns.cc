#include "upload_columns.h"

namespace kinora::catalog::internal {

namespace {

constexpr bool KeyFirst() {
  return kUploadColumns[0].name == "upload_id" &&
         std::holds_alternative<UploadMember<std::string>>(kUploadColumns[0].field) &&
         std::get<UploadMember<std::string>>(kUploadColumns[0].field) == &UploadRow::upload_id;
}
static_assert(KeyFirst(), "upload_id, the key, is the first column");

constexpr bool NamesUnique() {
  for (size_t i = 0; i < kUploadColumns.size(); ++i) {
    for (size_t j = i + 1; j < kUploadColumns.size(); ++j) {
      if (kUploadColumns[i].name == kUploadColumns[j].name) return false;
    }
  }
  return true;
}
static_assert(NamesUnique(), "each SQL name is used once");

}  // namespace

const std::string& UploadSelectList() {
  static const std::string kList = [] {
    std::string out;
    for (const UploadColumn& c : kUploadColumns) {
      if (!out.empty()) out += ", ";
      out += c.name;
    }
    return out;
  }();
  return kList;
}

std::string InsertUploadSql(std::string (*param)(size_t i)) {
  std::string sql = "INSERT INTO uploads (" + UploadSelectList() + ") VALUES (";
  for (size_t i = 0; i < kUploadColumns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += param(i);
  }
  return sql + ")";
}

}  // namespace kinora::catalog::internal
