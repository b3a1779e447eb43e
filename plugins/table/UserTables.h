#pragma once
// The tables of the api-auth backend, from [api] auth_user_table,
// auth_group_table and (optional) auth_group_details_table.
#include <optional>
#include <rport/plugin.hpp>
#include <string>

#include "DatabaseSettings.h"
#include "TableName.h"

namespace rport::plugins::table {

struct UserTables {
    TableName users;
    TableName groups;
    std::optional<TableName> groupDetails;  // only probed (and created)

    // Throws sdk::Error(RPORT_E_INVALID) naming the setting that is wrong.
    static UserTables read(const sdk::Host& host, DbType type);

    // "tables 'users' and 'groups'" (and the details table), for messages.
    std::string describe() const;
};

}  // namespace rport::plugins::table
