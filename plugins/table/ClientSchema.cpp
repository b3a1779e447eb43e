#include "ClientSchema.h"

#include "Schema.h"

namespace rport::plugins::table {

void prepareClientTable(Connection& connection, const DatabaseSettings& settings,
                        const TableName& table, const ClientQueries& queries) {
    const std::string name = table.text();
    if (settings.createTables)
        runSchemaStatement(connection, settings, queries.createTable,
                           "cannot create table '" + name + "' in " + settings.describe());
    runSchemaStatement(connection, settings, queries.probe,
                       "table '" + name + "' is missing from " + settings.describe() +
                           " or lacks the columns id and password: create it (the documentation "
                           "has the CREATE TABLE statement) or run 'rportd --create-tables'");
}

}  // namespace rport::plugins::table
