// The rollup deltas of one transaction: contributions of many batches merged by their keys, then
// written as one upsert per row (sorted keys, so concurrent writers lock rows in one order).
// Thread safety: a Rollups belongs to one transaction.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "kinora/audience/schema.h"
#include "kinora/audience/session.h"
#include "kinora/audience/session_rules.h"
#include "kinora/audience/sql.h"

namespace kinora::audience::internal {

using HourlyRow = std::array<int64_t, kHourlyCounters.size()>;

class Rollups {
 public:
  // Adds what `add` contributes for session s (already updated by the rules).
  void Add(const ViewSession& s, const Contribution& add);
  // A counted qualified view of s.
  void AddView(const ViewSession& s);
  // A new viewer key of s's day (non-excluded sessions with a key).
  void AddViewer(const ViewSession& s);

  Result<void> Write(SqlTx& tx) const;
  bool empty() const;

 private:
  using Key2 = std::tuple<std::string, int64_t>;
  void Dims(const ViewSession& s, int64_t plays, int64_t views, int64_t watch_ms);

  std::map<Key2, HourlyRow> hourly_;
  std::map<std::tuple<std::string, int64_t, std::string, std::string>, std::array<int64_t, 3>>
      dims_;
  std::map<std::tuple<std::string, int64_t, std::string, std::string, int64_t>, int64_t> retention_;
  std::map<std::tuple<std::string, int64_t, int64_t>, int64_t> startup_;
  std::set<std::tuple<std::string, int64_t, std::string>> viewers_;
  std::map<Key2, int64_t> concurrency_;
};

}  // namespace kinora::audience::internal
