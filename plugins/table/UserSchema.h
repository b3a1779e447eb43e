#pragma once
// Checks (and on request creates) the API user tables at create time.
#include "Connection.h"
#include "DatabaseSettings.h"
#include "UserTables.h"

namespace rport::plugins::table {

// With create_tables, creates whichever tables are missing. Then probes
// each with a query that returns no rows but needs the columns the
// original reads. Throws sdk::Error naming the table that is missing and
// what to do about it.
void prepareUserTables(Connection& connection, const DatabaseSettings& settings,
                       const UserTables& tables);

}  // namespace rport::plugins::table
