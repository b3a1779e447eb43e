#pragma once
// What both backends do to their tables at create: run DDL and probes with
// errors the operator can act on, and learn how a MySQL column sorts.
#include <string>

#include "Connection.h"
#include "DatabaseSettings.h"
#include "TableName.h"

namespace rport::plugins::table {

// Runs one statement without results (CREATE TABLE, a zero-row probe).
// Throws sdk::Error: RPORT_E_UNAVAILABLE when the database stopped
// answering, otherwise RPORT_E_INVALID with problem and the driver's reason.
void runSchemaStatement(Connection& connection, const DatabaseSettings& settings,
                        const std::string& sql, const std::string& problem);

// MySQL: true when column's collation already orders by code point (a *_bin
// collation), so "ORDER BY column" can walk its index.
bool columnSortsBinary(Connection& connection, const TableName& table, const std::string& column);

}  // namespace rport::plugins::table
