#pragma once
// Checks (and on request creates) the credentials table at create time.
#include "Connection.h"
#include "Queries.h"
#include "TableSettings.h"

namespace rport::plugins::table {

// With create_tables, creates the table if it is missing. Then checks that
// it can be read. Throws sdk::Error telling the operator what to do.
void prepareTable(Connection& connection, const TableSettings& settings, const Queries& queries);

// MySQL: true when the id column's collation already orders by code point
// (a *_bin collation), so "ORDER BY id" can walk the primary key.
bool idColumnSortsBinary(Connection& connection, const TableName& table);

}  // namespace rport::plugins::table
