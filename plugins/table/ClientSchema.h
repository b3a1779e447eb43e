#pragma once
// Checks (and on request creates) the client credentials table at create.
#include "ClientQueries.h"
#include "Connection.h"
#include "DatabaseSettings.h"

namespace rport::plugins::table {

// With create_tables, creates the table if it is missing. Then checks that
// it can be read. Throws sdk::Error telling the operator what to do.
void prepareClientTable(Connection& connection, const DatabaseSettings& settings,
                        const TableName& table, const ClientQueries& queries);

}  // namespace rport::plugins::table
