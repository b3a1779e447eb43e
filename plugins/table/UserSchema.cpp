#include "UserSchema.h"

#include <vector>

#include "Schema.h"
#include "UserDdl.h"

namespace rport::plugins::table {

namespace {

struct TableCheck {
    const TableName& table;
    std::string createSql;
    std::string columns;  // as listed in the probe
    std::string columnsInWords;
};

std::vector<TableCheck> checksFor(const UserTables& tables, DbType type) {
    std::vector<TableCheck> checks;
    checks.push_back({tables.users, createUsersTableSql(tables.users, type),
                      "username, password, password_expired",
                      "username, password and password_expired"});
    checks.push_back({tables.groups, createGroupsTableSql(tables.groups, type),
                      "username, `group`", "username and group"});
    if (tables.groupDetails)
        checks.push_back({*tables.groupDetails,
                          createGroupDetailsTableSql(*tables.groupDetails, type),
                          "name, permissions", "name and permissions"});
    return checks;
}

}  // namespace

void prepareUserTables(Connection& connection, const DatabaseSettings& settings,
                       const UserTables& tables) {
    const std::vector<TableCheck> checks = checksFor(tables, settings.dbType);
    if (settings.createTables)
        for (const auto& c : checks)
            runSchemaStatement(connection, settings, c.createSql,
                               "cannot create table '" + c.table.text() + "' in " +
                                   settings.describe());
    for (const auto& c : checks)
        runSchemaStatement(
            connection, settings,
            "SELECT " + c.columns + " FROM " + c.table.quoted() + " LIMIT 0",
            "table '" + c.table.text() + "' is missing from " + settings.describe() +
                " or lacks the columns " + c.columnsInWords +
                ": create it (the documentation has the CREATE TABLE statement) or run "
                "'rportd --create-tables'");
}

}  // namespace rport::plugins::table
