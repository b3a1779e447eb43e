#pragma once
// Reads a setting that names a table ("table", "user_table", ...) and checks
// that it can be spliced into SQL safely (see TableName).
#include <optional>
#include <rport/plugin.hpp>
#include <string>

#include "DatabaseSettings.h"
#include "TableName.h"

namespace rport::plugins::table {

// The setting `key`, which the classic rportd.conf key `classicKey` (for
// example "[server] auth_table") fills. Absent or empty: nullopt. Throws
// sdk::Error(RPORT_E_INVALID) naming both keys when the name is unusable.
std::optional<TableName> optionalTableSetting(const sdk::Host& host, DbType type,
                                              const std::string& key,
                                              const std::string& classicKey);

// The same, but absent or empty is an RPORT_E_INVALID error too.
TableName requiredTableSetting(const sdk::Host& host, DbType type, const std::string& key,
                               const std::string& classicKey);

}  // namespace rport::plugins::table
