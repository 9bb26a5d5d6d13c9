#pragma once
// SQL for a participant's inbound messages. They are in the index by participant once a
// tick has indexed them (indexed = 1), and until then among the few recent ones (indexed =
// 0, schema migration 11). A query by participant reads both parts, each through its own
// index: `participant_id = ?` alone would scan the whole table.
#include <string>

namespace relais::inbound_sql {

// The time of the last message of the participant whose id is the SQL expression
// `participant` (NULL when she wrote none).
inline std::string last_received_at(const std::string& participant) {
  return "(SELECT max(t) FROM (SELECT max(received_at) AS t FROM inbound WHERE indexed = 1 AND participant_id = " +
         participant + " UNION ALL SELECT max(received_at) FROM inbound WHERE indexed = 0 AND participant_id = " +
         participant + "))";
}

// True when the participant `participant` wrote between the SQL expressions `from` and `to`.
inline std::string wrote_between(const std::string& participant, const std::string& from, const std::string& to) {
  const std::string part = " AND participant_id = " + participant + " AND received_at BETWEEN " + from + " AND " + to + ")";
  return "(EXISTS (SELECT 1 FROM inbound WHERE indexed = 1" + part +
         " OR EXISTS (SELECT 1 FROM inbound WHERE indexed = 0" + part + ")";
}

// Her messages' rows, the columns `columns`, as a compound SELECT (wrap it to order it).
inline std::string rows_of(const std::string& columns, const std::string& participant) {
  return "SELECT " + columns + " FROM inbound WHERE indexed = 1 AND participant_id = " + participant +
         " UNION ALL SELECT " + columns + " FROM inbound WHERE indexed = 0 AND participant_id = " + participant;
}

}  // namespace relais::inbound_sql
